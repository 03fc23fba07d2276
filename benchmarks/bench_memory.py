"""Peak RSS of a crawl: 100,000 posts against the same crawl of 10,000 (sample server).

Each crawl is its own ``scrapy crawl`` process; its peak RSS comes from ``wait4``. The
sample server runs in another process, so its memory is not counted.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.bench_support import Row, Timed, ratio, run_timed, sample_server, scrapy_crawl

SMALL, LARGE = 10_000, 100_000


def crawl(posts: int, work: Path) -> Timed:
    with sample_server(posts) as url:
        return run_timed(scrapy_crawl(work / f"archive-{posts}", url, LOG_LEVEL="INFO"))


def bench(large: int = LARGE, small: int = SMALL) -> Row:
    work = Path(tempfile.mkdtemp(prefix="mpcrawl-bench-memory-"))
    try:
        few, many = crawl(small, work), crawl(large, work)
        ok = few.returncode == 0 and many.returncode == 0
        return Row(
            f"peak RSS, crawl of {large:,} posts (sample server, AutoThrottle off)",
            f"{many.max_rss_mb:.0f} MB in {many.seconds:.0f} s",
            f"{small:,} posts: {few.max_rss_mb:.0f} MB in {few.seconds:.0f} s",
            ratio(many.max_rss_mb, few.max_rss_mb),
            "≤ 1.2×",
            ok and many.max_rss_mb <= 1.2 * few.max_rss_mb,
            f"{(many.max_rss_mb - few.max_rss_mb) * 2**20 / (large - small):,.0f} bytes per "
            "extra post"
            if ok
            else f"exit {few.returncode}/{many.returncode}",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
