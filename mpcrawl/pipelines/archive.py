"""Archive: write row items into the Parquet archive, through the ledger's writer.

A site's ``sites`` and ``runs`` rows, the finishing of its files and its lock belong to
the ledger (:mod:`mpcrawl.ledger`), which writes them once the site's items have all
left the pipelines, this one last.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.archive.writer import ArchiveError
from mpcrawl.items import PostItem, RowItem
from mpcrawl.ledger import SiteLedger, ledger_of, row_of
from mpcrawl.schemas import TABLES
from mpcrawl.wp.records import year_of

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """The archive writer as the last pipeline."""

    def __init__(self, ledger: SiteLedger) -> None:
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(ledger_of(crawler))

    def process_item(self, item: Any) -> Any:
        if not hasattr(item, "table") or item.table not in TABLES:
            return item
        try:
            self._write(item)
        except ArchiveError as exc:
            self.ledger.archive_failed(exc, getattr(item, "site", None))
            # The ledger logs a site's first failure; one line per dropped item is noise.
            raise DropItem(f"Not archived: {exc}", log_level="DEBUG") from exc
        return item

    def _write(self, item: RowItem) -> None:
        writer = self.ledger.writer
        if isinstance(item, PostItem):
            if item.archived:
                return
            year = year_of(item.date_gmt, item.date, item.fetched_at)
            writer.write("posts", row_of(item), year)
            common = {
                "site": item.site,
                "post_type": item.post_type,
                "post_id": item.id,
                "modified_gmt": item.modified_gmt,
                "run_id": item.run_id,
            }
            for embed in item.embeds:
                writer.write("embeds", {**embed, **common}, year)
            for turn in item.turns:
                writer.write("speech_turns", {**turn, **common}, year)
            return
        year = year_of(getattr(item, "date_gmt", None), getattr(item, "fetched_at", None))
        writer.write(item.table, row_of(item), year)
