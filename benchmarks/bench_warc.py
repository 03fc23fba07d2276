"""WARC capture's cost (issue 25): bytes beside the Parquet archive, and crawl time.

One sample site of ``POSTS`` posts, crawled by ``scrapy crawl`` with ``MPCRAWL_WARC`` off
and on (best of two each, alternated), then twice more on the recording archive: the
first later night sweeps new URLs (``_fields=id,modified_gmt``), the second is a
no-change night, the nightly steady state, whose records are revisits.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.bench_support import Row, ratio, run_timed, sample_server, scrapy_crawl

POSTS = 2000


def _bytes(root: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in root.rglob(pattern) if not p.name.startswith("."))


def _crawl(archive: Path, url: str, warc: bool) -> float:
    timed = run_timed(scrapy_crawl(archive, url, MPCRAWL_WARC=str(warc)))
    if timed.returncode != 0:
        raise RuntimeError(f"crawl failed: {timed.stderr[-500:]}")
    return timed.seconds


def bench() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp, sample_server(POSTS) as url:
        base = Path(tmp)
        seconds: dict[bool, list[float]] = {False: [], True: []}
        for attempt in range(2):
            for warc in (False, True):
                seconds[warc].append(_crawl(base / f"{warc}-{attempt}", url, warc))
        archive = base / "True-0"
        warc_first, parquet_first = _bytes(archive, "*.warc.gz"), _bytes(archive, "*.parquet")
        _crawl(archive, url, True)  # the first later night: sweep URLs are new
        before_warc, before_parquet = _bytes(archive, "*.warc.gz"), _bytes(archive, "*.parquet")
        _crawl(archive, url, True)  # a no-change night
        night_warc = _bytes(archive, "*.warc.gz") - before_warc
        night_parquet = _bytes(archive, "*.parquet") - before_parquet
    off, on = min(seconds[False]), min(seconds[True])
    return [
        Row(
            f"WARC bytes per post, first crawl ({POSTS} posts)",
            f"{warc_first / POSTS:,.0f} B",
            f"Parquet {parquet_first / POSTS:,.0f} B/post",
            ratio(warc_first, parquet_first),
            "—",
            None,
            "request + response (gzip per record) of every exchange; Parquet holds raw_json",
        ),
        Row(
            "WARC bytes per site, no-change night",
            f"{night_warc:,} B",
            f"Parquet {night_parquet:,} B added",
            ratio(night_warc, night_parquet),
            "kilobytes",
            night_warc < 100_000,
            "revisit records only (identical payload digest)",
        ),
        Row(
            "crawl time with WARC recording",
            f"{on:.1f} s",
            f"without {off:.1f} s",
            ratio(on, off),
            "≤ 1.2×",
            on <= 1.2 * off,
            "best of two each, alternated; includes Scrapy start-up",
        ),
    ]
