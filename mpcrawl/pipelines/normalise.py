"""Normalise: REST objects become the row items of their tables."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from mpcrawl.items import AuthorItem, MediaItem, PostItem, RestObject, RevisionItem, TermItem
from mpcrawl.wp import records


class NormalisePipeline:
    """Thin adapter over :mod:`mpcrawl.wp.records`; other items pass through."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RestObject):
            return item
        site, fetched_at, run_id = item.site, item.fetched_at, item.run_id
        if item.kind == "post":
            row = records.post_row(
                item.data,
                post_type=item.post_type or "post",
                site=site,
                fetched_at=fetched_at,
                run_id=run_id,
            )
            if row["id"] is None:
                raise DropItem(f"Post without an id on {item.site}")
            return PostItem(**row)
        if item.kind == "revision":
            row = records.revision_row(
                item.data,
                post_type=item.post_type or "post",
                post_id=item.parent_id or 0,
                site=site,
                fetched_at=fetched_at,
                run_id=run_id,
            )
            if row["revision_id"] is None:
                raise DropItem(f"Revision without an id on {item.site}")
            return RevisionItem(**row)
        if item.kind == "term":
            row = records.term_row(
                item.data,
                taxonomy=item.post_type or "category",
                site=site,
                fetched_at=fetched_at,
                run_id=run_id,
            )
            return _with_id(TermItem(**row), item)
        if item.kind == "author":
            return _with_id(
                AuthorItem(
                    **records.author_row(item.data, site=site, fetched_at=fetched_at, run_id=run_id)
                ),
                item,
            )
        if item.kind == "media":
            return _with_id(
                MediaItem(
                    **records.media_row(item.data, site=site, fetched_at=fetched_at, run_id=run_id)
                ),
                item,
            )
        raise DropItem(f"Unknown REST object kind {item.kind!r}")


def _with_id(row: Any, item: RestObject) -> Any:
    if row.id is None:
        raise DropItem(f"{item.kind} without an id on {item.site}")
    return row
