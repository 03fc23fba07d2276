"""Sections a sitemap leaves out, judged on home pages captured from the test servers.

``uncovered_sections`` reads a home page (its menus and listings) and the URLs a sitemap
listed, and names the sections to crawl: the Drupal 7.105 front page of ``tests/drupal/``,
the Wagtail home page of ``tests/wagtail/`` and a WordPress 7.1 page of
``tests/wordpress71/`` (its header, "More posts" block and footer), as served.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mpcrawl.web.listings import read_listing, section_of, uncovered_sections

PAGES = Path(__file__).parent / "pages"
ORIGIN = "http://127.0.0.1:59043"  # where the Drupal and Wagtail pages were captured
WP_ORIGIN = "http://127.0.0.1:44231"  # where the WordPress page was captured


def home(name: str, origin: str = ORIGIN) -> tuple[str, str]:
    return (PAGES / name).read_text(), origin + "/"


def links(name: str, origin: str = ORIGIN) -> list[str]:
    """Every link the page's own reading follows, on its own site."""
    body, url = home(name, origin)
    page = read_listing(body, url, root=True)
    return [u for u in (*page.links, *page.pagers) if u.startswith(origin)]


def sections(name: str, listed: list[str], origin: str = ORIGIN):  # type: ignore[no-untyped-def]
    body, url = home(name, origin)
    return uncovered_sections(body, url, listed, lambda u: u.startswith(origin))


def paths(urls: tuple[str, ...]) -> list[str]:
    return [urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "") for u in urls]


def test_a_sitemap_of_the_articles_covers_the_drupal_front_page() -> None:
    # xmlsitemap for the article bundle: the /news/ articles (not all of them on the front
    # page); the front page's tag listings, its pager, log in links, the feed and
    # drupal.org are no section of their own
    listed = [ORIGIN + "/news/an-older-article", ORIGIN + "/news/another"]
    assert sections("drupal7-front.html", listed).names == ()


def test_the_drupal_front_pages_articles_are_a_section_a_sitemap_of_pages_leaves_out() -> None:
    # a sitemap that lists the basic pages only: the front page's articles are a section,
    # and since the front page lists them itself, its pager leads to the older ones
    s = sections("drupal7-front.html", [ORIGIN + "/about", ORIGIN + "/contact"])
    assert s.names == ("news",)
    assert len(s.start.links) == 10 and all(p.startswith("/news/") for p in paths(s.start.links))
    assert paths(s.start.pagers) == [f"/node?page={n}" for n in range(1, 9)] + ["/node?page=29"]
    assert s.holds(ORIGIN + "/news/anything") and not s.holds(ORIGIN + "/taxonomy/term/1")


def test_a_full_wagtail_sitemap_with_its_contact_page_leaves_nothing_out() -> None:
    assert sections("wagtail-index.html", links("wagtail-index.html")).names == ()


def test_a_blog_only_sitemap_leaves_out_the_wagtail_sites_other_pages() -> None:
    # as a Wix site's blog sitemap would: the news index and its posts only
    blog = [u for u in links("wagtail-index.html") if urlsplit(u).path.startswith("/news/")]
    s = sections("wagtail-index.html", blog)
    assert s.names == ("gallery", "contact")
    assert paths(s.start.links) == ["/gallery/", "/contact/"]
    assert s.start.pagers == ()  # index pages, no publication of them on the home page


def test_a_listed_index_whose_pages_the_home_page_links_unlisted_is_left_out() -> None:
    # the sitemap names the gallery (a menu link) but none of its pages the home links
    body = (
        (PAGES / "wagtail-index.html")
        .read_text()
        .replace(
            '<li><a href="/contact/">Contact</a></li>',
            '<li><a href="/contact/">Contact</a></li><li><a href="/gallery/june/">June</a></li>',
        )
    )
    listed = [ORIGIN + "/news/visit-1/", ORIGIN + "/gallery/", ORIGIN + "/contact/"]
    s = uncovered_sections(body, ORIGIN + "/", listed, lambda u: u.startswith(ORIGIN))
    assert s.names == ("gallery",)
    assert paths(s.start.links) == ["/gallery/", "/gallery/june/"]


def test_wordpress_archives_feeds_and_other_sites_are_never_sections() -> None:
    posts = [u for u in links("wordpress71-post.html", WP_ORIGIN) if "jane-example" in u]
    assert sections("wordpress71-post.html", posts, WP_ORIGIN).names == ()
    # the category and author archives, the home link, /feed/, wp-json and wordpress.org
    for url in ("/category/uncategorized/", "/author/admin/", "/2024/05/", "/tag/roads/"):
        assert section_of(WP_ORIGIN + url) is None
