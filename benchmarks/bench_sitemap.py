"""What reading a large sitemap costs, against the reader as it was before its fast paths.

The reference, measured in the same run, is :func:`mpcrawl.web.sitemaps.parse_sitemap`
with every ``<loc>`` through ``urljoin`` and every element's name through
``etree.QName`` (as it read sitemaps before). Both give the same entries (checked here).

``python -m benchmarks.bench_sitemap`` (or ``python -m benchmarks.run sitemap``).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import Any
from unittest import mock

from lxml import etree

from benchmarks.bench_support import Row, ratio
from mpcrawl.web import sitemaps
from mpcrawl.web.sitemaps import parse_sitemap

URLS = 50_000  # the protocol's cap for one file
TARGET = 1.5  # the reader at least this much cheaper


def urlset(count: int) -> bytes:
    rows = "".join(
        f"<url><loc>https://www.example-mp.org.uk/news/{n}/a-post-title-{n}/</loc>"
        f"<lastmod>2024-01-02T03:04:05+00:00</lastmod></url>"
        for n in range(count)
    )
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    return f'<?xml version="1.0"?><urlset {ns}>{rows}</urlset>'.encode()


@contextlib.contextmanager
def as_before() -> Iterator[None]:
    """The reader without its fast paths."""

    def local_name(el: Any) -> str:
        return etree.QName(el).localname if isinstance(el.tag, str) else ""

    with (
        mock.patch.object(sitemaps, "_joins_to_itself", lambda loc, origin: False),
        mock.patch.object(sitemaps, "_local_name", local_name),
    ):
        yield


def cpu_seconds(body: bytes, runs: int) -> tuple[float, sitemaps.SitemapFile]:
    times, parsed = [], None
    for _ in range(runs):
        started = time.process_time()
        parsed = parse_sitemap(body, "https://www.example-mp.org.uk/sitemap.xml")
        times.append(time.process_time() - started)
    assert parsed is not None
    return sorted(times)[len(times) // 2], parsed


def bench(runs: int = 5) -> list[Row]:
    body = urlset(URLS)
    after, parsed = cpu_seconds(body, runs)
    with as_before():
        before, reference = cpu_seconds(body, runs)
    assert parsed.entries == reference.entries and len(parsed.entries) == URLS
    return [
        Row(
            f"parse_sitemap, {URLS:,} URLs",
            f"{after:.2f} CPU-s",
            f"{before:.2f} CPU-s (urljoin and QName for each)",
            ratio(before, after),
            f"≥ {TARGET}× cheaper",
            before / after >= TARGET,
            f"{len(body) / 1e6:.1f} MB; median of {runs}",
        )
    ]


if __name__ == "__main__":
    for row in bench():
        print(f"{row.measure}: {row.value} against {row.reference}: {row.ratio} {row.note}")
    sys.exit(0)
