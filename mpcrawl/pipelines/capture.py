"""Capture: tell the crawl that a new version was archived, so its page is captured.

Last in the pipelines (``MPCRAWL_CAPTURE_PAGES`` only): an item reaching it passed dedupe
(a version the archive did not hold) and was written. It sends :data:`version_archived`
with the page to capture, synchronously and before the item counts as settled, so the
site cannot end before the capture's requests are counted against it. The spider
relays the signal to the site's :class:`~mpcrawl.plans.capture.CapturePlan`.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from mpcrawl.items import PostItem
from mpcrawl.ledger import ledger_of
from mpcrawl.pipelines import PipelineItem
from mpcrawl.web.items import WebPageItem

# Sent with ``site=``, ``url=`` (the page) and ``html=`` (its body where the crawl fetched
# the page itself, a fallback page; None for a REST post, whose page is its ``link``).
version_archived = object()


class CapturePipeline:
    """Sends :data:`version_archived` for each new post version and page version."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CapturePipeline:
        if not ledger_of(crawler).config.capture_pages:
            raise NotConfigured  # off by default: no warning line on every crawl
        return cls(crawler)

    def process_item(self, item: PipelineItem) -> PipelineItem:
        match item:
            case PostItem(archived=False, link=str(link)):
                self._send(item.site, link, None)
            case WebPageItem():
                self._send(item.site, item.final_url or item.url, item.raw_html or b"")
        return item

    def _send(self, site: str, url: str, html: bytes | None) -> None:
        self.crawler.signals.send_catch_log(version_archived, site=site, url=url, html=html)
