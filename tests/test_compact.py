"""``scrapy compact``: one sorted file per partition, every row kept, safe to kill."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from mpcrawl.archive.fs import ArchiveLocation, is_part_file
from mpcrawl.archive.locks import SiteLocks
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.sample.server import SampleSite
from tests.crawl import read, scalar
from tests.inprocess import command, crawl
from tests.shared import REPO

START = datetime(2023, 1, 1, tzinfo=UTC)
VERSION_KEYS = "SELECT site, post_type, id, modified_gmt FROM posts_files"


def write_runs(archive: Path, sites: list[str], runs: int, posts: int) -> None:
    """``runs`` crawls' worth of part files: each run edits every post of every site."""
    location = ArchiveLocation.parse(str(archive))
    for run in range(runs):
        writer = ArchiveWriter(location, f"run{run}", batch_rows=500)
        for site in sites:
            for post_id in range(posts, 0, -1):  # newest first, as a crawl walks
                date = START + timedelta(days=post_id)
                writer.write(
                    "posts",
                    {
                        "site": site,
                        "post_type": "post",
                        "id": post_id,
                        "date_gmt": date,
                        "modified_gmt": date + timedelta(days=run),
                        "title": f"post {post_id} edit {run}",
                        "content_html": f"<p>{'words ' * 50}{post_id}</p>",
                        "fetched_at": START + timedelta(days=1000 + run),
                        "run_id": f"run{run}",
                    },
                    date.year,
                )
            writer.write(
                "runs",
                {"run_id": f"run{run}", "site": site, "outcome": "ok", "requests": 3},
            )
        writer.close()


def compact_command(archive: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "compact", "-s", f"MPCRAWL_ARCHIVE={archive}", *args]


def run_compact(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        compact_command(archive, *args),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def compact(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``scrapy compact`` in this process (:func:`tests.inprocess.command`): what it prints
    and exits with; :func:`test_compact_merges_each_partition_into_one_sorted_file` runs the
    command as a process."""
    done = command("compact", "-s", f"MPCRAWL_ARCHIVE={archive}", *args)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


def visible_files(archive: Path) -> list[Path]:
    """The part files readers see (not temporary files, not an empty table's placeholder)."""
    return sorted(p for p in archive.rglob("*.parquet") if is_part_file(p.name))


def keys(archive: Path, sql: str = VERSION_KEYS) -> list[tuple[object, ...]]:
    """The rows of ``sql``, in DuckDB's order of all columns (cheaper than Python's)."""
    return read(archive).sql(f"{sql} ORDER BY ALL").fetchall()


def test_compact_merges_each_partition_into_one_sorted_file(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    write_runs(archive, ["a.example", "b.example_8080"], runs=4, posts=700)
    before_files = visible_files(archive)
    before = keys(archive)
    latest = keys(archive, "SELECT site, id, title FROM posts_latest")

    result = run_compact(archive, "--row-group-rows", "1000")

    assert result.returncode == 0, result.stderr[-3000:]
    assert "compacted" in result.stdout
    after_files = visible_files(archive)
    folders = {p.parent for p in before_files}
    assert {p.parent for p in after_files} == folders
    assert len(after_files) == len(folders) < len(before_files)
    assert keys(archive) == before  # rows before = rows after, duplicates and all
    assert keys(archive, "SELECT site, id, title FROM posts_latest") == latest
    for path in after_files:
        if "/posts/" not in str(path):
            continue
        table = pq.read_table(path)
        assert "site" not in table.column_names  # the folder holds it
        rows = list(zip(*(table[c].to_pylist() for c in ("post_type", "id")), strict=True))
        rows_mod = table["modified_gmt"].to_pylist()
        assert list(zip(rows, rows_mod, strict=True)) == sorted(zip(rows, rows_mod, strict=True))
        groups = pq.ParquetFile(path).metadata
        assert all(groups.row_group(i).num_rows <= 1000 for i in range(groups.num_row_groups))
    # pyarrow reads the whole dataset too, with the same number of rows.
    assert ds.dataset(archive / "posts", partitioning="hive").count_rows() == len(before)


def test_compact_after_a_real_crawl_keeps_what_readers_see(
    sample_site: SampleSite, archive: Path
) -> None:
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    sample_site.edit_post(sample_site.post_ids()[0], content="<p>Edited after the first run.</p>")
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    con = read(archive)
    before = {
        view: sorted(map(repr, con.sql(f"SELECT * FROM {view}").fetchall()))
        for view in ("posts", "runs", "terms", "authors", "media")
    }
    versions = scalar(con, "SELECT count(*) FROM post_versions")

    result = compact(archive)

    assert result.returncode == 0, result.stderr[-3000:]
    con = read(archive)
    for view, rows in before.items():
        assert sorted(map(repr, con.sql(f"SELECT * FROM {view}").fetchall())) == rows, view
    assert scalar(con, "SELECT count(*) FROM post_versions") == versions
    # The next crawl reads its state from the compacted files and finds nothing new.
    again = crawl(archive, f"site={sample_site.url}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert scalar(read(archive), "SELECT count(*) FROM post_versions") == versions


def test_compact_leaves_a_site_that_a_crawl_holds(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    write_runs(archive, ["a.example", "b.example"], runs=2, posts=50)
    locks = SiteLocks(ArchiveLocation.parse(str(archive)), "crawl-running")
    locks.acquire("a.example")
    a_files = sorted((archive / "posts" / "site=a.example").rglob("*.parquet"))

    result = compact(archive)

    assert result.returncode == 1
    assert "skipped (locked by a running crawl): a.example" in result.stdout
    assert sorted((archive / "posts" / "site=a.example").rglob("*.parquet")) == a_files
    assert len(list((archive / "posts" / "site=b.example").rglob("*.parquet"))) == 1
    locks.release_all()


def test_compact_names_the_sites_it_holds_for_an_unknown_one(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    write_runs(archive, ["a.example", "b.example"], runs=2, posts=5)
    files = visible_files(archive)
    for wrong, hint in (("c.example", ""), ("https://a.example/", "not a URL")):
        result = compact(archive, wrong)
        assert result.returncode == 2, result.stdout + result.stderr
        message = result.stderr.strip().splitlines()[-1]
        assert f"unknown site {wrong}" in message and hint in message
        assert "holds: a.example, b.example" in message
    assert visible_files(archive) == files


def test_a_compaction_killed_before_deleting_its_sources_is_finished_next_time(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    write_runs(archive, ["a.example"], runs=3, posts=400)
    before = keys(archive)
    saved = tmp_path / "saved"
    shutil.copytree(archive, saved)
    assert compact(archive).returncode == 0
    # The state a kill between the rename and the deletes leaves: old and new side by side.
    for path in visible_files(saved):
        target = archive / path.relative_to(saved)
        if not target.exists():
            shutil.copy2(path, target)

    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM posts_files") == 2 * len(before)
    assert scalar(con, "SELECT count(*) FROM posts") == len(set(before))  # views dedupe

    result = compact(archive)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "leftover files of an interrupted run removed" in result.stdout
    assert keys(archive) == before


def test_sigkill_midway_leaves_a_readable_archive_with_every_version(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    sites = [f"s{n}.example" for n in range(12)]
    write_runs(archive, sites, runs=3, posts=1500)
    before = keys(archive)
    process = subprocess.Popen(
        compact_command(archive),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        done = list(archive.rglob("part-compact-*.parquet"))
        if len(done) >= 3:  # some partitions compacted, most not yet
            break
        time.sleep(0.005)
    assert process.poll() is None, "compaction ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    assert ds.dataset(archive / "posts", partitioning="hive").count_rows() >= len(before)
    con = read(archive)
    distinct = VERSION_KEYS.replace("SELECT ", "SELECT DISTINCT ", 1)
    assert keys(archive, distinct) == list(dict.fromkeys(before))  # both in DuckDB's order
    assert scalar(con, "SELECT count(*) FROM posts") == len(set(before))
    assert pq.read_table(next(iter(archive.rglob("part-compact-*.parquet")))).num_rows > 0

    lock_files = list((archive / "_locks").glob("*.lock"))
    assert lock_files, "the killed run's lock stays until a live run takes it over"
    result = compact(archive)
    assert result.returncode == 0, result.stderr[-3000:]
    assert keys(archive) == before
    assert not [p for p in archive.rglob(".*") if p.is_file()]
