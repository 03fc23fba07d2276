"""WARC files of a site: ``<archive>/warc/site=<site>/<name>.warc.gz`` and their indexes.

Files are written like the archive's part files: under a dot-prefixed temporary name
in their final folder, put in place by :func:`~mpcrawl.archive.writer.publish` once
closed, so every visible WARC is whole (one gzip member per record, a ``warcinfo``
first). A file reaching ``max_bytes`` is closed and a new one begun. Beside each
published WARC lies its CDXJ index (``<name>.cdxj``, by cdxj-indexer), published after
it: the next run reads the indexes, not the WARCs, to know the payload last archived
for each URI (a file published without its index is indexed then). On object storage
a WARC grows in a local temporary folder and is uploaded to its final key when closed.

Compaction never touches ``warc/`` (it is not a table), and the site's lock, held by
the ledger while the site is crawled, covers these files as it covers part files.
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import timestamp_to_iso_date
from warcio.warcwriter import WARCWriter

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.warcindex import INDEX_SUFFIX, WARC_SUFFIX, index_entries, site_folder
from mpcrawl.archive.writer import publish

TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True, slots=True)
class RecordPointer:
    """Where one record lies: a path relative to the archive root, offset and length."""

    filename: str
    offset: int
    length: int


@dataclass(frozen=True, slots=True)
class Archived:
    """The payload last archived for a URI: its digest, date and ``response`` record."""

    digest: str
    date: str  # the original record's WARC-Date, for a revisit's WARC-Refers-To-Date
    uri: str
    pointer: RecordPointer


def remove_temp_warcs(location: ArchiveLocation, site: str) -> int:
    """Delete the temporary WARC files a dead run left for ``site`` (under its lock)."""
    if not location.is_local:
        return 0  # there, files grow in a local temporary folder and are uploaded whole
    removed = 0
    for info in location.files(*site_folder(site)):
        if info.base_name.startswith(".") and info.base_name.endswith(TEMP_SUFFIX):
            location.filesystem.delete_file(info.path)
            removed += 1
    return removed


def _index_lines(path: str, filename: str) -> list[str]:
    """The CDXJ lines of one WARC (response, revisit records), by cdxj-indexer (imported
    here: it loads pyamf and pkg_resources, a quarter second of every crawl's start-up,
    only runs that publish a WARC need)."""
    from cdxj_indexer import CDXJIndexer

    out = io.StringIO()
    CDXJIndexer(output=out, inputs=[path], filename=filename, sort=True).process_all()
    return out.getvalue().splitlines(keepends=True)


def load_archived(location: ArchiveLocation, site: str) -> dict[str, Archived]:
    """Per URI, the payload of the newest ``response`` record among the site's WARCs."""
    newest: dict[str, tuple[str, Archived]] = {}
    for entry in index_entries(location, site, missing=_index_now):
        if entry.revisit or not entry.digest:
            continue
        seen = newest.get(entry.url)
        if seen is None or seen[0] <= entry.ts:
            pointer = RecordPointer(entry.filename, entry.offset, entry.length)
            archived = Archived(entry.digest, timestamp_to_iso_date(entry.ts), entry.url, pointer)
            newest[entry.url] = (entry.ts, archived)
    return {url: archived for url, (_ts, archived) in newest.items()}


def _index_now(location: ArchiveLocation, path: str, name: str) -> list[str]:
    """A WARC published, then killed before its index: index it now."""
    with _local_copy(location, path) as local:
        return _index_lines(local, name)


@contextlib.contextmanager
def _local_copy(location: ArchiveLocation, path: str) -> Iterator[str]:
    if location.is_local:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="mpcrawl-warc-") as tmp:
        local = os.path.join(tmp, os.path.basename(path))
        with (
            location.filesystem.open_input_stream(path, compression=None) as src,
            open(local, "wb") as dst,
        ):
            shutil.copyfileobj(src, dst)
        yield local


@dataclass(slots=True)
class _OpenWarc:
    name: str  # final base name
    temp: str  # local path being written
    handle: IO[bytes]
    writer: WARCWriter
    records: int = 0


@dataclass(slots=True)
class SiteWarcs:
    """The WARC files one run writes for one site: open one at a time, rotated by size."""

    location: ArchiveLocation
    site: str
    run_id: str
    info: dict[str, Any]  # the warcinfo fields every file begins with
    max_bytes: int
    token: str = field(default_factory=lambda: secrets.token_hex(4))
    published: list[str] = field(default_factory=list)
    _open: _OpenWarc | None = None
    _number: int = 0
    _scratch: str | None = None

    def write(self, records: list[ArcWarcRecord]) -> list[RecordPointer]:
        """Append records (a request and its response, say) to the open file."""
        current = self._current()
        pointers = []
        for record in records:
            start = current.handle.tell()
            current.writer.write_record(record)
            if record.raw_stream is not None:  # warcio spools a revisit's (empty) block
                record.raw_stream.close()
            end = current.handle.tell()
            pointers.append(RecordPointer(self._relative(current.name), start, end - start))
            current.records += 1
        if current.handle.tell() >= self.max_bytes:
            self.close()
        return pointers

    def builder(self) -> WARCWriter:
        """A writer over the open file, for making records (ids, dates, digests)."""
        return self._current().writer

    def _relative(self, name: str) -> str:
        return "/".join([*site_folder(self.site), name])

    def _current(self) -> _OpenWarc:
        if self._open is not None:
            return self._open
        self._number += 1
        run = self.run_id[:64]
        name = f"mpcrawl-{run}-{self.token}-{self._number}{WARC_SUFFIX}"
        if self.location.is_local:
            folder = self.location.path(*site_folder(self.site))
            os.makedirs(folder, exist_ok=True)
        else:
            if self._scratch is None:
                self._scratch = tempfile.mkdtemp(prefix="mpcrawl-warc-")
            folder = self._scratch
        temp = os.path.join(folder, f".{name}{TEMP_SUFFIX}")
        handle = open(temp, "xb")  # noqa: SIM115 (closed in close())
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(name, self.info))
        self._open = _OpenWarc(name, temp, handle, writer)
        return self._open

    def close(self) -> None:
        """Finish the open file: index it, publish it, then its index."""
        current, self._open = self._open, None
        if current is None:
            return
        current.handle.flush()
        current.handle.close()
        index_name = current.name.removesuffix(WARC_SUFFIX) + INDEX_SUFFIX
        index_temp = os.path.join(os.path.dirname(current.temp), f".{index_name}{TEMP_SUFFIX}")
        with open(index_temp, "w", encoding="utf-8") as out:
            out.writelines(_index_lines(current.temp, current.name))
        for temp, name in ((current.temp, current.name), (index_temp, index_name)):
            self._put(temp, name)
        self.published.append(self._relative(current.name))

    def _put(self, temp: str, name: str) -> None:
        final = self.location.path(*site_folder(self.site), name)
        if self.location.is_local:
            publish(temp, final)
            return
        with (
            open(temp, "rb") as src,
            self.location.filesystem.open_output_stream(final, compression=None) as dst,
        ):
            shutil.copyfileobj(src, dst)
        os.unlink(temp)

    def end(self, *, keep: bool = True) -> None:
        """The site's run is over: publish the open file (or drop it, ``keep=False``)."""
        try:
            if keep:
                self.close()
            elif self._open is not None:
                self._open.handle.close()
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._open.temp)
                self._open = None
        finally:
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
