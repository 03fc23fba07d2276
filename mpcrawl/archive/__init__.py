"""Reading the archive: DuckDB views over the Parquet tables.

A local archive is read by DuckDB's ``read_parquet``; one on object storage through
pyarrow datasets registered with the connection (the file list is taken at connect time).

>>> import tempfile
>>> con = connect(tempfile.mkdtemp())
>>> con.sql("SELECT count(*) FROM posts_latest").fetchall()
[(0,)]
"""

from __future__ import annotations

import re
from importlib import resources

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.schemas import TABLES

_FILES_VIEW = re.compile(r"CREATE OR REPLACE VIEW (\w+)_files AS .*")


def views_sql() -> str:
    """The SQL file that defines every view (also for the DuckDB CLI's ``.read``)."""
    return resources.files("mpcrawl").joinpath("sql/views.sql").read_text(encoding="utf-8")


def _duck_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "TIMESTAMPTZ" if arrow_type.tz else "TIMESTAMP"
    if pa.types.is_list(arrow_type):
        return _duck_type(arrow_type.value_type) + "[]"
    if pa.types.is_map(arrow_type):
        return "MAP(VARCHAR, VARCHAR)"
    if pa.types.is_struct(arrow_type):
        fields = ", ".join(f"{f.name} {_duck_type(f.type)}" for f in arrow_type)
        return f"STRUCT({fields})"
    return {
        pa.string(): "VARCHAR",
        pa.int64(): "BIGINT",
        pa.int32(): "INTEGER",
        pa.bool_(): "BOOLEAN",
        pa.binary(): "BLOB",
    }[arrow_type]


def _empty_view(table: str) -> str:
    """A typed, empty stand-in for a table that has no file yet."""
    schema = TABLES[table].schema
    columns = ", ".join(f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in schema)
    year = ", CAST(NULL AS BIGINT) AS year" if TABLES[table].by_year else ""
    return f"CREATE OR REPLACE VIEW {table}_files AS SELECT {columns}{year} WHERE false"


def _parquet_files(location: ArchiveLocation, table: str) -> list[str]:
    return [
        info.path
        for info in location.files(table)
        if info.base_name.endswith(".parquet") and not info.base_name.startswith(".")
    ]


def _dataset(location: ArchiveLocation, table: str, files: list[str]) -> ds.Dataset:
    """A table's files on object storage as a pyarrow dataset, for DuckDB to scan.

    DuckDB reads ``s3://`` only through its httpfs extension, which is downloaded on
    first use (impossible offline) and configured apart from pyarrow; a pyarrow dataset
    reuses the archive's own filesystem, endpoint and credentials.
    """
    spec = TABLES[table]
    fields = list(spec.schema)
    if spec.by_year:
        fields.append(pa.field("year", pa.int64()))
    return ds.dataset(
        files,
        schema=pa.schema(fields),
        format="parquet",
        filesystem=location.filesystem,
        partitioning=ds.partitioning(pa.schema([("year", pa.int64())]), flavor="hive"),
        partition_base_dir=location.path(table),
    )


def connect(path: str = "output", database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the archive's views (``posts_latest`` and friends)."""
    location = ArchiveLocation.parse(path)
    con = duckdb.connect(database)
    if location.is_local:
        con.execute("SET VARIABLE archive = ?", [location.root])
    else:
        con.execute("SET VARIABLE archive = ?", [location.uri.rstrip("/")])
    for statement in views_sql().split(";\n"):
        statement = "\n".join(
            line for line in statement.splitlines() if not line.startswith("--")
        ).strip()
        if not statement:
            continue
        match = _FILES_VIEW.match(statement)
        if match:
            table = match.group(1)
            files = _parquet_files(location, table)
            if not files:
                statement = _empty_view(table)
            elif not location.is_local:
                con.register(f"{table}_dataset", _dataset(location, table, files))
                statement = f"CREATE OR REPLACE VIEW {table}_files AS SELECT * FROM {table}_dataset"
        con.execute(statement)
    return con
