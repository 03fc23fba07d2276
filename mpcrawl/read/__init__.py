"""The read side: DuckDB views over an archive, its summary and its report.

Nothing here imports the crawl (Scrapy, spiders, pipelines): a notebook or a cron job
that only reads pays for DuckDB and pyarrow alone. A local archive is read by DuckDB's
``read_parquet``; one on object storage through pyarrow datasets registered with the
connection (the file list is taken at connect time).

>>> import tempfile
>>> connect(tempfile.mkdtemp() + "/typo")  # doctest: +ELLIPSIS
Traceback (most recent call last):
mpcrawl.read.NoArchiveError: .../typo holds no mpcrawl archive (no posts/, runs/ ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from mpcrawl import defaults
from mpcrawl.archive.fs import EMPTY_FILE, ArchiveLocation, is_part_file
from mpcrawl.archive.locks import LOCKS_DIR
from mpcrawl.schemas import TABLES

if TYPE_CHECKING:
    import pyarrow.dataset as ds

__all__ = ["NoArchiveError", "UnreadableArchiveError", "connect", "unreadable_file", "views_sql"]

_FILES_VIEW = re.compile(r"CREATE OR REPLACE VIEW (\w+)_files AS .*")


class NoArchiveError(FileNotFoundError):
    """The path holds no archive: a typo must not read as an empty archive."""


class UnreadableArchiveError(ValueError):
    """A file of the archive is not readable Parquet (a stray file, a truncated copy).

    Its message is one line naming the file, as the crawl's reason for such a site.
    """


def unreadable_file(path: str, tables: Iterable[str] = TABLES) -> str | None:
    """One line naming the first file of ``tables`` that is not readable Parquet, or None.

    For after DuckDB failed to read the archive: every Parquet file's footer is opened
    to find the one at fault (on object storage, a request per file).
    """
    location = ArchiveLocation.parse(path)
    for table in tables:
        for info in location.files(table):
            if not info.base_name.endswith(".parquet"):
                continue
            try:
                with location.filesystem.open_input_file(info.path) as handle:
                    pq.read_metadata(handle)
            except (OSError, pa.ArrowException) as exc:
                return f"{info.path} is not a readable Parquet file: {exc}"
    return None


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
    """A typed, empty stand-in for a table that has no file (an archive of mpcrawl 0.1)."""
    columns = ", ".join(
        f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in TABLES[table].read_schema
    )
    return f"CREATE OR REPLACE VIEW {table}_files AS SELECT {columns} WHERE false"


def _dataset(location: ArchiveLocation, table: str, files: list[str]) -> ds.Dataset:
    """A table's files on object storage as a pyarrow dataset, for DuckDB to scan.

    DuckDB reads ``s3://`` only through its httpfs extension, which is downloaded on
    first use (impossible offline) and configured apart from pyarrow; a pyarrow dataset
    reuses the archive's own filesystem, endpoint and credentials.
    """
    import pyarrow.dataset as ds  # here: it imports pandas where installed (~0.4 s)

    spec = TABLES[table]
    partitions = [f for f in spec.read_schema if f.name in spec.partitions]
    return ds.dataset(
        files,
        schema=spec.read_schema,
        format="parquet",
        filesystem=location.filesystem,
        partitioning=ds.partitioning(pa.schema(partitions), flavor="hive"),
        partition_base_dir=location.path(table),
    )


def _holds_archive(location: ArchiveLocation) -> bool:
    """A table folder, or the locks of a first run still under way, is there."""
    names = {info.base_name for info in location.entries()}
    return bool(names & {*TABLES, LOCKS_DIR})


def connect(path: str = defaults.ARCHIVE, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the archive's views (``posts_latest`` and friends).

    Raises :class:`NoArchiveError`, naming ``path``, where it holds no table folder (nor
    the ``_locks`` folder of a first run under way), and :class:`UnreadableArchiveError`,
    naming the file, where a table holds a file that is not Parquet (a local archive's
    views read every file's schema here; on object storage a query finds it).
    """
    location = ArchiveLocation.parse(path)
    if not _holds_archive(location):
        raise NoArchiveError(
            f"{path} holds no mpcrawl archive (no posts/, runs/ or other table folder): "
            "check the path, or crawl into it first"
        )
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
            names = [(info.path, info.base_name) for info in location.files(table)]
            parts = [path for path, name in names if is_part_file(name)]
            if location.is_local and not any(name == EMPTY_FILE for _, name in names) and not parts:
                statement = _empty_view(table)  # mpcrawl 0.1, or a first run under way
            elif not location.is_local:
                if parts:
                    con.register(f"{table}_dataset", _dataset(location, table, parts))
                    statement = (
                        f"CREATE OR REPLACE VIEW {table}_files AS SELECT * FROM {table}_dataset"
                    )
                else:
                    statement = _empty_view(table)
        try:
            con.execute(statement)
        except duckdb.Error as exc:
            if match is None:
                raise
            con.close()
            found = unreadable_file(path, [match.group(1)])
            raise UnreadableArchiveError(found or str(exc).splitlines()[0]) from None
    return con
