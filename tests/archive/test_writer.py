import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.state import load_site_state, micros
from mpcrawl.archive.writer import ArchiveError, ArchiveWriter, publish, remove_temp_files
from mpcrawl.read import connect
from mpcrawl.schemas import TABLES
from mpcrawl.wp.sitename import BadSiteURL

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def post(i: int, year: int = 2024) -> dict[str, object]:
    return {
        "site": "e.org",
        "post_type": "post",
        "id": i,
        "title": f"Post {i}",
        "date_gmt": datetime(year, 5, 1, tzinfo=UTC),
        "modified_gmt": datetime(year, 5, 2, tzinfo=UTC),
        "category_ids": [1, 2],
        "fetched_at": NOW,
        "run_id": "r1",
    }


def test_partitions_are_hive_style_and_read_back(tmp_path: Path) -> None:
    writer = ArchiveWriter(ArchiveLocation.parse(str(tmp_path)), "r1", batch_rows=7)
    for i in range(50):
        year = 2023 + i % 2
        writer.write("posts", post(i, year), year)
    writer.close()
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("part-*.parquet"))
    assert files == [
        f"posts/site=e.org/year=2023/part-r1-{writer.token}-0.parquet",
        f"posts/site=e.org/year=2024/part-r1-{writer.token}-1.parquet",
    ]
    # The partition columns are in the folder names only, as Spark and write_dataset do.
    assert "site" not in pq.read_schema(tmp_path / files[0]).names
    # Every other table is an empty file of its whole schema until it has rows.
    assert not (tmp_path / "posts" / "empty.parquet").exists()
    empty = pq.read_table(tmp_path / "runs" / "empty.parquet")
    assert (empty.num_rows, empty.schema) == (0, TABLES["runs"].read_schema)
    table = ds.dataset(tmp_path / "posts", partitioning="hive").to_table()
    assert table.num_rows == 50
    assert pq.read_metadata(tmp_path / files[1]).num_row_groups == 4  # 25 rows, batches of 7
    con = duckdb.connect()
    rows = con.sql(
        f"SELECT site, year, count(*) FROM read_parquet('{tmp_path}/posts/**/*.parquet', "
        "hive_partitioning=true, union_by_name=true) GROUP BY ALL ORDER BY year"
    ).fetchall()
    assert rows == [("e.org", 2023, 25), ("e.org", 2024, 25)]


def test_unfinished_files_are_invisible_and_removed(tmp_path: Path) -> None:
    location = ArchiveLocation.parse(str(tmp_path))
    writer = ArchiveWriter(location, "r1", batch_rows=5)
    for i in range(12):
        writer.write("posts", post(i), 2024)
    # A killed run leaves its temporary file: readers must not see it.
    temp = list(tmp_path.rglob(".part-*"))
    assert len(temp) == 1 and temp[0].name.endswith(".tmp")
    assert not list(tmp_path.rglob("part-*.parquet"))
    assert connect(str(tmp_path)).sql("SELECT count(*) FROM posts").fetchall() == [(0,)]
    assert load_site_state(location, "e.org").empty
    assert remove_temp_files(location, "e.org") == 1
    assert not list(tmp_path.rglob(".part-*"))


def test_state_reads_version_keys(tmp_path: Path) -> None:
    location = ArchiveLocation.parse(str(tmp_path))
    writer = ArchiveWriter(location, "r1")
    for i in range(3):
        writer.write("posts", post(i), 2024)
    writer.close()
    state = load_site_state(location, "e.org")
    modified = micros(datetime(2024, 5, 2, tzinfo=UTC))
    assert set(state.versions()) == {("post", i, modified) for i in range(3)}
    assert state.ids("post") == {0, 1, 2}


def test_hostile_site_cannot_leave_the_archive(tmp_path: Path) -> None:
    writer = ArchiveWriter(ArchiveLocation.parse(str(tmp_path / "a")), "r1")
    for site in ("../../etc", "a/b", "x\x00y", ""):
        with pytest.raises(BadSiteURL):
            writer.write("posts", {**post(1), "site": site}, 2024)
    writer.close()
    assert not list(tmp_path.rglob("part-*.parquet"))
    assert {p.parent.parent for p in tmp_path.rglob("*.parquet")} == {tmp_path / "a"}


def test_publish_never_replaces_an_existing_file(tmp_path: Path) -> None:
    theirs, mine = tmp_path / "part-r1-x-0.parquet", tmp_path / ".part-r1-x-0.parquet.tmp"
    theirs.write_bytes(b"an earlier run's rows")
    mine.write_bytes(b"this run's rows")
    with pytest.raises(FileExistsError):
        publish(str(mine), str(theirs))
    assert theirs.read_bytes() == b"an earlier run's rows"
    assert mine.read_bytes() == b"this run's rows"
    publish(str(mine), str(tmp_path / "part-r1-y-0.parquet"))
    assert not mine.exists()
    assert (tmp_path / "part-r1-y-0.parquet").read_bytes() == b"this run's rows"


def test_two_runs_with_one_run_id_keep_each_others_files(tmp_path: Path) -> None:
    location = ArchiveLocation.parse(str(tmp_path))
    for first in (0, 100):
        writer = ArchiveWriter(location, "nightly")
        for i in range(first, first + 30):
            writer.write("posts", post(i), 2024)
        writer.write("runs", {"run_id": "nightly", "site": "e.org", "outcome": "ok"})
        writer.close()
    posts = ds.dataset(tmp_path / "posts", partitioning="hive").to_table()
    assert sorted(posts["id"].to_pylist()) == [*range(30), *range(100, 130)]
    assert ds.dataset(tmp_path / "runs", partitioning="hive").count_rows() == 2
    assert len(list((tmp_path / "posts").rglob("part-nightly-*.parquet"))) == 2


def test_a_file_is_synced_before_it_is_linked_and_its_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd: int) -> None:
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def link(src: str, dst: str) -> None:
        calls.append(("link", dst))
        real_link(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    writer = ArchiveWriter(ArchiveLocation.parse(str(tmp_path)), "r1")
    writer.write("posts", post(1), 2024)
    writer.close()
    (final,) = (tmp_path / "posts").rglob("*.parquet")
    folder = final.parent
    assert calls[:3] == [  # then the empty files of the other tables, the same way
        ("fsync", str(folder / f".{final.name}.tmp")),
        ("link", str(final)),
        ("fsync", str(folder)),
    ]


def test_names_stay_within_a_file_name_whatever_the_run_id_and_site(tmp_path: Path) -> None:
    writer = ArchiveWriter(ArchiveLocation.parse(str(tmp_path)), "r" * 253)
    writer.write("posts", post(1), 2024)
    writer.close()
    (final,) = (tmp_path / "posts").rglob("*.parquet")
    assert len(final.name) <= 100
    long_site = ".".join(["a" * 63] * 3 + ["b" * 61])  # a valid 253-character host
    with pytest.raises(ArchiveError, match="253 characters is too long for a partition folder"):
        writer.write("posts", {**post(2), "site": long_site}, 2024)


def test_a_failed_site_drops_its_unfinished_files_and_others_go_on(tmp_path: Path) -> None:
    location = ArchiveLocation.parse(str(tmp_path))
    writer = ArchiveWriter(location, "r1", batch_rows=2)
    for i in range(3):
        writer.write("embeds", {"site": "a.org", "post_id": i, "run_id": "r1"}, 2024)
        writer.write("posts", {**post(i), "site": "b.org"}, 2024)
    (tmp_path / "posts" / "site=a.org").write_text("a file where a folder must go")
    with pytest.raises(ArchiveError, match=r"site=a\.org"):
        for i in range(2):
            writer.write("posts", {**post(i), "site": "a.org"}, 2024)
    assert list((tmp_path / "embeds" / "site=a.org").rglob(".part-*")) == []
    with pytest.raises(ArchiveError, match=r"site=a\.org"):
        writer.write("runs", {"run_id": "r1", "site": "a.org", "outcome": "ok"})
    writer.close()
    assert not list(tmp_path.rglob(".part-*"))
    assert list((tmp_path / "embeds").rglob("*.parquet")) == []
    b_posts = ds.dataset(tmp_path / "posts" / "site=b.org", partitioning="hive").to_table()
    assert sorted(b_posts["id"].to_pylist()) == [0, 1, 2]


def test_page_html_counts_toward_the_buffer_bound(tmp_path: Path) -> None:
    """Pages of 8 MB (a short article in a big page) are written as the buffer bound is
    reached, not held to the site's end: 30 of them once held 1,462 MB."""
    writer = ArchiveWriter(ArchiveLocation.parse(str(tmp_path)), "r1")
    page = b"<p>" + b"x" * 8_000_000 + b"</p>"
    for i in range(6):
        row = {
            "site": "e.org",
            "source": "sitemap",
            "url": f"https://e.org/news/{i}",
            "raw_html": page,
            "content_html": "<p>A short article.</p>",
            "version_sha256": f"{i:064x}",
            "fetched_at": NOW,
            "run_id": "r1",
        }
        writer.write("web_pages", row, 2026)
    temp = [p for p in tmp_path.rglob(".part-*.tmp") if "web_pages" in p.parts]
    assert len(temp) == 1 and temp[0].stat().st_size > 0  # rows written before the end
    (held,) = (p for k, p in writer._open.items() if k[0] == "web_pages")
    assert held.buffered_bytes < writer.batch_bytes and len(held.rows) <= 1
    writer.close()
    assert connect(str(tmp_path)).sql("SELECT count(*) FROM web_pages").fetchall() == [(6,)]
