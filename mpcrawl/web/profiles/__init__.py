"""Platform profiles: what the largest platforms print about a page, as data.

Each profile (one module per platform, its evidence in the module's docstring) says how
to recognise the platform, where a page's id and type are, which elements hold its own
machine-readable dates and its display date, which element is its body, what inside the
body is not the publication (bylines, share bars) and which pages are listings
(front page, indexes, archives, tag and search pages, forms, galleries), never
publications. :func:`detect` picks the first profile whose evidence the page carries;
``generic`` matches every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Page", "Platform", "Profile", "detect"]

Platform = Literal["wordpress", "drupal7", "wix", "wagtail", "generic"]


@dataclass(frozen=True, slots=True)
class Page:
    """The parts of a parsed page every profile reads."""

    doc: Any  # lxml.html document
    classes: frozenset[str]  # the body's classes
    meta: dict[str, str]  # <meta> by lower-cased name/property
    links: dict[str, str]  # <link rel> -> absolute href


@dataclass(frozen=True, slots=True)
class Profile:
    """What one platform prints, as XPath expressions and small functions of a Page."""

    name: Platform
    matches: Callable[[Page], bool]
    # (id, type) of the publication the page is; (None, None) where it prints none
    identity: Callable[[Page], tuple[int | None, str | None]]
    listing: Callable[[Page], bool]
    # XPath to the body element(s) of the publication, first match wins
    content: tuple[str, ...] = ()
    # XPath to strings holding the page's own creation / modification time (ISO 8601)
    published: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    # XPath to <time> elements of the page itself (query loops and sidebars excluded)
    times: tuple[str, ...] = ()
    # XPath to elements whose text is the page's own display date
    display: tuple[str, ...] = ()
    # XPath, relative to the body element, of what is not the publication
    drop: tuple[str, ...] = ()
    # how a password-protected publication's printed title wraps its title ("%s" in it)
    protected_title: str = "%s"

    def unprotected(self, title: str) -> str:
        """The title a protected page prints, without the wrapping its platform adds.

        >>> Profile("wordpress", bool, lambda p: (None, None), bool,
        ...         protected_title="Protected: %s").unprotected("Protected: Protected: x")
        'Protected: x'
        """
        prefix, _, suffix = self.protected_title.partition("%s")
        if title.startswith(prefix) and title.endswith(suffix) and len(title) > len(prefix):
            return title[len(prefix) : len(title) - len(suffix)]
        return title


def detect(page: Page) -> Profile:
    """The profile of the first platform whose evidence the page carries."""
    from mpcrawl.web.profiles import drupal7, generic, wagtail, wix, wordpress

    for profile in (wordpress.PROFILE, drupal7.PROFILE, wix.PROFILE, wagtail.PROFILE):
        if profile.matches(page):
            return profile
    return generic.PROFILE


def has_class(name: str) -> str:
    """An XPath predicate: the element has class ``name``."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


# Where a page's other publications are printed: never the page's own date or content.
NOT_ELSEWHERE = (
    "not(ancestor::footer or ancestor::nav or ancestor::aside"
    ' or ancestor::*[@role="contentinfo" or @role="navigation" or @role="complementary"])'
)
