"""Compaction: rewrite each partition's part files into one sorted file.

Crawls append small part files; readers scan faster over one file per partition with
row groups of ~100k rows sorted by the table's key. Compaction never drops a row (two
rows with one version key both stay; the views dedupe them) and is safe to kill at any
point:

1. the new file is written under a dot-prefixed temporary name (readers skip it; the next
   crawl or compaction of the site removes it, as it does a crawl's own leftovers);
2. it is renamed into place, naming the files it replaces in its Parquet metadata;
3. the replaced files are deleted.

Between 2 and 3 a reader sees some versions twice, never none; a later compaction finds
a compacted file whose sources still exist and finishes step 3 before anything else.
Each site is compacted under its lock, so no crawl writes into it meanwhile. A site whose
files cannot be read or rewritten (a file that is not Parquet, a full disk) is reported
and left as it was; the other sites are compacted.

Compaction is also the migration from the layout of mpcrawl 0.1, whose files held
the ``site`` column beside the ``site=`` folder: a partition with such a file is
rewritten even when it is the only one, and every table without rows gets its
``empty.parquet``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow import fs as pafs

from mpcrawl.archive.fs import ArchiveLocation, is_part_file
from mpcrawl.archive.locks import LockUnavailable, SiteLocked, site_locks
from mpcrawl.archive.writer import (
    TEMP_PREFIX,
    TEMP_SUFFIX,
    ensure_tables,
    publish,
    remove_temp_files,
)
from mpcrawl.runid import new_run_id
from mpcrawl.schemas import TABLES, Table
from mpcrawl.wp.sitename import check_safe_name

logger = logging.getLogger(__name__)

ROW_GROUP_ROWS = 100_000
COMPACTED_PREFIX = "part-compact-"  # only these files name the files they replaced
SOURCES_KEY = b"mpcrawl.compacted_from"


@dataclass(slots=True)
class CompactionReport:
    """What one compaction did, for the command's summary."""

    partitions: int = 0
    migrated: int = 0
    files_before: int = 0
    files_after: int = 0
    rows: int = 0
    leftovers_removed: int = 0
    locked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "site: why", left uncompacted

    def line(self) -> str:
        text = (
            f"compacted {self.partitions} partitions: {self.files_before} files -> "
            f"{self.files_after}, {self.rows} rows kept"
        )
        if self.migrated:
            text += f" ({self.migrated} of them rewritten from the 0.1 layout)"
        if self.leftovers_removed:
            text += f", {self.leftovers_removed} leftover files of an interrupted run removed"
        if self.locked:
            text += f"; skipped (locked by a running crawl): {', '.join(sorted(self.locked))}"
        if self.failed:
            text += f"; not compacted: {'; '.join(self.failed)}"
        return text


class UnreadableFile(ValueError):
    """A file in a partition that is not readable Parquet; its site is not compacted."""


def _read_parquet(location: ArchiveLocation, path: str, *, metadata_only: bool = False) -> Any:
    """A file's table (or just its metadata), naming the file when it cannot be read.

    ``ParquetFile``, not ``read_table``: that goes through pyarrow.dataset, which imports
    pandas where it is installed (~0.4 s of a ``scrapy compact``)."""
    try:
        with location.filesystem.open_input_file(path) as handle:
            return pq.read_metadata(handle) if metadata_only else pq.ParquetFile(handle).read()
    except (OSError, pa.ArrowException) as exc:
        raise UnreadableFile(f"{path} is not a readable Parquet file: {exc}") from exc


def archived_sites(location: ArchiveLocation) -> list[str]:
    """Every site that has a partition folder in any table."""
    sites: set[str] = set()
    for table in TABLES:
        selector = pafs.FileSelector(location.path(table), allow_not_found=True)
        for info in location.filesystem.get_file_info(selector):
            if info.type == pafs.FileType.Directory and info.base_name.startswith("site="):
                sites.add(info.base_name.removeprefix("site="))
    return sorted(sites)


def _part_files(location: ArchiveLocation, table: str, site: str) -> dict[str, list[str]]:
    """Visible part files of one site's table, grouped by partition folder."""
    folders: dict[str, list[str]] = {}
    for info in location.files(table, f"site={check_safe_name(site)}"):
        if is_part_file(info.base_name):
            folders.setdefault(info.path.rsplit("/", 1)[0], []).append(info.path)
    return {folder: sorted(paths) for folder, paths in sorted(folders.items())}


def _sources(location: ArchiveLocation, path: str) -> list[str]:
    """Names of the files a compacted file replaced (empty for a crawl's own file)."""
    metadata = _read_parquet(location, path, metadata_only=True).metadata or {}
    raw = metadata.get(SOURCES_KEY)
    return list(json.loads(raw)) if raw else []


def _old_layout(location: ArchiveLocation, paths: list[str]) -> bool:
    """Whether a file holds ``site`` itself, as files written by mpcrawl 0.1 did."""
    for path in paths:
        metadata = _read_parquet(location, path, metadata_only=True)
        if "site" in metadata.schema.to_arrow_schema().names:
            return True
    return False


def _finish_interrupted(location: ArchiveLocation, paths: list[str]) -> tuple[list[str], int]:
    """Delete source files a killed compaction left beside its finished file."""
    present = {path.rsplit("/", 1)[1]: path for path in paths}
    removed: set[str] = set()
    for path in paths:
        if path in removed or not path.rsplit("/", 1)[1].startswith(COMPACTED_PREFIX):
            continue
        for name in _sources(location, path):
            stale = present.get(name)
            if stale is not None and stale != path and stale not in removed:
                location.filesystem.delete_file(stale)
                removed.add(stale)
    return [p for p in paths if p not in removed], len(removed)


def _read_all(location: ArchiveLocation, table: Table, folder: str, paths: list[str]) -> pa.Table:
    """Every row of the files, in a part file's current schema (added columns null).

    A ``site`` column of an old file must equal the folder's, which stands for it from now
    on; anything else would be lost, so it stops the compaction instead.
    """
    site = folder.rsplit("/site=", 1)[1].split("/", 1)[0]
    parts = []
    for path in paths:
        part = _read_parquet(location, path)
        if "site" in part.column_names:
            found = set(part["site"].unique().to_pylist())
            if found - {site}:
                raise ValueError(f"{path}: site column {sorted(found)} differs from its folder")
            part = part.drop_columns(["site"])
        parts.append(part)
    data = pa.concat_tables(parts, promote_options="permissive")
    schema = table.file_schema
    columns = [
        data[f.name].cast(f.type) if f.name in data.column_names else pa.nulls(len(data), f.type)
        for f in schema
    ]
    extra = [name for name in data.column_names if name not in schema.names]
    schema = pa.schema([*schema, *(data.schema.field(name) for name in extra)])
    return pa.Table.from_arrays([*columns, *(data[name] for name in extra)], schema=schema)


def compact_partition(
    location: ArchiveLocation,
    table: Table,
    folder: str,
    paths: list[str],
    run_id: str,
    *,
    row_group_rows: int = ROW_GROUP_ROWS,
    compression: str = "zstd",
) -> int:
    """Replace the part files of one partition folder by one sorted file; rows written.

    The new file's name carries a random token and is linked into place without
    replacing any file; on any failure its temporary file is deleted.
    """
    data = _read_all(location, table, folder, paths)
    data = data.sort_by([(column, "ascending") for column in table.key if column != "site"])
    name = f"compact-{run_id}-{secrets.token_hex(4)}.parquet"
    temp = f"{folder}/{TEMP_PREFIX}{name}{TEMP_SUFFIX}"
    final = f"{folder}/part-{name}"
    sources = json.dumps([path.rsplit("/", 1)[1] for path in paths]).encode()
    schema = data.schema.with_metadata({**(data.schema.metadata or {}), SOURCES_KEY: sources})
    try:
        with pq.ParquetWriter(
            temp, schema, filesystem=location.filesystem, compression=compression
        ) as writer:
            writer.write_table(data.replace_schema_metadata(schema.metadata), row_group_rows)
        if location.is_local:
            publish(temp, final)
        else:
            location.filesystem.move(temp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            location.filesystem.delete_file(temp)
        raise
    for path in paths:
        if path != final:
            location.filesystem.delete_file(path)
    rows: int = data.num_rows
    return rows


def compact_site(
    location: ArchiveLocation,
    site: str,
    run_id: str,
    report: CompactionReport,
    *,
    tables: Iterable[str] = TABLES,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> None:
    """Compact every partition of one site that has more than one part file."""
    for table_name in tables:
        table = TABLES[table_name]
        for folder, found in _part_files(location, table_name, site).items():
            paths, removed = _finish_interrupted(location, found)
            report.leftovers_removed += removed
            old = _old_layout(location, paths)
            if len(paths) < 2 and not old:
                continue
            report.rows += compact_partition(
                location, table, folder, paths, run_id, row_group_rows=row_group_rows
            )
            report.partitions += 1
            report.migrated += old
            report.files_before += len(paths)
            report.files_after += 1


def compact(
    location: ArchiveLocation,
    sites: Iterable[str] | None = None,
    *,
    tables: Iterable[str] = TABLES,
    row_group_rows: int = ROW_GROUP_ROWS,
    run_id: str | None = None,
) -> CompactionReport:
    """Compact the given sites (default: all), each under its site lock."""
    run_id = run_id or new_run_id()
    locks = site_locks(location, run_id)
    report = CompactionReport()
    tables = [t for t in tables if t in TABLES]
    for site in archived_sites(location) if sites is None else sorted(sites):
        try:
            locks.acquire(site)
        except SiteLocked as exc:
            logger.warning("%s: not compacted, %s", site, exc)
            report.locked.append(site)
            continue
        except LockUnavailable as exc:
            logger.error("%s: not compacted: %s", site, exc)
            report.failed.append(f"{site} ({exc})")
            continue
        try:
            report.leftovers_removed += remove_temp_files(location, site)
            compact_site(
                location, site, run_id, report, tables=tables, row_group_rows=row_group_rows
            )
        except (OSError, pa.ArrowException, ValueError) as exc:  # UnreadableFile included
            logger.error("%s: not compacted: %s", site, exc)
            report.failed.append(f"{site} ({exc})")
        finally:
            locks.release(site)
    ensure_tables(location)
    return report


SMALL_FILE_BYTES = 8 * 1024 * 1024


def compact_small_files(
    location: ArchiveLocation,
    site: str,
    run_id: str,
    *,
    max_files: int,
    small_bytes: int = SMALL_FILE_BYTES,
) -> CompactionReport:
    """Merge a site's small part files in every partition folder holding more than ``max_files``.

    A crawl calls this at the end of each site's run, under the site's lock, after the
    run's files are finished: each run adds a file or two to a few folders (its ``runs``
    and ``sites`` rows, the versions it found), so without it the file count grows with
    the nights. Files of ``small_bytes`` or more stay as they are, so a night's few rows
    never rewrite a large partition and a merge holds at most ``(max_files + 1) ×
    small_bytes`` of Parquet. The merge is :func:`compact_partition`, as safe to kill as
    ``scrapy compact``; a merge killed after its rename is finished on the next pass.
    """
    report = CompactionReport()
    for table_name, table in TABLES.items():
        for folder, found in _part_files(location, table_name, site).items():
            if len(found) < 2:
                continue  # a lone file has nothing to merge, nor sources left beside it
            paths, removed = _finish_interrupted(location, found)
            report.leftovers_removed += removed
            if len(paths) <= max_files:
                continue
            infos = location.filesystem.get_file_info(paths)
            small = [i.path for i in infos if i.size is not None and i.size < small_bytes]
            if len(small) < 2:
                continue
            report.rows += compact_partition(location, table, folder, small, run_id)
            report.partitions += 1
            report.files_before += len(small)
            report.files_after += 1
    return report
