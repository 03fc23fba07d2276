"""Crawl a real platform in process and measure the archive against what was seeded.

The figures of issue 23 per platform and variant: publications found / published,
``date_gmt`` exact to the second, id and type present, embeds and speaker turns found,
text similarity to the body field, listing pages archived as publications.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import statistics
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mpcrawl.extract.text import html_to_text
from mpcrawl.read import connect
from tests.inprocess import wp_crawler


def similar(want: str, got: str) -> float:
    """difflib's similarity of two texts; 1.0 for the same text without comparing them
    character by character (a CPU second for every ~50 of the seeded WordPress posts)."""
    if want == got:
        return 1.0
    return difflib.SequenceMatcher(None, want, got, autojunk=False).ratio()


@dataclass(frozen=True)
class Truth:
    """One publication as seeded: its path and what the archive should say of it."""

    path: str
    date_gmt: datetime | None  # None: the page shows no date
    body_html: str
    embeds: int = 0
    turns: int = 0


@dataclass
class Figures:
    published: int
    found: int
    listings_archived: int
    date_exact: int
    date_wrong: int  # a date the page does not say: another day, or one where it shows none
    date_swapped: int  # of those, day and month exchanged
    dated: int
    undated_null: int
    undated: int
    ids: int
    types: int
    embeds_found: int
    embeds: int
    turns_found: int
    turns: int
    similar_99: int
    similarity_median: float
    requests: int
    stats: dict[str, Any]

    def line(self, name: str) -> str:
        return f"{name}: " + json.dumps({k: v for k, v in asdict(self).items() if k != "stats"})


def _path(url: str) -> str:
    """A URL's path without its trailing slash (a permalink with or without it)."""
    return urlsplit(url).path.rstrip("/") or "/"


def _truth_path(url: str, final_url: str | None, want: dict[str, Truth]) -> str:
    """The path of a row: its final URL's, or its listed URL's where only that is true."""
    paths = [_path(u) for u in (final_url, url) if u]
    return next((p for p in paths if p in want), paths[0])


def _swapped(got: datetime | None, want: datetime | None) -> bool:
    if got is None or want is None or want.day == want.month:
        return False
    return (got.year, got.month, got.day) == (want.year, want.day, want.month)


def crawl_in_process(
    archive: Path, url: str, settings: dict[str, Any] | None = None, **args: str
) -> dict[str, Any]:
    """``scrapy crawl wp -a site=URL`` (``-s`` each of ``settings``) in this process;
    Scrapy's stats."""
    crawler = wp_crawler(archive, **(settings or {}))
    asyncio.run(crawler.crawl_async(site=url, **args))
    return dict(crawler.stats.get_stats())


def measure(
    archive: Path,
    url: str,
    truth: list[Truth],
    settings: dict[str, Any] | None = None,
    **args: str,
) -> Figures:
    stats = crawl_in_process(archive, url, settings, **args)
    con = connect(str(archive))
    rows = con.sql(
        "SELECT url, final_url, id, post_type, date_gmt, content_text, embed_count, turn_count"
        " FROM web_pages_latest"
    ).fetchall()
    want = {_path(t.path): t for t in truth}
    # a page the id walk found was fetched from its number (/node/N) and listed under its
    # canonical address: whichever of the two the truth names
    by_path = {_truth_path(r[0], r[1], want): r for r in rows}
    got = {p: r for p, r in by_path.items() if p in want}
    similarity = [similar(html_to_text(want[p].body_html), r[5] or "") for p, r in got.items()]
    dated = [t for t in truth if t.date_gmt is not None]
    return Figures(
        published=len(truth),
        found=len(got),
        listings_archived=len(by_path) - len(got),
        date_exact=sum(1 for p, r in got.items() if r[4] and r[4] == want[p].date_gmt),
        date_wrong=sum(1 for p, r in got.items() if r[4] is not None and r[4] != want[p].date_gmt),
        date_swapped=sum(1 for p, r in got.items() if _swapped(r[4], want[p].date_gmt)),
        dated=len(dated),
        undated_null=sum(1 for p, r in got.items() if want[p].date_gmt is None and r[4] is None),
        undated=len(truth) - len(dated),
        ids=sum(1 for r in got.values() if r[2] is not None),
        types=sum(1 for r in got.values() if r[3] is not None),
        embeds_found=sum(min(r[6] or 0, want[p].embeds) for p, r in got.items()),
        embeds=sum(t.embeds for t in truth),
        turns_found=sum(min(r[7] or 0, want[p].turns) for p, r in got.items()),
        turns=sum(t.turns for t in truth),
        similar_99=sum(1 for s in similarity if s >= 0.99),
        similarity_median=round(statistics.median(similarity), 4) if similarity else 0.0,
        requests=int(stats.get("downloader/request_count", 0)),
        stats={k: v for k, v in stats.items() if k.startswith("mpcrawl/")},
    )
