"""Feeds of the real WordPress and of the Hugo site."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from mpcrawl.web.feeds import feed_links, parse_feed, well_known_feeds
from tests.hugo.site import HugoSite
from tests.wordpress.wpserver import WordPress


def get(url: str) -> bytes:
    with urllib.request.urlopen(url) as resp:
        body: bytes = resp.read()
        return body


def test_wordpress_feeds_in_both_forms(wordpress: WordPress) -> None:
    for site in (wordpress.pretty, wordpress.plain):
        home = get(site.url + "/").decode()
        links = feed_links(home, site.url + "/")
        assert links == [site.url + ("/feed/" if site.pretty else "/?feed=rss2")]
        entries = parse_feed(get(links[0]))
        assert entries is not None and len(entries) == 10  # WordPress's default
        assert all(e.url.startswith(site.url) and e.title and e.published for e in entries)
        assert parse_feed(home.encode()) is None


def test_hugo_rss_lists_the_pages(tmp_path: Path) -> None:
    with HugoSite(tmp_path, pages=5) as site:
        assert feed_links(get(site.url + "/").decode(), site.url + "/") == [site.url + "/index.xml"]
        assert site.url + "/index.xml" in well_known_feeds(site.url + "/")
        entries = parse_feed(get(site.url + "/index.xml"))
        assert entries is not None
        urls = {e.url for e in entries if "/posts/" in e.url and e.url.count("/") > 4}
        assert urls == {site.url + p.path for p in site.pages.values()}
