"""Archive: write row items into the Parquet archive; a site's run record closes it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveError, ArchiveWriter
from mpcrawl.config import Config
from mpcrawl.items import PostItem, RowItem, RunItem, SiteItem
from mpcrawl.schemas import TABLES
from mpcrawl.signals import site_finished
from mpcrawl.siterun import run_record
from mpcrawl.wp.records import year_of

logger = logging.getLogger(__name__)


def row_of(item: Any) -> dict[str, Any]:
    """The item's values for exactly its table's columns."""
    return {name: getattr(item, name, None) for name in TABLES[item.table].schema.names}


class ArchivePipeline:
    """The archive writer as the last pipeline; it also ends each site's run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.config = Config.from_settings(crawler.settings)
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.site_finished, signal=site_finished)
        return pipeline

    def site_finished(self, run: Any, site_item: SiteItem, run_item: RunItem) -> None:
        """Write a finished site's ``sites`` and ``runs`` rows and close its files."""
        try:
            self._write(site_item)
            self._end_site(run_item)
        except ArchiveError as exc:
            self._archive_failed(exc)

    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        location = getattr(spider, "location", None) or ArchiveLocation.parse(self.config.archive)
        run_id = getattr(spider, "run_id", None) or "manual"
        self.writer = ArchiveWriter(
            location,
            run_id,
            batch_rows=self.config.batch_rows,
            file_rows=self.config.file_rows,
        )

    def process_item(self, item: Any) -> Any:
        if not hasattr(item, "table") or item.table not in TABLES:
            return item
        assert self.writer is not None
        try:
            self._write(item)
        except ArchiveError as exc:
            self._archive_failed(exc)
            raise DropItem(f"Not archived: {exc}") from exc
        return item

    def _write(self, item: RowItem) -> None:
        assert self.writer is not None
        if isinstance(item, PostItem):
            if item.archived:
                return
            year = year_of(item.date_gmt, item.date, item.fetched_at)
            self.writer.write("posts", row_of(item), year)
            common = {
                "site": item.site,
                "post_type": item.post_type,
                "post_id": item.id,
                "modified_gmt": item.modified_gmt,
                "run_id": item.run_id,
            }
            for embed in item.embeds:
                self.writer.write("embeds", {**embed, **common}, year)
            for turn in item.turns:
                self.writer.write("speech_turns", {**turn, **common}, year)
            return
        year = year_of(getattr(item, "date_gmt", None), getattr(item, "fetched_at", None))
        self.writer.write(item.table, row_of(item), year)

    def _end_site(self, item: RunItem) -> None:
        assert self.writer is not None
        stats = self.crawler.stats
        assert stats is not None
        self.writer.write("runs", row_of(item))
        self.writer.close_site(item.site)
        spider = self.crawler.spider
        locks = getattr(spider, "locks", None)
        if locks is not None:
            locks.release(item.site)
        stats.inc_value(f"mpcrawl/site/{item.outcome}")
        seconds = (item.finished_at - item.started_at).total_seconds()
        line = (
            f"{item.site}: {item.outcome}; {item.posts_new} new / {item.posts_unchanged} "
            f"unchanged posts, {item.requests} requests, {item.errors} errors, {seconds:.1f}s"
        )
        if item.reason:
            line += f" ({item.reason})"
        log = logger.info if item.outcome in ("ok", "not_wordpress", "locked") else logger.warning
        log("site finished: %s", line)
        summary = getattr(spider, "summary", None)
        if isinstance(summary, list):
            summary.append(line)

    def _archive_failed(self, exc: ArchiveError) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("mpcrawl/archive/errors")
        logger.error("archive write failed: %s", exc)

    def close_spider(self, spider: Spider | None = None) -> None:
        """Record sites cut short, then finish every file that is complete."""
        spider = spider or self.crawler.spider
        assert self.writer is not None
        runs = getattr(spider, "runs", {})
        try:
            for run in runs.values():
                if run.finished:
                    continue
                run.finished = True
                now = datetime.now(UTC)
                cut = "run cut short before the site finished"
                self._end_site(run_record(run, self.writer.run_id, now, "partial", cut))
            self.writer.close()
        except ArchiveError as exc:
            self._archive_failed(exc)
        finally:
            locks = getattr(spider, "locks", None)
            if locks is not None:
                locks.release_all()
