"""``scrapy crawl`` with exit statuses cron can act on.

0: no site failed · 1: some site failed, or the archive could not be written ·
2: usage error (Scrapy's own) · 3: the run was cut short (signal, CloseSpider).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from mpcrawl.config import Config, ConfigError
from mpcrawl.outcomes import FAILURES

CUT_SHORT = 3


def check_parquet_feeds(output: list[str] | None) -> None:
    """Refuse ``-o x.parquet`` onto an existing file: appending corrupts Parquet."""
    for target in output or []:
        path = target.split(":", 1)[0] if not target.endswith(".parquet") else target
        if path.endswith(".parquet") and "://" not in path and Path(path).exists():
            raise UsageError(
                f"-o {target}: the file exists and -o appends, which corrupts Parquet; "
                f"use -O {target} to overwrite it",
                print_help=False,
            )


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        check_parquet_feeds(getattr(opts, "output", None))
        if len(args) != 1:
            raise UsageError
        assert self.crawler_process is not None
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
