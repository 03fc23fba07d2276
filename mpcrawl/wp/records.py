"""REST objects to archive rows: types coerced, timestamps parsed, nothing invented.

Real sites send ids as strings, zero dates, missing fields and wrong types; each
function here returns a row whatever it gets, keeping the original in ``raw_json``.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any

import orjson
from w3lib.html import remove_tags, replace_entities

from mpcrawl.wp.dates import parse_wp_datetime, parse_wp_gmt

_INT64 = range(-(2**63), 2**63)
_DIGITS = re.compile(r"^\s*-?[0-9]{1,19}\s*$")


def as_int(value: Any) -> int | None:
    """An integer id from an int or a numeric string; None otherwise (or out of int64).

    >>> as_int("4407"), as_int(12), as_int(True), as_int("x"), as_int(1.5), as_int(2**64)
    (4407, 12, None, None, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _DIGITS.match(value):
        value = int(value.strip())
    if isinstance(value, int) and value in _INT64:
        return value
    return None


def as_ids(value: Any) -> list[int]:
    """A list of integer ids, dropping what is not one.

    >>> as_ids([4, "5", None, "x"])
    [4, 5]
    """
    if not isinstance(value, list):
        return []
    return [i for i in (as_int(v) for v in value) if i is not None]


def as_str(value: Any) -> str | None:
    """A string field, or the ``rendered`` form of a ``{"rendered": ...}`` field."""
    if isinstance(value, dict):
        value = value.get("rendered")
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def plain(value: Any) -> str | None:
    """Rendered HTML of a title or caption as text, entities decoded.

    >>> plain({"rendered": "Fish &#038; Chips &#8211; <em>now</em>"})
    'Fish & Chips – now'
    """
    text = as_str(value)
    if text is None:
        return None
    return replace_entities(remove_tags(text)).strip()


def dumps(data: Any) -> str:
    """Compact JSON text: ``json.loads(dumps(x)) == x``.

    orjson writes a post three times faster than ``json``. What it refuses (integers
    beyond 64 bits, non-str keys, lone surrogates) goes through ``json``, and so does any
    text with a ``null`` in it, since orjson also writes NaN and ±Infinity as null (WordPress
    posts rarely hold a null).

    >>> dumps({"n": 2**70, "t": "é", 1: [float("inf"), None]})
    '{"n":1180591620717411303424,"t":"é","1":[Infinity,null]}'
    """
    try:
        text = orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError
        pass
    else:
        if b"null" not in text:
            return text.decode("utf-8")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def sha256(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None


def object_sha256(data: dict[str, Any]) -> str:
    """Hash of a REST object without ``_links``, so link churn is not a change."""
    stable = {k: v for k, v in data.items() if k != "_links"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode("utf-8")).hexdigest()


def _link(data: dict[str, Any], rel: str) -> dict[str, Any] | None:
    links = data.get("_links")
    if not isinstance(links, dict):
        return None
    entries = links.get(rel)
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return entries[0]
    return None


def revision_links(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """``version-history`` count and ``predecessor-version`` id, which anyone can see.

    >>> revision_links({"_links": {"version-history": [{"count": 4}],
    ...                            "predecessor-version": [{"id": 5776}]}})
    (4, 5776)
    """
    history = _link(data, "version-history")
    predecessor = _link(data, "predecessor-version")
    count = as_int(history.get("count")) if history else None
    return count, as_int(predecessor.get("id")) if predecessor else None


def year_of(*candidates: datetime | None) -> int | None:
    """The partition year: the first usable timestamp's year."""
    for value in candidates:
        if value is not None:
            return value.year
    return None


def post_row(
    data: dict[str, Any], *, site: str, post_type: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``posts`` row of one REST post object (text columns filled later)."""
    content = data.get("content")
    protected = bool(isinstance(content, dict) and content.get("protected"))
    content_html = as_str(content)
    excerpt = data.get("excerpt")
    excerpt_html = as_str(excerpt)
    if protected:
        content_html = None
    if protected or (isinstance(excerpt, dict) and excerpt.get("protected")):
        excerpt_html = None
    revision_count, predecessor = revision_links(data)
    return {
        "site": site,
        "post_type": post_type,
        "id": as_int(data.get("id")),
        "slug": as_str(data.get("slug")),
        "link": as_str(data.get("link")),
        "status": as_str(data.get("status")),
        "date": parse_wp_datetime(data.get("date")),
        "modified": parse_wp_datetime(data.get("modified")),
        "date_gmt": parse_wp_gmt(data.get("date_gmt")),
        "modified_gmt": parse_wp_gmt(data.get("modified_gmt")),
        "title": plain(data.get("title")),
        "content_html": content_html,
        "excerpt_html": excerpt_html,
        "author_id": as_int(data.get("author")),
        "category_ids": as_ids(data.get("categories")),
        "tag_ids": as_ids(data.get("tags")),
        "featured_media_id": as_int(data.get("featured_media")) or None,
        "protected": protected,
        "revision_count": revision_count,
        "predecessor_revision_id": predecessor,
        "content_sha256": sha256(as_str(content)),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
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
    content = as_str(data.get("content"))
    return {
        "site": site,
        "post_type": post_type,
        "post_id": as_int(data.get("parent")) or post_id,
        "revision_id": as_int(data.get("id")),
        "author_id": as_int(data.get("author")),
        "date_gmt": parse_wp_gmt(data.get("date_gmt")),
        "modified_gmt": parse_wp_gmt(data.get("modified_gmt")),
        "title": plain(data.get("title")),
        "content_html": content,
        "content_sha256": sha256(content),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
    }


def term_row(
    data: dict[str, Any], *, site: str, taxonomy: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``terms`` row of a category or tag."""
    return {
        "site": site,
        "taxonomy": as_str(data.get("taxonomy")) or taxonomy,
        "id": as_int(data.get("id")),
        "name": plain(data.get("name")),
        "slug": as_str(data.get("slug")),
        "parent": as_int(data.get("parent")),
        "count": as_int(data.get("count")),
        "content_sha256": object_sha256(data),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
    }


def author_row(
    data: dict[str, Any], *, site: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``authors`` row of a user."""
    return {
        "site": site,
        "id": as_int(data.get("id")),
        "name": plain(data.get("name")),
        "slug": as_str(data.get("slug")),
        "content_sha256": object_sha256(data),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
    }


def media_row(
    data: dict[str, Any], *, site: str, fetched_at: datetime, run_id: str
) -> dict[str, Any]:
    """The ``media`` row of an attachment."""
    details = data.get("media_details")
    details = details if isinstance(details, dict) else {}
    return {
        "site": site,
        "id": as_int(data.get("id")),
        "date_gmt": parse_wp_gmt(data.get("date_gmt")),
        "modified_gmt": parse_wp_gmt(data.get("modified_gmt")),
        "source_url": as_str(data.get("source_url")),
        "mime_type": as_str(data.get("mime_type")),
        "alt_text": as_str(data.get("alt_text")),
        "caption": plain(data.get("caption")),
        "width": as_int(details.get("width")),
        "height": as_int(details.get("height")),
        "content_sha256": object_sha256(data),
        "raw_json": dumps(data),
        "fetched_at": fetched_at,
        "run_id": run_id,
    }
