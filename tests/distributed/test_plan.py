"""What ``scrapy fanout`` sends and deploys: the plan checked without a running node, the
egg as the session's deploy left it on a node."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mpcrawl.fanout.plan import MAX_ARG_BYTES, plan_jobs
from mpcrawl.sitelist import SiteEntry, in_shard, parse_csv
from tests.inprocess import command

NODES = ["http://10.0.0.1:6800", "http://crawler-2:6800/"]


def entries(count: int) -> list[SiteEntry]:
    return [
        SiteEntry(f"mp{n}.org.uk", f"https://mp{n}.org.uk/", {"name": f"MP {n}", "party": "Lab"})
        for n in range(count)
    ]


def test_each_job_carries_its_shard_rows_settings_and_run_id() -> None:
    sites = entries(40)
    jobs = plan_jobs(
        NODES,
        sites,
        shards=4,
        project="mpcrawl",
        spider_args={"types": "posts"},
        settings={"MPCRAWL_ARCHIVE": "s3://b/a"},
        versions=(versions := {"http://10.0.0.1:6800": "7", "http://crawler-2:6800": "9"}),
        now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert [(j.node, j.shard_text) for j in jobs] == [
        ("http://10.0.0.1:6800", "1/4"),
        ("http://crawler-2:6800", "2/4"),
        ("http://10.0.0.1:6800", "3/4"),
        ("http://crawler-2:6800", "4/4"),
    ]
    seen: list[SiteEntry] = []
    for job in jobs:
        form = dict(job.form)
        assert form["project"] == "mpcrawl" and form["spider"] == "wp"
        assert form["jobid"] == job.jobid and form["shard"] == job.shard_text
        assert form["types"] == "posts"
        assert form["_version"] == versions[job.node]  # each node's jobs pinned to its version
        listed = parse_csv(form["sites_csv"]).entries
        assert listed and all(in_shard(e.site, job.shard) for e in listed)
        assert len(listed) == job.sites
        seen += listed
        assert [v for k, v in job.form if k == "setting"] == [
            "MPCRAWL_ARCHIVE=s3://b/a",
            f"MPCRAWL_RUN_ID={job.run_id}",
        ]
        assert job.run_id.startswith("20260102T030405Z-")
        assert job.run_id.endswith(f"-{job.jobid}")
    assert sorted(seen, key=lambda e: e.site) == sorted(sites, key=lambda e: e.site)
    assert jobs[1].run_id.startswith("20260102T030405Z-crawler-2-6800-")


def test_a_shard_too_large_for_a_command_line_is_refused() -> None:
    many = entries(MAX_ARG_BYTES // 40 * 2)
    with pytest.raises(ValueError, match="use more shards"):
        plan_jobs(NODES, many, shards=1, project="p", spider_args={}, settings={})


def test_fanout_refuses_an_archive_only_one_machine_can_reach(tmp_path: Path) -> None:
    listed = tmp_path / "sites.csv"
    listed.write_text("url\nhttps://a.org\n")
    result = command("fanout", "--nodes", "http://127.0.0.1:9", "-a", f"sites={listed}")
    assert result.returncode == 2
    assert (
        "MPCRAWL_ARCHIVE='output': every node must write to the same place"
        in result.stderr.decode()
    )
    result = command(
        "fanout",
        "--nodes",
        "http://127.0.0.1:9",
        "-a",
        f"sites={listed}",
        "-a",
        "shard=1/2",
        "-s",
        f"MPCRAWL_ARCHIVE={tmp_path}",
    )
    assert result.returncode == 2
    assert "fanout sets the shard" in result.stderr.decode()


def test_the_egg_loads_its_data_files_as_scrapyd_runs_it(egg: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(egg).namelist()
    for name in (
        "mpcrawl/data/uk-mps.csv",
        "mpcrawl/sql/views.sql",
        "mpcrawl/sample/data/site.json.gz",
        "mpcrawl/sample/data/seed-post-4407.json",
        "EGG-INFO/entry_points.txt",
    ):
        assert name in names
    sources = {name for name in names if name.endswith(".py")}
    assert sources and {f"{name}c" for name in sources} <= set(names)  # bytecode beside each
    code = (
        "import sys\n"
        "from scrapyd.runner import activate_egg\n"
        "activate_egg(sys.argv[1])\n"
        "import mpcrawl, mpcrawl.archive, mpcrawl.extract.members as m\n"
        "from importlib import resources\n"
        "data = resources.files('mpcrawl').joinpath('sample/data/seed-post-4407.json')\n"
        "print(mpcrawl.__file__)\n"
        "print(len(m.members()), 'CREATE' in mpcrawl.archive.views_sql(), len(data.read_bytes()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(egg)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    where, loaded = result.stdout.splitlines()
    assert where.startswith(str(egg))  # imported from the egg, not the working tree
    assert where.endswith(".pyc")  # from its bytecode: a job compiles nothing
    members, views, seed = loaded.split()
    assert int(members) > 600 and views == "True" and int(seed) > 1000
