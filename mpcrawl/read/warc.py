"""A row's capture: the WARC record its ``warc_*`` columns point at, read back.

Each row built from a response carries ``warc_filename`` (relative to the archive root),
``warc_record_offset`` and ``warc_record_length``: one gzip member, read alone with a
ranged read (local or object storage) and parsed by warcio.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.warcindex import index_entries, warc_sites

__all__ = ["Capture", "NoCapture", "PageCapture", "page_captures", "record_for"]


class NoCapture(LookupError):
    """The row has no WARC pointer (written without ``MPCRAWL_WARC``, or before it)."""


@dataclass(frozen=True, slots=True)
class Capture:
    """One WARC record: its type, target, date, HTTP status and headers, and payload."""

    record_type: str
    uri: str
    date: str
    status: int | None
    http_headers: list[tuple[str, str]]
    warc_headers: list[tuple[str, str]]
    payload: bytes  # with any Content-Encoding undone (the record keeps it as sent)

    def text(self) -> str:
        return self.payload.decode("utf-8", errors="replace")


def record_for(archive: str, row: Mapping[str, Any]) -> Capture:
    """The record a row (any mapping with the ``warc_*`` columns) points at."""
    filename = row.get("warc_filename")
    offset, length = row.get("warc_record_offset"), row.get("warc_record_length")
    if not filename or offset is None or length is None:
        raise NoCapture("the row has no WARC pointer (captured without MPCRAWL_WARC)")
    location = ArchiveLocation.parse(archive)
    with location.filesystem.open_input_file(location.path(*filename.split("/"))) as handle:
        handle.seek(int(offset))
        data = handle.read(int(length))
    for record in ArchiveIterator(io.BytesIO(data)):
        http = record.http_headers
        status = (
            http.get_statuscode() if http is not None and record.rec_type != "request" else None
        )
        return Capture(
            record_type=record.rec_type,
            uri=record.rec_headers.get_header("WARC-Target-URI") or "",
            date=record.rec_headers.get_header("WARC-Date") or "",
            status=int(status) if status and status.isdigit() else None,
            http_headers=list(http.headers) if http is not None else [],
            warc_headers=list(record.rec_headers.headers),
            payload=record.content_stream().read(),
        )
    raise NoCapture(f"no WARC record at {filename}:{offset}")


@dataclass(frozen=True, slots=True)
class PageCapture:
    """The newest capture of a page (an HTML response, or a revisit of one)."""

    url: str
    ts: str  # 14 digits, UTC: a replay URL's timestamp
    filename: str
    offset: int

    def replay_url(self, prefix: str) -> str:
        """The capture in a pywb-style replay collection at ``prefix`` (``…/<ts>/<url>``).

        >>> PageCapture("http://e.org/p/", "20260301120000", "f", 0).replay_url(
        ...     "http://localhost:8080/mpcrawl/")
        'http://localhost:8080/mpcrawl/20260301120000/http://e.org/p/'
        """
        return f"{prefix.rstrip('/')}/{self.ts}/{self.url}"


def page_captures(
    archive: str, pages: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], PageCapture]:
    """Per ``(site, url)`` asked for, its newest page capture in the site's WARCs (their
    CDXJ indexes); pages never captured are left out."""
    wanted: dict[str, set[str]] = {}
    for site, url in pages:
        wanted.setdefault(site, set()).add(url)
    location = ArchiveLocation.parse(archive)
    known = set(warc_sites(location))
    found: dict[tuple[str, str], PageCapture] = {}
    for site, urls in wanted.items():
        if site not in known:
            continue
        for entry in index_entries(location, site):
            html = entry.revisit or (entry.mime or "").startswith("text/html")
            if entry.url not in urls or entry.status != "200" or not html:
                continue
            seen = found.get((site, entry.url))
            if seen is None or seen.ts <= entry.ts:
                capture = PageCapture(entry.url, entry.ts, entry.filename, entry.offset)
                found[(site, entry.url)] = capture
    return found
