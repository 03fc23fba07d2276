"""``scrapy crawl`` with exit statuses cron can act on, and one-line usage errors.

0: no site failed · 1: some site failed, or the archive could not be written ·
2: usage error (a bad ``-a``, ``-s MPCRAWL_...`` or option; one line, before any
request) · 3: the run was cut short (signal, CloseSpider).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from mpcrawl.config import Config, ConfigError
from mpcrawl.outcomes import FAILURES

CUT_SHORT = 3
USAGE_ERROR = 2


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


def one_line_error(message: str) -> NoReturn:
    """A usage error as one line naming the problem (``-h`` prints the full usage)."""
    sys.stderr.write(f"scrapy crawl: error: {message}\n")
    sys.exit(USAGE_ERROR)


class Command(ScrapyCrawl):
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        # argparse's error() prints the whole usage before the message; one line is enough.
        setattr(parser, "error", one_line_error)  # noqa: B010  (replaces a method)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        check_parquet_feeds(getattr(opts, "output", None))
        if not args:
            raise UsageError("name the spider: scrapy crawl wp -a site=URL", print_help=False)
        if len(args) > 1:
            extra = " ".join(args[1:])
            raise UsageError(f"unexpected {extra!r} after the spider name", print_help=False)
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        try:
            Config.from_crawler(crawler)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None
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
        reason = stats.get_value("finish_reason")
        failed = sum(stats.get_value(f"mpcrawl/site/{o}", 0) for o in FAILURES)
        if reason not in (None, "finished"):
            self.exitcode = CUT_SHORT
        elif failed or stats.get_value("mpcrawl/archive/errors", 0):
            self.exitcode = 1
        else:
            self.exitcode = 0
