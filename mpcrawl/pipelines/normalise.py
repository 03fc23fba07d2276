"""Normalise: REST objects and fetched pages become the row items of their tables.

A value that fits no typed column costs only that column (``bad_values`` says which);
the object is counted in its site's run record. An object no row can hold (nested too
deep to write) becomes a ``rejects`` row, also counted. A fetched page is read as a
publication (:mod:`mpcrawl.web.page`); a listing (home, archive, category) or a page of a
post type the crawl does not want is dropped, a publication counted in ``pages_found``.
"""

from __future__ import annotations

from typing import Literal, TypeVar

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.items import (
    AuthorItem,
    MediaItem,
    PostItem,
    RejectItem,
    RestObject,
    RevisionItem,
    RowItem,
    TermItem,
)
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.pipelines import PipelineItem
from mpcrawl.schemas import WARC_COLUMNS
from mpcrawl.web.items import FetchedPage, WebPageItem, page_row
from mpcrawl.web.page import read_page
from mpcrawl.wp import records

Row = TypeVar("Row", TermItem, AuthorItem, MediaItem)


class NormalisePipeline:
    """Thin adapter over :mod:`mpcrawl.wp.records` and :mod:`mpcrawl.web.page`; other
    items pass through."""

    def __init__(self, ledger: SiteLedger | None = None) -> None:
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        return cls(ledger_of(crawler))

    def process_item(self, item: PipelineItem) -> PipelineItem:
        match item:
            case RestObject():
                return self._rest(item)
            case FetchedPage():
                return self._page(item)
            case RejectItem():  # a plan's entry without an id: counted here only
                self._count(item.site, "rejects")
                return item
            case _:
                return item

    def _page(self, page: FetchedPage) -> WebPageItem:
        info = read_page(page.html, page.final_url)
        if not page.wanted(info):
            raise DropItem(f"Not a publication: {page.url}")
        run = self.ledger.run_for(page.site) if self.ledger is not None else None
        if run is not None:
            run.tally.add("pages_found")
        row = page_row(info, page)
        if row.bad_values:
            self._count(page.site, "bad_objects")
        return row

    def _rest(self, item: RestObject) -> RowItem:
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
        if run is not None:
            run.tally.add(what)

    def _row(self, item: RestObject) -> RowItem:
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


def _with_id(row: Row, item: RestObject) -> Row:
    if row.id is None:
        raise DropItem(f"{item.kind} without an id on {item.site}")
    return row
