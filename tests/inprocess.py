"""Crawlers in the test process: mpcrawl's settings, a given archive, no Twisted reactor.

Scrapy's reactorless mode (asyncio, aiohttp downloads) lets one test run a real crawl
with ``asyncio.run(crawler.crawl_async())`` and then read ``crawler.stats``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from mpcrawl import settings as project
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.spiders.wp import WpSpider


def project_settings(archive: Path, **overrides: Any) -> dict[str, Any]:
    """mpcrawl's settings (``mpcrawl/settings.py``) with the archive and test speed-ups."""
    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    values.pop("TWISTED_REACTOR")
    values.update(
        MPCRAWL_ARCHIVE=str(archive),
        MPCRAWL_RETRY_BACKOFF=0.05,
        MPCRAWL_PROGRESS_INTERVAL=0,  # its timer is Twisted's: off without a reactor
        AUTOTHROTTLE_ENABLED=False,
        LOG_LEVEL="WARNING",
    )
    values.update(overrides)
    return values


def wp_crawler(archive: Path, **overrides: Any) -> Crawler:
    """A configured crawler of the ``wp`` spider (extensions built, the spider not yet)."""
    return get_crawler(WpSpider, project_settings(archive, **overrides))


def ledger(archive: Path, **overrides: Any) -> SiteLedger:
    """The ledger of a fresh crawler, as the pipelines and middlewares find it."""
    return ledger_of(wp_crawler(archive, **overrides))
