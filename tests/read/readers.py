"""Each analyst's reader in its most natural form, reduced to rows per (site, year)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from mpcrawl.archive.fs import is_part_file
from mpcrawl.schemas import TABLES

Cells = Counter[tuple[str, int | None]]
NO_YEAR = None


def duckdb_cli() -> str:
    """The PyPI ``duckdb-cli`` client installed beside this Python."""
    found = shutil.which("duckdb", path=str(Path(sys.executable).parent))
    assert found, "the duckdb CLI (PyPI duckdb-cli, in the test extra) is not installed"
    return found


def _cells(sites: Iterable[Any], years: Iterable[Any] | None) -> Cells:
    sites = [str(s) for s in sites]
    if years is None:
        return Counter((s, NO_YEAR) for s in sites)
    return Counter((s, int(y)) for s, y in zip(sites, years, strict=True))


def _year(table: str) -> bool:
    return TABLES[table].by_year


def read_pandas(folder: Path, table: str) -> Cells:
    frame = pd.read_parquet(folder)
    return _cells(frame["site"], frame["year"] if _year(table) else None)


def read_polars(folder: Path, table: str) -> Cells:
    frame = pl.scan_parquet(folder, hive_partitioning=True).collect()
    return _cells(frame["site"].to_list(), frame["year"].to_list() if _year(table) else None)


def read_pq_table(folder: Path, table: str) -> Cells:
    data = pq.read_table(folder)
    return _cells(data["site"].to_pylist(), data["year"].to_pylist() if _year(table) else None)


def read_pa_dataset(folder: Path, table: str) -> Cells:
    data = ds.dataset(folder, partitioning="hive").to_table()
    return _cells(data["site"].to_pylist(), data["year"].to_pylist() if _year(table) else None)


def _duck_sql(folder: Path, table: str) -> str:
    year = "year" if _year(table) else "NULL"
    return (
        f"SELECT site, {year} AS year, count(*) AS n FROM read_parquet('{folder}/**/*.parquet', "
        "hive_partitioning = true) GROUP BY ALL"
    )


def read_duckdb(folder: Path, table: str) -> Cells:
    rows = duckdb.sql(_duck_sql(folder, table)).fetchall()
    return Counter({(s, None if y is None else int(y)): n for s, y, n in rows})


def read_duckdb_cli(folder: Path, table: str) -> Cells:
    result = subprocess.run(
        [duckdb_cli(), "-csv", "-c", _duck_sql(folder, table)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    nulls = ("", "NULL")
    return Counter(
        {(r["site"], None if r["year"] in nulls else int(r["year"])): int(r["n"]) for r in rows}
    )


def spark_reader(spark: Any) -> Callable[[Path, str], Cells]:
    def read_spark(folder: Path, table: str) -> Cells:
        frame = spark.read.parquet(str(folder))
        columns = ["site", "year"] if _year(table) else ["site"]
        rows = frame.select(*columns).collect()
        return _cells(
            (r["site"] for r in rows), [r["year"] for r in rows] if _year(table) else None
        )

    return read_spark


READERS: dict[str, Callable[[Path, str], Cells]] = {
    "pandas": read_pandas,
    "polars": read_polars,
    "pq.read_table": read_pq_table,
    "pyarrow.dataset": read_pa_dataset,
    "duckdb": read_duckdb,
    "duckdb-cli": read_duckdb_cli,
}


def from_folders(folder: Path) -> Cells:
    """Rows per (site, year) as the folder names and the files' row counts say."""
    cells: Cells = Counter()
    for path in folder.rglob("*.parquet"):
        if not is_part_file(path.name):
            continue
        parts = dict(p.split("=", 1) for p in path.relative_to(folder).parts[:-1])
        year = int(parts["year"]) if "year" in parts else None
        cells[(parts["site"], year)] += pq.read_metadata(path).num_rows
    return +cells


def from_view(con: duckdb.DuckDBPyConnection, table: str) -> Cells:
    year = "year" if _year(table) else "NULL"
    rows = con.sql(f"SELECT site, {year}, count(*) FROM {table}_files GROUP BY ALL").fetchall()
    return Counter({(s, None if y is None else int(y)): n for s, y, n in rows})
