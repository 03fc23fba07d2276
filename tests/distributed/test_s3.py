"""An archive on object storage (moto's S3 server): crawl, read back, locks, fanout."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks import SiteLocked, site_locks
from mpcrawl.archive.locks.s3 import S3SiteLocks
from mpcrawl.read import connect
from mpcrawl.sample.server import SampleSite
from tests.crawl import read
from tests.distributed.conftest import S3, Node
from tests.distributed.helpers import (
    fanout,
    kill_when_stalled,
    site_list,
    sites_in_shards,
    version_keys,
)
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import crawl


def no_temp_objects(keys: list[str]) -> bool:
    names = [key.rsplit("/", 1)[-1] for key in keys]
    return not [n for n in names if n.startswith(".") or n.endswith(".tmp") or not n]


def test_a_crawl_into_s3_reads_back_like_a_local_one(
    s3: S3, sample_site: SampleSite, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    uri = s3.archive(bucket)
    result = crawl(uri, f"site={sample_site.url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert crawl(tmp_path / "local", f"site={sample_site.url}").returncode == 0
    con, local = connect(uri), read(tmp_path / "local")
    assert version_keys(con) == version_keys(local)
    query = (
        "SELECT id, title, category_names, embed_count, turn_count FROM posts_latest ORDER BY id"
    )
    assert con.sql(query).fetchall() == local.sql(query).fetchall()
    keys = s3.keys(bucket)
    assert no_temp_objects(keys), keys
    assert not [k for k in keys if "/_locks/" in k]  # released
    assert all(k.startswith("archive/") for k in keys)

    # The next run reads the archive's state from S3 and adds only its run and site records.
    sample_site.reset_requests()
    again = crawl(uri, f"site={sample_site.url}")
    assert again.returncode == 0, again.stderr[-3000:]
    added = {key.split("/")[1] for key in set(s3.keys(bucket)) - set(keys)}
    assert added == {"runs", "sites"}
    runs = connect(uri).sql("SELECT posts_new, posts_unchanged FROM runs ORDER BY finished_at")
    first, second = runs.fetchall()
    assert second == (0, first[0])
    sweeps = [r for r in sample_site.requests if "wp/v2/posts" in r]
    assert sweeps and all("_fields=id" in r for r in sweeps)


def test_locks_on_s3_admit_one_run_at_a_time(s3: S3) -> None:
    location = ArchiveLocation.parse(s3.archive(s3.new_bucket()))
    first, second = site_locks(location, "run-a"), site_locks(location, "run-b")
    assert isinstance(first, S3SiteLocks)
    barrier = threading.Barrier(2)
    won: list[str] = []
    refused: list[str] = []

    def take(locks: S3SiteLocks) -> None:
        barrier.wait()
        try:
            locks.acquire("example.org")
            won.append(locks.run_id)
        except SiteLocked as exc:
            refused.append(str(exc))

    for _ in range(5):
        won.clear()
        refused.clear()
        threads = [threading.Thread(target=take, args=(x,)) for x in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1 and len(refused) == 1, (won, refused)
        assert "example.org is being crawled by run run-" in refused[0]
        for locks in (first, second):
            locks.release_all()
    first.acquire("example.org")
    with pytest.raises(SiteLocked):
        second.acquire("example.org")
    first.release("example.org")
    second.acquire("example.org")
    second.release("example.org")


def test_a_stale_s3_lock_is_taken_over_once(s3: S3) -> None:
    location = ArchiveLocation.parse(s3.archive(s3.new_bucket()))
    holder = S3SiteLocks(location, "run-old")
    holder.acquire("example.org")
    fresh = S3SiteLocks(location, "run-new")  # 6 hours: the old lock is not stale yet
    with pytest.raises(SiteLocked, match="run-old"):
        fresh.acquire("example.org")
    # The old lock ages past the racers' limit; the winner's new lock is then fresh to
    # the loser (a limit of 0 would make every lock stale at once, and both would win).
    time.sleep(2.5)
    racers = [S3SiteLocks(location, f"run-{n}", stale_after=2) for n in range(2)]
    barrier = threading.Barrier(len(racers))
    outcomes: list[bool] = []

    def take(locks: S3SiteLocks) -> None:
        barrier.wait()
        try:
            locks.acquire("example.org")
            outcomes.append(True)
        except SiteLocked:
            outcomes.append(False)

    threads = [threading.Thread(target=take, args=(r,)) for r in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    # The old holder's release leaves the new holder's lock alone.
    holder.release("example.org")
    with pytest.raises(SiteLocked):
        fresh.acquire("example.org")
    for racer in racers:
        racer.release_all()
    fresh.acquire("example.org")
    fresh.release_all()


def test_s3_locks_of_the_longest_host_and_a_broken_body(s3: S3) -> None:
    bucket = s3.new_bucket()
    location = ArchiveLocation.parse(s3.archive(bucket))
    host = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    run = S3SiteLocks(location, "run-long")
    run.acquire(host)
    (key,) = [k for k in s3.keys(bucket) if "/_locks/" in k]
    assert len(key.rsplit("/", 1)[1]) <= 130
    with pytest.raises(SiteLocked, match="run-long"):
        S3SiteLocks(location, "other").acquire(host)
    run.release_all()
    assert not [k for k in s3.keys(bucket) if "/_locks/" in k]

    s3.client().put_object(Bucket=bucket, Key=run.key("e.org"), Body=b"{")
    with pytest.raises(SiteLocked, match=r"e\.org is being crawled by another run"):
        S3SiteLocks(location, "new").acquire("e.org")
    time.sleep(1.5)
    S3SiteLocks(location, "new", stale_after=1).acquire("e.org")


def test_fanout_into_one_s3_archive(nodes: list[Node], s3: S3, tmp_path: Path) -> None:
    bucket = s3.new_bucket()
    uri = s3.archive(bucket)
    with sites_in_shards(2) as sites:
        listed = site_list(tmp_path / "sites.csv", [s.url for s in sites])
        urls = ",".join(n.url for n in nodes)
        result = fanout(
            "--nodes", urls, "--wait", "--poll", "0.2", "-a", f"sites={listed}", MPCRAWL_ARCHIVE=uri
        )
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert crawl(tmp_path / "single", f"sites={listed}").returncode == 0
    keys = version_keys(connect(uri))
    assert keys == version_keys(read(tmp_path / "single"))
    assert len(keys) == len(set(keys))
    assert result.stdout.count(": 1 ok") == 2
    assert no_temp_objects(s3.keys(bucket))


def test_a_job_killed_while_writing_to_s3_leaves_nothing_half_written(
    nodes: list[Node], s3: S3, tmp_path: Path
) -> None:
    bucket = s3.new_bucket()
    uri = s3.archive(bucket)
    stall = Rule(match="wp/v2/posts&per_page=100&page=3", delay=30, times=1)
    with sites_in_shards(1) as (sample,), FaultProxy(sample.url, [stall]) as proxy:
        listed = site_list(tmp_path / "sites.csv", [proxy.url])
        args = ("--nodes", nodes[1].url, "-a", f"sites={listed}")
        first = fanout(*args, MPCRAWL_ARCHIVE=uri, MPCRAWL_BATCH_ROWS="50")
        assert first.returncode == 0, first.stdout + first.stderr[-3000:]
        kill_when_stalled(nodes[1], proxy, stall, first.stdout)
        # 200 posts were written in row groups, but no object appears before its upload
        # completes: only the dead job's lock is there, and the archive reads as empty.
        site = f"127.0.0.1_{proxy.url.rsplit(':', 1)[1]}"
        assert s3.keys(bucket) == [f"archive/_locks/{site}.lock"]
        assert connect(uri).sql("SELECT count(*) FROM posts").fetchall() == [(0,)]

        again = fanout(*args, "--wait", "--poll", "0.2", MPCRAWL_ARCHIVE=uri)
        assert again.returncode == 0, again.stdout + again.stderr[-3000:]
        assert "1 ok" in again.stdout
    con = connect(uri)
    assert con.sql("SELECT count(*) FROM posts WHERE post_type = 'post'").fetchall() == [
        (sample.total_posts,)
    ]
    keys = s3.keys(bucket)
    assert no_temp_objects(keys)
    assert not [k for k in keys if "/_locks/" in k]
