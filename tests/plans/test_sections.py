"""After a sitemap, the sections it leaves out are crawled as listings, offline.

The site is the real Drupal 7 front page, pager page and articles captured in
``tests/web/pages/`` (see ``tests/plans/test_listing.py``), with a sitemap as Drupal's
xmlsitemap writes it when it is set to list some bundles only.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mpcrawl.archive.web_state import ArchivedPage, WebState
from mpcrawl.plans.listing import listing_gap
from mpcrawl.web.items import FetchedPage, WebTombstoneItem
from mpcrawl.web.listings import Bounds
from tests.plans.test_listing import HOME, PAGER, TAG, Drupal, articles, captured, crawl, pages

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
ABOUT = HOME + "about"
OLD = HOME + "news/an-article-since-deleted"  # archived, now 404


def drupal(listed: list[str], more: dict[str, tuple[int, bytes]] | None = None) -> Drupal:
    urls = "".join(f"<url><loc>{u}</loc></url>" for u in listed)
    sitemap = f'<?xml version="1.0"?><urlset {NS}>{urls}</urlset>'.encode()
    return Drupal(
        {
            HOME + "robots.txt": (200, f"Sitemap: {HOME}sitemap.xml\n".encode()),
            HOME + "sitemap.xml": (200, sitemap),
            ABOUT: (200, captured("drupal7-node-exchange.html")),
        }
        | (more or {})
    )


def archived() -> WebState:
    known = ArchivedPage("v", datetime(2026, 1, 1, tzinfo=UTC), None, None, None, "article", 9)
    return WebState(pages={OLD: known})


def test_a_sitemap_of_the_basic_pages_only_gets_the_articles_crawled() -> None:
    site = drupal([ABOUT])
    fs = crawl(site, state=archived())
    assert fs.source == "sitemap" and fs.sections == ("news",)
    assert fs.listed_by == "sitemap+crawl"
    # the front page's articles and those of its pager's pages; never a tag listing
    assert sorted(pages(site)) == sorted([ABOUT, *articles(HOME, PAGER)])
    assert TAG not in site.fetched and len(site.fetched) == len(set(site.fetched))
    crawled = [i.source for i in site.items if isinstance(i, FetchedPage) and i.url != ABOUT]
    assert set(crawled) == {"crawl"}
    # both listings read to their end: complete, so the archived article is probed
    assert fs.complete and listing_gap(fs) is None and fs.errors == []
    stones = [(i.url, i.reason) for i in site.items if isinstance(i, WebTombstoneItem)]
    assert stones == [(OLD, "deleted")]


def test_a_section_crawl_cut_short_tombstones_nothing() -> None:
    second = (200, captured("drupal7-node-listing-page-2.html"))
    site = drupal([ABOUT], {HOME + "node?page=3": second})
    fs = crawl(site, Bounds(pages=1), archived())
    assert fs.listed_by == "sitemap+crawl" and not fs.complete
    assert listing_gap(fs) == (
        "crawl of the sections the sitemap leaves out (/news/) stopped: "
        "more than 1 listing pages (MPCRAWL_LISTING_PAGES)"
    )
    assert OLD not in site.fetched
    assert not [i for i in site.items if isinstance(i, WebTombstoneItem)]


def test_a_sitemap_that_covers_the_home_pages_sections_starts_no_crawl() -> None:
    listed = sorted(articles(HOME))
    site = drupal(listed)
    fs = crawl(site)
    assert fs.sections == () and fs.frontier is None and fs.listed_by == "sitemap"
    assert site.fetched == [HOME + "robots.txt", HOME + "sitemap.xml", HOME, *listed]
    assert fs.complete and listing_gap(fs) is None


def test_without_a_crawl_the_sections_left_out_make_the_listing_incomplete() -> None:
    site = drupal([ABOUT])
    fs = crawl(site, Bounds(pages=0), archived())
    assert fs.listed_by == "sitemap" and fs.sections == ("news",) and not fs.complete
    assert listing_gap(fs) == (
        "the sitemap lists nothing under /news/ (no crawl: MPCRAWL_LISTING_PAGES=0)"
    )
    assert pages(site) == [ABOUT] and OLD not in site.fetched
