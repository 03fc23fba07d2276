"""Dedupe: drop versions the archive already holds, before any costly extraction.

The spider avoids fetching known versions where it can (sweeps), but a full walk
fetches everything; this pipeline guarantees that no version key is written twice.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.archive.state import SiteState, micros
from mpcrawl.items import AuthorItem, MediaItem, PostItem, RevisionItem, TermItem
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.siterun import SiteRun


class DedupePipeline:
    """Keys come from the archive's state (the ledger loads it per site) plus this run's rows.

    ``feeds``: with -o/-O, archived post versions still go to the feed (not to the archive).
    """

    def __init__(self, crawler: Crawler, ledger: SiteLedger, *, feeds: bool = False) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.feeds = feeds
        self._fallback: dict[str, SiteState] = {}  # items of a site this run did not open

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler, ledger_of(crawler), feeds=bool(crawler.settings.getdict("FEEDS")))

    def _state(self, site: str) -> tuple[SiteState, SiteRun | None]:
        run = self.ledger.run_for(site)
        if run is not None:
            return self.ledger.state_of(run), run
        return self._fallback.setdefault(site, SiteState()), None

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        if isinstance(item, PostItem):
            state, run = self._state(item.site)
            key = (item.post_type, item.id, micros(item.modified_gmt))
            if state.has_version(*key):
                stats.inc_value("mpcrawl/posts/unchanged")
                if self.feeds:
                    item.archived = True
                    return item
                raise DropItem(f"Archived version: {(item.site, *key)}")
            state.add_version(*key)
            if run is not None:
                run.tally.add("posts_new")
            stats.inc_value("mpcrawl/posts/new")
        elif isinstance(item, RevisionItem):
            state, run = self._state(item.site)
            rkey = (item.post_type, item.post_id, item.revision_id)
            if rkey in state.revisions:
                raise DropItem(f"Archived revision: {(item.site, *rkey)}")
            state.revisions.add(rkey)
            if run is not None:
                run.tally.add("revisions_new")
            stats.inc_value("mpcrawl/revisions/new")
        elif isinstance(item, TermItem):
            state, _ = self._state(item.site)
            tkey = (item.taxonomy, item.id, item.content_sha256 or "")
            if tkey in state.terms:
                raise DropItem(f"Unchanged term: {(item.site, *tkey[:2])}")
            state.terms.add(tkey)
        elif isinstance(item, AuthorItem):
            state, _ = self._state(item.site)
            akey = (item.id, item.content_sha256 or "")
            if akey in state.authors:
                raise DropItem(f"Unchanged author: {(item.site, item.id)}")
            state.authors.add(akey)
        elif isinstance(item, MediaItem):
            state, _ = self._state(item.site)
            mkey = (item.id, micros(item.modified_gmt))
            if mkey in state.media:
                raise DropItem(f"Archived media version: {(item.site, *mkey)}")
            state.media.add(mkey)
        return item
