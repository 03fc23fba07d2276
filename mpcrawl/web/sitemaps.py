"""Sitemaps: where a site lists them, what one file says, and a bounded walk of them all.

A site's sitemaps can be hostile or merely huge: an index that lists itself, a million
URLs, a small gzip file that inflates to gigabytes. Everything here is bounded: bytes
after decompression (:func:`inflate`), URLs per file and per site, sitemap files per site,
and each sitemap URL is read once. A walk is *complete* only when every sitemap file it was
given was fetched, was a sitemap, and was read to its end within the bounds; a walk that
hit any bound or failed anywhere is *incomplete*, and an incomplete walk must not be used
to decide that a page is gone.

XML is read with lxml's ``XMLPullParser`` (entities never resolved, no network, element by
element, each cleared after use), so memory does not grow with the file, and reading
stops at the first URL over the cap. It is read strictly: a body cut off mid-XML or a
syntax error halfway stops the file there, what was read before is kept, and the file
counts as not read whole. One bad value costs only itself: a ``<lastmod>`` that is no
time, or whose UTC time falls outside years 1..9999, leaves its URL listed without one,
noted for that page's row.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from protego import Protego

from mpcrawl.defaults import SITEMAP_MAX_URLS
from mpcrawl.web.dates import UtcTime, read_utc

__all__ = [
    "Caps",
    "SitemapFile",
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


@dataclass(frozen=True, slots=True)
class Caps:
    """Bounds of one site's sitemap walk (defaults: the sitemap protocol's own limits).

    ``max_bytes`` is per file after decompression (the protocol allows 50 MB),
    ``max_urls_per_file`` 50,000 (the protocol's), ``max_urls`` per site and
    ``max_files`` sitemap files per site.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_urls_per_file: int = PROTOCOL_MAX_URLS
    max_urls: int = SITEMAP_MAX_URLS  # MPCRAWL_SITEMAP_MAX_URLS
    max_files: int = 200


@dataclass(frozen=True, slots=True)
class SitemapFile:
    """What one sitemap file says: an index of sitemaps or a set of URLs.

    ``kind`` is None when the body is no sitemap at all (an HTML page answering 200).
    ``truncated`` says the file held more entries than the cap allowed to read;
    ``broken`` why it could not be read to its end (cut off, a syntax error): the
    entries before that point are kept. ``bad`` holds, per URL, its refused ``lastmod``.
    """

    kind: str | None
    entries: list[tuple[str, datetime | None]]
    truncated: bool = False
    broken: str | None = None
    bad: dict[str, str] = field(default_factory=dict)


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


def inflate(body: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """The body, gunzipped if it is gzip, never more than ``max_bytes`` of it; and whether
    it was cut at that cap.

    A gzip bomb stops at the cap instead of filling memory:

    >>> import gzip
    >>> inflate(gzip.compress(b"<urlset/>"), 100)
    (b'<urlset/>', False)
    >>> data, cut = inflate(gzip.compress(b" " * 10_000), 100)
    >>> len(data), cut
    (100, True)
    """
    if not body.startswith(GZIP_MAGIC):
        return body[:max_bytes], len(body) > max_bytes
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"broken gzip: {exc}") from exc
    return data[:max_bytes], len(data) > max_bytes


def parse_lastmod(value: str | None) -> UtcTime:
    """A sitemap ``<lastmod>`` (W3C datetime) as UTC, or None and why it was refused; a
    time without an offset is UTC.

    >>> parse_lastmod("2025-03-31T09:24:19+01:00")
    (datetime.datetime(2025, 3, 31, 8, 24, 19, tzinfo=datetime.timezone.utc), None)
    >>> parse_lastmod("2024-02-01")[0]
    datetime.datetime(2024, 2, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_lastmod("9999-12-31T23:59:59-01:00")
    (None, "outside years 1..9999 in UTC: '9999-12-31T23:59:59-01:00'")
    """
    return read_utc(value, naive_is_utc=True)


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
    state = _SitemapReader(base_url, max_urls, _origin(base_url))
    parser = etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    data = memoryview(_xml_start(body))
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(bytes(data[offset : offset + _CHUNK]))
            if (done := state.take(parser.read_events())) is not None:
                return done
    except etree.XMLSyntaxError as exc:
        # the events before the error are still read: what came before it is kept
        return state.take(parser.read_events()) or state.broken(exc)
    try:
        parser.close()
    except etree.XMLSyntaxError as exc:  # cut off: the events left are libxml2 closing up
        return state.broken(exc)
    return state.take(parser.read_events()) or state.result()


_CHUNK = 64 * 1024


@dataclass(slots=True)
class _SitemapReader:
    """What :func:`parse_sitemap` has read so far, event by event."""

    base_url: str
    max_urls: int
    origin: str | None  # ``scheme://host/`` of ``base_url`` (:func:`_origin`)
    kind: str | None = None
    entries: list[tuple[str, datetime | None]] = field(default_factory=list)
    bad: dict[str, str] = field(default_factory=dict)
    loc: str | None = None
    lastmod: str | None = None
    closed: bool = False  # the root element ended: what follows is no part of the sitemap

    def take(self, events: Iterable[tuple[str, Any]]) -> SitemapFile | None:
        """Read events; a result once reading must stop (no sitemap, the URL cap)."""
        for event, el in events:
            if event == "start":  # only the root's start matters
                if self.kind is None:
                    if (name := _local_name(el)) not in ("urlset", "sitemapindex"):
                        return SitemapFile(None, [])
                    self.kind = name
                continue
            name = _local_name(el)
            if name == "loc":
                self.loc = (el.text or "").strip()
            elif name == "lastmod":
                self.lastmod = el.text
            elif name in ("url", "sitemap"):
                if self.loc and not self._entry(self.loc, self.lastmod):
                    return self.result(truncated=True)
                self.loc = self.lastmod = None
                el.clear(keep_tail=False)
            elif name == self.kind:
                self.closed = True
        return None

    def _entry(self, loc: str, lastmod: str | None) -> bool:
        if len(self.entries) >= self.max_urls:
            return False
        url = loc if _joins_to_itself(loc, self.origin) else urljoin(self.base_url, loc)
        when, why = parse_lastmod(lastmod)
        if why:
            self.bad[url] = f"lastmod: {why}"
        self.entries.append((url, when))
        return True

    def result(self, *, truncated: bool = False, broken: str | None = None) -> SitemapFile:
        return SitemapFile(self.kind, self.entries, truncated, broken, self.bad)

    def broken(self, exc: etree.XMLSyntaxError) -> SitemapFile:
        """The file as far as it was read; not read to its end unless its root had ended
        (a PHP notice after ``</urlset>`` takes nothing from the sitemap)."""
        if self.kind is None or self.closed:
            return self.result()
        why = " ".join(str(exc).split())[:200]
        return self.result(broken=f"not read to its end: {why}")


# A path that ``urlsplit`` reads whole and ``urlunsplit`` writes back as it was: no query,
# fragment or params, no IPv6 brackets, no space, tab or control character to strip.
_PLAIN_PATH = re.compile(r"[^\x00-\x20\x7f?#;\[\]]*")


def _origin(base_url: str) -> str | None:
    """``scheme://host/`` of an http(s) ``base_url`` as ``urlsplit`` reads it; else None.

    >>> _origin("https://ex.org/sitemap.xml"), _origin("HTTP://ex.org"), _origin("/s.xml")
    ('https://ex.org/', 'http://ex.org/', None)
    """
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def _joins_to_itself(loc: str, origin: str | None) -> bool:
    """Whether ``urljoin(base, loc)`` is ``loc`` itself, known without parsing: ``loc`` is on
    the base's origin (so its scheme and host are the ones ``urlsplit`` accepted there)
    and its path is plain (:data:`_PLAIN_PATH`). Most sitemap URLs are; the others go
    through ``urljoin``, which costs a third of reading a large sitemap.

    >>> _joins_to_itself("https://ex.org/p/1/", "https://ex.org/")
    True
    >>> _joins_to_itself("https://ex.org/p?x=1", "https://ex.org/")
    False
    """
    return (
        origin is not None
        and loc.startswith(origin)
        and _PLAIN_PATH.fullmatch(loc, len(origin)) is not None
    )


def _local_name(el: Any) -> str:
    """An element's name without its namespace (``{ns}loc`` -> ``loc``); ``""`` for what has
    no name (an entity reference). As ``etree.QName(el).localname``, without an object per
    element: a sitemap of 50,000 URLs has 150,000 elements."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _xml_start(body: bytes) -> bytes:
    """The body from its first markup on: a byte-order mark or blank lines a PHP file
    printed before the XML declaration are no part of the sitemap."""
    return body.removeprefix(b"\xef\xbb\xbf").lstrip()


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
    bad: dict[str, str] = field(default_factory=dict)  # page URL -> its refused lastmod
    bad_lastmods: int = 0  # lastmod values refused, in indexes too
    reported: int = 0  # problems handed out by :meth:`unreported`

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

    def read(self, url: str, body: bytes, *, listed: bool = True) -> list[str]:
        """Take a fetched sitemap; returns the child sitemaps to fetch next.

        A ``listed`` sitemap (named by robots.txt or an index) that is no sitemap (a PHP
        error page answering 200) makes the walk incomplete; a well-known address tried
        on a guess (``listed=False``) that answers an HTML page is simply not a sitemap.
        """
        try:
            data, cut = inflate(body, self.caps.max_bytes)
        except ValueError as exc:
            self._incomplete(f"{url}: {exc}")
            return []
        per_site = self.caps.max_urls - len(self.urls)
        room = max(min(self.caps.max_urls_per_file, per_site), 0)
        parsed = parse_sitemap(data, url, max_urls=room)
        if parsed.kind is None:
            if listed:
                self._incomplete(f"{url}: not a sitemap")
            return []
        self.found_any = True
        self.files_read += 1
        if cut:
            self._incomplete(f"{url}: larger than {self.caps.max_bytes} bytes, cut there")
        elif parsed.broken:
            self._incomplete(f"{url}: {parsed.broken}")
        if parsed.truncated:
            which = (
                "per site (MPCRAWL_SITEMAP_MAX_URLS)"
                if per_site < self.caps.max_urls_per_file
                else "per file"
            )
            self._incomplete(f"{url}: cut at the cap of {room} URLs {which}")
        self.bad_lastmods += len(parsed.bad)
        if parsed.kind == "sitemapindex":
            children = [loc for loc, _ in parsed.entries if not is_listing_sitemap(loc)]
            return self.add(children)
        for loc, lastmod in parsed.entries:
            key = loc.split("#", 1)[0]
            if key not in self.urls and loc in parsed.bad:
                self.bad[key] = parsed.bad[loc]
            self.urls.setdefault(key, lastmod)
        return []

    def failed(self, url: str, why: str) -> None:
        """A sitemap that was listed could not be fetched: the walk is incomplete."""
        self._incomplete(f"{url}: {why}")

    def unreported(self) -> list[str]:
        """The problems found since this was last asked, each handed out once."""
        fresh = self.problems[self.reported :]
        self.reported = len(self.problems)
        return fresh

    def _incomplete(self, why: str) -> None:
        self.complete = False
        self.problems.append(why)
