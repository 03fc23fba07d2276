"""Platform profiles on real pages captured from the test servers (``tests/web/pages/``).

Drupal 7.105 (``tests/drupal/``), WordPress 7.1 on twentytwentyfive with its API closed
(``tests/wordpress71/``) and the Wagtail site (``tests/wagtail/``), as served; what each
page is, its id, type, dates and body, as a reader of the archive would see them.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mpcrawl.extract.embeds import find_embeds
from mpcrawl.extract.speakers import find_turns
from mpcrawl.web.page import PageInfo, read_page

PAGES = Path(__file__).parent / "pages"


def page(name: str, url: str = "http://127.0.0.1:8000/x", lang: str | None = None) -> PageInfo:
    html = (PAGES / name).read_text()
    if lang is not None:  # the same page as a site in another language would serve it
        html = html.replace('lang="en-GB"', f'lang="{lang}"')
    return read_page(html, url)


def test_a_drupal7_article_with_a_video() -> None:
    info = page("drupal7-node-video.html")
    assert (info.platform, info.wp_id, info.post_type, info.listing) == (
        "drupal7",
        4,
        "article",
        False,
    )
    # the RDFa creation time to the second, not the display date "Sat, 01/14/2023 - 01:37"
    assert info.date_gmt == datetime(2023, 1, 14, 1, 37, 30, tzinfo=UTC)
    assert info.title == "Jane Example congratulates Latchingdon school on 42 years"
    assert info.extractor == "drupal7"
    assert [(e.provider, e.video_id) for e in find_embeds(info.media_html, info.url)] == [
        ("youtube", "dQw4w9WgXcQ")
    ]
    assert "Submitted by" not in info.content_text and "Tags" not in info.content_text
    assert info.content_text.startswith("Jane Example MP has spoken about the primary school")
    assert info.content_text.endswith("Anyone affected can contact her office in Latchingdon.")


def test_a_drupal7_article_quoting_an_exchange_keeps_its_bold_labels() -> None:
    info = page("drupal7-node-exchange.html")
    assert (info.wp_id, info.date_gmt) == (12, datetime(2023, 2, 11, 6, 34, 33, tzinfo=UTC))
    turns = find_turns(info.content_html)
    assert [t.speaker for t in turns] == [
        "Sir John Whittingdale",
        "The Prime Minister",
        "Mr Speaker",
    ]


@pytest.mark.parametrize(
    "name", ["drupal7-front.html", "drupal7-node-listing-page-2.html", "drupal7-taxonomy-term.html"]
)
def test_drupal7_front_pager_and_taxonomy_pages_are_listings(name: str) -> None:
    info = page(name)
    assert info.platform == "drupal7" and info.listing and info.wp_id is None


def test_wordpress71_more_posts_dates_are_not_the_posts() -> None:
    info = page("wordpress71-post.html", "http://127.0.0.1:44231/jane-example-in-maldon-150/")
    assert (info.platform, info.wp_id, info.post_type, info.listing) == (
        "wordpress",
        154,
        "post",
        False,
    )
    # the page prints four <time>s, all of other posts (the "More posts" query loop)
    assert info.date_gmt is None
    assert info.content_text == (
        "Jane Example MP visited Maldon on business number 150.\n\n"
        "She thanked the people of Maldon for their letters."
    )


@pytest.mark.parametrize("name", ["wagtail-index.html", "wagtail-form.html"])
def test_wagtail_index_and_form_pages_are_listings(name: str) -> None:
    info = page(name)
    assert info.platform == "wagtail" and info.listing


def test_a_wagtail_post_that_shows_no_date_has_none() -> None:
    info = page("wagtail-post-undated.html")
    assert (info.platform, info.post_type, info.listing) == ("wagtail", "blogpage", False)
    assert info.date_gmt is None  # not the footer's "© 2019"
    assert info.title == "Jane visits Heybridge high street (2)"
    assert "Surgery times:" in info.content_text and "Friday 14:00 to 16:00" in info.content_text
    assert "Promoted by" not in info.content_text and "More news" not in info.content_text


def test_a_wagtail_display_date_is_read_in_the_pages_language() -> None:
    # 08/02/2025 under <html lang="en-GB">: 8 February
    assert page("wagtail-post-ambiguous.html").date_gmt == datetime(2025, 2, 8, tzinfo=UTC)
    assert page("wagtail-post-ambiguous.html", lang="en-US").date_gmt == datetime(
        2025, 8, 2, tzinfo=UTC
    )
    assert page("wagtail-post-ambiguous.html", lang="en").date_gmt is None  # no order known


def test_a_drupal7_theme_without_rdfa_gives_the_display_day_only_when_unambiguous() -> None:
    # Themes that strip RDFa leave "Submitted by admin on Sat, 01/14/2023 - 01:37" (the
    # site's month-first default format) under <html xml:lang="en">: no order is known
    def without_rdfa(name: str) -> PageInfo:
        html = (PAGES / name).read_text()
        html = re.sub(r' property="dc:date dc:created" content="[^"]*"', "", html)
        return read_page(html, "http://127.0.0.1:8000/x")

    assert without_rdfa("drupal7-node-video.html").date_gmt == datetime(2023, 1, 14, tzinfo=UTC)
    assert without_rdfa("drupal7-node-exchange.html").date_gmt is None  # 02/11/2023
