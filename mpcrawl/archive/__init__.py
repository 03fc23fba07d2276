"""Reading the archive: DuckDB views over the Parquet tables.

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
    return {
        pa.string(): "VARCHAR",
        pa.int64(): "BIGINT",
        pa.int32(): "INTEGER",
        pa.bool_(): "BOOLEAN",
    }[arrow_type]


def _empty_view(table: str) -> str:
    """A typed, empty stand-in for a table that has no file yet."""
    schema = TABLES[table].schema
    columns = ", ".join(f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in schema)
    year = ", CAST(NULL AS BIGINT) AS year" if TABLES[table].by_year else ""
    return f"CREATE OR REPLACE VIEW {table}_files AS SELECT {columns}{year} WHERE false"


def _has_files(location: ArchiveLocation, table: str) -> bool:
    return any(
        info.base_name.endswith(".parquet") and not info.base_name.startswith(".")
        for info in location.files(table)
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
        if match and not _has_files(location, match.group(1)):
            statement = _empty_view(match.group(1))
        con.execute(statement)
    return con
