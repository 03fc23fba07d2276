"""Each analyst's reader in its most natural form, reduced to rows per (site, year)."""

from __future__ import annotations

import csv
import functools
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
from mpcrawl.read import connect
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
    """The CLI's rows for one table, from one CLI run over every table of the archive."""
    return _duckdb_cli_cells(folder.parent)[table]


@functools.cache
def _duckdb_cli_cells(archive: Path) -> dict[str, Cells]:
    """One ``duckdb -csv`` process reading every table's folder (one query each)."""
    script = "".join(
        f"SELECT '{table}' AS tbl, * FROM ({_duck_sql(archive / table, table)});\n"
        for table in TABLES
    )
    result = subprocess.run(
        [duckdb_cli(), "-csv", "-noheader"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    cells: dict[str, Cells] = {table: Counter() for table in TABLES}
    for table, site, year, n in csv.reader(io.StringIO(result.stdout)):
        cells[table][(site, None if year in ("", "NULL") else int(year))] = int(n)
    return cells


def spark_reader(spark: Any) -> Callable[[Path, str], Cells]:
    """Spark's rows for one table, from one Spark job over every table of the archive."""

    def read_spark(folder: Path, table: str) -> Cells:
        return _spark_cells(spark, folder.parent)[table]

    return read_spark


@functools.cache
def _spark_cells(spark: Any, archive: Path) -> dict[str, Cells]:
    """``spark.read.parquet(folder)`` of each table, their (site, year) columns in one union."""
    from pyspark.sql import functions as f

    frames = [
        spark.read.parquet(str(archive / table)).select(
            f.lit(table).alias("tbl"),
            f.col("site").cast("string").alias("site"),
            (f.col("year") if _year(table) else f.lit(None)).cast("int").alias("year"),
        )
        for table in TABLES
    ]
    union = functools.reduce(lambda a, b: a.unionByName(b), frames)
    cells: dict[str, Cells] = {table: Counter() for table in TABLES}
    for row in union.collect():
        cells[row["tbl"]][(row["site"], row["year"])] += 1
    return cells


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


@functools.cache
def expected_cells(archive: Path, table: str) -> Cells:
    """Rows per (site, year) of one table as the view says, checked against the folders.

    Built archives are not changed afterwards: each is read once per table, not per reader.
    """
    cells = from_view(_connection(archive), table)
    assert from_folders(archive / table) == cells
    return cells


@functools.cache
def _connection(archive: Path) -> duckdb.DuckDBPyConnection:
    return connect(str(archive))
