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

No file of another run is ever replaced: every writer draws a random token that goes
into its file names (a pinned ``MPCRAWL_RUN_ID`` repeats, the token does not), and a
local file is put in place by :func:`publish`, a hard link that fails rather than
overwrite. A file is ``fsync``-ed before it is linked and its folder after, so a power
cut cannot leave a visible but empty part file.

Any failure stops the writing of that one site for the rest of the run: its unfinished
files are deleted, so a post version is never visible without its embeds and turns,
and every later write of the site raises the first failure again.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs as pafs

from mpcrawl import defaults
from mpcrawl.archive.fs import EMPTY_FILE, ArchiveLocation
from mpcrawl.schemas import TABLES, Table
from mpcrawl.wp.sitename import check_safe_name

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".part-"
TEMP_SUFFIX = ".tmp"
NAME_MAX = 255  # bytes in one path component on ext4, xfs, btrfs, tmpfs
MAX_PARTITION_SITE = NAME_MAX - len("site=")
RUN_IN_NAME = 64  # a longer run id is cut and hashed inside file names
_NO_HARD_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK)


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


def part_name(run_id: str, token: str, number: int) -> str:
    """A part file's name: unique by ``token``, under 255 bytes whatever the run id.

    >>> part_name("r1", "0a1b2c3d", 7)
    'part-r1-0a1b2c3d-7.parquet'
    >>> len(part_name("r" * 253, "0a1b2c3d", 7))
    88
    """
    if len(run_id) > RUN_IN_NAME:
        digest = hashlib.sha256(run_id.encode()).hexdigest()[:12]
        run_id = f"{run_id[: RUN_IN_NAME - 13]}-{digest}"
    return f"part-{run_id}-{token}-{number}.parquet"


def check_partition_site(site: str) -> str:
    """Refuse a site whose ``site=<name>`` folder would exceed a file name's 255 bytes."""
    if len(site) > MAX_PARTITION_SITE:
        raise ArchiveError(
            f"site name of {len(site)} characters is too long for a partition folder "
            f"(at most {MAX_PARTITION_SITE})"
        )
    return site


def _fsync(path: str, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(temp: str, final: str) -> None:
    """Put a finished local file in place durably, never over an existing file.

    ``os.link`` fails with ``FileExistsError`` where ``final`` exists (``rename`` would
    replace it). On a filesystem without hard links the name is checked first and then
    renamed: the writer's random token is what keeps names apart there.
    """
    _fsync(temp)
    try:
        os.link(temp, final)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(final):
            raise FileExistsError(errno.EEXIST, "file exists", final) from None
        os.rename(temp, final)
    else:
        os.unlink(temp)
    _fsync(os.path.dirname(final), os.O_RDONLY | os.O_DIRECTORY)


def row_bytes(row: dict[str, Any]) -> int:
    """What a row holds in text and bytes (a page's HTML, as served and as read, its text,
    a post's JSON): the measure of the buffer bound, which is what holds memory.

    >>> row_bytes({"raw_html": b"x" * 10, "content_html": "y" * 5, "id": 7})
    15
    """
    return sum(len(v) for v in row.values() if isinstance(v, str | bytes))


def rows_to_table(
    table: Table, rows: Iterable[dict[str, Any]], schema: pa.Schema | None = None
) -> pa.Table:
    """Rows as an Arrow table of ``schema`` (default: the table's; missing keys are null)."""
    rows = list(rows)
    schema = table.schema if schema is None else schema
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


class ArchiveWriter:
    """Writes rows into ``<table>/site=<site>[/year=<YYYY>]/part-<run>-<token>-<n>.parquet``.

    A partition's buffer is written as a row group once it holds ``batch_rows`` rows or
    ``batch_bytes`` of text and bytes (:func:`row_bytes`: a page's HTML counts), so a site
    of large pages is written as it goes, not held to its end. A site's part files are
    finished (renamed into place) when the site is done, or once one of them holds
    ``file_rows`` rows, so a run killed late in a large site keeps most of its work.
    """

    def __init__(
        self,
        location: ArchiveLocation,
        run_id: str,
        *,
        batch_rows: int = defaults.BATCH_ROWS,
        batch_bytes: int = defaults.BATCH_BYTES,
        file_rows: int = defaults.FILE_ROWS,
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
        self.token = secrets.token_hex(4)
        self.failed: dict[str, ArchiveError] = {}  # site -> the failure that stopped it
        # called with the site before its files are finished (at its end or a roll): the
        # WARC recorder publishes the WARC these rows point into first
        self.closing_site: list[Callable[[str], None]] = []
        self._placeholders_gone: set[str] = set()

    def write(self, table_name: str, row: dict[str, Any], year: int | None = None) -> None:
        """Buffer one row; a full buffer is written as a row group of its temp file."""
        table = TABLES[table_name]
        site = check_safe_name(str(row["site"]))
        if site in self.failed:
            raise self.failed[site]
        key = (table_name, site, year if table.by_year else None)
        part = self._open.get(key)
        if part is None:
            part = self._open[key] = self._new_partition(table, site, key[2])
        part.rows.append(row)
        part.buffered_bytes += row_bytes(row)
        if len(part.rows) >= self.batch_rows or part.buffered_bytes >= self.batch_bytes:
            try:
                self._flush(part)
            except ArchiveError as exc:
                self._stop_site(site, exc)
                raise
            if part.written >= self.file_rows:
                self.close_site(site)

    def _new_partition(self, table: Table, site: str, year: int | None) -> _Partition:
        folder = self.location.path(table.name, f"site={check_partition_site(site)}")
        if table.by_year:
            folder += f"/year={year if year is not None else 0:04d}"
        name = part_name(self.run_id, self.token, next(self._counter))
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
            part.writer = None
            if self.location.is_local:
                self._publish(part)
            if part.table.name not in self._placeholders_gone:
                drop_placeholder(self.location, part.table.name)
                self._placeholders_gone.add(part.table.name)
        except (OSError, pa.ArrowException) as exc:
            raise ArchiveError(f"cannot finish {part.final_path}: {exc}") from exc

    def _publish(self, part: _Partition) -> None:
        """Link the temp file into place; a name taken meanwhile gets a fresh token."""
        for _ in range(3):
            try:
                publish(part.temp_path, part.final_path)
                return
            except FileExistsError:
                logger.warning("%s exists already; not overwritten", part.final_path)
                part.name = part_name(self.run_id, secrets.token_hex(4), next(self._counter))
        raise ArchiveError(f"cannot finish {part.temp_path}: every name tried exists")

    def _discard(self, part: _Partition) -> None:
        """Drop an unfinished file: closed if it can be, its temp file deleted."""
        # A failed close changes nothing, the file is deleted next; a file that cannot be
        # deleted (never created, folder unwritable) is removed by the site's next run.
        if part.writer is not None:
            with contextlib.suppress(OSError, pa.ArrowException):
                part.writer.close()
        if self.location.is_local:
            with contextlib.suppress(OSError):
                os.unlink(part.temp_path)

    def _stop_site(self, site: str, exc: ArchiveError) -> None:
        """Stop writing ``site`` for this run: its unfinished files are deleted."""
        self.failed.setdefault(site, exc)
        for key in [k for k in self._open if k[1] == site]:
            self._discard(self._open.pop(key))

    def close_site(self, site: str) -> None:
        """Finish every file of one site, so a later kill cannot lose that site's rows.

        Posts files are renamed last: a post version that is visible always has its
        embeds and turns beside it, so the next run never skips a half-written version.
        On the first failure the site's other files are dropped and the failure raised.
        """
        if site in self.failed:
            self._stop_site(site, self.failed[site])
            raise self.failed[site]
        try:
            for hook in self.closing_site:
                hook(site)
        except ArchiveError as exc:  # rows pointing into an unpublished WARC: dropped
            self._stop_site(site, exc)
            raise
        keys = sorted((k for k in self._open if k[1] == site), key=lambda k: k[0] == "posts")
        for key in keys:
            part = self._open.pop(key)
            try:
                self._finish(part)
            except ArchiveError as exc:
                self._discard(part)
                self._stop_site(site, exc)
                raise

    def close(self) -> None:
        """Finish every open file site by site, then give each table without rows its empty file.

        The first error is raised after trying them all.
        """
        errors: list[ArchiveError] = []
        for site in sorted({key[1] for key in self._open}):
            try:
                self.close_site(site)
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
    target = location.path(table.name, f"{TEMP_PREFIX}empty-{secrets.token_hex(4)}{TEMP_SUFFIX}")
    if location.is_local:
        location.filesystem.create_dir(location.path(table.name), recursive=True)
    else:
        target = final
    pq.write_table(table.empty(), target, filesystem=location.filesystem)
    if target != final:
        try:
            publish(target, final)
        except FileExistsError:  # another first run wrote the same empty file meanwhile
            os.unlink(target)


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
