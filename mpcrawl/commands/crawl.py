"""``scrapy crawl`` with exit statuses cron can act on.

0: no site failed · 1: some site failed, or the archive could not be written ·
2: usage error (Scrapy's own) · 3: the run was cut short (signal, CloseSpider).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from mpcrawl.config import Config, ConfigError
from mpcrawl.siterun import FAILURES

CUT_SHORT = 3


def check_parquet_feeds(feeds: dict[str, dict[str, object]]) -> None:
    """Refuse ``-o`` onto an existing Parquet file, in every URI form: appending corrupts it.

    ``feeds`` is the ``FEEDS`` setting as Scrapy builds it from ``-o``/``-O``, so
    ``x.parquet``, ``file:///abs/x.parquet`` and ``out.bin:parquet`` are all seen with
    their format.
    """
    for uri, options in feeds.items():
        if options.get("format") != "parquet" or options.get("overwrite"):
            continue
        parts = urlsplit(uri)
        if parts.scheme == "file":
            path = Path(unquote(parts.path))
        elif not parts.scheme:
            path = Path(uri)
        else:
            continue  # remote storage: Scrapy's feed storage decides
        if path.exists():
            raise UsageError(
                f"-o {uri}: the file exists and -o appends, which corrupts Parquet; "
                f"use -O {uri} to overwrite it",
                print_help=False,
            )


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError
        assert self.crawler_process is not None
        assert self.settings is not None
        check_parquet_feeds(self.settings.getdict("FEEDS"))
        try:
            assert self.settings is not None
            Config.from_settings(self.settings)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None
        crawler = self._create_crawler(args[0])
        check = getattr(crawler.spidercls, "check_arguments", None)
        if check is not None:
            try:
                check(**opts.spargs)
            except (TypeError, ValueError) as exc:
                raise UsageError(str(exc), print_help=False) from None
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        stats = crawler.stats
        assert stats is not None
        reason = stats.get_value("finish_reason")
        failed = sum(stats.get_value(f"mpcrawl/site/{o}", 0) for o in FAILURES)
        if reason not in (None, "finished"):
            self.exitcode = CUT_SHORT
        elif failed or stats.get_value("mpcrawl/archive/errors", 0):
            self.exitcode = 1
        else:
            self.exitcode = 0
