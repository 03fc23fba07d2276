"""What the archive holds for a site's pages read by the fallback path: its state.

As on the REST path there is no watermark: per URL, the newest archived version's key,
the sitemap ``lastmod`` and HTTP validators it was fetched with, unless a tombstone came
after it. Only those columns are read, a file at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow.parquet as pq

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.wp.sitename import check_safe_name

_PAGE_COLUMNS = ["url", "post_type", "id", "version_sha256", "lastmod", "etag", "last_modified"]


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """The newest archived version of one URL."""

    version: str
    fetched_at: datetime
    lastmod: datetime | None
    etag: str | None
    last_modified: str | None
    post_type: str | None
    id: int | None


@dataclass(slots=True)
class WebState:
    """A site's archived pages (newest version per URL) and the URLs tombstoned since."""

    pages: dict[str, ArchivedPage] = field(default_factory=dict)
    tombstoned: set[str] = field(default_factory=set)

    @property
    def live(self) -> dict[str, ArchivedPage]:
        """Archived pages not tombstoned since their newest version."""
        return {u: p for u, p in self.pages.items() if u not in self.tombstoned}


def _rows(
    location: ArchiveLocation, table: str, site: str, columns: list[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for info in location.files(table, f"site={check_safe_name(site)}"):
        if not info.base_name.endswith(".parquet") or info.base_name.startswith((".", "_")):
            continue
        with location.filesystem.open_input_file(info.path) as handle:
            parquet = pq.ParquetFile(handle)
            present = [c for c in columns if c in parquet.schema_arrow.names]
            rows += parquet.read(columns=present, use_threads=False).to_pylist()
    return rows


def load_web_state(location: ArchiveLocation, site: str) -> WebState:
    """Read one site's fallback state from ``web_pages`` and ``web_tombstones``."""
    state = WebState()
    for row in _rows(location, "web_pages", site, [*_PAGE_COLUMNS, "fetched_at"]):
        url, fetched = row.get("url"), row.get("fetched_at")
        if not url or fetched is None:
            continue
        known = state.pages.get(url)
        if known is None or fetched > known.fetched_at:
            state.pages[url] = ArchivedPage(
                version=row.get("version_sha256") or "",
                fetched_at=fetched,
                lastmod=row.get("lastmod"),
                etag=row.get("etag"),
                last_modified=row.get("last_modified"),
                post_type=row.get("post_type"),
                id=row.get("id"),
            )
    for row in _rows(location, "web_tombstones", site, ["url", "detected_at"]):
        page = state.pages.get(row.get("url") or "")
        if page is not None and row.get("detected_at") and row["detected_at"] > page.fetched_at:
            state.tombstoned.add(row["url"])
    return state
