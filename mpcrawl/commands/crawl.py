"""``scrapy crawl`` with exit statuses cron can act on, and one-line usage errors.

0: no site failed · 1: some site failed, or the archive could not be written ·
2: usage error (a bad ``-a``, ``-s MPCRAWL_...`` or option; one line, before any
request) · 3: the run was cut short (signal, CloseSpider), or stopped by force (a second
SIGTERM or Ctrl-C stops the reactor without closing the spider; the ledger then records
the unfinished sites ``partial`` and finishes the open files before the exit).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn
from urllib.parse import unquote, urlsplit

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.statscollectors import StatsCollector

from mpcrawl.config import Config, ConfigError
from mpcrawl.outcomes import FAILURES

CUT_SHORT = 3
USAGE_ERROR = 2


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


def exit_status(stats: StatsCollector) -> int:
    """The status of a crawl that closed its spider: 3 cut short, 1 a site failed, else 0."""
    if stats.get_value("finish_reason") != "finished":
        return CUT_SHORT
    failed = sum(stats.get_value(f"mpcrawl/site/{o}", 0) for o in FAILURES)
    return 1 if failed or stats.get_value("mpcrawl/archive/errors", 0) else 0


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
        assert self.settings is not None
        check_parquet_feeds(self.settings.getdict("FEEDS"))
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
        if reason is None:
            from mpcrawl.ledger import ledger_of  # pyarrow: not at every scrapy start-up

            ledger_of(crawler).forced_stop()
            self.exitcode = CUT_SHORT
            return
        self.exitcode = exit_status(stats)
