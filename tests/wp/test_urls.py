from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.wp.urls import ApiRoot
from tests.shared import seed_post


def test_both_url_forms_come_from_one_builder() -> None:
    pretty = ApiRoot.parse("https://example.org/wp-json/")
    plain = ApiRoot.parse("https://example.org/index.php?rest_route=/")
    assert pretty.collection("posts", page=2) == (
        "https://example.org/wp-json/wp/v2/posts?per_page=100&page=2&orderby=id&order=asc"
    )
    assert plain.collection("posts", page=2) == (
        "https://example.org/index.php?rest_route=/wp/v2/posts"
        "&per_page=100&page=2&orderby=id&order=asc"
    )


def test_builder_reproduces_the_seed_posts_own_links() -> None:
    links = seed_post()["_links"]
    api = ApiRoot.parse("https://www.johnwhittingdale.org.uk/index.php?rest_route=/")
    assert api.form == "plain"
    assert api.item("posts", 4407) == links["self"][0]["href"]
    assert api.item("posts", 4407, "/revisions") == links["version-history"][0]["href"]
    assert api.url("/wp/v2/media/4705") == links["wp:featuredmedia"][0]["href"]


@pytest.mark.parametrize(
    ("root", "form", "index"),
    [
        ("https://e.org/wp-json/", "pretty", "https://e.org/wp-json/"),
        ("https://e.org/wp-json", "pretty", "https://e.org/wp-json/"),
        ("https://e.org/blog/wp-json/", "pretty", "https://e.org/blog/wp-json/"),
        ("https://e.org/?rest_route=/", "plain", "https://e.org/?rest_route=/"),
        ("https://e.org/index.php?rest_route=/", "plain", "https://e.org/index.php?rest_route=/"),
    ],
)
def test_root_forms(root: str, form: str, index: str) -> None:
    api = ApiRoot.parse(root)
    assert api.form == form
    assert api.root_url == index


def test_sweep_and_include_urls() -> None:
    api = ApiRoot.parse("https://e.org/wp-json/")
    assert api.collection("posts", fields=["id", "modified_gmt"]).endswith(
        "&_fields=id,modified_gmt"
    )
    assert "include=1,2,3" in api.collection("posts", include=[1, 2, 3])


@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
    st.lists(st.tuples(st.text(min_size=1, max_size=10), st.text(max_size=10)), max_size=4),
)
def test_urls_stay_on_the_site_and_keep_the_route(
    route: str, params: list[tuple[str, str]]
) -> None:
    for root in ("https://e.org/wp-json/", "https://e.org/index.php?rest_route=/"):
        api = ApiRoot.parse(root)
        url = api.url(route, params)
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("https", "e.org")
        if api.form == "plain":
            query = parse_qs(parts.query)
            assert query["rest_route"] == ["/" + route.lstrip("/")]
