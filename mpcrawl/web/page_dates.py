"""The date a page prints of itself, through its platform's profile.

Machine-readable first (the profile's own elements, such as Drupal 7's RDFa ``dc:created``;
``article:published_time``; JSON-LD ``datePublished`` read by extruct; the page's own
``<time datetime>``, never a query loop's), its display date last, read in the page's
language's order (``<html lang>``, ``og:locale``) or not at all when ambiguous. A time the
page prints that no column holds is noted in the page's ``bad_values`` and no day is
guessed in its place. Split from :mod:`mpcrawl.web.page` (the content and the version key).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from mpcrawl.web.dates import as_midnight, day_first, display_date, read_utc
from mpcrawl.web.profiles import Profile
from mpcrawl.wp.fields import FieldReader

__all__ = ["exact", "json_ld", "published", "strings", "whole_day"]


def published(
    doc: Any, profile: Profile, meta: dict[str, str], ld: dict[str, str], read: FieldReader
) -> datetime | None:
    """The page's own creation time: its metadata first, its display date last (none
    guessed where the metadata's time is one no column holds: in ``read.bad``)."""
    found = exact(
        read,
        "date_gmt",
        *strings(doc, profile.published),
        meta.get("article:published_time"),
        ld.get("datePublished"),
        *strings(doc, tuple(f"({x})/@datetime" for x in profile.times)),
    )
    if found is not None or any(b.startswith("date_gmt:") for b in read.bad):
        return found
    return as_midnight(_display_date(doc, profile.display, _language(doc, meta)))


def json_ld(body: str, url: str) -> dict[str, str]:
    """``datePublished``/``dateModified`` of the page's article in its JSON-LD (extruct)."""
    if "application/ld+json" not in body:
        return {}
    # extruct pulls in rdflib and friends: imported only for pages that carry JSON-LD.
    from extruct.jsonld import JsonLdExtractor

    try:
        items = JsonLdExtractor().extract(body, base_url=url)
    except (ValueError, TypeError):
        return {}
    stack: list[Any] = list(items)
    while stack:
        node = stack.pop(0)
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "@graph" in node:
                stack.extend(node["@graph"] if isinstance(node["@graph"], list) else [])
            if isinstance(node.get("datePublished"), str):
                return {k: node[k] for k in ("datePublished", "dateModified") if k in node}
    return {}


def strings(doc: Any, xpaths: tuple[str, ...]) -> list[str]:
    """The strings the XPath expressions find, in order."""
    return [str(value) for xpath in xpaths for value in doc.xpath(xpath)]


def exact(read: FieldReader, name: str, *values: Any) -> datetime | None:
    """The first exact time (ISO 8601 with offset) among the values; one whose UTC falls
    outside years 1..9999 is noted and passed over (text that is no time is not a date)."""
    for value in values:
        if not isinstance(value, str):
            continue
        parsed, problem = read_utc(value)
        if parsed is not None:
            return parsed
        if problem and problem.startswith("outside"):
            read.note(name, problem)
    return None


def _language(doc: Any, meta: dict[str, str]) -> str | None:
    return doc.get("lang") or doc.get("xml:lang") or meta.get("og:locale")


def _display_date(doc: Any, xpaths: tuple[str, ...], lang: str | None) -> date | None:
    """The page's own display date, read in its language's order (None if ambiguous)."""
    for xpath in xpaths:
        for el in doc.xpath(xpath):
            text = el.get("datetime") or el.text_content()
            if day := display_date(text, day_first(lang)):
                return day
    return None


def whole_day(value: str) -> datetime | None:
    """An ISO day (htmldate's) as midnight UTC; None where it is no day."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None
