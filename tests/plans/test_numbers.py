"""The fallback's numbered steps offline, over responses of the real CMSes of the suite.

``data/`` holds what WordPress 7.1 (closed, twentytwentyfive: ``tests/wordpress71``) and
Drupal 7.105 (core: ``tests/drupal``) served, their origin replaced by ``*.example``: a
feed's first and 30th page, page 31's 404; Drupal's feed, an unpublished node's 403 and a
missing node's 404. The post and node pages are those of ``tests/web/pages``.
"""

from __future__ import annotations

import re
from pathlib import Path

from mpcrawl.archive.web_state import WebState
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.plans.fallback import FallbackPlan, FallbackSite
from mpcrawl.plans.numbers import NumberCaps, Numbers
from mpcrawl.web.feeds import parse_feed
from mpcrawl.web.items import FetchedPage, WebPageItem
from mpcrawl.wp.sitename import site_host_keys
from tests.plans.test_fallback import Site

DATA = Path(__file__).resolve().parent / "data"
PAGES = Path(__file__).resolve().parents[1] / "web" / "pages"
WP = "https://wp71.example/"
DRUPAL = "https://drupal.example/"


def canned(name: str) -> bytes:
    return (DATA / name).read_bytes()


def page_body(name: str) -> bytes:
    """A page of ``tests/web/pages`` (a WordPress 7.1 post, a Drupal 7 node)."""
    return (PAGES / name).read_bytes()


def run(site: Site, home: str, *, wordpress: bool, caps: NumberCaps | None = None) -> FallbackSite:
    fs = FallbackSite(
        site="s",
        home=home,
        hosts=site_host_keys(home),
        state=WebState(),
        run_id="r",
        wordpress=wordpress,
        numbers=Numbers(caps or NumberCaps()),
    )
    site.run(FallbackPlan(fs, site.request).start())
    return fs


def row(page: FetchedPage) -> WebPageItem:
    item = NormalisePipeline().process_item(page)
    assert isinstance(item, WebPageItem)
    return item


def wordpress_site(post_url: str) -> Site:
    """A sitemap naming the oldest post; its feed entry on the feed's second page."""
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{post_url}</loc></url></urlset>"
    )
    return Site(
        {
            WP + "robots.txt": (200, f"Sitemap: {WP}wp-sitemap.xml\n".encode()),
            WP + "wp-sitemap.xml": (200, sitemap.encode()),
            WP + "feed/": (200, canned("wp71-feed-1.xml")),
            # page 30 of the real feed, served as page 2: the oldest posts
            WP + "feed/?paged=2": (200, canned("wp71-feed-30.xml")),
            post_url: (200, page_body("wordpress71-post.html")),
        }
    )


def oldest_entry() -> tuple[str, object]:
    entries = parse_feed(canned("wp71-feed-30.xml")) or []
    return entries[-1].url, entries[-1].published


def test_a_wordpress_post_gets_its_date_from_the_feed_page_that_lists_it() -> None:
    url, published = oldest_entry()
    site = wordpress_site(url)
    fs = run(site, WP, wordpress=True)
    (page,) = site.items
    assert page.listed_date == published and fs.numbers.feed_pages == 2
    assert site.fetched == [
        WP + "robots.txt",
        WP + "wp-sitemap.xml",
        WP,  # the home page, for sections the sitemap leaves out (discovery had none here)
        url,  # a post that prints no date: the feed is read for it
        WP + "feed/",
        WP + "feed/?paged=2",  # the post is dated: no third page
    ]
    got = row(page)
    assert got.date_gmt == published and got.id is not None
    # the feed's date is no part of the version: a page read without it has the same key
    page.listed_date = None
    undated = row(page)
    assert undated.date_gmt is None and undated.version_sha256 == got.version_sha256


def test_the_feed_is_read_to_its_404_and_no_further() -> None:
    site = wordpress_site(WP + "unlisted/")
    site.bodies[WP + "unlisted/"] = (200, page_body("wordpress71-post.html"))
    site.bodies[WP + "feed/?paged=3"] = (404, canned("wp71-feed-31.html"))
    fs = run(site, WP, wordpress=True)
    assert [u for u in site.fetched if "feed" in u][-1] == WP + "feed/?paged=3"
    assert fs.numbers.feed_pages == 2 and fs.errors == []
    (page,) = site.items
    assert page.listed_date is None  # no entry names it: no date


def test_a_feed_page_that_repeats_the_one_before_ends_the_read() -> None:
    site = wordpress_site(WP + "unlisted/")
    site.bodies[WP + "unlisted/"] = (200, page_body("wordpress71-post.html"))
    site.bodies[WP + "feed/?paged=2"] = (200, canned("wp71-feed-1.xml"))  # ?paged ignored
    fs = run(site, WP, wordpress=True)
    assert fs.numbers.feed_pages == 1 and WP + "feed/?paged=3" not in site.fetched


def test_the_feed_pages_are_bounded_and_only_read_on_wordpress() -> None:
    url, _published = oldest_entry()
    site = wordpress_site(url)
    fs = run(site, WP, wordpress=True, caps=NumberCaps(feed_pages=1))
    assert fs.numbers.feed_pages == 1 and site.items[0].listed_date is None
    other = wordpress_site(url)
    run(other, WP, wordpress=False)
    assert not [u for u in other.fetched if "feed" in u]


def test_no_feed_is_read_where_the_post_prints_its_own_date() -> None:
    url, _published = oldest_entry()
    site = wordpress_site(url)
    own = b'<meta property="article:published_time" content="2020-01-02T03:04:05+00:00">'
    post = page_body("wordpress71-post.html")
    site.bodies[url] = (200, post.replace(b"</head>", own + b"</head>"))
    fs = run(site, WP, wordpress=True)
    assert fs.numbers.feed_pages == 0 and not [u for u in site.fetched if "feed" in u]
    assert str(row(site.items[0]).date_gmt) == "2020-01-02 03:04:05+00:00"


def drupal_site() -> tuple[Site, set[int]]:
    """The real feed, each of its articles served as the one published node captured
    (its shortlink's number made the article's own)."""
    shown = page_body("drupal7-node-video.html")
    found = re.search(rb'rel="shortlink" href="[^"]*/node/(\d+)"', shown)
    assert found is not None
    feed = parse_feed(canned("drupal-rss.xml")) or []
    bodies = {DRUPAL + "rss.xml": (200, canned("drupal-rss.xml"))}
    numbers = set()
    for entry in feed:
        assert entry.guid is not None
        nid = int(entry.guid.split()[0])  # "N at https://drupal.example"
        numbers.add(nid)
        body = shown.replace(b"/node/" + found[1] + b'"', f'/node/{nid}"'.encode())
        bodies[entry.url] = (200, body)
    return Site(bodies), numbers


def test_drupal_core_numbers_below_the_feed_are_walked() -> None:
    site, in_feed = drupal_site()
    hidden, missing = min(in_feed) - 1, min(in_feed) - 2
    shown = page_body("drupal7-node-video.html")
    for nid in range(1, max(in_feed)):
        site.bodies.setdefault(DRUPAL + f"node/{nid}", (200, shown))
    site.bodies[DRUPAL + f"node/{hidden}"] = (403, canned("drupal-node-hidden.html"))
    site.bodies[DRUPAL + f"node/{missing}"] = (404, canned("drupal-node-missing.html"))
    fs = run(site, DRUPAL, wordpress=False)
    assert fs.source == "feed" and fs.errors == [] and len(in_feed) == 10
    asked = [u for u in site.fetched if "/node/" in u]
    below = sorted(set(range(1, max(in_feed))) - in_feed, reverse=True)
    assert asked == [DRUPAL + f"node/{n}" for n in below]  # newest first
    assert len(asked) == max(in_feed) - 10 == fs.numbers.ids_asked
    walked = [p for p in site.items if p.source == "ids"]
    # each number answered: a page under its canonical address, fetched from its number;
    # neither the 403 (unpublished) nor the 404 is a page or an error
    assert {p.final_url for p in walked} == {
        DRUPAL + f"node/{n}"
        for n in range(1, max(in_feed))
        if n not in in_feed and n not in (hidden, missing)
    }
    assert {p.url for p in walked} == {DRUPAL + "news/" + _alias(shown)}


def _alias(body: bytes) -> str:
    found = re.search(rb'rel="canonical" href="[^"]*/news/([^"]+)"', body)
    assert found is not None
    return found[1].decode()


def test_the_walk_stops_after_a_row_of_misses() -> None:
    site, in_feed = drupal_site()  # no /node/N below the feed's: every number a 404
    fs = run(site, DRUPAL, wordpress=False, caps=NumberCaps(id_walk_misses=3))
    assert 3 <= fs.numbers.ids_asked <= 3 + 8  # the window in flight when the row ended
    assert fs.numbers.ids_found == 0 and fs.errors == []
    assert not [p for p in site.items if p.source == "ids"]
    assert max(in_feed) > 30


def test_a_wordpress_site_listed_by_its_feed_alone_is_walked_by_p() -> None:
    post = page_body("wordpress71-post.html").replace(b"http://127.0.0.1:44231/", WP.encode())
    entries = parse_feed(canned("wp71-feed-1.xml")) or []
    bodies = {WP + "feed/": (200, canned("wp71-feed-1.xml"))}
    for n, entry in enumerate(entries):  # the 10 newest posts: ids 200..209
        bodies[entry.url] = (200, post.replace(b"?p=154'", f"?p={200 + n}'".encode()))
    bodies[WP + "?p=199"] = (200, post)  # a post no feed lists: found
    bodies[WP + "?p=198"] = (403, canned("drupal-node-hidden.html"))  # taken, not public
    site = Site(bodies)  # 197 and below: 404
    fs = run(site, WP, wordpress=True, caps=NumberCaps(id_walk_misses=3))
    assert fs.source == "feed" and fs.errors == []
    asked = [u for u in site.fetched if "?p=" in u]
    # 8 in flight, refilled as each answers, until 197, 196, 195 (3 misses) are judged
    assert asked == [WP + f"?p={n}" for n in range(199, 187, -1)]
    (walked,) = [p for p in site.items if p.source == "ids"]
    assert walked.final_url == WP + "?p=199"
    assert walked.url == WP + "jane-example-in-maldon-150/"  # its canonical address
    assert fs.numbers.feed_pages == 1 and all(p.listed_date for p in site.items[:10])
