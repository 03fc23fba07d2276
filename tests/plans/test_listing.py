"""The crawl of a site's listings, offline, over pages captured from the real Drupal 7.

The site is what ``tests/drupal/`` serves, as captured in ``tests/web/pages/``: its front
page (10 articles, a pager to ``/node?page=N``, five tag listings), the third page of that
pager, the listing of one tag, its RSS feed, and an article, served here at every article
address those listings link to. Everything else answers 404, as a page the site lost would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request

from mpcrawl.archive.web_state import ArchivedPage, WebState
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.plans.fallback import FallbackSite
from mpcrawl.plans.listing import listing_gap
from mpcrawl.plans.recheck import Recheck, due
from mpcrawl.web.items import FetchedPage, WebPageItem, WebTombstoneItem
from mpcrawl.web.listings import Bounds
from mpcrawl.web.page import page_links
from tests.plans.test_fallback import Site, plan

PAGES = Path(__file__).parents[1] / "web" / "pages"
HOME = "http://127.0.0.1:59043/"  # where the HTML pages were captured
RSS_ORIGIN = b"http://127.0.0.1:50691"  # where drupal7-rss.xml was captured
PAGER = HOME + "node?page=2"
TAG = HOME + "taxonomy/term/1"
NIGHTS = [datetime(2026, 12, d, 2, tzinfo=UTC) for d in range(1, 15)]
LISTINGS = {
    HOME: "drupal7-front.html",
    PAGER: "drupal7-node-listing-page-2.html",
    TAG: "drupal7-taxonomy-term.html",
}


def captured(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def articles(*listings: str) -> set[str]:
    """The article addresses the captured ``listings`` link to."""
    return {
        url
        for listing in listings
        for url in page_links(captured(LISTINGS[listing]).decode(), HOME)
        if urlsplit(url).path.startswith("/news/")
    }


class Drupal(Site):
    """The captured site; remembers the headers of each request."""

    def __init__(self, more: dict[str, tuple[int, bytes]] | None = None) -> None:
        article = captured("drupal7-node-video.html")
        bodies = {url: (200, article) for url in articles(*LISTINGS)}
        bodies |= {url: (200, captured(name)) for url, name in LISTINGS.items()}
        super().__init__(bodies | (more or {}))
        self.headers: dict[str, dict[str, str]] = {}

    def request(self, url: str, *args: object, **kwargs: object) -> Request:
        headers = kwargs.get("headers")
        self.headers[url] = dict(headers) if isinstance(headers, dict) else {}
        return super().request(url, *args, **kwargs)  # type: ignore[arg-type]


def crawl(
    site: Site,
    bounds: Bounds | None = None,
    state: WebState | None = None,
    recheck: Recheck | None = None,
) -> FallbackSite:
    return plan(site, state, bounds, home=HOME, recheck=recheck)


def pages(site: Site) -> list[str]:
    return [i.url for i in site.items if isinstance(i, FetchedPage)]


def test_the_front_pages_pager_and_tag_listings_are_crawled_and_never_archived() -> None:
    site = Drupal()
    fs = crawl(site)
    assert fs.source == "crawl"
    assert {PAGER, TAG} <= set(site.fetched)
    # every article of the three listings, once each; no listing among the pages
    assert sorted(pages(site)) == sorted(articles(*LISTINGS))
    assert len(site.fetched) == len(set(site.fetched))
    # accounts, logins, comment forms and tag feeds lead to no publication: never asked
    assert not [u for u in site.fetched if "/user" in u or "destination=" in u]
    assert not [u for u in site.fetched if u.endswith("/feed")]
    rows = [NormalisePipeline().process_item(i) for i in site.items]
    assert all(isinstance(r, WebPageItem) and r.source == "crawl" for r in rows)
    # the other pages of the pager and the other tags answer 404 here: links to nothing,
    # no error; every listing found was read, so the listing is complete
    assert fs.frontier is not None and fs.frontier.listings == 2 and fs.frontier.not_found > 0
    assert fs.errors == [] and fs.complete and listing_gap(fs) is None
    assert set(fs.listed) == articles(*LISTINGS)


def test_a_pager_is_no_hop_deeper_a_tag_listing_is() -> None:
    site = Drupal()
    fs = crawl(site, Bounds(depth=0))
    assert sorted(pages(site)) == sorted(articles(HOME, PAGER))  # not the tag's own
    assert TAG in site.fetched  # fetched from the front page, found a listing, not read
    assert fs.frontier is not None and fs.frontier.listings == 1
    assert not fs.complete
    assert listing_gap(fs) == (
        "crawl of its listings stopped: listings deeper than 0 hops (MPCRAWL_LISTING_DEPTH)"
    )


def test_an_incomplete_crawl_tombstones_nothing_a_complete_one_probes() -> None:
    old = HOME + "news/an-article-since-deleted"
    # read the night before and not its turn tonight: only a complete listing probes it
    night = next(n for n in NIGHTS if not due(old, n - timedelta(days=1), n, 7))
    read = night - timedelta(days=1)
    known = ArchivedPage("v", read, None, None, None, "article", 9)
    for bounds, complete in ((Bounds(pages=1), False), (Bounds(), True)):
        site = Drupal()
        fs = crawl(site, bounds, WebState(pages={old: known}), Recheck(now=night))
        assert fs.complete == complete
        stones = [(i.url, i.reason) for i in site.items if isinstance(i, WebTombstoneItem)]
        assert stones == ([(old, "deleted")] if complete else [])
        if not complete:
            assert listing_gap(fs) == (
                "crawl of its listings stopped: more than 1 listing pages (MPCRAWL_LISTING_PAGES)"
            )


def test_the_feeds_pages_are_fetched_once_and_an_archived_page_conditionally() -> None:
    rss = captured("drupal7-rss.xml").replace(RSS_ORIGIN, HOME.rstrip("/").encode())
    newest = HOME + "news/jane-example-raises-southminster-in-debate-on-clause-85"
    archived = ArchivedPage("v", datetime(2026, 1, 1, tzinfo=UTC), None, '"e1"', None, "article", 1)
    site = Drupal({HOME + "rss.xml": (200, rss), newest: (304, b"")})
    fs = crawl(site, state=WebState(pages={newest: archived}))
    assert fs.source == "crawl" and fs.complete
    assert HOME + "rss.xml" in site.fetched
    assert len(site.fetched) == len(set(site.fetched))  # the feed's 10 pages: once each
    assert newest in fs.listed and newest not in pages(site)
    assert site.headers[newest] == {"If-None-Match": '"e1"'}
    assert (fs.pages_found, fs.pages_unchanged) == (1, 1)  # the 304, counted unchanged


def test_without_a_crawl_a_feed_is_an_incomplete_listing() -> None:
    rss = captured("drupal7-rss.xml").replace(RSS_ORIGIN, HOME.rstrip("/").encode())
    site = Drupal({HOME + "rss.xml": (200, rss)})
    fs = crawl(site, Bounds(pages=0))
    assert fs.source == "feed" and len(pages(site)) == 10
    assert PAGER not in site.fetched and TAG not in site.fetched
    assert not fs.complete
    assert listing_gap(fs) == "only a feed, which names the newest pages (no sitemap, no crawl)"
