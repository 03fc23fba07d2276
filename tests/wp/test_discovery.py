import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.wp import discovery
from tests.shared import shared_path


def test_link_header_with_several_values() -> None:
    headers = [
        '<https://e.org/wp-json/>; rel="https://api.w.org/", '
        '<https://e.org/wp-json/wp/v2/pages/2>; rel="alternate"; type="application/json"',
    ]
    assert discovery.root_from_link_headers(headers, "https://e.org/") == "https://e.org/wp-json/"


def test_plain_permalink_link_header() -> None:
    headers = ['<https://e.org/index.php?rest_route=/>; rel="https://api.w.org/"']
    assert discovery.root_from_link_headers(headers, "https://e.org/") == (
        "https://e.org/index.php?rest_route=/"
    )


def test_html_home_page_is_not_an_api_index() -> None:
    # With plain permalinks /wp-json/ answers the HTML home page with 200.
    assert not discovery.is_api_index(None)
    assert not discovery.is_api_index("<html>")


@pytest.mark.parametrize(
    "version",
    ["wp-core-fixture-4.8-alpha-39357", "wp-core-fixture-6.7-alpha-58576"],
)
def test_real_api_indexes_are_recognised(version: str) -> None:
    index = json.loads(shared_path("wp-fixtures", "rest", version, "Schema.json").read_text())
    assert discovery.is_api_index(index)
    assert discovery.has_wp_v2(index)


@given(st.text(max_size=2000))
def test_discovery_never_raises(text: str) -> None:
    discovery.root_from_html(text, "https://e.org/")
    discovery.root_from_link_headers([text], "https://e.org/")
    discovery.looks_like_wordpress(text)
