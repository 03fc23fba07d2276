"""Night after night: a site's partition folders stay small, and every version stays once.

At the end of each site's run, under its lock, the crawl merges the small part files of
any partition folder holding more than ``MPCRAWL_COMPACT_AFTER`` of them, so nobody has
to remember ``scrapy compact``.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mpcrawl.archive.compact import compact_partition, compact_small_files
from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.sample.server import SampleSite
from mpcrawl.schemas import TABLES
from tests.crawl import read
from tests.inprocess import crawl

START = datetime(2024, 1, 1, tzinfo=UTC)
VERSIONS = (
    "SELECT post_type, id, strftime(modified_gmt AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S') "
    "FROM posts_files WHERE post_type = 'post'"
)


def part_files(archive: Path) -> dict[Path, list[Path]]:
    """Visible part files by partition folder."""
    folders: dict[Path, list[Path]] = {}
    for path in archive.rglob("part-*.parquet"):
        folders.setdefault(path.parent, []).append(path)
    return folders


def served_versions(site: SampleSite, ids: list[int]) -> set[tuple[str, int, str]]:
    """The (type, id, modified_gmt) the site serves now."""
    versions = set()
    for pid in ids:
        post = site.get_post(pid)
        assert post is not None
        versions.add(("post", pid, post["modified_gmt"]))
    return versions


def test_after_many_runs_no_folder_holds_more_than_the_bound(tmp_path: Path) -> None:
    archive, bound, nights = tmp_path / "archive", 2, 5
    with SampleSite(posts=40) as site:
        ids = list(range(1, 41))
        seen = served_versions(site, ids)
        for night in range(nights):
            if night:
                site.edit_post(night, content=f"<p>Corrected on night {night}.</p>")
                ids.append(site.add_post(title=f"Night {night}"))
                seen |= served_versions(site, ids)
            result = crawl(archive, f"site={site.url}", MPCRAWL_COMPACT_AFTER=str(bound))
            assert result.returncode == 0, result.stderr[-3000:]
            fullest = max(part_files(archive).values(), key=len)
            assert len(fullest) <= bound, fullest
    con = read(archive)
    archived = con.sql(VERSIONS).fetchall()
    assert len(archived) == len(set(archived))  # once
    assert set(archived) == seen  # every version: the 40 first, 4 edits, 4 new posts
    runs = con.sql("SELECT run_id FROM runs_files").fetchall()
    assert len(runs) == len(set(runs)) == nights


def write_nights(location: ArchiveLocation, site: str, nights: int, first: int = 0) -> None:
    """``nights`` runs' worth of files: each adds a version of post 1 and a runs row."""
    for night in range(first, first + nights):
        writer = ArchiveWriter(location, f"night{night}")
        writer.write(
            "posts",
            {
                "site": site,
                "post_type": "post",
                "id": 1,
                "date_gmt": START,
                "modified_gmt": START + timedelta(days=night),
                "title": f"edit {night}",
                "fetched_at": START + timedelta(days=night),
                "run_id": f"night{night}",
            },
            START.year,
        )
        writer.write("runs", {"run_id": f"night{night}", "site": site, "outcome": "ok"})
        writer.close()


def test_large_files_are_left_as_they_are(tmp_path: Path) -> None:
    location = ArchiveLocation.parse(str(tmp_path))
    write_nights(location, "example.org", 5)
    runs = tmp_path / "runs" / "site=example.org"
    sizes = sorted(p.stat().st_size for p in runs.glob("part-*.parquet"))
    report = compact_small_files(location, "example.org", "tidy", max_files=2, small_bytes=sizes[0])
    assert report.partitions == 0  # no file is below small_bytes
    report = compact_small_files(location, "example.org", "tidy", max_files=2)
    assert report.partitions == 2 and report.files_before == 10 and report.files_after == 2
    assert [len(files) for files in part_files(tmp_path).values()] == [1, 1]


def test_a_merge_killed_after_its_rename_is_finished_by_the_next_pass(tmp_path: Path) -> None:
    """A kill between the rename and the deletes leaves the sources beside the merged file."""
    location = ArchiveLocation.parse(str(tmp_path))
    write_nights(location, "example.org", 3)
    folder = tmp_path / "runs" / "site=example.org"
    sources = sorted(folder.glob("part-*.parquet"))
    kept = tmp_path / "kept"
    kept.mkdir()
    for path in sources:
        shutil.copy2(path, kept / path.name)
    compact_partition(location, TABLES["runs"], str(folder), [str(p) for p in sources], "killed")
    for path in sources:  # the deletes never happened
        shutil.copy2(kept / path.name, path)
    assert len(read(tmp_path).sql("SELECT * FROM runs_files").fetchall()) == 6  # twice, not lost
    write_nights(location, "example.org", 1, first=3)
    report = compact_small_files(location, "example.org", "next", max_files=4)
    assert report.leftovers_removed == 3
    rows = read(tmp_path).sql("SELECT run_id FROM runs_files").fetchall()
    assert sorted(rows) == [(f"night{n}",) for n in range(4)]


@pytest.mark.parametrize("bound", [1, 3])
def test_every_row_once_under_any_bound(tmp_path: Path, bound: int) -> None:
    location = ArchiveLocation.parse(str(tmp_path))
    for night in range(8):
        write_nights(location, "example.org", 1, first=night)
        compact_small_files(location, "example.org", f"pass{night}", max_files=bound)
        assert max(len(f) for f in part_files(tmp_path).values()) <= bound
    con = read(tmp_path)
    assert sorted(con.sql("SELECT run_id FROM runs_files").fetchall()) == [
        (f"night{n}",) for n in range(8)
    ]
    modified = con.sql("SELECT modified_gmt FROM posts_files").fetchall()
    assert len(modified) == len(set(modified)) == 8
