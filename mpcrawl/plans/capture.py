"""Pages as they looked (``MPCRAWL_CAPTURE_PAGES``): each new version's own page and the
page requisites on the site's hosts that it loads, fetched so the WARC recorder keeps them.

The plan is told of a new version once the pipelines have archived it (the dedupe
pipeline decides what is new, the archive pipeline wrote it; the spider relays it here).
A REST post's page is its ``link``, fetched; a fallback page is its own capture already,
so only its requisites are asked for. Requisites are found by parsing the page's HTML
(lxml) and each fetched stylesheet (tinycss2): stylesheets, scripts, images (``src``
and ``srcset``), icons, preloaded fonts, and the fonts and images a stylesheet's
``url()`` and ``@import`` name. Only URLs on the site's own hosts are asked for.

Bounds: at most ``per_page`` requisites per page (a stylesheet's own count against its
page) and ``per_run`` capture requests per site per run. Each URL is asked for once per
run; across runs it is asked for again whenever a page that loads it is captured (a new
version), because a theme may change a stylesheet without renaming it: the recorder
then writes a ``revisit`` where the payload is the one already archived for the URI,
so an unchanged requisite costs a request and about a kilobyte. Captures are evidence,
not publications: they yield no item, and a failed one is counted, not a site error.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urldefrag, urljoin

import lxml.html
import tinycss2
from lxml.etree import ParserError
from scrapy import Request
from scrapy.http import Response, TextResponse

from mpcrawl.plans.rest.site import Requester, RequestFailed, Stats
from mpcrawl.siterun import SiteRun
from mpcrawl.wp.sitename import host_key

logger = logging.getLogger(__name__)

Kind = Literal["stylesheet", "requisite"]  # a stylesheet is read for what it loads
PRIORITY = -10  # after the crawl's own requests: captures never hold a walk up
_RESOURCE_ATTRS = (
    ("//script[@src]", "src"),
    ("//img[@src]", "src"),
    ("//source[@src]", "src"),
    ("//video[@poster]", "poster"),
    ("//input[@type='image'][@src]", "src"),
)
_SRCSET = "//img[@srcset] | //source[@srcset]"
_LINKS = "//link[@href][@rel]"
_LINK_RELS = {"icon", "apple-touch-icon", "preload", "modulepreload"}


def _absolute(base: str, value: str) -> str | None:
    value = value.strip()
    if not value or value.startswith(("data:", "javascript:", "#", "about:")):
        return None
    url = urldefrag(urljoin(base, value)).url
    return url if url.startswith(("http://", "https://")) else None


def _srcset(value: str) -> list[str]:
    """The candidate URLs of a ``srcset`` (each ``URL [descriptor]``, comma-separated)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


def requisites(html: bytes | str, base_url: str) -> list[tuple[str, Kind]]:
    """What a page loads, in the order a reader's browser needs it: stylesheets first,
    then scripts, images and icons, then ``srcset`` candidates (each URL once).

    >>> requisites(b'<link rel="stylesheet" href="/s.css"><img src="a.png" '
    ...            b'srcset="a-300.png 300w, a.png 600w"><script src="//x.org/j.js"></script>',
    ...            "http://e.org/p/")
    ... # doctest: +NORMALIZE_WHITESPACE
    [('http://e.org/s.css', 'stylesheet'), ('http://x.org/j.js', 'requisite'),
     ('http://e.org/p/a.png', 'requisite'), ('http://e.org/p/a-300.png', 'requisite')]
    """
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return []
    base = next(iter(doc.xpath("//base/@href")), None)
    base = urljoin(base_url, str(base)) if base else base_url
    found: list[tuple[str, Kind]] = []
    later: list[tuple[str, Kind]] = []
    for link in doc.xpath(_LINKS):
        rels = set(str(link.get("rel")).lower().split())
        url = _absolute(base, str(link.get("href")))
        if url is None:
            continue
        if "stylesheet" in rels:
            found.append((url, "stylesheet"))
        elif rels & _LINK_RELS:
            later.append((url, "stylesheet" if link.get("as") == "style" else "requisite"))
    for path, attr in _RESOURCE_ATTRS:
        for element in doc.xpath(path):
            url = _absolute(base, str(element.get(attr)))
            if url is not None:
                later.append((url, "requisite"))
    for element in doc.xpath("//style"):
        later.extend((url, "requisite") for url in css_urls(element.text_content(), base))
    srcsets: list[tuple[str, Kind]] = [
        (url, "requisite")
        for element in doc.xpath(_SRCSET)
        for candidate in _srcset(str(element.get("srcset")))
        if (url := _absolute(base, candidate)) is not None
    ]
    return list(dict.fromkeys([*found, *later, *srcsets]))


def css_urls(css: str, base_url: str) -> list[str]:
    """The URLs a stylesheet loads: ``@import`` and every ``url()`` (fonts, images).

    >>> css_urls('@import "a.css"; @font-face { src: url(f.woff2) format("woff2") } '
    ...          'b { background: url("/i.png") }', "http://e.org/css/s.css")
    ['http://e.org/css/a.css', 'http://e.org/css/f.woff2', 'http://e.org/i.png']
    """
    absolute = (_absolute(base_url, url) for url in _css_references(css))
    return list(dict.fromkeys(url for url in absolute if url is not None))


@functools.lru_cache(maxsize=32)
def _css_references(css: str) -> tuple[str, ...]:
    """The URLs as a stylesheet writes them. Cached: a site prints the same inline styles
    on every page (WordPress's global styles, tens of kB), and tinycss2 parses in Python."""
    urls: list[str] = []

    def walk(nodes: Any) -> None:
        for node in nodes or ():
            if node.type == "url":
                urls.append(node.value)
            elif node.type == "function" and node.lower_name == "url":
                urls.extend(a.value for a in node.arguments if a.type == "string")
            elif node.type == "at-rule" and node.lower_at_keyword == "import":
                urls.extend(t.value for t in node.prelude if t.type in ("string", "url"))
            else:
                for part in ("prelude", "content", "arguments"):
                    walk(getattr(node, part, None))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return tuple(urls)


@dataclass(slots=True)
class _Page:
    """One captured page's requisite allowance."""

    url: str
    left: int


@dataclass(slots=True)
class CapturePlan:
    """One site's captures in one run: what was asked, and what is left of the bounds."""

    run: SiteRun
    hosts: frozenset[str]  # host keys the site may reach
    request: Requester
    stats: Stats
    per_page: int
    per_run: int
    asked: set[str] = field(default_factory=set)  # every URL asked this run, once
    bound_hit: bool = False

    @property
    def site(self) -> str:
        return self.run.site

    def finished(self) -> bool:
        """The site's run has ended: nothing more will be captured for it."""
        return self.run.finished

    def page(self, url: str, html: bytes | None) -> Iterator[Request]:
        """A new version's page: fetched (a REST post's ``link``), or already fetched
        (a fallback page, ``html``): its requisites are asked for."""
        if host_key(url) not in self.hosts:
            self.stats.inc_value("mpcrawl/capture/offsite")
            return
        page = _Page(url, self.per_page)
        if html is not None:
            self.asked.add(url)
            self.stats.inc_value("mpcrawl/capture/pages")
            yield from self._requisites(page, requisites(html, url))
            return
        request = self._ask(url, self._on_page(page))
        if request is not None:
            self.stats.inc_value("mpcrawl/capture/pages")
            yield request

    def _ask(self, url: str, on_response: Any) -> Request | None:
        if url in self.asked:
            return None
        if len(self.asked) >= self.per_run:
            if not self.bound_hit:
                self.bound_hit = True
                logger.info("%s: MPCRAWL_CAPTURE_MAX=%d reached", self.site, self.per_run)
            self.stats.inc_value("mpcrawl/capture/over_run_bound")
            return None
        self.asked.add(url)
        return self.request(url, on_response, self._on_failure, priority=PRIORITY)

    def _requisites(self, page: _Page, found: list[tuple[str, Kind]]) -> Iterator[Request]:
        for url, kind in found:
            if host_key(url) not in self.hosts or url in self.asked:
                continue
            if page.left <= 0:
                self.stats.inc_value("mpcrawl/capture/over_page_bound")
                return
            on_response = self._on_stylesheet(page) if kind == "stylesheet" else _nothing
            request = self._ask(url, on_response)
            if request is None:
                return  # the run's bound is spent
            page.left -= 1
            self.stats.inc_value("mpcrawl/capture/requisites")
            yield request

    def _on_page(self, page: _Page) -> Any:
        def on_response(response: Response) -> Iterator[Request]:
            if response.status != 200 or not isinstance(response, TextResponse):
                self.stats.inc_value("mpcrawl/capture/pages_not_html")
                logger.info("%s: captured page %s: %s", self.site, page.url, response.status)
                return
            yield from self._requisites(page, requisites(response.body, response.url))

        return on_response

    def _on_stylesheet(self, page: _Page) -> Any:
        def on_response(response: Response) -> Iterator[Request]:
            if response.status == 200 and isinstance(response, TextResponse):
                found: list[tuple[str, Kind]] = [
                    (url, "requisite") for url in css_urls(response.text, response.url)
                ]
                yield from self._requisites(page, found)

        return on_response

    def _on_failure(self, failure: RequestFailed) -> Iterator[Any]:
        self.stats.inc_value(f"mpcrawl/capture/failed/{failure.kind}")
        logger.debug("%s: capture failed: %s: %s", self.site, failure.url, failure.message)
        return iter(())


def _nothing(response: Response) -> Iterator[Any]:
    """A requisite's answer: the recorder has kept it; nothing to read."""
    return iter(())
