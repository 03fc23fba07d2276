"""What the archive holds for a site's pages read by the fallback path: its web state.

As on the REST path (:mod:`mpcrawl.archive.state`) there is no watermark: per URL, the
newest archived version's key, the sitemap ``lastmod`` and the HTTP validators it was
fetched with, and whether it is gone: its newest presence event came after that version
and is a tombstone (``deleted``, ``hidden``, ``redirected``), not ``returned``.

Where the fallback re-read pages that no ``lastmod`` or validator vouches for, it also
knows what their listing entries were then and when (``web_entries``): the newest row per
URL (:mod:`mpcrawl.plans.recheck`).

A site read by REST before (its API closed since) also knows the ``link`` of each post
REST archived and did not find gone, where no page of that URL is archived: a known page
without a version key. So its pages are probed when a complete listing misses them, and
a domain that no longer serves the site is told from its REST history too
(:mod:`mpcrawl.plans.gone`).

Only those columns are read, a file and a batch at a time, and a file that is not
Parquet raises :class:`ArchiveStateError` naming it, as for the REST state: the ledger
then ends the site ``error``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.state import ArchiveStateError, column_batches

__all__ = ["ArchivedPage", "Checked", "WebState", "load_web_state"]

_PAGE_COLUMNS = [
    "url",
    "post_type",
    "id",
    "version_sha256",
    "lastmod",
    "etag",
    "last_modified",
    "fetched_at",
]


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

    @classmethod
    def of_row(cls, row: Mapping[str, Any]) -> ArchivedPage:
        """A ``web_pages`` row's key columns (as read, or as about to be written)."""
        return cls(
            version=row["version_sha256"] or "",
            fetched_at=row["fetched_at"],
            lastmod=row["lastmod"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            post_type=row["post_type"],
            id=row["id"],
        )


@dataclass(frozen=True, slots=True)
class Checked:
    """When a page was last re-read where nothing vouches for it, and its listing entries
    then (fingerprints, :func:`~mpcrawl.web.entries.entry_fingerprints`)."""

    at: datetime
    entries: frozenset[str]


@dataclass(slots=True)
class WebState:
    """A site's archived pages (newest version per URL) and the URLs tombstoned since.

    The dedupe pipeline adds each version this run archives, so a URL listed twice is
    written once.
    """

    pages: dict[str, ArchivedPage] = field(default_factory=dict)
    tombstoned: set[str] = field(default_factory=set)
    checked: dict[str, Checked] = field(default_factory=dict)  # newest web_entries row

    @property
    def live(self) -> dict[str, ArchivedPage]:
        """Archived pages not tombstoned since their newest version."""
        return {u: p for u, p in self.pages.items() if u not in self.tombstoned}

    def add(self, url: str, page: ArchivedPage) -> None:
        """Keep ``page`` as ``url``'s newest version unless a newer one is known."""
        known = self.pages.get(url)
        if known is None or page.fetched_at > known.fetched_at:
            self.pages[url] = page


def _rows(
    location: ArchiveLocation, table: str, site: str, columns: list[str]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for batch in column_batches(location, table, site, columns):
        rows += batch.to_pylist()
    return rows


def load_web_state(location: ArchiveLocation, site: str) -> WebState:
    """Read one site's fallback state from ``web_pages`` and ``web_tombstones``.

    Any file that cannot be read raises :class:`ArchiveStateError` naming it.
    """
    try:
        return _load_web_state(location, site)
    except (OSError, pa.ArrowException) as exc:
        raise ArchiveStateError(f"cannot read the site's archive: {exc}") from exc


def _load_web_state(location: ArchiveLocation, site: str) -> WebState:
    state = WebState()
    for row in _rows(location, "web_pages", site, _PAGE_COLUMNS):
        url, fetched = row["url"], row["fetched_at"]
        if not url or fetched is None:
            continue
        state.add(url, ArchivedPage.of_row(row))
    for (url,), (at, reason) in _newest_events(location, "web_tombstones", site, ["url"]).items():
        page = state.pages.get(url)
        # gone since its newest version, unless the newest event says it is back
        if page is not None and at > page.fetched_at and reason != "returned":
            state.tombstoned.add(url)
    _add_rest_posts(location, site, state)
    for row in _rows(location, "web_entries", site, ["url", "entries", "checked_at"]):
        url, at = row["url"], row["checked_at"]
        if url and at is not None and (url not in state.checked or at > state.checked[url].at):
            state.checked[url] = Checked(at, frozenset(row["entries"] or ()))
    return state


def _newest_events(
    location: ArchiveLocation, table: str, site: str, key: list[str]
) -> dict[tuple[Any, ...], tuple[datetime, str | None]]:
    """Per key, the newest presence event's time and reason."""
    newest: dict[tuple[Any, ...], tuple[datetime, str | None]] = {}
    for row in _rows(location, table, site, [*key, "detected_at", "reason"]):
        k, at = tuple(row[c] for c in key), row["detected_at"]
        if None not in k and at is not None and (k not in newest or at > newest[k][0]):
            newest[k] = (at, row["reason"])
    return newest


def _add_rest_posts(location: ArchiveLocation, site: str, state: WebState) -> None:
    """REST's live posts at their ``link``, where no page of that URL is archived."""
    newest: dict[tuple[str, int], dict[str, Any]] = {}
    for row in _rows(location, "posts", site, ["post_type", "id", "link", "fetched_at"]):
        key, at = (row["post_type"], row["id"]), row["fetched_at"]
        if row["link"] and at is not None and (key not in newest or at > newest[key]["fetched_at"]):
            newest[key] = row
    if not newest:
        return
    gone = _newest_events(location, "tombstones", site, ["post_type", "id"])
    for key, row in newest.items():
        at, reason = gone.get(key, (None, None))
        if at is not None and at > row["fetched_at"] and reason != "returned":
            continue
        if row["link"] not in state.pages:
            state.pages[row["link"]] = ArchivedPage(
                "", row["fetched_at"], None, None, None, row["post_type"], row["id"]
            )
