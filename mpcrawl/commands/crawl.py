"""``scrapy crawl`` with exit statuses cron can act on, and one-line usage errors.

0: no site failed · 1: some site failed, or the archive could not be written ·
2: usage error (a bad ``-a``, ``-s MPCRAWL_...`` or option; one line, before any
request) · 3: the run was cut short (signal, CloseSpider), or stopped by force (a second
SIGTERM or Ctrl-C stops the reactor without closing the spider; the ledger then records
the unfinished sites ``partial`` and finishes the open files before the exit).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings, Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.statscollectors import StatsCollector

from mpcrawl.commands.archive_arg import one_line_errors
from mpcrawl.config import Config, ConfigError
from mpcrawl.outcomes import FAILURES

CUT_SHORT = 3
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def crawler_process(settings: Settings) -> CrawlerProcess | AsyncCrawlerProcess:
    """The process ``scrapy.cmdline`` would have made (it logs Scrapy's banner)."""
    if (
        settings["TWISTED_REACTOR"] == ASYNCIO_REACTOR
        and not settings.getbool("FORCE_CRAWLER_PROCESS")
    ) or not settings.getbool("TWISTED_REACTOR_ENABLED"):
        return AsyncCrawlerProcess(settings)
    return CrawlerProcess(settings)


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


# Formats that cannot hold a post's values (its dates): refused before the crawl.
POSTLESS_FORMATS = {"marshal": "marshal cannot hold dates"}


def posts_only(settings: BaseSettings) -> None:
    """Every ``-o``/``-O`` feed holds posts only, as rows of the posts table's columns.

    A crawl yields authors, terms, media and posts; a JSON Lines file of all four has no
    field saying which is which, and a CSV file takes its header from the first item.
    A feed that names its own ``item_classes`` or ``fields`` (``FEEDS`` in a settings
    file) keeps them.
    """
    from mpcrawl.schemas import TABLES  # pyarrow: not at every scrapy start-up

    feeds = settings.getdict("FEEDS")
    for uri, options in feeds.items():
        fmt = str(options.get("format"))
        if fmt in POSTLESS_FORMATS:
            raise UsageError(
                f"-o {uri}: {POSTLESS_FORMATS[fmt]}; use .jsonl, .csv, .json, .xml or "
                ".parquet (posts only)",
                print_help=False,
            )
        options.setdefault("item_classes", ["mpcrawl.items.PostItem"])
        if fmt != "parquet":
            options.setdefault("fields", TABLES["posts"].schema.names)
    if feeds:
        settings.set("FEEDS", feeds, priority="cmdline")


def check_jobdir(settings: BaseSettings) -> None:
    """``JOBDIR`` is refused: its disk queue copies each request's site bookkeeping, so no
    site could tell it had finished (every one ended ``partial``)."""
    if settings.get("JOBDIR"):
        raise UsageError(
            "-s JOBDIR is not supported: each site's progress is kept in memory, which a "
            "disk queue cannot carry; run scrapy crawl again instead, it goes on from what "
            "the archive holds",
            print_help=False,
        )


def exit_status(stats: StatsCollector) -> int:
    """The status of a crawl that closed its spider: 3 cut short, 1 a site failed, else 0."""
    if stats.get_value("finish_reason") != "finished":
        return CUT_SHORT
    failed = sum(stats.get_value(f"mpcrawl/site/{o}", 0) for o in FAILURES)
    return 1 if failed or stats.get_value("mpcrawl/archive/errors", 0) else 0


class Command(ScrapyCrawl):
    # The crawler process (and with it Scrapy's start-up banner) is made only once the
    # arguments passed: a usage error is the only line printed.
    requires_crawler_process = False

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "crawl")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        check_parquet_feeds(self.settings.getdict("FEEDS"))
        posts_only(self.settings)
        if not args:
            raise UsageError("name the spider: scrapy crawl wp -a site=URL", print_help=False)
        if len(args) > 1:
            extra = " ".join(args[1:])
            raise UsageError(f"unexpected {extra!r} after the spider name", print_help=False)
        try:
            Config.from_settings(self.settings)
        except ConfigError as exc:
            raise UsageError(str(exc), print_help=False) from None
        loader = get_spider_loader(self.settings)
        if args[0] not in loader.list():
            raise UsageError(
                f"no spider {args[0]!r}; the spiders are: {', '.join(sorted(loader.list()))}",
                print_help=False,
            )
        check = getattr(loader.load(args[0]), "check_arguments", None)
        if check is not None:
            try:
                check(**opts.spargs)
            except (TypeError, ValueError) as exc:
                raise UsageError(str(exc), print_help=False) from None
        check_jobdir(self.settings)
        self.crawler_process = crawler_process(self.settings)
        crawler = self._create_crawler(args[0])
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
