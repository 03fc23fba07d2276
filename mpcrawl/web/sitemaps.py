"""Sitemaps: where a site lists them, what one file says, and a bounded walk of them all.

A site's sitemaps can be hostile or merely huge: an index that lists itself, a million
URLs, a small gzip file that inflates to gigabytes. Everything here is bounded: bytes
after decompression (:func:`inflate`), URLs per file and per site, sitemap files per site,
and each sitemap URL is read once. A walk that hit any bound or failed anywhere is
*incomplete*, and an incomplete walk must not be used to decide that a page is gone.

XML is read with lxml's ``iterparse`` (entities never resolved, no network, element by
element, each cleared after use), so memory does not grow with the file, and reading
stops at the first URL over the cap.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from lxml import etree
from protego import Protego

__all__ = [
    "Caps",
    "SitemapFile",
    "SitemapTooLarge",
    "SitemapWalk",
    "inflate",
    "is_listing_sitemap",
    "parse_lastmod",
    "parse_sitemap",
    "robots_sitemaps",
    "well_known_sitemaps",
]

GZIP_MAGIC = b"\x1f\x8b"
PROTOCOL_MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs and 50 MB per file
# WordPress core (pretty and plain permalinks), Yoast / Rank Math, the generic name.
WELL_KNOWN = ("/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml", "/?sitemap=index")
# Sitemaps of archive pages (terms, authors), not of publications: WordPress core's
# and the SEO plugins' names for them.
_LISTING = re.compile(
    r"wp-sitemap-(?:taxonomies|users)-|[?&]sitemap=(?:taxonomies|users)\b"
    r"|/(?:category|post_tag|tag|author|post_format)-sitemap\d*\.xml",
    re.IGNORECASE,
)


class SitemapTooLarge(ValueError):
    """A sitemap body inflates past the byte cap."""


@dataclass(frozen=True, slots=True)
class Caps:
    """Bounds of one site's sitemap walk (defaults: the sitemap protocol's own limits).

    ``max_bytes`` is per file after decompression (the protocol allows 50 MB),
    ``max_urls_per_file`` 50,000 (the protocol's), ``max_urls`` per site and
    ``max_files`` sitemap files per site.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_urls_per_file: int = PROTOCOL_MAX_URLS
    max_urls: int = 100_000
    max_files: int = 200


@dataclass(frozen=True, slots=True)
class SitemapFile:
    """What one sitemap file says: an index of sitemaps or a set of URLs.

    ``kind`` is None when the body is no sitemap at all (an HTML page answering 200).
    ``truncated`` says the file held more entries than the cap allowed to read.
    """

    kind: str | None
    entries: list[tuple[str, datetime | None]]
    truncated: bool = False


def robots_sitemaps(robots_txt: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, in order (parsed by Protego, as Scrapy does).

    >>> robots_sitemaps("User-agent: *\\nDisallow: /x\\nSitemap: https://ex.org/s.xml\\n")
    ['https://ex.org/s.xml']
    """
    return list(Protego.parse(robots_txt).sitemaps)


def well_known_sitemaps(home_url: str) -> list[str]:
    """The usual sitemap addresses of a site, most specific first.

    >>> well_known_sitemaps("https://ex.org/blog/")[:2]
    ['https://ex.org/wp-sitemap.xml', 'https://ex.org/sitemap_index.xml']
    """
    return [urljoin(home_url, path) for path in WELL_KNOWN]


def is_listing_sitemap(url: str) -> bool:
    """True for sitemaps of term, tag and author archives rather than publications.

    >>> is_listing_sitemap("https://ex.org/wp-sitemap-taxonomies-category-1.xml")
    True
    >>> is_listing_sitemap("https://ex.org/?sitemap=users&paged=1")
    True
    >>> is_listing_sitemap("https://ex.org/post-sitemap.xml")
    False
    """
    return _LISTING.search(url) is not None


def inflate(body: bytes, max_bytes: int) -> bytes:
    """The body, gunzipped if it is gzip; never more than ``max_bytes`` of it.

    A gzip bomb stops at the cap instead of filling memory:

    >>> import gzip
    >>> inflate(gzip.compress(b"<urlset/>"), 100)
    b'<urlset/>'
    >>> inflate(gzip.compress(b" " * 10_000), 100)
    Traceback (most recent call last):
    ...
    mpcrawl.web.sitemaps.SitemapTooLarge: sitemap larger than 100 bytes
    """
    if not body.startswith(GZIP_MAGIC):
        if len(body) > max_bytes:
            raise SitemapTooLarge(f"sitemap larger than {max_bytes} bytes")
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"broken gzip: {exc}") from exc
    if len(data) > max_bytes:
        raise SitemapTooLarge(f"sitemap larger than {max_bytes} bytes")
    return data


def parse_lastmod(value: str | None) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime) as UTC; a date without an offset is UTC.

    >>> parse_lastmod("2025-03-31T09:24:19+01:00")
    datetime.datetime(2025, 3, 31, 8, 24, 19, tzinfo=datetime.timezone.utc)
    >>> parse_lastmod("2024-02-01")
    datetime.datetime(2024, 2, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_lastmod("yesterday") is None
    True
    """
    if not value or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_sitemap(body: bytes, base_url: str, max_urls: int = PROTOCOL_MAX_URLS) -> SitemapFile:
    """Entries (``loc``, ``lastmod``) of a sitemap or sitemap index, at most ``max_urls``.

    >>> doc = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ...        b"<url><loc> https://ex.org/a/ </loc><lastmod>2024-01-02</lastmod></url>"
    ...        b"<url><loc>/b/</loc></url></urlset>")
    >>> sm = parse_sitemap(doc, "https://ex.org/sitemap.xml")
    >>> sm.kind, [u for u, _ in sm.entries], sm.truncated
    ('urlset', ['https://ex.org/a/', 'https://ex.org/b/'], False)
    >>> parse_sitemap(doc, "https://ex.org/s.xml", max_urls=1).truncated
    True
    >>> parse_sitemap(b"<!doctype html><html><body>Home</body></html>", "https://ex.org/").kind
    """
    kind: str | None = None
    entries: list[tuple[str, datetime | None]] = []
    loc: str | None = None
    lastmod: str | None = None
    events = etree.iterparse(
        io.BytesIO(body),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, el in events:
            name = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if event == "start":
                if kind is None:
                    if name not in ("urlset", "sitemapindex"):
                        return SitemapFile(None, [])
                    kind = name
                continue
            if name == "loc":
                loc = (el.text or "").strip()
            elif name == "lastmod":
                lastmod = el.text
            elif name in ("url", "sitemap"):
                if loc:
                    if len(entries) >= max_urls:
                        return SitemapFile(kind, entries, truncated=True)
                    entries.append((urljoin(base_url, loc), parse_lastmod(lastmod)))
                loc = lastmod = None
                el.clear(keep_tail=False)
    except etree.XMLSyntaxError:
        if kind is None:
            return SitemapFile(None, [])
    return SitemapFile(kind, entries)


@dataclass(slots=True)
class SitemapWalk:
    """One site's walk over its sitemaps: which to read next, what they listed, if complete.

    Feed it with :meth:`add` (candidate sitemap URLs) and :meth:`read` (a fetched body);
    :meth:`failed` marks a sitemap that could not be read. ``urls`` keeps the first
    ``lastmod`` seen per page URL, in listing order.

    >>> walk = SitemapWalk(Caps(max_files=3))
    >>> walk.add(["https://ex.org/index.xml"])
    ['https://ex.org/index.xml']
    >>> idx = b'<sitemapindex><sitemap><loc>https://ex.org/index.xml</loc></sitemap></sitemapindex>'
    >>> walk.read("https://ex.org/index.xml", idx)   # lists only itself: nothing new to read
    []
    >>> walk.complete, walk.loops
    (True, 1)
    """

    caps: Caps = field(default_factory=Caps)
    urls: dict[str, datetime | None] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    files_read: int = 0
    loops: int = 0
    complete: bool = True
    problems: list[str] = field(default_factory=list)
    found_any: bool = False

    def add(self, candidates: Iterable[str]) -> list[str]:
        """The candidates not seen before and within the file cap, now marked seen."""
        fresh: list[str] = []
        for url in candidates:
            key = url.split("#", 1)[0]
            if key in self.seen:
                self.loops += 1
                continue
            if len(self.seen) >= self.caps.max_files:
                self._incomplete(f"more than {self.caps.max_files} sitemap files")
                break
            self.seen.add(key)
            fresh.append(key)
        return fresh

    def read(self, url: str, body: bytes) -> list[str]:
        """Take a fetched sitemap; returns the child sitemaps to fetch next.

        A body that is no sitemap returns nothing and leaves the walk as it was (a
        well-known address that answers an HTML page is simply not a sitemap).
        """
        try:
            data = inflate(body, self.caps.max_bytes)
        except ValueError as exc:
            self._incomplete(f"{url}: {exc}")
            return []
        room = min(self.caps.max_urls_per_file, self.caps.max_urls - len(self.urls))
        parsed = parse_sitemap(data, url, max_urls=max(room, 0))
        if parsed.kind is None:
            return []
        self.found_any = True
        self.files_read += 1
        if parsed.truncated:
            self._incomplete(f"{url}: more URLs than the cap of {room}")
        if parsed.kind == "sitemapindex":
            children = [loc for loc, _ in parsed.entries if not is_listing_sitemap(loc)]
            return self.add(children)
        for loc, lastmod in parsed.entries:
            self.urls.setdefault(loc.split("#", 1)[0], lastmod)
        return []

    def failed(self, url: str, why: str) -> None:
        """A sitemap that was listed could not be fetched: the walk is incomplete."""
        self._incomplete(f"{url}: {why}")

    def _incomplete(self, why: str) -> None:
        self.complete = False
        self.problems.append(why)
