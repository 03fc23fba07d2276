"""Any other site: only what the web's own standards say about a page.

Evidence: ``article:published_time`` / ``article:modified_time`` (Open Graph), JSON-LD
``datePublished`` / ``dateModified`` (read by the caller), a ``<time datetime>`` inside the
page's one ``<article>`` but outside its footers, navigation and asides; ``og:type``
``website`` on a page with no body classes marks a
listing (Hugo's home and list pages). The body is left to trafilatura; no display date is read
(without a platform's evidence a date in the text may be anything's).
"""

from __future__ import annotations

from mpcrawl.web.profiles import NOT_ELSEWHERE, Page, Profile


def _listing(page: Page) -> bool:
    return not page.classes and page.meta.get("og:type") == "website"


PROFILE = Profile(
    name="generic",
    matches=lambda page: True,
    identity=lambda page: (None, None),
    listing=_listing,
    times=(f"//article//time[@datetime][{NOT_ELSEWHERE}]",),
)
