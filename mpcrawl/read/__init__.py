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

import atexit
import itertools
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
            if info.base_name.endswith(".parquet"):
                found = _footer_error(location, info.path)
                if found:
                    return found
    return None


def _footer_error(location: ArchiveLocation, path: str) -> str | None:
    """One line naming ``path`` where pyarrow cannot read its Parquet footer."""
    try:
        with location.filesystem.open_input_file(path) as handle:
            pq.read_metadata(handle)
    except (OSError, pa.ArrowException) as exc:
        return f"{path} is not a readable Parquet file: {exc}"
    return None


def views_sql() -> str:
    """The SQL file that defines every view (also for the DuckDB CLI's ``.read``)."""
    return resources.files("mpcrawl").joinpath("sql/views.sql").read_text(encoding="utf-8")


def _statements() -> Iterator[str]:
    """The statements of the views file, comments dropped."""
    for statement in views_sql().split(";\n"):
        statement = "\n".join(
            line for line in statement.splitlines() if not line.startswith("--")
        ).strip()
        if statement:
            yield statement


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


def _ends_as_parquet(path: str) -> bool:
    """The end of a Parquet file: a footer length that fits, then the magic bytes."""
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size < 12:
            return False
        handle.seek(-8, os.SEEK_END)
        tail = handle.read(8)
    return tail[4:] == b"PAR1" and int.from_bytes(tail[:4], "little") <= size - 12


def _local_tables(location: ArchiveLocation) -> list[str]:
    """The tables with a file for ``read_parquet`` to read (the others are of mpcrawl 0.1,
    or of a first run under way), after a look at the end of each of their files.

    That look (not DuckDB's, which binds each table's files for milliseconds) finds a
    stray or truncated file; the rare file that ends well but is damaged within fails
    the query that reads it.
    """
    readable = []
    for table in TABLES:
        infos = [info for info in location.files(table) if info.base_name.endswith(".parquet")]
        if not any(info.base_name == EMPTY_FILE or is_part_file(info.base_name) for info in infos):
            continue
        readable.append(table)
        for info in infos:
            if not _ends_as_parquet(info.path):
                raise UnreadableArchiveError(
                    _footer_error(location, info.path)
                    or f"{info.path} is not a readable Parquet file: it does not end as one"
                )
    return readable


_CATALOG = "mpcrawl"
_GLOB_MACRO = re.compile(r"CREATE OR REPLACE MACRO mpcrawl_glob\(tbl\) AS\s+(.*)", re.S)


@dataclass
class _Views:
    """The views of this process, bound once in a read-only catalog its connections share.

    Binding the views file costs a quarter of a second (each view binds the views below
    it, and those read the footer of every file), so it is done once per process, against
    an empty file of each table; DuckDB binds a view again at each query anyway. A table
    without a file reads its empty file through the connection's ``mpcrawl_empty``
    variable. Each connection creates its own tables and views in an in-memory database
    of its own, so they do not reach another connection, nor the archive's views.
    """

    host: duckdb.DuckDBPyConnection
    empty: dict[str, str]
    pid: int = field(default_factory=os.getpid)
    unused: list[str] = field(default_factory=list)  # databases of connections collected
    numbers: Iterator[int] = field(default_factory=itertools.count)

    @classmethod
    def create(cls) -> _Views:
        folder = tempfile.mkdtemp(prefix="mpcrawl-views-")
        atexit.register(_remove_folder, folder, os.getpid())
        empty = {}
        for table, spec in TABLES.items():
            os.mkdir(os.path.join(folder, table))
            empty[table] = os.path.join(folder, table, EMPTY_FILE)
            pq.write_table(spec.empty(), empty[table])
        catalog = os.path.join(folder, "views.duckdb")
        with duckdb.connect(catalog) as con:
            con.execute("SET VARIABLE archive = ?", [folder])
            for statement in _statements():
                con.execute(statement)
                glob = _GLOB_MACRO.match(statement)
                if glob:  # the leaves read a table's empty file where the connection says so
                    con.execute(
                        "CREATE OR REPLACE MACRO mpcrawl_glob(tbl) AS "
                        f"coalesce(getvariable('mpcrawl_empty')[tbl], {glob.group(1)})"
                    )
        host = duckdb.connect()
        host.execute(f"ATTACH '{_quoted(catalog)}' AS {_CATALOG} (READ_ONLY)")
        return cls(host, empty)

    def connect(self, root: str, readable: list[str]) -> duckdb.DuckDBPyConnection:
        """A connection reading the archive at ``root``, whose ``readable`` tables have files."""
        con = self.host.cursor()
        while self.unused:
            con.execute(f"DETACH DATABASE IF EXISTS {self.unused.pop()}")
        database = f"mpcrawl_connection_{next(self.numbers)}"
        con.execute(f"ATTACH ':memory:' AS {database}")
        con.execute(f"USE {database}")
        con.execute(f"SET search_path = '{database}.main,{_CATALOG}.main'")
        # Detached by the next connect(): a finalizer may run inside a DuckDB call.
        weakref.finalize(con, self.unused.append, database).atexit = False
        con.execute("SET VARIABLE archive = ?", [root])
        empty = [table for table in TABLES if table not in readable]
        if empty:
            con.execute(
                "SET VARIABLE mpcrawl_empty = MAP(?::VARCHAR[], ?::VARCHAR[])",
                [empty, [self.empty[table] for table in empty]],
            )
        return con


def _remove_folder(folder: str, pid: int) -> None:
    if os.getpid() == pid:  # not in a forked child, which inherits the registration
        shutil.rmtree(folder, ignore_errors=True)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


_views: _Views | None = None
_views_lock = threading.Lock()  # held to make the views, and each connection from them
_forked: list[_Views] = []  # a parent's views, never closed in the child: that would wait
# for DuckDB threads a fork does not copy


def _process_views() -> _Views:
    """This process's views (a forked child makes its own)."""
    global _views
    if _views is not None and _views.pid != os.getpid():
        _forked.append(_views)
        _views = None
    if _views is None:
        _views = _Views.create()
    return _views


def connect(path: str = defaults.ARCHIVE, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the archive's views (``posts_latest`` and friends).

    Raises :class:`NoArchiveError`, naming ``path``, where it holds no table folder (nor
    the ``_locks`` folder of a first run under way), and :class:`UnreadableArchiveError`,
    naming the file, where a table holds a file that is not Parquet (a local archive's
    files are all checked here; on object storage a query finds it).

    A local archive in memory (the default) gets this process's views: its connections
    share one DuckDB database (settings such as ``threads`` are shared), each with a
    database of its own for the tables and views its user creates. That database stays
    open, so a child forked afterwards must leave by ``os._exit`` (as multiprocessing's
    do): DuckDB crashes a forked child that exits normally with a database open.
    """
    location = ArchiveLocation.parse(path)
    if not _holds_archive(location):
        raise NoArchiveError(
            f"{path} holds no mpcrawl archive (no posts/, runs/ or other table folder): "
            "check the path, or crawl into it first"
        )
    if location.is_local and database == ":memory:":
        readable = _local_tables(location)
        with _views_lock:
            return _process_views().connect(location.root, readable)
    con = duckdb.connect(database)
    if location.is_local:
        con.execute("SET VARIABLE archive = ?", [location.root])
    else:
        con.execute("SET VARIABLE archive = ?", [location.uri.rstrip("/")])
    for statement in _statements():
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
