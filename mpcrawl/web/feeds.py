"""Feeds (RSS, Atom) as lists of publications, read by feedparser.

A feed lists only the newest publications (WordPress: 10 by default), so a feed is never a
complete listing: it finds pages, it never proves one gone. Each entry is read on its own:
a date whose UTC time falls outside years 1..9999 leaves that entry undated (noted in its
``bad_values``), the rest of the feed kept.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from time import struct_time
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html

__all__ = ["FeedEntry", "feed_links", "parse_feed", "well_known_feeds"]

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
# WordPress pretty and plain, then the names static site generators use (Hugo: index.xml).
WELL_KNOWN = ("/feed/", "/?feed=rss2", "/index.xml", "/feed.xml", "/rss.xml", "/atom.xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: where the publication is and what the feed says of it."""

    url: str
    title: str | None
    published: datetime | None
    updated: datetime | None
    bad_values: tuple[str, ...] = ()  # "field: reason" for dates no column holds
    guid: str | None = None  # WordPress: ``…?p=ID``; Drupal 7: ``ID at …``


def well_known_feeds(home_url: str) -> list[str]:
    """The usual feed addresses of a site.

    >>> well_known_feeds("https://ex.org/")[:2]
    ['https://ex.org/feed/', 'https://ex.org/?feed=rss2']
    """
    return [urljoin(home_url, path) for path in WELL_KNOWN]


def feed_links(body: str, url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate">``, comment feeds left out.

    >>> feed_links('<link rel="alternate" type="application/rss+xml" href="/feed/">'
    ...            '<link rel="alternate" type="application/rss+xml" title="Comments"'
    ...            ' href="/comments/feed/">', "https://ex.org/")
    ['https://ex.org/feed/']
    """
    try:
        doc = lxml_html.document_fromstring(body.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        href = (link.get("href") or "").strip()
        title = (link.get("title") or "").lower()
        if "alternate" not in rels or kind not in FEED_TYPES or not href:
            continue
        absolute = urljoin(url, href)
        if "comment" in title or "/comments/" in absolute or "feed=comments" in absolute:
            continue
        if absolute not in found:
            found.append(absolute)
    return found


def parse_feed(body: bytes) -> list[FeedEntry] | None:
    """The entries of a feed, or None when the body is not a feed.

    >>> rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>'
    ...        b"<item><title>Fish &amp; chips</title><link>https://ex.org/a/</link>"
    ...        b"<pubDate>Mon, 31 Mar 2025 08:24:19 +0000</pubDate></item></channel></rss>")
    >>> [(e.url, e.title, e.published.isoformat()) for e in parse_feed(rss)]
    [('https://ex.org/a/', 'Fish & chips', '2025-03-31T08:24:19+00:00')]
    >>> parse_feed(b"<html><body>home</body></html>") is None
    True
    """
    # feedparser costs 0.1 s to import: only for sites that need it.
    import feedparser

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        return None
    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            continue
        bad: list[str] = []
        entries.append(
            FeedEntry(
                url=link.strip(),
                title=entry.get("title"),
                published=_utc(entry.get("published_parsed"), "published", bad),
                updated=(
                    _utc(entry["updated_parsed"], "updated", bad)
                    if "updated_parsed" in entry
                    else None
                ),
                bad_values=tuple(bad),
                guid=entry.get("id"),
            )
        )
    return entries


def _utc(value: Any, name: str, bad: list[str]) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime; out of years 1..9999 (a
    year 0001 or 9999 moved by its offset) None, noted in ``bad``.

    >>> bad = []
    >>> _utc(struct_time((10000, 1, 1, 0, 59, 59, 5, 1, 0)), "updated", bad), bad
    (None, ['updated: outside years 1..9999 in UTC: 10000-01-01T00:59:59'])
    """
    if not isinstance(value, struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (ValueError, OverflowError, OSError):
        stamp = "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}".format(*value[:6])
        bad.append(f"{name}: outside years 1..9999 in UTC: {stamp}")
        return None
