"""Progress for long runs: once a minute, per site, posts archived against X-WP-Total."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from mpcrawl.config import Config
from mpcrawl.ledger import SiteLedger

logger = logging.getLogger(__name__)


class ProgressLog:
    """Logs each unfinished site's progress every ``MPCRAWL_PROGRESS_INTERVAL`` seconds.

    At the end it logs the ledger's summary, one line per site: it runs after the ledger
    (a higher ``EXTENSIONS`` number), whose ``spider_closed`` writes the last lines.
    """

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLog:
        interval = Config.from_crawler(crawler).progress_interval
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def ledger(self) -> SiteLedger | None:
        return self.crawler.get_extension(SiteLedger)

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.log_progress)
        self.loop.start(self.interval, now=False)

    def log_progress(self) -> None:
        ledger = self.ledger
        for run in ledger.runs.values() if ledger is not None else ():
            if run.finished:
                continue
            tally = run.tally
            done = tally.posts_new + tally.posts_unchanged
            total = tally.posts_total
            of = f"/{total}" if total is not None else ""
            logger.info(
                "progress: %s: %d%s posts archived, %d requests, %d errors",
                run.site,
                done,
                of,
                tally.requests,
                run.verdict.errors,
            )

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        ledger = self.ledger
        if ledger is not None and ledger.summary:
            summary = ledger.summary
            logger.info("summary of %d sites:\n  %s", len(summary), "\n  ".join(summary))
