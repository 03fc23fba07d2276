"""Listing pages, their links and their entries, on pages captured from the test servers
(``pages/``).

Drupal 7.105 (``tests/drupal/``), Wagtail (``tests/wagtail/``) and WordPress 7.1
(``tests/wordpress71/``) as served: which pages list others, which links are other pages
of the same listing, and which lead nowhere a crawl of publications should go.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mpcrawl.web.entries import entry_fingerprints
from mpcrawl.web.listings import Bounds, Frontier, followable, read_listing
from tests.hugo.site import HugoSite

PAGES = Path(__file__).parent / "pages"
ORIGIN = "http://127.0.0.1:59043"  # where the Drupal pages were captured


def listing(name: str, path: str = "/x"):  # type: ignore[no-untyped-def]
    return read_listing((PAGES / name).read_text(), ORIGIN + path)


def paths(urls: tuple[str, ...]) -> list[str]:
    return [urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "") for u in urls]


def test_drupals_front_page_pager_and_its_links() -> None:
    page = listing("drupal7-front.html", "/")
    assert page.listing
    # ul.pager: pages 2-9 and the last; "next" is page 2 again
    assert paths(page.pagers) == [f"/node?page={n}" for n in range(1, 9)] + ["/node?page=29"]
    links = paths(page.links)
    assert sorted(p for p in links if p.startswith("/taxonomy/")) == [
        f"/taxonomy/term/{n}" for n in range(1, 6)
    ]
    assert len([p for p in links if p.startswith("/news/")]) == 10
    assert not [p for p in links if p.startswith("/user")]  # log in, register, password


def test_a_page_of_drupals_pager_leads_back_to_its_first_page() -> None:
    page = listing("drupal7-node-listing-page-2.html", "/node?page=2")
    assert page.listing
    assert paths(page.pagers)[:3] == ["/node", "/node?page=1", "/node?page=3"]
    assert "/node?page=2" not in paths(page.pagers)  # itself


def test_a_drupal_tag_listing_numbers_its_own_pages() -> None:
    page = listing("drupal7-taxonomy-term.html", "/taxonomy/term/1")
    assert page.listing
    assert paths(page.pagers) == [f"/taxonomy/term/1?page={n}" for n in range(1, 6)]
    assert "/taxonomy/term/1/feed" not in paths(page.links)  # a feed, not a page


@pytest.mark.parametrize(
    ("name", "is_listing"),
    [
        ("drupal7-node-video.html", False),
        ("drupal7-node-exchange.html", False),
        ("wagtail-index.html", True),
        ("wagtail-form.html", True),
        ("wagtail-post-dated.html", False),
        ("wordpress71-post.html", False),
    ],
)
def test_publications_and_listings_as_their_platform_profiles_say(
    name: str, is_listing: bool
) -> None:
    page = listing(name)
    assert page.listing is is_listing
    assert bool(page.links) is is_listing  # a publication's links are not followed


def test_the_home_page_is_read_for_its_links_whatever_it_is() -> None:
    post = (PAGES / "drupal7-node-video.html").read_text()
    assert not read_listing(post, ORIGIN + "/").listing
    assert read_listing(post, ORIGIN + "/", root=True).links


def test_on_a_page_of_no_known_platform_a_pager_makes_a_listing() -> None:
    body = (
        '<html><body class="blog-list"><h1>News</h1><a href="/news/a/">A</a>'
        '<nav class="navigation pagination"><div class="nav-links">'
        '<a class="page-numbers" href="/news/page/2/">2</a>'
        '<a class="next page-numbers" href="/news/page/2/">Older</a></div></nav>'
        "</body></html>"
    )
    page = read_listing(body, "https://ex.org/news/")
    assert page.listing
    assert page.pagers == ("https://ex.org/news/page/2/",)
    assert page.links == ("https://ex.org/news/a/",)
    without = '<html><body class="blog-list"><a href="/news/b/">Older</a></body></html>'
    assert not read_listing(without, "https://ex.org/news/").listing
    # the same address numbered is a pager even outside any pager block
    numbered = '<html><head><meta property="og:type" content="website"></head><body>'
    numbered += '<a href="/news?page=3">3</a></body></html>'
    assert read_listing(numbered, "https://ex.org/news?page=2").pagers == (
        "https://ex.org/news?page=3",
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://ex.org/user/register?destination=node/5%23comment-form",
        "https://ex.org/user/login",
        "https://ex.org/search/node?keys=nhs",
        "https://ex.org/comment/reply/5",
        "https://ex.org/news/a/?replytocom=12",
        "https://ex.org/news/?orderby=title",
        "https://ex.org/basket",
    ],
)
def test_links_to_no_publication_are_not_followed(url: str) -> None:
    assert not followable(url)


@pytest.mark.parametrize(
    "url",
    ["https://ex.org/news/a-b", "https://ex.org/?p=42", "https://ex.org/taxonomy/term/3?page=2"],
)
def test_links_to_publications_and_listings_are_followed(url: str) -> None:
    assert followable(url)


def test_a_crawl_past_its_time_reads_no_more_listings() -> None:
    frontier = Frontier(Bounds(seconds=60))
    assert frontier.expand(depth=0, elapsed=59.0)
    assert not frontier.expand(depth=0, elapsed=61.0)
    assert frontier.cut == "listings left unread after 60 s (MPCRAWL_LISTING_SECONDS)"
    assert not frontier.complete and frontier.listings == 1


# --- listing entries (entry_fingerprints): what a listing says of each page ------------

FRONT = "drupal7-front.html"


def news(prints: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    return {u: p for u, p in prints.items() if urlsplit(u).path.startswith("/news/")}


def entries_of(name: str, path: str, html: str | None = None) -> dict[str, frozenset[str]]:
    return entry_fingerprints(html or (PAGES / name).read_text(), ORIGIN + path)


def test_each_teaser_of_drupals_front_page_is_its_articles_one_entry() -> None:
    prints = news(entries_of(FRONT, "/"))
    # title and "Read more" sit in one div.node-teaser: one entry per article
    assert len(prints) == 10 and all(len(p) == 1 for p in prints.values())
    assert len(set().union(*prints.values())) == 10


def test_an_edit_a_teaser_shows_changes_that_articles_entry_only() -> None:
    html = (PAGES / FRONT).read_text()
    sentence = "Residents wrote to her 85 times this year"
    assert html.count(sentence) == 1  # in the teaser of one article
    edited = entries_of(FRONT, "/", html.replace(sentence, "Residents wrote 86 times"))
    before = entries_of(FRONT, "/")
    changed = [u for u in news(before) if before[u] != edited[u]]
    assert [urlsplit(u).path for u in changed] == [
        "/news/jane-example-raises-southminster-in-debate-on-clause-85"
    ]


def test_an_article_keeps_its_entry_when_it_moves_down_or_to_another_listing() -> None:
    html = (PAGES / FRONT).read_text()
    # a new article pushes the others down: the first teaser gone, the rest unchanged
    start = html.index('<div id="node-305"')
    end = html.index('<div id="node-304"')
    shifted = news(entries_of(FRONT, "/", html[:start] + html[end:]))
    before = news(entries_of(FRONT, "/"))
    assert len(shifted) == 9 and all(shifted[u] == before[u] for u in shifted)
    # the same teaser on a tag listing is the same entry
    tag = news(entries_of("drupal7-taxonomy-term.html", "/taxonomy/term/1"))
    both = set(tag) & set(before)
    assert both and all(tag[u] == before[u] for u in both)


def test_each_page_of_drupals_pager_and_a_wagtail_index_has_one_entry_per_publication() -> None:
    page2 = news(entries_of("drupal7-node-listing-page-2.html", "/node?page=2"))
    assert len(page2) == 10 and all(len(p) == 1 for p in page2.values())
    index = entries_of("wagtail-index.html", "/news/")
    visits = {u: p for u, p in index.items() if "/news/visit-" in u}
    assert len(visits) == 20 and len(set().union(*visits.values())) == 20


def test_a_hugo_list_pages_entries(tmp_path: Path) -> None:
    with HugoSite(tmp_path, pages=5) as site:
        html = (site.public / "posts" / "index.html").read_text()
    listing = site.url + "/posts/"
    prints = entry_fingerprints(html, listing)
    posts = {site.url + page.path: page.title for page in site.pages.values()}
    assert set(posts) <= set(prints) and all(len(prints[u]) == 1 for u in posts)
    url, title = next(iter(posts.items()))
    edited = entry_fingerprints(html.replace(title, title + " (updated)"), listing)
    assert [u for u in posts if edited[u] != prints[u]] == [url]


def test_each_post_of_a_wordpress_query_loop_is_its_entry() -> None:
    # WordPress 7.1's twentytwentyfive home page (tests/wordpress71/), captured at this origin
    origin = "http://127.0.0.1:45837"
    html = (PAGES / "wordpress71-home.html").read_text()
    prints = entry_fingerprints(html, origin + "/")
    posts = {u: p for u, p in prints.items() if u.startswith(origin + "/jane-example-")}
    assert len(posts) == 10 and all(len(p) == 1 for p in posts.values())
    # li.wp-block-post holds title, text and date: an edit of the text changes that entry
    sentence = "Jane Example MP visited Burnham-on-Crouch on business number 59."
    assert html.count(sentence) == 1
    edited = entry_fingerprints(html.replace(sentence, "An edited first line."), origin + "/")
    assert [u for u in posts if edited[u] != posts[u]] == [
        origin + "/jane-example-in-burnham-on-crouch-59/"
    ]
    # a new post pushes the first down a place: the others keep their entries
    first = html.index('<li class="wp-block-post')
    second = html.index('<li class="wp-block-post', first + 1)
    shifted = entry_fingerprints(html[:first] + html[second:], origin + "/")
    kept = [u for u in posts if u in shifted]
    assert len(kept) == 9 and all(shifted[u] == posts[u] for u in kept)
