"""The archive writer against Scrapy's JSON lines exporter, and the item pipelines.

Items are the sample site's posts (the real seed post and 270 generated ones, ~3.7 kB of
REST JSON each), normalised and extracted as in a crawl, repeated with fresh ids.
"""

from __future__ import annotations

import copy
import gzip
import json
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object

from benchmarks.bench_support import Row, ratio
from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.items import RestObject
from mpcrawl.pipelines.archive import row_of
from mpcrawl.sample.generate import DATA_DIR, SITE_FILE
from mpcrawl.wp.records import year_of

SITE = "bench.example"
RUN_ID = "bench"
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)


_TEXT = re.compile(r">([^<]+)<")


def _reword(html: str, rng: random.Random) -> str:
    """The same markup with the words of each text node shuffled: no two posts repeat."""

    def shuffle(match: re.Match[str]) -> str:
        words = match.group(1).split(" ")
        rng.shuffle(words)
        return ">" + " ".join(words) + "<"

    return _TEXT.sub(shuffle, html)


def rest_posts(count: int) -> list[dict[str, Any]]:
    """``count`` distinct REST posts: the sample site's, reworded, with fresh ids.

    Repeating identical posts would flatter the compressed archive (zstd finds whole
    repeated posts); shuffled words keep each site's vocabulary, as real posts do.
    """
    with gzip.open(DATA_DIR / SITE_FILE, "rt", encoding="utf-8") as handle:
        bundled = json.load(handle)["posts"]
    rng = random.Random(20260101)
    posts = []
    for n in range(count):
        post = copy.deepcopy(bundled[n % len(bundled)])
        post["id"] = n + 1
        post["slug"] = f"{post['slug']}-{n}"
        for field in ("content", "excerpt", "title"):
            post[field]["rendered"] = _reword(">" + post[field]["rendered"] + "<", rng)[1:-1]
        posts.append(post)
    return posts


def rest_objects(count: int) -> list[RestObject]:
    return [
        RestObject("post", SITE, data, FETCHED_AT, RUN_ID, post_type="post")
        for data in rest_posts(count)
    ]


def crawler_parts(archive: Path) -> tuple[Any, Any]:
    """The project's pipelines in their configured order, as a crawl builds them."""
    settings = Settings()
    settings.setmodule("mpcrawl.settings", priority="project")
    settings.set("MPCRAWL_ARCHIVE", str(archive))
    crawler = SimpleNamespace(settings=settings, stats=None, spider=None, signals=None)
    crawler.stats = MemoryStatsCollector(crawler)  # type: ignore[arg-type]
    crawler.signals = SignalManager(crawler)
    crawler.spider = SimpleNamespace(
        location=ArchiveLocation.parse(str(archive)), run_id=RUN_ID, runs={}, locks=None
    )
    pipelines = []
    for path, _ in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
        cls = load_object(path)
        pipelines.append(cls.from_crawler(crawler) if hasattr(cls, "from_crawler") else cls())
    return crawler, pipelines


def run_pipelines(objects: list[RestObject], archive: Path) -> float:
    """Seconds to take REST objects through every pipeline into closed part files."""
    crawler, pipelines = crawler_parts(archive)
    for pipeline in pipelines:
        if hasattr(pipeline, "open_spider"):
            pipeline.open_spider(crawler.spider)
    start = time.perf_counter()
    for obj in objects:
        item: Any = obj
        for pipeline in pipelines:
            item = pipeline.process_item(item)
    for pipeline in pipelines:
        if hasattr(pipeline, "close_spider"):
            pipeline.close_spider(crawler.spider)
    return time.perf_counter() - start


def post_rows(count: int, work: Path) -> list[dict[str, Any]]:
    """Finished ``posts`` rows, exactly as the archive pipeline hands them to the writer."""
    _, pipelines = crawler_parts(work / "rows")
    rows = []
    for obj in rest_objects(count):
        item: Any = obj
        for pipeline in pipelines[:-1]:  # all but the archive writer
            item = pipeline.process_item(item)
        rows.append(row_of(item))
    return rows


def write_json_lines(rows: list[dict[str, Any]], path: Path) -> float:
    start = time.perf_counter()
    with path.open("wb") as handle:
        exporter = JsonLinesItemExporter(handle)  # type: ignore[arg-type]
        exporter.start_exporting()
        for row in rows:
            exporter.export_item(row)
        exporter.finish_exporting()
    return time.perf_counter() - start


def write_archive(rows: list[dict[str, Any]], archive: Path) -> float:
    start = time.perf_counter()
    writer = ArchiveWriter(ArchiveLocation.parse(str(archive)), RUN_ID)
    for row in rows:
        writer.write("posts", row, year_of(row["date_gmt"], row["fetched_at"]))
    writer.close()
    return time.perf_counter() - start


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_writer(items: int = 10_000, repeats: int = 3) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="mpcrawl-bench-writer-"))
    try:
        rows = post_rows(items, work)
        json_s, archive_s = [], []
        for n in range(repeats):  # interleaved, best of each: both see the same noise
            json_s.append(write_json_lines(rows, work / f"items-{n}.jsonl"))
            archive_s.append(write_archive(rows, work / f"archive-{n}"))
        json_rate, archive_rate = items / min(json_s), items / min(archive_s)
        json_bytes = (work / "items-0.jsonl").stat().st_size
        archive_bytes = folder_bytes(work / "archive-0")
        return [
            Row(
                f"archive writer alone, {items} posts rows, items/s",
                f"{archive_rate:,.0f}/s",
                f"JsonLinesItemExporter: {json_rate:,.0f}/s",
                ratio(archive_rate, json_rate),
                "≥ 1.5×",
                archive_rate >= 1.5 * json_rate,
            ),
            Row(
                "archive bytes (zstd Parquet)",
                f"{archive_bytes / 1e6:.1f} MB",
                f"JSON lines: {json_bytes / 1e6:.1f} MB",
                ratio(archive_bytes, json_bytes),
                "≤ 0.30×",
                archive_bytes <= 0.30 * json_bytes,
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_pipelines(limit: Callable[[], float] | None, posts: int = 5_000) -> Row:
    """Posts per second through every pipeline, against the server's posts per second.

    The two are measured alternately, best of two each, so both see the same machine.
    """
    work = Path(tempfile.mkdtemp(prefix="mpcrawl-bench-pipelines-"))
    try:
        rates, limits = [], []
        for n in range(2):
            if limit is not None:
                limits.append(limit())
            rates.append(posts / run_pipelines(rest_objects(posts), work / f"archive-{n}"))
        rate = max(rates)
        reference = max(limits) if limits else 900.0
        where = "measured in this run" if limits else "not measured: stated"
        return Row(
            "pipelines + archive writer (normalise, extract, dedupe, write), posts/s",
            f"{rate:,.0f}/s",
            f"real WordPress's limit ({where}): {reference:,.0f}/s",
            ratio(rate, reference),
            "≥ 3×",
            rate >= 3 * reference,
            "pipelines in their ITEM_PIPELINES order; limit = sequential loop over 10 pages of 100",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
