"""Finding a site's REST API root from what its pages say.

WordPress announces its API root in a ``Link`` header and a ``<link>`` tag, both
with ``rel="https://api.w.org/"``. Where neither is present the crawler probes the
two URL forms; with plain permalinks ``/wp-json/`` answers the HTML home page with
200, so a probe counts only when it answers JSON with ``routes`` or ``namespaces``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

API_REL = "https://api.w.org/"
_LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]*)*)")
_REL_PARAM = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))""", re.IGNORECASE)


def root_from_link_headers(values: Iterable[str], base_url: str) -> str | None:
    """The API root a ``Link`` header names, resolved against the page URL.

    >>> root_from_link_headers(
    ...     ['<https://e.org/wp-json/>; rel="https://api.w.org/"'], "https://e.org/")
    'https://e.org/wp-json/'
    >>> root_from_link_headers(['<https://e.org/?p=1>; rel=shortlink'], "https://e.org/")
    """
    for value in values:
        for target, params in _LINK_VALUE.findall(value):
            for quoted, bare in _REL_PARAM.findall(params):
                rels = (quoted or bare).split()
                if API_REL in rels:
                    return str(urljoin(base_url, target.strip()))
    return None


def root_from_html(body: str, base_url: str) -> str | None:
    """The API root a page's ``<link rel="https://api.w.org/">`` names.

    >>> root_from_html('<head><link rel="https://api.w.org/" href="/wp-json/"></head>',
    ...                "https://e.org/a/")
    'https://e.org/wp-json/'
    >>> root_from_html("<p>no link</p>", "https://e.org/")
    """
    if API_REL not in body:
        return None
    try:
        doc = lxml_html.document_fromstring(body)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for element in doc.iter("link"):
        rels = (element.get("rel") or "").split()
        href = element.get("href")
        if API_REL in rels and href:
            return str(urljoin(base_url, href.strip()))
    return None


def site_root(url: str) -> str:
    """The home page of the site a (possibly deep) URL belongs to.

    >>> site_root("https://www.johnwhittingdale.org.uk/index.php/about/about-john")
    'https://www.johnwhittingdale.org.uk/'
    """
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def probe_roots(url: str) -> list[str]:
    """The roots to try, in order, where a page names none.

    >>> probe_roots("https://e.org/about/")
    ['https://e.org/wp-json/', 'https://e.org/?rest_route=/']
    """
    home = site_root(url)
    return [home + "wp-json/", home + "?rest_route=/"]


def is_api_index(data: Any) -> bool:
    """Whether a decoded JSON body is a REST API index, not a home page or an error.

    >>> is_api_index({"namespaces": ["wp/v2"], "routes": {}})
    True
    >>> is_api_index({"code": "rest_no_route"})
    False
    """
    return isinstance(data, dict) and ("routes" in data or "namespaces" in data)


def has_wp_v2(data: Any) -> bool:
    """Whether an API index offers the core ``wp/v2`` namespace the crawler reads."""
    if not isinstance(data, dict):
        return False
    namespaces = data.get("namespaces")
    if isinstance(namespaces, list):
        return "wp/v2" in namespaces
    routes = data.get("routes")
    return isinstance(routes, dict) and any(str(r).startswith("/wp/v2") for r in routes)


def looks_like_wordpress(body: str) -> bool:
    """Signs in an HTML page that a site runs WordPress though its API is hidden.

    >>> looks_like_wordpress('<link href="/wp-content/themes/x/style.css">')
    True
    >>> looks_like_wordpress("<html><body>Hello</body></html>")
    False
    """
    return any(sign in body for sign in ("/wp-content/", "/wp-includes/", "api.w.org"))
