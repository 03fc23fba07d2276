"""Keeps each site's robots.txt in the archive (``robots`` table) when it changed.

Scrapy's ``RobotsTxtMiddleware`` already fetches robots.txt before a host's first request;
this extension only listens (``response_received``) and hands the body to the ledger's
writer, so ``scrapy changes`` can tell new Disallow lines that cover archived URLs; a
robots.txt with the status and body of the one archived last adds no row (a no-change
night adds nothing for it). It
sends no request and changes no decision: what robots.txt refuses is refused by the
middleware as before, and nothing archived is hidden or removed because of it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from mpcrawl.archive.state import ArchiveStateError, last_robots
from mpcrawl.archive.writer import ArchiveError
from mpcrawl.ledger import SiteLedger, ledger_of

logger = logging.getLogger(__name__)


class RobotsArchive:
    """Writes a ``robots`` row for a site whose robots.txt (status, body) is not the one
    archived last."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._ledger: SiteLedger | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsArchive:
        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def response_received(self, response: Response, request: Request, **kwargs: object) -> None:
        if not request.meta.get("dont_obey_robotstxt") or urlsplit(request.url).path != (
            "/robots.txt"
        ):
            return
        if self._ledger is None:
            self._ledger = ledger_of(self.crawler)
        run = self._ledger.run_for_url(request.url)
        if run is None or run.finished or run.verdict.decided == "locked":
            return
        ok = response.status == 200
        run.robots_txt[request.url] = response.body.decode("utf-8", "replace") if ok else ""
        try:
            last = last_robots(self._ledger.location, run.site, response.url)
        except ArchiveStateError as exc:
            self._ledger.archive_failed(ArchiveError(str(exc)), run.site)
            return
        if last == (response.status, response.body):
            return
        row = {
            "site": run.site,
            "url": response.url,
            "status": response.status,
            "body": response.body,
            "fetched_at": datetime.now(UTC),
            "run_id": self._ledger.run_id,
        }
        try:
            self._ledger.writer.write("robots", row)
        except ArchiveError as exc:  # the site ends error, as for any of its rows
            self._ledger.archive_failed(exc, run.site)
