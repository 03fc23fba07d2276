"""Dedupe: drop versions the archive already holds, before any costly extraction.

The plans avoid fetching known versions where they can (sweeps, sitemap ``lastmod``),
but a full walk, or a page without ``lastmod``, fetches everything; this pipeline
guarantees that no version key is written twice.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.archive.state import SiteState, micros
from mpcrawl.archive.web_state import ArchivedPage, WebState
from mpcrawl.items import AuthorItem, MediaItem, PostItem, RevisionItem, TermItem
from mpcrawl.ledger import SiteLedger, ledger_of, row_of
from mpcrawl.pipelines import PipelineItem
from mpcrawl.siterun import SiteRun
from mpcrawl.web.items import WebPageItem


class DedupePipeline:
    """Keys come from the archive's state (the ledger loads it per site) plus this run's rows.

    ``feeds``: with -o/-O, archived post versions still go to the feed (not to the archive).
    """

    def __init__(self, crawler: Crawler, ledger: SiteLedger, *, feeds: bool = False) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.ledger = ledger
        self.feeds = feeds
        self._fallback: dict[str, SiteState] = {}  # items of a site this run did not open
        self._web_fallback: dict[str, WebState] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler, ledger_of(crawler), feeds=bool(crawler.settings.getdict("FEEDS")))

    def _state(self, site: str) -> tuple[SiteState, SiteRun | None]:
        run = self.ledger.run_for(site)
        if run is not None:
            return self.ledger.state_of(run), run
        return self._fallback.setdefault(site, SiteState()), None

    def _web_state(self, site: str) -> tuple[WebState, SiteRun | None]:
        run = self.ledger.run_for(site)
        if run is not None:
            return self.ledger.web_state_of(run), run
        return self._web_fallback.setdefault(site, WebState()), None

    def process_item(self, item: PipelineItem) -> PipelineItem:
        match item:
            case PostItem():
                return self._post(item)
            case WebPageItem():
                return self._page(item)
            case RevisionItem():
                state, run = self._state(item.site)
                rkey = (item.post_type, item.post_id, item.revision_id)
                if rkey in state.revisions:
                    raise DropItem(f"Archived revision: {(item.site, *rkey)}")
                state.revisions.add(rkey)
                if run is not None:
                    run.tally.add("revisions_new")
                self.stats.inc_value("mpcrawl/revisions/new")
            case TermItem():
                state, _ = self._state(item.site)
                tkey = (item.taxonomy, item.id, item.content_sha256 or "")
                if tkey in state.terms:
                    raise DropItem(f"Unchanged term: {(item.site, *tkey[:2])}")
                state.terms.add(tkey)
            case AuthorItem():
                state, _ = self._state(item.site)
                akey = (item.id, item.content_sha256 or "")
                if akey in state.authors:
                    raise DropItem(f"Unchanged author: {(item.site, item.id)}")
                state.authors.add(akey)
            case MediaItem():
                state, _ = self._state(item.site)
                mkey = (item.id, micros(item.modified_gmt))
                if mkey in state.media:
                    raise DropItem(f"Archived media version: {(item.site, *mkey)}")
                state.media.add(mkey)
        return item

    def _post(self, item: PostItem) -> PostItem:
        state, run = self._state(item.site)
        key = (item.post_type, item.id, micros(item.modified_gmt))
        if state.has_version(*key):
            self.stats.inc_value("mpcrawl/posts/unchanged")
            if self.feeds:
                item.archived = True
                return item
            raise DropItem(f"Archived version: {(item.site, *key)}")
        state.add_version(*key)
        if run is not None:
            run.tally.add("posts_new")
        self.stats.inc_value("mpcrawl/posts/new")
        return item

    def _page(self, item: WebPageItem) -> WebPageItem:
        """A page version whose key is the newest archived one of its URL (and not
        tombstoned since) is unchanged; any other is new, and becomes the newest."""
        state, run = self._web_state(item.site)
        known = None if item.url in state.tombstoned else state.pages.get(item.url)
        if known is not None and known.version == item.version_sha256:
            if run is not None:
                run.tally.add("pages_unchanged")
            self.stats.inc_value("mpcrawl/fallback/pages_unchanged")
            raise DropItem(f"Archived page version: {(item.site, item.url)}")
        state.tombstoned.discard(item.url)
        state.pages[item.url] = ArchivedPage.of_row(row_of(item))
        if run is not None:
            run.tally.add("posts_new")
        self.stats.inc_value("mpcrawl/fallback/pages_new")
        return item
