"""The archive writer: append-only Parquet part files in hive partitions.

One open ``ParquetWriter`` per partition with a bounded row buffer (pyarrow's
``write_dataset`` over many partitions used gigabytes when measured). Each file is
written under a dot-prefixed temporary name that neither pyarrow (it skips dot files)
nor DuckDB's ``*.parquet`` glob reads, and renamed into place only when complete. On
object storage a rename is a copy and a delete, and an object appears only once its upload
completes, so there the file is written straight to its final key.

The partition columns are in the folder names only (a file holds ``Table.file_schema``),
and a table that has no partition yet holds an empty ``empty.parquet`` of its whole
schema: every reader opens every table, with no option, from the first run on.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs as pafs

from mpcrawl.archive.fs import EMPTY_FILE, ArchiveLocation
from mpcrawl.schemas import TABLES, Table
from mpcrawl.wp.sitename import check_safe_name

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".part-"
TEMP_SUFFIX = ".tmp"


class ArchiveError(RuntimeError):
    """The archive could not be written; the run must not claim success."""


@dataclass(slots=True)
class _Partition:
    table: Table
    folder: str
    name: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    buffered_bytes: int = 0
    writer: pq.ParquetWriter | None = None
    written: int = 0

    @property
    def temp_path(self) -> str:
        return f"{self.folder}/.{self.name}{TEMP_SUFFIX}"

    @property
    def final_path(self) -> str:
        return f"{self.folder}/{self.name}"


def rows_to_table(
    table: Table, rows: Iterable[dict[str, Any]], schema: pa.Schema | None = None
) -> pa.Table:
    """Rows as an Arrow table of ``schema`` (default: the table's; missing keys are null)."""
    rows = list(rows)
    schema = table.schema if schema is None else schema
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


class ArchiveWriter:
    """Writes rows into ``<archive>/<table>/site=<site>[/year=<YYYY>]/part-<run>-<n>.parquet``.

    A site's part files are finished (renamed into place) when the site is done, or once
    one of them holds ``file_rows`` rows, so a run killed late in a large site keeps most
    of its work.
    """

    def __init__(
        self,
        location: ArchiveLocation,
        run_id: str,
        *,
        batch_rows: int = 1000,
        batch_bytes: int = 16 * 1024 * 1024,
        file_rows: int = 100_000,
        compression: str = "zstd",
    ) -> None:
        self.location = location
        self.run_id = run_id
        self.batch_rows = batch_rows
        self.batch_bytes = batch_bytes
        self.file_rows = file_rows
        self.compression = compression
        self._open: dict[tuple[str, str, int | None], _Partition] = {}
        self._counter = itertools.count()
        self._placeholders_gone: set[str] = set()

    def write(self, table_name: str, row: dict[str, Any], year: int | None = None) -> None:
        """Buffer one row; a full buffer is written as a row group of its temp file."""
        table = TABLES[table_name]
        site = check_safe_name(str(row["site"]))
        key = (table_name, site, year if table.by_year else None)
        part = self._open.get(key)
        if part is None:
            part = self._open[key] = self._new_partition(table, site, key[2])
        part.rows.append(row)
        part.buffered_bytes += len(row.get("raw_json") or "") + len(row.get("content_html") or "")
        if len(part.rows) >= self.batch_rows or part.buffered_bytes >= self.batch_bytes:
            self._flush(part)
            if part.written >= self.file_rows:
                self.close_site(site)

    def _new_partition(self, table: Table, site: str, year: int | None) -> _Partition:
        folder = self.location.path(table.name, f"site={site}")
        if table.by_year:
            folder += f"/year={year if year is not None else 0:04d}"
        name = f"part-{self.run_id}-{next(self._counter)}.parquet"
        return _Partition(table=table, folder=folder, name=name)

    def _target(self, part: _Partition) -> str:
        """Where a file is written while it grows: a temp name, except on object storage."""
        return part.temp_path if self.location.is_local else part.final_path

    def _flush(self, part: _Partition) -> None:
        if not part.rows:
            return
        try:
            data = rows_to_table(part.table, part.rows, part.table.file_schema)
            if part.writer is None:
                if self.location.is_local:
                    self.location.filesystem.create_dir(part.folder, recursive=True)
                part.writer = pq.ParquetWriter(
                    self._target(part),
                    part.table.file_schema,
                    filesystem=self.location.filesystem,
                    compression=self.compression,
                )
            part.writer.write_table(data)
        except (OSError, pa.ArrowException) as exc:
            raise ArchiveError(f"cannot write {self._target(part)}: {exc}") from exc
        part.written += len(part.rows)
        part.rows.clear()
        part.buffered_bytes = 0

    def _finish(self, part: _Partition) -> None:
        self._flush(part)
        if part.writer is None:
            return
        try:
            part.writer.close()
            if self.location.is_local:
                self.location.filesystem.move(part.temp_path, part.final_path)
            if part.table.name not in self._placeholders_gone:
                drop_placeholder(self.location, part.table.name)
                self._placeholders_gone.add(part.table.name)
        except (OSError, pa.ArrowException) as exc:
            raise ArchiveError(f"cannot finish {part.final_path}: {exc}") from exc

    def close_site(self, site: str) -> None:
        """Finish every file of one site, so a later kill cannot lose that site's rows.

        Posts files are renamed last: a post version that is visible always has its
        embeds and turns beside it, so the next run never skips a half-written version.
        """
        keys = sorted((k for k in self._open if k[1] == site), key=lambda k: k[0] == "posts")
        for key in keys:
            self._finish(self._open.pop(key))

    def close(self) -> None:
        """Finish every open file, then give each table without rows its empty file.

        The first error is raised after trying them all.
        """
        errors: list[ArchiveError] = []
        for key in list(self._open):
            try:
                self._finish(self._open.pop(key))
            except ArchiveError as exc:
                logger.error("%s", exc)
                errors.append(exc)
        try:
            ensure_tables(self.location)
        except (OSError, pa.ArrowException) as exc:
            logger.error("cannot write the empty tables: %s", exc)
            errors.append(ArchiveError(f"cannot write the empty tables: {exc}"))
        if errors:
            raise errors[0]


def drop_placeholder(location: ArchiveLocation, table: str) -> None:
    """Delete a table's ``empty.parquet`` once it has a partition of its own."""
    with contextlib.suppress(FileNotFoundError):
        location.filesystem.delete_file(location.path(table, EMPTY_FILE))


def ensure_tables(location: ArchiveLocation) -> None:
    """Every table either has partitions or holds an empty, typed ``empty.parquet``.

    An empty folder is no table to Spark or pyarrow, and a file beside partition folders
    is a conflict to Spark, so the placeholder is written only where there is no
    partition and deleted where one has appeared (two first runs racing leave one behind;
    the next run or compaction removes it).
    """
    for name, table in TABLES.items():
        entries = location.entries(name)
        has_partition = any(
            e.type == pafs.FileType.Directory and e.base_name.startswith("site=") for e in entries
        )
        has_placeholder = any(e.base_name == EMPTY_FILE for e in entries)
        if has_partition and has_placeholder:
            drop_placeholder(location, name)
        elif not has_partition and not has_placeholder:
            _write_placeholder(location, table)


def _write_placeholder(location: ArchiveLocation, table: Table) -> None:
    final = location.path(table.name, EMPTY_FILE)
    target = location.path(table.name, f"{TEMP_PREFIX}empty{TEMP_SUFFIX}")
    if location.is_local:
        location.filesystem.create_dir(location.path(table.name), recursive=True)
    else:
        target = final
    pq.write_table(table.read_schema.empty_table(), target, filesystem=location.filesystem)
    if target != final:
        location.filesystem.move(target, final)


def remove_temp_files(location: ArchiveLocation, site: str) -> int:
    """Delete temporary files a dead run left for ``site``; call only under its lock."""
    if not location.is_local:
        return 0  # object storage is written to final keys, never under temp names
    removed = 0
    for table in TABLES:
        for info in location.files(table, f"site={check_safe_name(site)}"):
            if info.base_name.startswith(TEMP_PREFIX) and info.base_name.endswith(TEMP_SUFFIX):
                location.filesystem.delete_file(info.path)
                removed += 1
    return removed
