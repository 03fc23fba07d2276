"""Item pipelines: normalise, dedupe, extract, archive (``ITEM_PIPELINES``), one flow for
the REST path's objects and the fallback path's pages."""

from __future__ import annotations

from mpcrawl.items import RestObject, RowItem
from mpcrawl.web.items import FetchedPage, WebEntryItem, WebPageItem, WebTombstoneItem

__all__ = ["PipelineItem"]

PipelineItem = RestObject | FetchedPage | RowItem | WebPageItem | WebTombstoneItem | WebEntryItem
"""What the spider yields (raw objects and pages, tombstones, rejects) and what the
normalise pipeline makes of it: each pipeline matches the types it handles and passes
the others on."""
