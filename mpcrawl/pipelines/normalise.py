"""Normalise: REST objects become the row items of their tables.

A value that fits no typed column costs only that column (``bad_values`` says which);
the object is counted in its site's run record. An object no row can hold (nested too
deep to write) becomes a ``rejects`` row, also counted.
"""

from __future__ import annotations

from typing import Any, Literal

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.items import (
    AuthorItem,
    MediaItem,
    PostItem,
    RejectItem,
    RestObject,
    RevisionItem,
    TermItem,
)
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.schemas import WARC_COLUMNS
from mpcrawl.wp import records


class NormalisePipeline:
    """Thin adapter over :mod:`mpcrawl.wp.records`; other items pass through."""

    def __init__(self, ledger: SiteLedger | None = None) -> None:
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        return cls(ledger_of(crawler))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RestObject):
            return item
        try:
            row = self._row(item)
        except records.Unarchivable as exc:
            self._count(item.site, "rejects")
            reject = records.reject_row(
                item.data,
                site=item.site,
                kind=item.kind,
                post_type=item.post_type,
                reason=str(exc),
                fetched_at=item.fetched_at,
                run_id=item.run_id,
            )
            return RejectItem(**reject)
        if getattr(row, "bad_values", None):
            self._count(item.site, "bad_objects")
        for name in WARC_COLUMNS:  # the response's WARC record, where one was written
            setattr(row, name, getattr(item, name))
        return row

    def _count(self, site: str, what: Literal["bad_objects", "rejects"]) -> None:
        if self.ledger is None:
            return
        self.ledger.crawler.stats.inc_value(f"mpcrawl/{what}")
        run = self.ledger.run_for(site)
        if run is not None and what == "rejects":
            run.rejects += 1
        elif run is not None:
            run.bad_objects += 1

    def _row(self, item: RestObject) -> Any:
        site, fetched_at, run_id = item.site, item.fetched_at, item.run_id
        if item.kind == "post":
            row = records.post_row(
                item.data,
                post_type=item.post_type or "post",
                site=site,
                fetched_at=fetched_at,
                run_id=run_id,
            )
            if row["id"] is None:
                raise DropItem(f"Post without an id on {item.site}")
            return PostItem(**row)
        if item.kind == "revision":
            row = records.revision_row(
                item.data,
                post_type=item.post_type or "post",
                post_id=item.parent_id or 0,
                site=site,
                fetched_at=fetched_at,
                run_id=run_id,
            )
            if row["revision_id"] is None:
                raise DropItem(f"Revision without an id on {item.site}")
            return RevisionItem(**row)
        if item.kind == "term":
            row = records.term_row(
                item.data,
                taxonomy=item.post_type or "category",
                site=site,
                fetched_at=fetched_at,
                run_id=run_id,
            )
            return _with_id(TermItem(**row), item)
        if item.kind == "author":
            return _with_id(
                AuthorItem(
                    **records.author_row(item.data, site=site, fetched_at=fetched_at, run_id=run_id)
                ),
                item,
            )
        if item.kind == "media":
            return _with_id(
                MediaItem(
                    **records.media_row(item.data, site=site, fetched_at=fetched_at, run_id=run_id)
                ),
                item,
            )
        raise DropItem(f"Unknown REST object kind {item.kind!r}")


def _with_id(row: Any, item: RestObject) -> Any:
    if row.id is None:
        raise DropItem(f"{item.kind} without an id on {item.site}")
    return row
