"""Listing pages: which pages of a site list others, and which of their links lead on.

Where no complete sitemap names a site's pages, the fallback path reads the site as a
careful archivist would: from the home page through the site's own listings (pagers,
sections, archives, tags), breadth-first, within stated :class:`Bounds`. Here are the
pure rules the request plan (:mod:`mpcrawl.plans.listing`) applies to each page it
fetched:

- a page is a *listing* when its platform profile says so (:mod:`mpcrawl.web.profiles`:
  Drupal's front page, ``/node`` and taxonomy pages, WordPress archives, Wagtail indexes,
  Hugo's lists...), or, on a page of no known platform, when it carries a pager;
- a link is a *pager* (another page of the same listing, no hop deeper) when it is the
  page's ``rel="next"``/``"prev"``, sits in a pager block (Drupal's ``ul.pager``,
  WordPress's ``.nav-links``/``.wp-block-query-pagination``, Bootstrap's ``.pagination``)
  or numbers the same address (``?page=N``, ``?paged=N``, ``/page/N/``);
- a link is *followed* unless it leads to what is no publication: accounts, logins,
  carts, search forms, admin pages, comment replies, sorting and sharing variants;
- a *section* the home page links (its first path segment: ``/campaigns/...``) is left out
  by a sitemap that lists nothing under it (:func:`uncovered_sections`): a sitemap read to
  its end names only what its generator was set to list (Drupal's xmlsitemap per bundle,
  WordPress's per post type, Wix's blog), so those sections are crawled as listings.

Evidence: Drupal 7.105 as ``tests/drupal/`` serves it (``ul.pager`` with
``li.pager-next`` on the front page, ``/node?page=N`` and ``taxonomy/term/N?page=N``; user
and login links with ``?destination=`` on every page); WordPress's core templates and
block library (``paginate_links()``, ``the_posts_navigation()``, the Query Pagination
block).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from mpcrawl import defaults
from mpcrawl.web.page import link_target, page_links, page_of
from mpcrawl.web.profiles import detect

__all__ = [
    "Bounds",
    "Frontier",
    "ListingPage",
    "Sections",
    "followable",
    "read_listing",
    "section_of",
    "uncovered_sections",
]

_PAGER_CLASS = re.compile(
    r"^(?:pager|pagination|page-numbers|page-link|nav-links|nav-previous|nav-next"
    r"|wp-pagenavi|pager-[a-z-]+|(?:wp-block-query-)?pagination-[a-z-]+)$"
)
_PAGER_RELS = frozenset(("next", "prev", "previous"))
_PAGE_PARAMS = frozenset(("page", "paged", "pg"))
_PAGE_PATH = re.compile(r"/page/\d+/?$")
_NOT_CONTENT_PATH = re.compile(
    r"/(?:user|users|login|logout|register|signin|sign-in|signup|sign-up|account|my-account"
    r"|cart|basket|checkout|admin|search|comment/reply|filter/tips|node/add|print|share)(?:/|$)",
    re.IGNORECASE,
)
_NOT_CONTENT_QUERY = frozenset(
    (
        "destination",
        "redirect",
        "redirect_to",
        "returnurl",
        "replytocom",
        "share",
        "action",
        "sort",
        "order",
        "orderby",
        "s",
        "keys",
        "search",
        "print",
        "format",
        "ical",
        "outlook",
    )
)
_ANCESTORS = 4  # a pager link sits at most this deep in its pager block
# First path segments of archives that list the site's other sections again (WordPress's
# category, tag, author and date archives, Drupal's taxonomy terms, Hugo's taxonomies):
# never a section of their own, whatever a sitemap says of them.
_ARCHIVES = frozenset(
    ("category", "categories", "tag", "tags", "author", "authors", "taxonomy", "date")
)
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class Bounds:
    """How far one site's crawl of its listings goes (``MPCRAWL_LISTING_*``)."""

    pages: int = defaults.LISTING_PAGES
    depth: int = defaults.LISTING_DEPTH
    seconds: float = defaults.LISTING_SECONDS


@dataclass(frozen=True, slots=True)
class ListingPage:
    """What a fetched page says for the crawl: a listing or not, and where it leads."""

    listing: bool
    pagers: tuple[str, ...] = ()  # other pages of this listing
    links: tuple[str, ...] = ()  # every other link worth fetching


def read_listing(body: str, url: str, *, root: bool = False) -> ListingPage:
    """Whether the page at ``url`` is a listing, and its pagers and other links (of the
    site's ``root``, its home page, whatever it is).

    >>> page = read_listing(
    ...     '<html><head><link rel="next" href="/news/page/2/"></head><body>'
    ...     '<a href="/news/a/">A</a><a href="/user/login?destination=news">Log in</a>'
    ...     '</body></html>', "https://ex.org/news/")
    >>> page.listing, page.pagers, page.links
    (True, ('https://ex.org/news/page/2/',), ('https://ex.org/news/a/',))
    """
    try:
        doc = lxml_html.document_fromstring(body.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return ListingPage(listing=False)
    page = page_of(doc, url)
    profile = detect(page)
    pagers = _pagers(doc, url)
    listing = root or profile.listing(page) or (profile.name == "generic" and bool(pagers))
    if not listing:
        return ListingPage(listing=False)
    links = [u for u in page_links(body, url) if followable(u) and u != _without_fragment(url)]
    return ListingPage(
        listing=True,
        pagers=tuple(u for u in pagers if followable(u)),
        links=tuple(u for u in links if u not in pagers),
    )


@dataclass(frozen=True, slots=True)
class Sections:
    """The sections a site's home page links that its sitemap leaves out, and where a crawl
    of them starts: the home page's links into them (and its pagers, where it lists their
    publications itself)."""

    names: tuple[str, ...] = ()  # first path segments: ("campaigns", "surgeries")
    start: ListingPage = ListingPage(listing=True)

    def holds(self, url: str) -> bool:
        """Whether ``url`` lies in one of the sections."""
        return section_of(url) in self.names


def uncovered_sections(
    body: str, url: str, listed: Iterable[str], on_site: Callable[[str], bool]
) -> Sections:
    """The sections the home page (``body`` at ``url``) links that the sitemap's ``listed``
    URLs leave out.

    A section is a link's first path segment. It is covered when the sitemap lists a URL
    under it (``/news/a`` covers ``/news`` and every link under it), or lists every link
    of it the home page has (an about or contact page the sitemap names). Never a section:
    links off the site, pagers of the home page, what :func:`followable` refuses (logins,
    search, accounts), feeds and files, and archives (tags, categories, authors, years,
    taxonomy terms), which list the sections' publications again.

    >>> home = ('<a href="/news/a">A</a><a href="/campaigns">Campaigns</a>'
    ...         '<a href="/about/">About</a><a href="/tag/roads/">Roads</a>'
    ...         '<a href="/user/login">Log in</a><a href="https://x.org/y">Y</a>')
    >>> s = uncovered_sections(home, "https://ex.org/",
    ...                        ["https://ex.org/news/b", "https://ex.org/about/"],
    ...                        lambda u: u.startswith("https://ex.org/"))
    >>> s.names, s.start.links
    (('campaigns',), ('https://ex.org/campaigns',))
    """
    home = read_listing(body, url, root=True)
    paths = {_path(u) for u in listed}
    filled = {p.split("/")[1] for p in paths if p.count("/") > 1}
    by_section: dict[str, list[str]] = {}
    for link in home.links:
        name = section_of(link)
        if name is not None and name not in filled and on_site(link):
            by_section.setdefault(name, []).append(link)
    names = tuple(n for n, ls in by_section.items() if any(_path(u) not in paths for u in ls))
    roots = tuple(u for n in names for u in by_section[n])
    # the home page lists publications of a section itself: its pagers list the older ones
    items = any(_path(u).count("/") > 1 for u in roots)
    pagers = tuple(u for u in home.pagers if on_site(u)) if items else ()
    return Sections(names, ListingPage(listing=True, pagers=pagers, links=roots))


def section_of(url: str) -> str | None:
    """The section of a URL: its first path segment, unless it is an archive's.

    >>> section_of("https://ex.org/campaigns/roads?page=2"), section_of("https://ex.org/?p=5")
    ('campaigns', None)
    >>> section_of("https://ex.org/2024/05/"), section_of("https://ex.org/taxonomy/term/3")
    (None, None)
    """
    first = _path(url).split("/")[1]
    if not first or first.lower() in _ARCHIVES or _YEAR.match(first):
        return None
    return first


def _path(url: str) -> str:
    """A URL's path as a sitemap and a link may both spell it: decoded, no trailing slash."""
    return "/" + unquote(urlsplit(url).path).strip("/")


def followable(url: str) -> bool:
    """Whether a link may lead to a publication or a listing (not an account, login, cart,
    search form, admin page, comment reply, or a sorted/shared variant of a page).

    >>> followable("https://ex.org/taxonomy/term/3?page=2")
    True
    >>> followable("https://ex.org/user/register?destination=node/5")
    False
    """
    parts = urlsplit(url)
    if _NOT_CONTENT_PATH.search(parts.path):
        return False
    keys = {k.lower() for k, _v in parse_qsl(parts.query, keep_blank_values=True)}
    return not keys & _NOT_CONTENT_QUERY


@dataclass(slots=True)
class Frontier:
    """One site's crawl of its listings: what was seen, how many listings were read, and
    why it stopped short of reading every listing it found (``cut``: None = complete).

    >>> f = Frontier(Bounds(pages=1, depth=1))
    >>> f.admit(["https://ex.org/a", "https://ex.org/a", "https://ex.org/b"])
    ['https://ex.org/a', 'https://ex.org/b']
    >>> f.expand(depth=1, elapsed=0.0), f.expand(depth=1, elapsed=0.0), f.complete
    (True, False, False)
    >>> f.cut
    'more than 1 listing pages (MPCRAWL_LISTING_PAGES)'
    """

    bounds: Bounds = field(default_factory=Bounds)
    seen: set[str] = field(default_factory=set)
    listings: int = 0  # listing pages read beyond the home page
    not_found: int = 0  # links that answered 401, 403, 404 or 410
    cut: str | None = None

    @property
    def complete(self) -> bool:
        return self.cut is None

    def admit(self, urls: Iterable[str]) -> list[str]:
        """The URLs not seen before, in order, now marked seen."""
        fresh = []
        for url in urls:
            if url not in self.seen:
                self.seen.add(url)
                fresh.append(url)
        return fresh

    def expand(self, *, depth: int, elapsed: float) -> bool:
        """Whether a listing found ``depth`` hops from the home page, ``elapsed`` seconds
        into the crawl, may be read for its links; a refusal is remembered in ``cut``."""
        b = self.bounds
        why = None
        if elapsed > b.seconds:
            why = f"listings left unread after {b.seconds:g} s (MPCRAWL_LISTING_SECONDS)"
        elif self.listings >= b.pages:
            why = f"more than {b.pages} listing pages (MPCRAWL_LISTING_PAGES)"
        elif depth > b.depth:
            why = f"listings deeper than {b.depth} hops (MPCRAWL_LISTING_DEPTH)"
        if why is not None:
            self.cut = self.cut or why
            return False
        self.listings += 1
        return True


def _pagers(doc: Any, url: str) -> dict[str, None]:
    """Links to other pages of the listing at ``url`` (absolute, without fragments), in
    the page's order."""
    found: dict[str, None] = {}
    base = _listing_base(url)
    own = _without_fragment(url)
    for el in doc.iter("a", "link"):
        target = link_target(el.get("href"), url)
        if target is None or target == own:
            continue
        rels = set((el.get("rel") or "").lower().split())
        if (
            rels & _PAGER_RELS
            or (el.tag == "a" and _in_pager_block(el))
            or (_numbered(target) and _listing_base(target) == base)
        ):
            found.setdefault(target, None)
    return found


def _in_pager_block(el: Any) -> bool:
    node = el
    for _ in range(_ANCESTORS + 1):
        if node is None:
            return False
        if any(_PAGER_CLASS.match(c) for c in (node.get("class") or "").split()):
            return True
        node = node.getparent()
    return False


def _numbered(url: str) -> bool:
    parts = urlsplit(url)
    if _PAGE_PATH.search(parts.path):
        return True
    return any(k in _PAGE_PARAMS and v.isdigit() for k, v in parse_qsl(parts.query))


def _listing_base(url: str) -> str:
    """The address of a listing's first page: without its page number."""
    parts = urlsplit(url)
    path = _PAGE_PATH.sub("/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in _PAGE_PARAMS]
    return urlunsplit(parts._replace(path=path, query=urlencode(query), fragment=""))


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]
