"""REST objects to archive rows: types coerced, timestamps parsed, nothing invented.

Real sites send ids as strings, zero dates, missing fields and wrong types; each
function here returns a row whatever it gets, keeping the original in ``raw_json``.
One bad value costs only its own column: a value that no typed column can hold (a date
outside years 1..9999 in UTC, a count beyond int32, a broken URL, text with a lone
UTF-16 surrogate) is left null (text: the surrogate replaced by U+FFFD), and the row's
``bad_values`` says which field and why. Only an object without a usable id cannot be a
row: :func:`reject_row` keeps it whole for the ``rejects`` table.

The field rules (coercion, JSON, hashes, ``bad_values``) live in :mod:`mpcrawl.wp.fields`;
they are importable from here too, as callers have long done.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mpcrawl.wp.fields import (
    FieldReader,
    Unarchivable,
    as_ids,
    as_int,
    as_str,
    dumps,
    link_of,
    object_sha256,
    plain,
    revision_links,
    sha256,
    year_of,
)

__all__ = [
    "FieldReader",
    "Unarchivable",
    "as_ids",
    "as_int",
    "as_str",
    "author_row",
    "dumps",
    "media_row",
    "object_sha256",
    "plain",
    "post_row",
    "reject_row",
    "revision_links",
    "revision_row",
    "sha256",
    "term_row",
    "year_of",
]


def post_row(
    data: dict[str, Any], *, site: str, post_type: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``posts`` row of one REST post object (text columns filled later)."""
    read = FieldReader()
    content = data.get("content")
    protected = bool(isinstance(content, dict) and content.get("protected"))
    content_html = read.text("content", as_str(content))
    excerpt = data.get("excerpt")
    excerpt_html = read.text("excerpt", as_str(excerpt))
    if protected:
        content_html = None
    if protected or (isinstance(excerpt, dict) and excerpt.get("protected")):
        excerpt_html = None
    history = link_of(data, "version-history")
    predecessor = link_of(data, "predecessor-version")
    return {
        "site": site,
        "post_type": post_type,
        "id": read.int64("id", data.get("id")),
        "slug": read.text("slug", as_str(data.get("slug"))),
        "link": read.url("link", data.get("link")),
        "status": read.text("status", as_str(data.get("status"))),
        "date": read.local("date", data.get("date")),
        "modified": read.local("modified", data.get("modified")),
        "date_gmt": read.gmt("date_gmt", data.get("date_gmt")),
        "modified_gmt": read.gmt("modified_gmt", data.get("modified_gmt")),
        "title": read.text("title", plain(data.get("title"))),
        "content_html": content_html,
        "excerpt_html": excerpt_html,
        "author_id": read.int64("author", data.get("author")),
        "category_ids": read.ids("categories", data.get("categories")),
        "tag_ids": read.ids("tags", data.get("tags")),
        "featured_media_id": read.int64("featured_media", data.get("featured_media")) or None,
        "protected": protected,
        "revision_count": read.int32(
            "version-history.count", history.get("count") if history else None
        ),
        "predecessor_revision_id": read.int64(
            "predecessor-version.id", predecessor.get("id") if predecessor else None
        ),
        "content_sha256": sha256(as_str(content)),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
        "bad_values": read.bad_values,
    }


def revision_row(
    data: dict[str, Any],
    *,
    site: str,
    post_type: str,
    post_id: int,
    fetched_at: datetime,
    run_id: str,
) -> dict[str, Any]:
    """The ``revisions`` row of one object from a revisions route."""
    read = FieldReader()
    content = as_str(data.get("content"))
    return {
        "site": site,
        "post_type": post_type,
        "post_id": read.int64("parent", data.get("parent")) or post_id,
        "revision_id": read.int64("id", data.get("id")),
        "author_id": read.int64("author", data.get("author")),
        "date_gmt": read.gmt("date_gmt", data.get("date_gmt")),
        "modified_gmt": read.gmt("modified_gmt", data.get("modified_gmt")),
        "title": read.text("title", plain(data.get("title"))),
        "content_html": read.text("content", content),
        "content_sha256": sha256(content),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
        "bad_values": read.bad_values,
    }


def term_row(
    data: dict[str, Any], *, site: str, taxonomy: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``terms`` row of a category or tag."""
    read = FieldReader()
    return {
        "site": site,
        "taxonomy": read.text("taxonomy", as_str(data.get("taxonomy"))) or taxonomy,
        "id": read.int64("id", data.get("id")),
        "name": read.text("name", plain(data.get("name"))),
        "slug": read.text("slug", as_str(data.get("slug"))),
        "parent": read.int64("parent", data.get("parent")),
        "count": read.int64("count", data.get("count")),
        "content_sha256": object_sha256(data),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
        "bad_values": read.bad_values,
    }


def author_row(
    data: dict[str, Any], *, site: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``authors`` row of a user."""
    read = FieldReader()
    return {
        "site": site,
        "id": read.int64("id", data.get("id")),
        "name": read.text("name", plain(data.get("name"))),
        "slug": read.text("slug", as_str(data.get("slug"))),
        "content_sha256": object_sha256(data),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
        "bad_values": read.bad_values,
    }


def media_row(
    data: dict[str, Any], *, site: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``media`` row of an attachment."""
    read = FieldReader()
    details = data.get("media_details")
    details = details if isinstance(details, dict) else {}
    return {
        "site": site,
        "id": read.int64("id", data.get("id")),
        "date_gmt": read.gmt("date_gmt", data.get("date_gmt")),
        "modified_gmt": read.gmt("modified_gmt", data.get("modified_gmt")),
        "source_url": read.url("source_url", data.get("source_url")),
        "mime_type": read.text("mime_type", as_str(data.get("mime_type"))),
        "alt_text": read.text("alt_text", as_str(data.get("alt_text"))),
        "caption": read.text("caption", plain(data.get("caption"))),
        "width": read.int64("width", details.get("width")),
        "height": read.int64("height", details.get("height")),
        "content_sha256": object_sha256(data),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
        "bad_values": read.bad_values,
    }


def reject_row(
    data: Any,
    *,
    site: str,
    kind: str,
    post_type: str | None,
    reason: str,
    fetched_at: datetime,
    run_id: str,
) -> dict[str, Any]:
    """The ``rejects`` row of an object no table's row can hold, kept whole.

    >>> row = reject_row({"id": "x"}, site="e.org", kind="post", post_type="post",
    ...                  reason="no id", fetched_at=None, run_id="r")
    >>> row["raw_json"], row["id_as_sent"], row["reason"]
    ('{"id":"x"}', 'x', 'no id')
    """
    try:
        raw: str | None = dumps(data)
    except Unarchivable as exc:
        raw, reason = None, f"{reason}; {exc}"
    sent = data.get("id") if isinstance(data, dict) else None
    return {
        "site": site,
        "kind": kind,
        "post_type": post_type,
        "id_as_sent": FieldReader().text("id", None if sent is None else str(sent)[:100]),
        "reason": reason,
        "raw_json": raw,
        "raw_sha256": sha256(raw),
        "fetched_at": fetched_at,
        "run_id": run_id,
    }
