"""Kills, signals, locks: a cron run can die anywhere and the archive stays whole."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.dataset as ds

from mpcrawl.sample.server import SampleSite
from tests.crawl import crawl_command, read, scalar
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import crawl
from tests.shared import REPO

SMALL_FILES = {"MPCRAWL_FILE_ROWS": "500", "MPCRAWL_BATCH_ROWS": "100"}
POSTS = 1500  # 15 pages of posts: a run is stopped after its first 250 or 500 rows


class Crawl:
    """A ``scrapy crawl`` running in the background, its log in a file (never a full pipe)."""

    def __init__(self, archive: Path, *args: str, **settings: str) -> None:
        self.log = archive.parent / f"crawl-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                crawl_command(archive, *args, **settings),
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.pid = self.process.pid

    def send_signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def finish(self, timeout: float = 120) -> int:
        return self.process.wait(timeout=timeout)

    @property
    def output(self) -> str:
        return self.log.read_text()


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def final_files(archive: Path, table: str = "posts") -> list[Path]:
    return [p for p in (archive / table).rglob("*.parquet") if not p.name.startswith(".")]


def assert_readable(archive: Path) -> None:
    for table in ("posts", "embeds", "speech_turns"):
        if final_files(archive, table):
            ds.dataset(archive / table, partitioning="hive").to_table()
    read(archive).sql("SELECT count(*) FROM posts_latest").fetchall()


def test_sigkill_then_rerun_has_every_version_once(archive: Path) -> None:
    smaller_files = {"MPCRAWL_FILE_ROWS": "250", "MPCRAWL_BATCH_ROWS": "50"}
    with SampleSite(posts=POSTS) as site:
        process = Crawl(archive, f"site={site.url}", **smaller_files)
        wait_for(
            lambda: len(final_files(archive)) >= 2 and bool(list(archive.rglob(".part-*.tmp")))
        )
        process.send_signal(signal.SIGKILL)
        process.finish()
        assert list(archive.rglob(".part-*.tmp")), "a killed run leaves temporary files"
        assert_readable(archive)
        killed_rows = int(scalar(read(archive), "SELECT count(*) FROM posts_files"))
        assert 0 < killed_rows < POSTS
        result = crawl(archive, f"site={site.url}", **smaller_files)
        assert result.returncode == 0, result.stderr[-2000:]
        pages = sum(1 for _ in site.pages.visible())
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM posts_files WHERE post_type = 'post'") == POSTS
    assert (
        scalar(con, "SELECT count(DISTINCT (post_type, id, modified_gmt)) FROM posts_files")
        == POSTS + pages
    )
    assert not list(archive.rglob(".part-*.tmp"))
    assert not list((archive / "_locks").glob("*.lock"))


def test_sigterm_stops_cleanly_with_exit_3(archive: Path) -> None:
    with SampleSite(posts=POSTS) as site:
        process = Crawl(archive, f"site={site.url}", **SMALL_FILES)
        wait_for(lambda: len(final_files(archive)) >= 1)
        process.send_signal(signal.SIGTERM)
        status = process.finish()
    assert status == 3, process.output[-2000:]
    assert_readable(archive)
    assert not list(archive.rglob(".part-*.tmp"))
    outcome, reason = read(archive).sql("SELECT outcome, reason FROM runs").fetchall()[0]
    assert outcome == "partial" and "cut short" in reason


def test_kill_during_the_sweep_creates_no_tombstones(
    sample_site: SampleSite, archive: Path
) -> None:
    slow = Rule("_fields=id,modified_gmt", delay=3)
    with FaultProxy(sample_site.url, [slow]) as proxy:
        assert crawl(archive, f"site={proxy.url}").returncode == 0
        sample_site.delete_post(sample_site.post_ids()[5])
        for stop in (signal.SIGKILL, signal.SIGTERM):
            process = Crawl(archive, f"site={proxy.url}")
            wait_for(lambda: bool(proxy.arrived("_fields=id")))
            process.send_signal(stop)
            process.finish()
            proxy.arrivals.clear()
        assert int(scalar(read(archive), "SELECT count(*) FROM tombstones_files")) == 0
        # The same sweep, left to finish, does notice the deletion.
        assert crawl(archive, f"site={proxy.url}").returncode == 0
    assert int(scalar(read(archive), "SELECT count(*) FROM tombstones_files")) == 1


def _listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # TCP_LISTEN
                inodes.add(fields[9])
    return inodes


def test_a_site_being_crawled_is_skipped_as_locked_by_a_crawl_listening_on_no_port(
    sample_site: SampleSite, archive: Path
) -> None:
    # The first run holds its lock on its first posts page until the second run has found
    # the lock and finished (at most 60 s); while it waits, its sockets are looked at.
    release = threading.Event()
    slow = Rule("rest_route=/wp/v2/posts", delay=60, times=1, release=release)
    with FaultProxy(sample_site.url, [slow]) as proxy:
        first = Crawl(archive, f"site={proxy.url}")
        wait_for(lambda: bool(proxy.arrived("wp/v2/posts")))
        sockets = set()
        for fd in Path(f"/proc/{first.pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                sockets.add(target[8:-1])
        listening = sockets & _listening_inodes()
        second = crawl(archive, f"site={proxy.url}")
        release.set()
        first_status = first.finish()
    assert sockets, "the crawl had open connections while it was checked"
    assert listening == set()
    assert second.returncode == 0
    assert "locked" in second.stderr
    assert first_status == 0, first.output[-2000:]
    outcomes = read(archive).sql("SELECT outcome FROM runs ORDER BY finished_at").fetchall()
    assert sorted(o for (o,) in outcomes) == ["locked", "ok"]
