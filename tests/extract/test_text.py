"""html_to_text, word_count and outbound_links on real post HTML and on anything at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.extract.text import html_to_text, outbound_links, word_count

SEED = Path("/work/shared/seeds/wp-post-4407.json")
FIXTURES = Path("/work/shared/wp-fixtures/rest/frontity-wp-source-mocks")

HTML_BITS = st.sampled_from(
    ["<p>", "</p>", "<br>", "<div>", "</li>", "<script>x()</script>", "<style>", "&nbsp;",
     "&amp;", "&#0;", "&bogus", "<!-- c -->", "<a href='//x.org/a'>", "<a href=\"http://[::1\">",
     "<a href='https://www.Example.org/'>", "</a>", "\x00", "\x01", "\ud800", "\ue000", " ",
     "\n", "<?xml version='1.0' encoding='latin-1'?>", "<iframe title=t>", "<![CDATA[x]]>", "é"]
)  # fmt: skip
HTML = st.lists(st.one_of(HTML_BITS, st.text(max_size=8)), max_size=30).map("".join)


@pytest.fixture(scope="module")
def seed_html() -> str:
    return str(json.loads(SEED.read_text(encoding="utf-8"))["content"]["rendered"])


def test_seed_text_keeps_paragraphs_and_drops_the_embed(seed_html: str) -> None:
    text = html_to_text(seed_html)
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "John Whittingdale Conservative, Maldon"  # &nbsp; became a space
    assert paragraphs[-1] == "Please see the link below to watch a clip of Sir John’s question:"
    assert len(paragraphs) == 9
    assert "youtube" not in text.lower() and "\xa0" not in text and "  " not in text


def test_scripts_styles_and_templates_are_not_text() -> None:
    html = (
        "<style>p{color:red}</style><p>Shown</p><script>alert('no')</script>"
        "<noscript>Enable JS</noscript><template><p>later</p></template><p>Also &amp; shown</p>"
    )
    assert html_to_text(html) == "Shown\n\nAlso & shown"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One<br>two<br/><br>three</p>", "One\ntwo\n\nthree"),
        ("<ul><li>a</li><li>b</li></ul><h2>Head</h2>tail", "a\n\nb\n\nHead\n\ntail"),
        ("<blockquote>q</blockquote><figure><figcaption>cap</figcaption></figure>", "q\n\ncap"),
        ("<p>  lots \n\t of   space&nbsp;&nbsp;here </p>", "lots of space here"),
        ("<p>Bold <strong>inside</strong> a <em>sentence</em>.</p>", "Bold inside a sentence."),
        ("<table><tr><td>a</td></tr><tr><td>b</td></tr></table>", "a\n\nb"),
        ("", ""),
        ("<p> </p>", ""),
    ],
)
def test_blocks_become_paragraphs(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_real_wordpress_post_with_lists_and_bold() -> None:
    page = json.loads((FIXTURES / "page-with-subpage.json").read_text(encoding="utf-8"))
    page = page[0] if isinstance(page, list) else page
    text = html_to_text(page["content"]["rendered"])
    assert "Nomadic Matt. Each month over 1.000.000 people" in text
    assert "<" not in text and "&#8211;" not in text


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("I thank the right hon. Member", 6),
        ("£3 million in 2024-25", 4),
        ("isn’t it, Mr. O'Brien?", 4),
        ("3.5 per cent, 1,000 people", 5),
        ("Siôn Simon — Birmingham, Erdington", 4),
        ("", 0),
        ("— … !", 0),
    ],
)
def test_word_count(text: str, count: int) -> None:
    assert word_count(text) == count


def test_outbound_links_resolve_dedupe_and_skip_the_site() -> None:
    html = """
      <a href="/about">ours</a> <a href="https://mp.example/x">ours</a>
      <a href="http://WWW.mp.example/y">www twin</a>
      <a href=" https://www.bbc.co.uk/news ">bbc</a> <a href="https://www.bbc.co.uk/news">again</a>
      <a href="//youtube.com/watch?v=1&amp;t=2">scheme-relative</a>
      <a href="mailto:mp@mp.example">mail</a> <a href="javascript:void(0)">js</a>
      <a href="#top">anchor</a> <a>no href</a> <a href="http://[::1">broken</a>
      <link href="https://fonts.example/css">
    """
    assert outbound_links(html, "https://mp.example/2024/01/post/", None) == [
        "https://www.bbc.co.uk/news",
        "https://youtube.com/watch?v=1&t=2",
    ]


def test_outbound_links_site_host_wins_and_relative_links_need_a_base() -> None:
    html = (
        '<a href="https://a.example/1">a</a><a href="/rel">r</a><a href="https://b.example">b</a>'
    )
    assert outbound_links(html, None, "www.a.example") == ["https://b.example"]
    assert outbound_links(html, None, None) == ["https://a.example/1", "https://b.example"]
    assert outbound_links("no links here", "https://a.example/", None) == []


def test_seed_links_stay_on_site(seed_html: str) -> None:
    assert outbound_links(seed_html, "https://sirjohnwhittingdale.example/?p=4407", None) == []


@given(HTML, st.one_of(st.none(), st.text(max_size=20), st.just("https://mp.example/p/")))
def test_no_input_makes_them_raise(html: str, base: str | None) -> None:
    text = html_to_text(html)
    # No word spans a space, so counts add up over spaced pieces.
    assert word_count(f"{text} {text}") == 2 * word_count(text)
    assert all(u.startswith(("http://", "https://")) for u in outbound_links(html, base, base))
