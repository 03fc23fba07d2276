"""Pages of the real WordPress and of the Hugo site read as publications."""

from __future__ import annotations

import difflib
import json
import urllib.request
from typing import Any

import pytest

from mpcrawl.extract.embeds import find_embeds
from mpcrawl.extract.speakers import find_turns
from mpcrawl.extract.text import html_to_text
from mpcrawl.web.page import page_links, read_page, version_key
from mpcrawl.wp.dates import parse_wp_gmt
from mpcrawl.wp.records import plain
from tests.hugo.site import HugoSite
from tests.wordpress.wpserver import Instance, WordPress


def get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url) as resp:
        return resp.read().decode("utf-8"), resp.url


def rest_objects(site: Instance, rest_base: str) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    page, pages = 1, 1
    while page <= pages:
        with urllib.request.urlopen(
            site.rest_url(f"/wp/v2/{rest_base}", f"per_page=100&page={page}")
        ) as resp:
            objects += json.load(resp)
            pages = int(resp.headers["X-WP-TotalPages"])
        page += 1
    return objects


def sample(site: Instance) -> list[tuple[str, dict[str, Any]]]:
    """Every page, the seed post, the video posts, the protected post, and every 10th post."""
    manifest = site.manifest
    special = {manifest["seed_post"], manifest["protected"], *manifest["video_posts"].values()}
    posts = rest_objects(site, "posts")
    chosen = [("post", p) for n, p in enumerate(posts) if p["id"] in special or n % 10 == 0]
    return chosen + [("page", p) for p in rest_objects(site, "pages")]


@pytest.mark.parametrize("form", ["pretty", "plain"])
def test_wordpress_pages_match_the_rest_api(wordpress: WordPress, form: str) -> None:
    site = wordpress.pretty if form == "pretty" else wordpress.plain
    checked = 0
    for post_type, obj in sample(site):
        body, url = get(obj["link"])
        info = read_page(body, url)
        assert info.wp_id == obj["id"], url
        assert info.post_type == post_type and not info.listing
        # a protected post's page prints "Protected: " before its title; REST does not
        assert info.title == plain(obj["title"])
        if post_type == "post":  # twentytwentythree prints a post's date, not a page's
            assert info.date_gmt == parse_wp_gmt(obj["date_gmt"]), url
        if obj["content"].get("protected"):
            assert info.protected
            continue
        rest_html = obj["content"]["rendered"]
        similarity = difflib.SequenceMatcher(
            None, html_to_text(rest_html), info.content_text, autojunk=False
        ).ratio()
        assert similarity >= 0.95, (url, similarity)
        assert info.media_html == info.content_html
        assert find_embeds(info.content_html) == find_embeds(rest_html)
        assert find_turns(info.content_html) == find_turns(rest_html)
        checked += 1
    assert checked > 30


def test_the_version_key_ignores_what_changes_per_request(wordpress: WordPress) -> None:
    url = wordpress.pretty.url + f"/?p={wordpress.pretty.manifest['seed_post']}"
    first, second = (read_page(*get(url)) for _ in range(2))
    assert version_key(first) == version_key(second)
    assert len(find_turns(first.content_html)) >= 2


def test_archive_pages_are_listings_not_publications(wordpress: WordPress) -> None:
    home = read_page(*get(wordpress.pretty.url + "/"))
    category = read_page(*get(wordpress.pretty.url + "/?cat=1"))
    assert home.listing and category.listing
    assert home.wp_id is None
    links = page_links(*get(wordpress.pretty.url + "/"))
    assert wordpress.pretty.url + "/about/" in links  # other hosts are the spider's to fence
    assert not any("/wp-admin" in link or "/feed" in link for link in links)


def test_hugo_pages_are_read_by_trafilatura(tmp_path: Any) -> None:
    with HugoSite(tmp_path, pages=8) as site:
        for page in site.pages.values():
            info = read_page(*get(site.url + page.path))
            assert info.extractor == "trafilatura" and not info.listing
            assert info.wp_id is None and info.post_type is None
            assert info.title == page.title
            assert info.date_gmt == page.date
            assert "Thank you to everyone who came to the surgery" in info.content_text
            assert "Published by the Member's office" not in info.content_text  # footer
            assert "Recent" not in info.content_text  # sidebar
            assert len(find_embeds(info.media_html)) == (1 if page.video else 0)
        assert read_page(*get(site.url + "/")).listing


@pytest.mark.parametrize("name", ["video", "cover__video", "media-text__video"])
def test_wordpress_block_fixtures_keep_their_embeds(name: str) -> None:
    """WordPress core's rendered block fixtures, in the page a classic theme would serve."""
    from tests.shared import shared_path

    block = shared_path("wp-fixtures", "blocks", f"core__{name}.server.html").read_text()
    page = (
        "<html><head><title>Video – Site</title><link rel='shortlink' href='/?p=7'></head>"
        '<body class="single single-post postid-7"><article id="post-7"><h1>Video</h1>'
        f'<div class="entry-content">{block}</div></article>'
        '<aside><iframe src="https://www.youtube.com/embed/aaaaaaaaaaa"></iframe></aside>'
        "</body></html>"
    )
    info = read_page(page, "https://ex.org/video/")
    assert info.wp_id == 7 and info.extractor == "wordpress"
    want = find_embeds(block, info.url)
    assert want and find_embeds(info.media_html, info.url) == want  # the sidebar's is not
