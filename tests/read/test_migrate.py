"""An archive of mpcrawl 0.1 (``site`` in the files too) after ``scrapy compact``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mpcrawl.archive.fs import EMPTY_FILE, is_part_file
from mpcrawl.schemas import TABLES
from tests.crawl import read
from tests.read.readers import READERS, expected_cells, from_view
from tests.test_compact import run_compact


def to_old_layout(archive: Path) -> int:
    """Write the archive as mpcrawl 0.1 did: ``site`` first in every file, no empty tables."""
    rewritten = 0
    for path in archive.rglob("*.parquet"):
        if path.name == EMPTY_FILE:
            path.unlink()
            continue
        site = next(p for p in path.parts if p.startswith("site=")).removeprefix("site=")
        table = pq.read_table(path)
        table = table.add_column(0, "site", pa.array([site] * table.num_rows, pa.string()))
        pq.write_table(table, path)
        rewritten += 1
    for folder in list(archive.iterdir()):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return rewritten


def snapshot(archive: Path) -> dict[str, tuple[int, list[tuple[object, ...]]]]:
    """Rows and distinct keys of every table, through the views."""
    con = read(archive)
    out = {}
    for name, table in TABLES.items():
        key = ", ".join(table.key)
        rows = con.sql(f"SELECT count(*) FROM {name}_files").fetchall()[0][0]
        keys = con.sql(f"SELECT DISTINCT {key} FROM {name}_files ORDER BY ALL").fetchall()
        out[name] = (rows, keys)
    return out


@pytest.fixture(scope="module")
def migrated(wordpress_edited: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = tmp_path_factory.mktemp("old_layout") / "output"
    shutil.copytree(wordpress_edited, archive)
    assert to_old_layout(archive) > 0
    before = snapshot(archive)
    assert before == snapshot(wordpress_edited)  # the views read the old layout as it is
    result = run_compact(archive)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rewritten from the 0.1 layout" in result.stdout
    assert snapshot(archive) == before
    return archive


def test_no_file_holds_site_after_migration(migrated: Path) -> None:
    files = [p for p in migrated.rglob("*.parquet") if is_part_file(p.name)]
    assert files
    assert not [p for p in files if "site" in pq.read_schema(p).names]
    assert {t for t in TABLES if (migrated / t / EMPTY_FILE).exists()} == {
        t for t in TABLES if not from_view(read(migrated), t)
    }


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("reader", list(READERS))
def test_migrated_archive_reads_in_every_reader(migrated: Path, reader: str, table: str) -> None:
    assert READERS[reader](migrated / table, table) == expected_cells(migrated, table)
