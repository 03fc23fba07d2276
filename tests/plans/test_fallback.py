"""The fallback plan in process: its callbacks fed real Scrapy responses, no network."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from mpcrawl.archive.web_state import ArchivedPage, WebState
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.plans.fallback import FallbackPlan, FallbackSite
from mpcrawl.plans.recheck import Recheck
from mpcrawl.web.items import FetchedPage, WebEntryItem, WebPageItem
from mpcrawl.web.listings import Bounds
from mpcrawl.wp.sitename import site_host_keys

HOME = "https://ex.org/"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


class Site:
    """Serves canned bodies to the plan's requests, in the order the plan makes them."""

    def __init__(self, bodies: dict[str, tuple[int, bytes]]) -> None:
        self.bodies = bodies
        self.queue: list[tuple[Request, Callable[[Response], Iterator[Any]]]] = []
        self.fetched: list[str] = []
        self.items: list[Any] = []
        self.entries: list[WebEntryItem] = []  # web_entries rows (plans.recheck), apart

    def request(
        self,
        url: str,
        callback: Callable[[Response], Iterator[Any]],
        on_failure: Callable[[str], Iterator[Any]],
        *,
        headers: dict[str, str] | None = None,
        priority: int = 0,
        follow_redirects: bool = True,
    ) -> Request:
        req = Request(url, headers=headers, priority=priority)
        self.queue.append((req, callback))
        return req

    def run(self, output: Iterator[Any]) -> None:
        self._take(output)
        while self.queue:
            req, callback = self.queue.pop(0)
            self.fetched.append(req.url)
            status, body = self.bodies.get(req.url, (404, b"<html>Not found</html>"))
            kind: type[TextResponse] = HtmlResponse
            if body.lstrip().startswith(b"<?xml"):
                kind = XmlResponse
            if req.url.endswith(".txt"):
                kind = TextResponse
            self._take(
                callback(kind(req.url, status=status, body=body, request=req, encoding="utf-8"))
            )

    def _take(self, output: Iterator[Any]) -> None:
        for value in output:
            if isinstance(value, WebEntryItem):
                self.entries.append(value)
            elif not isinstance(value, Request):
                self.items.append(value)


def plan(
    site: Site,
    state: WebState | None = None,
    bounds: Bounds | None = None,
    home: str = HOME,
    recheck: Recheck | None = None,
) -> FallbackSite:
    """The fallback plan of the site at ``home``, served by ``site``, run to its end."""
    fs = FallbackSite(
        site=urlsplit(home).netloc,
        home=home,
        hosts=site_host_keys(home),
        state=state or WebState(),
        run_id="r",
        bounds=bounds or Bounds(),
        recheck=recheck or Recheck(),
    )
    site.run(FallbackPlan(fs, site.request).start())
    return fs


def test_a_sitemap_index_that_lists_itself_is_read_once() -> None:
    index = (
        f'<?xml version="1.0"?><sitemapindex {NS}>'
        f"<sitemap><loc>{HOME}s.xml</loc></sitemap></sitemapindex>"
    )
    site = Site(
        {
            HOME + "robots.txt": (200, f"Sitemap: {HOME}s.xml\n".encode()),
            HOME + "s.xml": (200, index.encode()),
        }
    )
    fs = plan(site)
    assert site.fetched == [HOME + "robots.txt", HOME + "s.xml"]
    assert fs.source == "sitemap" and fs.walk.loops == 1 and fs.listed == {}


def test_an_empty_listing_tombstones_nothing() -> None:
    index = (
        f'<?xml version="1.0"?><sitemapindex {NS}><sitemap>'
        f"<loc>{HOME}wp-sitemap-taxonomies-category-1.xml</loc></sitemap></sitemapindex>"
    )
    known = ArchivedPage("v", datetime(2026, 1, 1, tzinfo=UTC), None, None, None, "post", 3)
    site = Site({HOME + "wp-sitemap.xml": (200, index.encode())})
    fs = plan(site, WebState(pages={HOME + "old/": known}))
    assert fs.walk.complete and fs.source == "sitemap"
    assert HOME + "old/" not in site.fetched and site.items == []


@pytest.mark.parametrize(("pages", "source"), [(0, "links"), (5, "crawl")])
def test_without_sitemaps_or_feeds_the_home_pages_links_are_read(pages: int, source: str) -> None:
    home = (
        b'<html><body class="home blog"><a href="/a/">A</a><a href="https://other.org/x/">x</a>'
        b"</body></html>"
    )
    post = (
        b"<html><head><title>A</title><link rel='shortlink' href='/?p=4'></head>"
        b'<body class="single single-post postid-4"><div class="entry-content"><p>Hello.</p>'
        b"</div></body></html>"
    )
    site = Site({HOME: (200, home), HOME + "a/": (200, post)})
    fs = plan(site, bounds=Bounds(pages=pages))
    assert fs.source == source and list(fs.listed) == [HOME + "a/"]  # other hosts fenced
    assert [type(i) for i in site.items] == [FetchedPage]  # the pipelines read the page
    row = NormalisePipeline().process_item(site.items[0])
    assert isinstance(row, WebPageItem)
    assert (row.id, row.content_text, row.source) == (4, "Hello.", source)
    # the crawl read every listing it found (the home page); the home page's links alone
    # never vouch for a page missing from them
    assert fs.complete == (source == "crawl") and fs.errors == []
