"""Every table opens in every analyst's reader, with no option, from the first run on.

Three archives, each built once: the demo's first run (the sample site), the real
WordPress after an edit, a trash and a delete, and that archive after ``scrapy compact``.
Each cell: the reader's rows per (site, year) equal the view's and the folders'.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mpcrawl.schemas import TABLES
from tests.crawl import read
from tests.read.readers import READERS, expected_cells, from_view, spark_reader

ARCHIVES = ("first_run", "wordpress_edited", "compacted")


def _check(archive: Path, table: str, reader: Any) -> None:
    assert reader(archive / table, table) == expected_cells(archive, table)


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("reader", list(READERS))
@pytest.mark.parametrize("name", ARCHIVES)
def test_reader_opens_every_table(
    name: str, reader: str, table: str, request: pytest.FixtureRequest
) -> None:
    _check(request.getfixturevalue(name), table, READERS[reader])


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("name", ARCHIVES)
def test_spark_opens_every_table(
    name: str, table: str, spark: Any, request: pytest.FixtureRequest
) -> None:
    _check(request.getfixturevalue(name), table, spark_reader(spark))


def test_first_run_has_every_table(first_run: Path) -> None:
    """Tables with no rows yet (revisions without credentials, tombstones) are still there."""
    con = read(first_run)
    empty = [t for t in TABLES if not from_view(con, t)]
    assert {"revisions", "tombstones"} <= set(empty)
    for table in empty:
        assert [p.name for p in (first_run / table).iterdir()] == ["empty.parquet"]
