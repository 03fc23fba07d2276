from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.state import load_site_state, micros
from mpcrawl.archive.writer import ArchiveWriter, remove_temp_files
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
        "posts/site=e.org/year=2023/part-r1-0.parquet",
        "posts/site=e.org/year=2024/part-r1-1.parquet",
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
