"""``scrapy fanout`` onto two Scrapyd nodes: shards of one site list into one archive."""

from __future__ import annotations

import contextlib
from pathlib import Path

from mpcrawl.fanout.client import job_state, list_jobs
from mpcrawl.fanout.plan import node_label
from mpcrawl.sitelist import in_shard
from tests.crawl import read
from tests.distributed.conftest import Deployed
from tests.distributed.helpers import (
    PROJECT,
    Node,
    fan_out,
    fanout,
    job_ids,
    kill_when_stalled,
    site_list,
    sites_in_shards,
    version_keys,
)
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import crawl
from tests.wordpress.wpserver import WordPress


def test_two_nodes_archive_what_one_process_does(deployed: Deployed, tmp_path: Path) -> None:
    """The session's first fanout (``--deploy``) against one process crawling the same sites."""
    nodes, sites, out = deployed.nodes, deployed.sites, deployed.result.stdout
    single = crawl(tmp_path / "single", f"sites={deployed.folder / 'sites.csv'}")
    assert single.returncode == 0, single.stderr[-3000:]
    assert f"shard 1/2: 1 sites on {nodes[0].url}" in out
    assert f"shard 2/2: 1 sites on {nodes[1].url}" in out
    assert out.count("deployed mpcrawl-") == 2
    fan, one = read(deployed.folder / "fan"), read(tmp_path / "single")
    keys = version_keys(fan)
    assert keys == version_keys(one)
    served = sum(s.total_posts + len(list(s.pages.visible())) for s in sites)
    assert len(keys) == len(set(keys)) == served
    # Each site was crawled by the job of its shard, on that shard's node, named in its run id.
    runs = {
        site: (run_id, outcome)
        for site, run_id, outcome in fan.sql("SELECT site, run_id, outcome FROM runs").fetchall()
    }
    ids = job_ids(out)
    assert len(runs) == len(ids) == 2
    for node, jobid, sample in zip(nodes, ids, sites, strict=True):
        run_id, outcome = runs[f"127.0.0.1_{sample.port}"]
        assert outcome == "ok"
        assert run_id.endswith(f"-{node_label(node.url)}-{jobid}")
        assert "site finished" in node.job_log(jobid)
    # Scrapyd's own listjobs shows them finished.
    for node, jobid in zip(nodes, ids, strict=True):
        assert job_state(list_jobs(node.url, PROJECT), jobid) == "finished"
    # The site-list metadata travelled with the rows.
    names = fan.sql("SELECT site, name FROM sites_latest").fetchall()
    assert sorted(names) == sorted(
        (f"127.0.0.1_{s.port}", f"Site {n}") for n, s in enumerate(sites)
    )


def test_a_killed_job_is_repaired_by_the_next_fanout(deployed: Deployed, tmp_path: Path) -> None:
    nodes = deployed.nodes
    stall = Rule(match="wp/v2/posts&per_page=100&page=3", delay=30, times=1)
    with sites_in_shards(1) as (sample,), FaultProxy(sample.url, [stall]) as proxy:
        listed = site_list(tmp_path / "sites.csv", [proxy.url])
        archive = tmp_path / "fan"
        args = ("--nodes", nodes[0].url, "-a", f"sites={listed}")
        first = fanout(*args, MPCRAWL_ARCHIVE=str(archive), MPCRAWL_BATCH_ROWS="50")
        assert first.returncode == 0, first.stdout + first.stderr[-3000:]
        # Without --deploy, the job is pinned to the node's newest version: the session's.
        assert f", version {deployed.egg.stem}\n" in first.stdout
        kill_when_stalled(nodes[0], proxy, stall, first.stdout)
        # Killed mid-site: its lock and half-written files are left behind, no run record.
        site = f"127.0.0.1_{proxy.url.rsplit(':', 1)[1]}"
        assert (archive / "_locks" / f"{site}.lock").exists()
        assert list(archive.rglob(".part-*.tmp"))
        assert read(archive).sql("SELECT count(*) FROM runs").fetchall() == [(0,)]

        again = fanout(*args, "--wait", "--poll", "0.2", MPCRAWL_ARCHIVE=str(archive))
        assert again.returncode == 0, again.stdout + again.stderr[-3000:]
        assert "1 ok" in again.stdout
        (rerun,) = job_ids(again.stdout)
        assert "removed" in nodes[0].job_log(rerun)  # the dead run's temp files
    con = read(archive)
    assert con.sql("SELECT count(*) FROM posts WHERE post_type = 'post'").fetchall() == [
        (sample.total_posts,)
    ]
    keys = version_keys(con)
    assert len(keys) == len(set(keys))
    assert not list(archive.rglob(".part-*.tmp"))
    assert not (archive / "_locks" / f"{site}.lock").exists()


def test_a_project_not_deployed_on_a_node_schedules_nothing(
    nodes: list[Node], tmp_path: Path
) -> None:
    listed = site_list(tmp_path / "sites.csv", ["https://a.org", "https://b.org"])
    urls = ",".join(n.url for n in nodes)
    result = fanout(
        "--nodes",
        urls,
        "--project",
        "absent",
        "-a",
        f"sites={listed}",
        MPCRAWL_ARCHIVE=str(tmp_path / "fan"),
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {nodes[0].url}: absent is not deployed there (use --deploy)"
    ]
    assert "shard" not in result.stdout  # refused before anything is scheduled


def test_two_nodes_archive_two_real_wordpress_sites(
    nodes: list[Node], wordpress: WordPress, wordpress_archives: dict[str, Path], tmp_path: Path
) -> None:
    """The same fanout over two instances of the real WordPress fixture, compared with the
    session's one-process crawl of each (``wordpress_archives``).

    Each instance sits behind a transparent proxy whose port puts it in its own shard.
    """
    with contextlib.ExitStack() as stack:
        proxies: dict[int, tuple[str, FaultProxy]] = {}
        for name, instance in (("pretty", wordpress.pretty), ("plain", wordpress.plain)):
            while True:
                proxy = FaultProxy(instance.url)
                shard = 1 if in_shard(f"127.0.0.1_{proxy.server.server_address[1]}", (1, 2)) else 2
                if shard not in proxies:
                    proxies[shard] = (name, stack.enter_context(proxy))
                    break
                proxy.server.server_close()
        result = fan_out(nodes, tmp_path, [proxies[k][1].url for k in sorted(proxies)])
    assert "shard 1/2: 1 sites" in result.stdout and "shard 2/2: 1 sites" in result.stdout
    names = {f"127.0.0.1_{p.server.server_address[1]}": name for name, p in proxies.values()}
    keys = [(names[str(site)], *rest) for site, *rest in version_keys(read(tmp_path / "fan"))]
    single = {
        (name, *rest)
        for name in ("pretty", "plain")
        for _site, *rest in version_keys(read(wordpress_archives[name]))
    }
    assert sorted(keys) == sorted(single)
    assert len(keys) == len(set(keys)) > 2 * 250
    outcomes = read(tmp_path / "fan").sql("SELECT outcome FROM runs").fetchall()
    assert outcomes == [("ok",), ("ok",)]
