"""Sites spread over shards, ``scrapy fanout`` run as users run it, and archive keys."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from mpcrawl.fanout.client import cancel, job_state, list_jobs
from mpcrawl.sample.server import SampleSite
from mpcrawl.sitelist import in_shard
from tests.crawl import FAST
from tests.faultserver import FaultProxy, Rule
from tests.shared import REPO

KEY = "site, post_type, id, modified_gmt"
PROJECT = "mpcrawl"


@dataclass(frozen=True)
class Node:
    """A Scrapyd daemon: its URL and its folder (``scrapyd.conf``, eggs, job logs)."""

    url: str
    folder: Path

    def job_log(self, jobid: str) -> str:
        path = self.folder / "logs" / PROJECT / "wp" / f"{jobid}.log"
        return path.read_text() if path.exists() else ""


@contextlib.contextmanager
def sites_in_shards(shards: int) -> Iterator[list[SampleSite]]:
    """One running sample site in each of ``shards`` shards (ports are random)."""
    with contextlib.ExitStack() as stack:
        chosen: dict[int, SampleSite] = {}
        while len(chosen) < shards:
            site = SampleSite()
            k = next(
                k for k in range(1, shards + 1) if in_shard(f"127.0.0.1_{site.port}", (k, shards))
            )
            if k in chosen:
                site.stop()
                continue
            chosen[k] = stack.enter_context(site)
        yield [chosen[k] for k in sorted(chosen)]


def site_list(path: Path, urls: list[str]) -> Path:
    path.write_text("url,name\n" + "".join(f"{url},Site {n}\n" for n, url in enumerate(urls)))
    return path


def fanout(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """``scrapy fanout ARGS -s NAME=VALUE ...`` from the project folder."""
    command = [sys.executable, "-m", "scrapy", "fanout", *args]
    for name, value in {**FAST, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(
        command,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=300,  # a guard only: --deploy --wait on a loaded machine took over 120 s
        check=False,
    )


def fan_out(
    nodes: list[Node], folder: Path, urls: list[str], *extra: str
) -> subprocess.CompletedProcess[str]:
    """Fan the sites (listed in ``folder/sites.csv``) out over ``nodes`` into ``folder/fan``
    and wait; the fanout's process."""
    listed = site_list(folder / "sites.csv", urls)
    result = fanout(
        "--nodes",
        ",".join(n.url for n in nodes),
        *extra,
        "--wait",
        "--poll",
        "0.2",
        "-a",
        f"sites={listed}",
        MPCRAWL_ARCHIVE=str(folder / "fan"),
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return result


def version_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    """Every post version key in every file, duplicates included, sorted."""
    return sorted(con.sql(f"SELECT {KEY} FROM posts_files").fetchall())


def job_ids(stdout: str) -> list[str]:
    """The Scrapyd job ids ``scrapy fanout`` reports, in shard order."""
    return re.findall(r"^shard \S+: \d+ sites on \S+, job (\w+),", stdout, re.MULTILINE)


def kill_when_stalled(node: Node, proxy: FaultProxy, stall: Rule, stdout: str) -> None:
    """Wait until the job ``scrapy fanout`` started on ``node`` hangs on ``stall``, kill it
    with SIGKILL through Scrapyd, and wait until Scrapyd lists it finished."""
    (jobid,) = job_ids(stdout)
    deadline = time.monotonic() + 60
    while not proxy.arrived(stall.match) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proxy.arrived(stall.match), node.job_log(jobid)
    assert cancel(node.url, PROJECT, jobid, signal="KILL") == "running"
    deadline = time.monotonic() + 30
    while job_state(list_jobs(node.url, PROJECT), jobid) != "finished":
        assert time.monotonic() < deadline, "the killed job is still listed as running"
        time.sleep(0.1)
