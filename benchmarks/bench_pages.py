"""Peak memory and requests of a large fallback crawl: 5,000 pages of a non-WordPress site.

The site (``tests/politeserver.py``, in a thread here) lists 5,000 articles in one sitemap
without ``lastmod``; each page is ~60 kB (a theme's scripts around a short article) and
has an ``ETag``. The crawl is its own ``scrapy crawl`` process, its peak RSS from the
launcher's ``getrusage``: a first run, then a no-change night (conditional requests,
answered 304). Issue 23's figure before the fix: 1,039 MB at 5,000 pages.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.bench_support import Row, run_timed, scrapy_crawl
from tests.politeserver import PoliteSite

PAGES, PADDING = 5_000, 60_000
TARGET_MB = 300


def bench(pages: int = PAGES) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="mpcrawl-bench-pages-"))
    try:
        with PoliteSite(pages, padding=PADDING) as site:
            first = run_timed(scrapy_crawl(work / "archive", site.url, LOG_LEVEL="INFO"))
            first_requests = len(site.hits())
            again = run_timed(scrapy_crawl(work / "archive", site.url, LOG_LEVEL="INFO"))
            again_requests = len(site.hits()) - first_requests
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ok = first.returncode == 0 and again.returncode == 0
    print(
        f"fallback {pages} pages: first run {first.max_rss_mb:.0f} MB, {first_requests} requests,"
        f" {first.seconds:.0f} s; no-change night {again.max_rss_mb:.0f} MB, {again_requests}"
        f" requests, {again.seconds:.0f} s"
    )
    return [
        Row(
            f"peak RSS, fallback crawl of {pages:,} pages of ~{PADDING // 1000} kB",
            f"{first.max_rss_mb:.0f} MB in {first.seconds:.0f} s, {first_requests} requests",
            f"no-change night: {again.max_rss_mb:.0f} MB in {again.seconds:.0f} s, "
            f"{again_requests} requests (304s)",
            f"{first.max_rss_mb / max(again.max_rss_mb, 1):.2f}×",
            f"≤ {TARGET_MB} MB",
            ok and first.max_rss_mb <= TARGET_MB,
            "before: 481 MB on this site (c60deca), 1,039 MB in issue 23"
            if ok
            else f"exit {first.returncode}/{again.returncode}",
        )
    ]


if __name__ == "__main__":
    for row in bench():
        print(row)
