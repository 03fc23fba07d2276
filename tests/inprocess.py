"""Crawlers in the test process: mpcrawl's settings, a given archive, no Twisted reactor.

Scrapy's reactorless mode (asyncio, aiohttp downloads) lets one test run a real crawl
with ``asyncio.run(crawler.crawl_async())`` and then read ``crawler.stats``.

How to write a fast crawl test: call :func:`crawl` as you would ``scrapy crawl wp``::

    from tests.inprocess import crawl

    result = crawl(archive, f"site={sample_site.url}", MPCRAWL_MAX_PAGES="5")
    assert result.returncode == 1  # what ``scrapy crawl`` would exit with
    assert "site finished: " in result.stderr  # its log lines, at INFO
    assert result.stats["mpcrawl/site/partial"] == 1

It is the same spider, middlewares, pipelines and ledger as the command, about three
times cheaper than a process (no interpreter, no imports). Keep ``tests.crawl`` (a real
``scrapy crawl`` process) for what only the command shows: exit 2 usage errors, ``-o``
and ``-O``, signals and kills, the periodic progress log (a Twisted timer), and what
Twisted's download handler alone decides (timeouts, resets, refused connections,
oversized bodies).

A command that starts no crawl (``scrapy report``, ``scrapy changes``, a usage error of
any command) runs in this process too: :func:`command` gives what the process would
(exit status, stdout, stderr) without a Python start per call.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.cmdline import execute
from scrapy.crawler import Crawler
from scrapy.settings import default_settings
from scrapy.utils.test import get_crawler

from mpcrawl import settings as project
from mpcrawl.commands.crawl import exit_status
from mpcrawl.config import Config
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.runid import new_run_id
from mpcrawl.sample.server import SampleSite
from mpcrawl.spiders.wp import WpSpider
from tests.shared import REPO

# The in-process download handler says so once per crawl; `scrapy crawl` (Twisted's
# handler) never prints it, so it is no line of the log a test reads.
_HARNESS_ONLY = "is experimental and is not recommended for production use"


def project_settings(archive: Path | str, **overrides: Any) -> dict[str, Any]:
    """mpcrawl's settings (``mpcrawl/settings.py``) with the archive and test speed-ups."""
    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    values.pop("TWISTED_REACTOR")
    values.update(
        MPCRAWL_ARCHIVE=str(archive),
        MPCRAWL_RETRY_BACKOFF=0.05,
        MPCRAWL_PROGRESS_INTERVAL=0,  # its timer is Twisted's: off without a reactor
        AUTOTHROTTLE_ENABLED=False,
        MPCRAWL_MAX_CRAWL_DELAY=0,  # Drupal's robots.txt asks 10 s a request; a test sets it
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


@dataclass(frozen=True)
class Run:
    """What a ``scrapy crawl wp`` run shows: exit status, log, and Scrapy's stats."""

    returncode: int
    stderr: str
    stats: dict[str, Any]
    stdout: str = ""  # the command prints nothing on stdout either


@dataclass(frozen=True)
class Crawled:
    """A site and the archive of its first crawl (the ``crawled_sample`` fixture)."""

    site: SampleSite
    archive: Path  # read it only; copy it (:meth:`copy`) to crawl it again
    run: Run

    def copy(self, archive: Path) -> Path:
        """The first crawl's archive at ``archive``, to crawl or change."""
        shutil.copytree(self.archive, archive)
        return archive


class _Log(logging.Handler):
    """The crawl's log lines as ``scrapy crawl`` formats them (LOG_FORMAT, LOG_DATEFORMAT)."""

    def __init__(self, level: str) -> None:
        super().__init__(level)
        self.text = io.StringIO()
        self.setFormatter(logging.Formatter(_setting("LOG_FORMAT"), _setting("LOG_DATEFORMAT")))

    def emit(self, record: logging.LogRecord) -> None:
        if _HARNESS_ONLY not in record.getMessage():
            self.text.write(self.format(record) + "\n")


def _setting(name: str) -> str:
    """mpcrawl's value of a Scrapy setting, else Scrapy's default."""
    return str(getattr(project, name, None) or getattr(default_settings, name))


_last_run_id: list[str] = []


def _wait_for_a_new_run_id() -> None:
    """Wait out the second of the previous crawl's run id, if need be.

    A default run id is ``<UTC second>-<host>-<pid>``: two ``scrapy crawl`` processes
    never share one, but two crawls of this process in the same second would (and the
    ``runs`` view keeps one row per run id and site).
    """
    while _last_run_id and new_run_id() == _last_run_id[0]:
        time.sleep(0.05)


def crawl(archive: Path | str, *args: str, **settings: Any) -> Run:
    """``scrapy crawl wp -a ARG ... -s NAME=VALUE`` in this process, logging at INFO.

    ``args`` are the ``-a`` arguments (``"site=URL"``, ``"full=1"``); ``settings`` the
    ``-s`` ones, given as strings as on the command line.
    """
    spider_args = dict(arg.split("=", 1) for arg in args)
    values = project_settings(archive, LOG_LEVEL="INFO", **settings)
    if not settings.get("MPCRAWL_RUN_ID"):
        _wait_for_a_new_run_id()
    crawler = get_crawler(WpSpider, values)
    log = _Log(values["LOG_LEVEL"])
    root = logging.getLogger()
    level = root.level
    root.addHandler(log)
    root.setLevel(min(level or logging.WARNING, log.level))
    try:
        asyncio.run(crawler.crawl_async(**spider_args))
    finally:
        root.removeHandler(log)
        root.setLevel(level)
    _last_run_id[:] = [Config.from_crawler(crawler).run_id]
    assert crawler.stats is not None
    return Run(exit_status(crawler.stats), log.text.getvalue(), crawler.stats.get_stats())


def command(*args: str) -> subprocess.CompletedProcess[bytes]:
    """``scrapy ARGS`` run from the project folder, in this process: Scrapy's own command
    line, its exit status, stdout and stderr as a user sees them. Never for a command
    that crawls (its Twisted reactor cannot start twice in one process)."""
    argv = ["scrapy", *args]
    out, err = io.BytesIO(), io.StringIO()
    text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    status: Any = 0
    with contextlib.chdir(REPO), contextlib.redirect_stdout(text), contextlib.redirect_stderr(err):
        try:
            execute(argv)
        except SystemExit as exc:
            status = exc.code
    text.flush()
    return subprocess.CompletedProcess(argv, status or 0, out.getvalue(), err.getvalue().encode())
