"""Wix (the Wix.com Website Builder and its blog app).

Evidence, from Wix's published markup (no Wix page is served by the tests: Wix is not
self-hostable, so this profile is checked on a captured page's shape only):

- ``<meta name="generator" content="Wix.com Website Builder">`` in the head;
- blog posts carry ``og:type`` ``article`` and ``article:published_time`` /
  ``article:modified_time`` with offsets, and a ``BlogPosting`` in JSON-LD;
- the post body in ``[data-hook="post-description"]`` (the blog's rich content viewer);
- every other page (``og:type`` ``website``: home, blog feed, category and tag pages) is a
  listing or a static page with no date.

>>> from lxml import html
>>> doc = html.document_fromstring(
...     '<html><head><meta name="generator" content="Wix.com Website Builder">'
...     '<meta property="og:type" content="article"></head><body>'
...     '<div data-hook="post-description"><p>Text</p></div></body></html>')
>>> meta = {"generator": "Wix.com Website Builder", "og:type": "article"}
>>> page = Page(doc, frozenset(), meta, {})
>>> PROFILE.matches(page), PROFILE.listing(page), PROFILE.identity(page)
(True, False, (None, 'post'))
"""

from __future__ import annotations

from mpcrawl.web.profiles import Page, Profile


def _matches(page: Page) -> bool:
    return page.meta.get("generator", "").startswith("Wix.com")


def _listing(page: Page) -> bool:
    return page.meta.get("og:type") != "article"


PROFILE = Profile(
    name="wix",
    matches=_matches,
    identity=lambda page: (None, "post" if page.meta.get("og:type") == "article" else None),
    listing=_listing,
    content=('//*[@data-hook="post-description"]',),
    drop=('.//*[@data-hook="post-footer"]', './/*[@data-hook="share-buttons"]'),
)
