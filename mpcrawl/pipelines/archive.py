"""Archive: write row items into the Parquet archive, through the ledger's writer.

A site's ``sites`` and ``runs`` rows, the finishing of its files and its lock belong to
the ledger (:mod:`mpcrawl.ledger`), which writes them once the site's items have all
left the pipelines, this one last.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from mpcrawl.archive.writer import ArchiveError
from mpcrawl.items import PostItem, RestObject
from mpcrawl.ledger import SiteLedger, ledger_of, row_of
from mpcrawl.pipelines import PipelineItem
from mpcrawl.web.items import FetchedPage
from mpcrawl.wp.records import year_of

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """The archive writer as the last pipeline."""

    def __init__(self, ledger: SiteLedger) -> None:
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(ledger_of(crawler))

    def process_item(self, item: PipelineItem) -> PipelineItem:
        try:
            match item:
                case RestObject() | FetchedPage():  # not normalised: no row to write
                    pass
                case PostItem():
                    self._post(item)
                case _:
                    year = year_of(
                        getattr(item, "date_gmt", None), getattr(item, "fetched_at", None)
                    )
                    self.ledger.writer.write(item.table, row_of(item), year)
        except ArchiveError as exc:
            self.ledger.archive_failed(exc, item.site)
            # The ledger logs a site's first failure; one line per dropped item is noise.
            raise DropItem(f"Not archived: {exc}", log_level="DEBUG") from exc
        return item

    def _post(self, item: PostItem) -> None:
        """A post version, then its embeds and turns (the writer renames posts last)."""
        if item.archived:
            return
        writer = self.ledger.writer
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
