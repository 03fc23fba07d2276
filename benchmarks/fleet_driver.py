"""Crawl night after night in one process, for the fleet benchmark's trend.

``python -m benchmarks.fleet_driver SITES.csv ARCHIVE [NAME=VALUE …]`` reads one run id
per line on stdin, crawls every site of the list once under it (a new crawler, spider and
``Config`` each time; the state comes from the archive as in any run) and answers one JSON
line: wall and CPU seconds and the crawl's integer stats. Settings are the project's,
plus the ``NAME=VALUE`` pairs.

Why not one ``scrapy crawl`` process per night: start-up is 2–5 s on these shared
machines, most of a small fleet's night, and it does not change as the archive ages,
which is what the trend measures. Part (a) of the benchmark runs real processes.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from typing import Any

from scrapy.utils.reactor import install_reactor

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

from scrapy.crawler import AsyncCrawlerRunner  # noqa: E402
from scrapy.utils.defer import deferred_from_coro  # noqa: E402
from scrapy.utils.log import configure_logging  # noqa: E402
from scrapy.utils.project import get_project_settings  # noqa: E402
from twisted.internet import reactor  # noqa: E402


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def nights(listing: str, archive: str, extra: dict[str, str]) -> None:
    loop = asyncio.get_running_loop()
    try:
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            settings = get_project_settings()
            settings.setdict({"MPCRAWL_ARCHIVE": archive, **extra}, priority="cmdline")
            settings.set("MPCRAWL_RUN_ID", line.strip(), priority="cmdline")
            runner = AsyncCrawlerRunner(settings)
            crawler = runner.create_crawler("wp")
            start, cpu = time.perf_counter(), _cpu()
            await runner.crawl(crawler, sites=listing)
            assert crawler.stats is not None
            counted = {
                k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int | float)
            }
            answer: dict[str, Any] = {
                "seconds": time.perf_counter() - start,
                "cpu_seconds": _cpu() - cpu,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "stats": counted,
            }
            print(json.dumps(answer), flush=True)
    finally:
        reactor.stop()  # type: ignore[misc]


def main(argv: list[str]) -> None:
    listing, archive, *pairs = argv
    extra = dict(pair.split("=", 1) for pair in pairs)
    settings = get_project_settings()
    settings.setdict(extra, priority="cmdline")
    configure_logging(settings)
    reactor.callWhenRunning(lambda: deferred_from_coro(nights(listing, archive, extra)))
    reactor.run()  # type: ignore[misc]


if __name__ == "__main__":
    main(sys.argv[1:])
