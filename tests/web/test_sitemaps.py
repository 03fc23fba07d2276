"""Sitemap caps and walks: loops, huge files, gzip and gzip bombs, real WordPress sitemaps."""

from __future__ import annotations

import gzip
import resource
import urllib.request
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from hypothesis import assume, example, given
from hypothesis import strategies as st

from mpcrawl.web.sitemaps import (
    Caps,
    SitemapWalk,
    parse_sitemap,
    robots_sitemaps,
    well_known_sitemaps,
)
from tests.wordpress.wpserver import WordPress

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(count: int, base: str = "https://ex.org") -> bytes:
    rows = "".join(
        f"<url><loc>{base}/p/{n}/</loc><lastmod>2024-01-02T03:04:05Z</lastmod></url>"
        for n in range(count)
    )
    return f'<?xml version="1.0"?><urlset {NS}>{rows}</urlset>'.encode()


def index(*locs: str) -> bytes:
    rows = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f"<sitemapindex {NS}>{rows}</sitemapindex>".encode()


def test_an_index_that_lists_itself_is_read_once() -> None:
    walk = SitemapWalk()
    assert walk.add(["https://ex.org/sitemap.xml"]) == ["https://ex.org/sitemap.xml"]
    body = index("https://ex.org/sitemap.xml", "https://ex.org/posts.xml")
    assert walk.read("https://ex.org/sitemap.xml", body) == ["https://ex.org/posts.xml"]
    # the child lists the index again: nothing more to fetch, the walk ends
    child = index("https://ex.org/sitemap.xml", "https://ex.org/posts.xml")
    assert walk.read("https://ex.org/posts.xml", child) == []
    assert walk.loops == 3 and walk.files_read == 2 and walk.complete


def test_a_chain_of_indexes_stops_at_the_file_cap() -> None:
    walk = SitemapWalk(Caps(max_files=5))
    todo = walk.add(["https://ex.org/s0.xml"])
    fetched = 0
    while todo:
        url = todo.pop()
        fetched += 1
        n = int(url.rsplit("s", 1)[1].removesuffix(".xml"))
        todo += walk.read(url, index(f"https://ex.org/s{n + 1}.xml"))
    assert fetched == 5
    assert not walk.complete and "more than 5 sitemap files" in walk.problems[0]


def test_a_200000_url_sitemap_is_cut_at_the_cap_in_bounded_memory() -> None:
    body = urlset(200_000)
    assert len(body) > 15_000_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    walk = SitemapWalk(Caps(max_urls=100_000, max_urls_per_file=50_000))
    walk.add(["https://ex.org/big.xml"])
    walk.read("https://ex.org/big.xml", body)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(walk.urls) == 50_000
    assert not walk.complete  # an incomplete read can never tombstone a page
    assert grown_mb < 200, f"reading a capped sitemap grew memory by {grown_mb:.0f} MB"


def test_the_whole_200000_url_sitemap_when_the_caps_allow() -> None:
    parsed = parse_sitemap(urlset(200_000), "https://ex.org/big.xml", max_urls=250_000)
    assert len(parsed.entries) == 200_000 and not parsed.truncated
    assert parsed.entries[-1][0] == "https://ex.org/p/199999/"
    assert parsed.entries[0][1] is not None and parsed.entries[0][1].year == 2024


BASES = (
    "https://ex.org/sitemap.xml",
    "http://ex.org:8080/a/b/sitemap.xml?x=1",
    "HTTPS://Ex.Org/sitemap.xml",
    "https://user@[::1]:8443/sitemap.xml",
    "ftp://ex.org/sitemap.xml",
)
HEADS = ("", "https://ex.org", "http://ex.org:8080", "HTTPS://ex.org", "//ex.org", "https:")


@example(BASES[0], "https://ex.org", "/a?")  # urljoin drops an empty query
@example(BASES[0], "https://ex.org", "/a#")  # and an empty fragment
@example(BASES[0], "https://ex.org", "/a\tb")  # and a tab
@example(BASES[0], "https:", "/x")  # and a missing host is the base's
@given(
    base=st.sampled_from(BASES),
    head=st.sampled_from(HEADS),
    path=st.text(alphabet="/.ab%:@?#;[]= \t\u00e9", max_size=12),
)
def test_each_loc_is_resolved_as_urljoin_resolves_it(base: str, head: str, path: str) -> None:
    loc = (head + path).strip()
    try:
        expected = urljoin(base, loc)
    except ValueError:  # a malformed IPv6 host: no URL to compare with
        expected = None
    assume(loc and expected is not None)
    doc = f"<urlset {NS}><url><loc>{escape(loc)}</loc></url></urlset>".encode()
    assert parse_sitemap(doc, base).entries == [(expected, None)]


def test_a_gzip_sitemap_is_read() -> None:
    walk = SitemapWalk()
    walk.add(["https://ex.org/sitemap.xml.gz"])
    walk.read("https://ex.org/sitemap.xml.gz", gzip.compress(urlset(3)))
    assert list(walk.urls) == [f"https://ex.org/p/{n}/" for n in range(3)]
    assert walk.complete


def test_a_gzip_bomb_stops_at_the_byte_cap() -> None:
    # the fastest level: a 200 MB body still compresses to under 1 MB
    bomb = gzip.compress(b"<urlset>" + b" " * 200_000_000 + b"</urlset>", compresslevel=1)
    assert len(bomb) < 1_000_000
    walk = SitemapWalk(Caps(max_bytes=10_000_000))
    walk.add(["https://ex.org/bomb.xml.gz"])
    assert walk.read("https://ex.org/bomb.xml.gz", bomb) == []
    assert not walk.complete and "larger than 10000000 bytes" in walk.problems[0]
    assert walk.found_any  # a sitemap cut at the cap is a sitemap: named, never dropped


def test_html_at_a_well_known_address_is_no_sitemap() -> None:
    walk = SitemapWalk()
    walk.add(well_known_sitemaps("https://ex.org/"))
    home = b"<!doctype html><title>Home</title><p>hi</p>"
    walk.read("https://ex.org/sitemap.xml", home, listed=False)
    assert not walk.found_any and walk.complete


PHP_FATAL = (
    b"<br />\n<b>Fatal error</b>: Allowed memory size of 134217728 bytes exhausted in "
    b"<b>/var/www/wp-includes/sitemaps/class-wp-sitemaps-renderer.php</b> on line <b>120</b>"
)


def test_a_listed_sitemap_not_read_whole_makes_the_walk_incomplete() -> None:
    whole = urlset(40)
    bodies = {
        "php-fatal-error": PHP_FATAL,
        "cut-off": whole[: len(whole) // 2],
        "syntax-error-halfway": whole.replace(b"<url><loc>https://ex.org/p/20/", b"<url><loc <"),
    }
    for why, body in bodies.items():
        walk = SitemapWalk()
        walk.add(["https://ex.org/index.xml"])
        walk.read("https://ex.org/index.xml", index("https://ex.org/a.xml", "https://ex.org/b.xml"))
        walk.read("https://ex.org/a.xml", urlset(3, "https://ex.org/a"))
        walk.read("https://ex.org/b.xml", body)
        assert not walk.complete, why
        assert walk.problems[0].startswith("https://ex.org/b.xml: "), why
        # what was read before the break is kept: pages are still archived
        if why == "php-fatal-error":
            assert len(walk.urls) == 3
        else:
            assert 3 + 15 <= len(walk.urls) < 3 + 40, why


def test_leading_blank_lines_and_trailing_notices_are_no_break() -> None:
    walk = SitemapWalk()
    walk.add(["https://ex.org/s.xml"])
    walk.read("https://ex.org/s.xml", b"\n\n  " + urlset(3) + b"\n<b>Notice</b>: x")
    assert walk.complete and len(walk.urls) == 3


def test_one_bad_lastmod_costs_only_that_lastmod() -> None:
    body = urlset(30).replace(
        b"<loc>https://ex.org/p/7/</loc><lastmod>2024-01-02T03:04:05Z",
        b"<loc>https://ex.org/p/7/</loc><lastmod>9999-12-31T23:59:59-01:00",
    )
    walk = SitemapWalk()
    walk.add(["https://ex.org/s.xml"])
    walk.read("https://ex.org/s.xml", body)
    assert walk.complete and len(walk.urls) == 30
    assert walk.urls["https://ex.org/p/7/"] is None and walk.urls["https://ex.org/p/8/"]
    assert walk.bad == {
        "https://ex.org/p/7/": "lastmod: outside years 1..9999 in UTC: '9999-12-31T23:59:59-01:00'"
    }
    assert walk.bad_lastmods == 1


def test_real_wordpress_sitemaps_list_every_public_post_and_page(wordpress: WordPress) -> None:
    for site in (wordpress.pretty, wordpress.plain):
        with urllib.request.urlopen(site.url + "/robots.txt") as resp:
            robots = resp.read().decode()
        listed = robots_sitemaps(robots) if site.pretty else []
        walk = SitemapWalk()
        todo = walk.add(listed or [site.url + "/?sitemap=index"])
        while todo:
            url = todo.pop(0)
            with urllib.request.urlopen(url) as resp:
                todo += walk.read(url, resp.read())
        manifest = site.manifest
        assert walk.complete
        # taxonomy and user sitemaps are archive pages, not publications: not walked;
        # WordPress lists the home page (a list of posts) in the pages sitemap
        assert site.url + "/" in walk.urls
        assert len(walk.urls) - 1 == manifest["public_posts"] + manifest["public_pages"]
        assert all(url.startswith(site.url) for url in walk.urls)


def test_a_bad_lastmod_in_an_index_costs_nothing_of_it() -> None:
    body = index("https://ex.org/a.xml", "https://ex.org/b.xml").replace(
        b"</loc></sitemap>", b"</loc><lastmod>0001-01-01T00:00:00+01:00</lastmod></sitemap>", 1
    )
    walk = SitemapWalk()
    walk.add(["https://ex.org/index.xml"])
    assert walk.read("https://ex.org/index.xml", body) == [
        "https://ex.org/a.xml",
        "https://ex.org/b.xml",
    ]
    assert walk.complete and walk.bad_lastmods == 1
