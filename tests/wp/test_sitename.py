from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.wp.sitename import BadSiteURL, check_safe_name, site_host_keys, site_name


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (
            "https://www.johnwhittingdale.org.uk/index.php/about/about-john",
            "www.johnwhittingdale.org.uk",
        ),
        ("http://WendyMorton.co.uk/", "wendymorton.co.uk"),
        ("wendymorton.co.uk", "wendymorton.co.uk"),
        ("https://example.org:8443/", "example.org_8443"),
        ("http://example.org:80/x", "example.org"),
        ("https://example.org:443", "example.org"),
        ("http://127.0.0.1:8080/", "127.0.0.1_8080"),
        ("https://bücher.example/", "xn--bcher-kva.example"),
        ("https://example.org./", "example.org"),
    ],
)
def test_site_names(url: str, name: str) -> None:
    assert site_name(url) == name


@pytest.mark.parametrize(
    "url",
    [
        "https://../etc/passwd",
        "https://exa\x00mple.org/",
        "ftp://example.org/",
        "https:///path-only",
        "https://" + "a" * 300 + ".org/",
        "https://exa mple.org/",
        "https://example.org:99999/",
        "https://-bad-.org/",
        "https://a/../../b",
    ],
)
def test_hostile_urls_are_refused_or_safe(url: str) -> None:
    try:
        name = site_name(url)
    except BadSiteURL as exc:
        assert str(exc)
    else:
        assert "/" not in name and ".." not in name


def test_redirect_twins_share_the_site() -> None:
    keys = site_host_keys("http://www.example.org/")
    assert {"example.org:443", "www.example.org:443", "example.org:80"} <= keys


@given(st.text(max_size=300))
def test_site_name_never_escapes_the_archive(text: str) -> None:
    try:
        name = site_name(text)
    except BadSiteURL:
        return
    assert check_safe_name(name) == name
    root = Path("/archive/posts")
    assert (root / f"site={name}").resolve().parent == root
