"""The listing crawl: a site's publications found through its own listing pages.

Where no sitemap lists a site, the fallback plan (:mod:`mpcrawl.plans.fallback`) has read
its home page and perhaps a feed; neither names every publication. From the home page
this plan follows the site's own listings, breadth-first within its hosts: every link of
a listing (pagers at the same depth, sections, archives and tag pages one hop deeper) is
fetched once; a page its platform profile calls a listing is read for its links in turn,
within the site's :class:`~mpcrawl.web.listings.Bounds`, and is never archived; any other
page is a publication, yielded as a :class:`~mpcrawl.web.items.FetchedPage` through the
fallback plan's own page step. A crawl is complete when it read every listing it found
(no bound reached, no page failed); only then may it vouch for a page missing from it.

After a sitemap, :func:`list_sections` crawls in the same way only the sections the home
page links that the sitemap leaves out (:func:`~mpcrawl.web.listings.uncovered_sections`),
never a URL the sitemap lists: the run record's ``source`` is then ``sitemap+crawl``.

The rules for a page and its links are pure (:mod:`mpcrawl.web.listings`); this module
only makes the requests, through the fallback plan's ``Requester``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.http import Response, TextResponse

from mpcrawl.plans.gone import NO_PAGE
from mpcrawl.plans.pages import validators
from mpcrawl.plans.rest.site import RequestFailed
from mpcrawl.web.items import FetchedPage
from mpcrawl.web.listings import Frontier, ListingPage, read_listing, uncovered_sections
from mpcrawl.web.page import page_links

if TYPE_CHECKING:  # the fallback plan calls this module: no import at run time
    from datetime import datetime

    from mpcrawl.plans.fallback import FallbackPlan, FallbackSite

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Home:
    """The site's home page as the fallback plan fetched it (once per run)."""

    url: str  # after redirects
    body: str

    def links(self) -> list[str]:
        return page_links(self.body, self.url)


def list_site(
    plan: FallbackPlan, home: Home | None, feed: dict[str, datetime | None] | None
) -> Iterator[Any]:
    """Step 4 of the fallback plan (and the step after a feed): crawl the site's listings
    from its home page, fetching the feed's entries too; where no crawl may be made
    (``discover=1``, ``MPCRAWL_LISTING_PAGES=0``, no home page), the feed's entries or the
    home page's links, as listed."""
    fs = plan.fs
    entries = feed or {}
    if fs.discover or home is None or fs.bounds.pages == 0:
        fs.source = "feed" if feed else "links"
        if not feed:
            on_site = [u for u in home.links() if fs.on_site(u)] if home else []
            entries = dict.fromkeys(on_site[: fs.caps.max_urls])
            if home is not None:
                fs.recheck.listing(fs, home.body, home.url)
        yield from plan._listed(entries)
        return
    fs.source = "crawl"

    def crawl() -> Iterator[Any]:
        # The crawl's first requests come before the feed's pages settle, so the plan's end
        # (tombstone probes after a complete listing) waits for the whole crawl.
        fs.recheck.listing(fs, home.body, home.url)  # its entries (plans.recheck)
        yield from ListingCrawl(plan).start(home, list(entries))
        yield from plan._listed(entries)

    # a domain that no longer serves the site is found before its links are followed
    check = plan.gone.check(crawl, [*entries, *home.links()])
    yield from crawl() if check is None else check


def list_sections(plan: FallbackPlan, urls: dict[str, datetime | None]) -> Iterator[Any]:
    """After a sitemap that listed ``urls``: crawl the sections the home page links that it
    leaves out (the home page discovery got, else fetched now), then fetch ``urls``."""
    fs = plan.fs
    page, fs.home_page = fs.home_page, None
    if fs.discover or not urls:
        yield from plan._listed(urls)
        return

    def home(response: Response) -> Iterator[Any]:
        if response.status != 200 or not isinstance(response, TextResponse):
            yield from plan._listed(urls)
            return
        fs.recheck.listing(fs, response.text, response.url)  # its entries (plans.recheck)
        listed = [u for u in urls if fs.on_site(u)]
        sections = uncovered_sections(response.text, response.url, listed, fs.on_site)
        fs.sections = sections.names
        if not sections.names or fs.bounds.pages == 0:
            yield from plan._listed(urls)
            return
        logger.info(
            "%s: the sitemap lists nothing under %s; crawling those sections",
            fs.site,
            ", ".join(f"/{name}/" for name in sections.names),
        )
        starts = {*sections.start.links, *sections.start.pagers}
        crawl = ListingCrawl(plan, lambda u: sections.holds(u) and (u in starts or u not in urls))

        def then() -> Iterator[Any]:
            yield from crawl.start(Home(response.url, response.text), [], sections.start)
            yield from plan._listed({u: m for u, m in urls.items() if u not in starts})

        check = plan.gone.check(then, [*urls, *starts])
        yield from then() if check is None else check

    def failed(failure: RequestFailed) -> Iterator[Any]:
        fs.failed("home page", failure)  # as when read for its feeds: an error, unless refused
        yield from plan._listed(urls)

    yield from home(page) if page is not None else [plan.request(fs.home, home, failed)]


def listing_gap(fs: FallbackSite) -> str | None:
    """Why the site's listing may not name every publication; None when it does."""
    if fs.source == "sitemap":
        if not fs.walk.complete:
            return "the sitemap was not read to its end"
        left = ", ".join(f"/{name}/" for name in fs.sections)
        if fs.frontier is not None and fs.frontier.cut is not None:
            return (
                f"crawl of the sections the sitemap leaves out ({left}) stopped: {fs.frontier.cut}"
            )
        if fs.sections and fs.frontier is None:
            return f"the sitemap lists nothing under {left} (no crawl: MPCRAWL_LISTING_PAGES=0)"
        return None
    if fs.source == "crawl":
        cut = fs.frontier.cut if fs.frontier is not None else "never started"
        return None if cut is None else f"crawl of its listings stopped: {cut}"
    if fs.source == "feed":
        return "only a feed, which names the newest pages (no sitemap, no crawl)"
    if fs.source == "links" and fs.robots_refused and not fs.listed:
        return None  # robots.txt forbids even the home page: all the site lets be read
    if fs.source == "links":
        return "only the home page's links (no sitemap, no feed, no crawl)"
    return "nothing listed its pages"


class ListingCrawl:
    """One site's crawl of its listings (see the module docstring)."""

    def __init__(self, plan: FallbackPlan, scope: Callable[[str], bool] | None = None) -> None:
        self.plan = plan
        self.fs = plan.fs
        self.frontier = self.fs.frontier = Frontier(self.fs.bounds)
        self.began = time.monotonic()
        self.scope = scope  # which links (not pagers) of a listing are followed; None: all

    def start(
        self, home: Home, listed: list[str], page: ListingPage | None = None
    ) -> Iterator[Any]:
        """The home page is the crawl's root, read whatever its profile says (or ``page``,
        what of it to follow); the pages ``listed`` (a feed's) are the fallback plan's to
        fetch, never fetched twice."""
        self.frontier.admit([self.fs.home, home.url, *listed])
        page = page or read_listing(home.body, home.url, root=True)
        logger.info(
            "%s: crawling its listings from %s (%d links)",
            self.fs.site,
            home.url,
            len(page.pagers) + len(page.links),
        )
        yield from self._follow(page, depth=0)

    def _follow(self, page: ListingPage, depth: int) -> Iterator[Any]:
        fs, admit = self.fs, self.frontier.admit
        for url in admit(u for u in page.pagers if fs.on_site(u)):
            yield from self._fetch(url, depth)
        scope = self.scope or fs.on_site
        for url in admit(u for u in page.links if fs.on_site(u) and scope(u)):
            yield from self._fetch(url, depth + 1)

    def _fetch(self, url: str, depth: int) -> Iterator[Any]:
        fs = self.fs
        if len(self.frontier.seen) > fs.caps.max_urls:
            self.frontier.cut = self.frontier.cut or f"more than {fs.caps.max_urls} URLs"
            return
        if fs.recheck.defer(fs, url):  # archived: its listing entry decides (plans.recheck)
            return
        fs.pages_pending += 1
        headers = {} if fs.full else validators(fs.live.get(url))

        def parsed(response: Response) -> Iterator[Any]:
            fs.pages_pending -= 1
            yield from self._read(url, depth, response)
            yield from self.plan._pages_settled()

        def failed(failure: RequestFailed) -> Iterator[Any]:
            fs.pages_pending -= 1
            if failure.kind != "refused":
                self.frontier.cut = self.frontier.cut or f"{url} failed"
            fs.failed(url, failure)
            yield from self.plan._pages_settled()

        yield self.plan.request(url, parsed, failed, headers=headers or None, priority=-depth)

    def _read(self, url: str, depth: int, response: Response) -> Iterator[Any]:
        fs, frontier = self.fs, self.frontier
        if response.status in NO_PAGE:
            frontier.not_found += 1
            logger.info("%s: crawl: %s answers %d", fs.site, url, response.status)
            return
        if response.status == 200:
            if not isinstance(response, TextResponse):
                logger.info("%s: crawl: %s is no HTML page", fs.site, url)
                return
            frontier.admit([response.url] if fs.on_site(response.url) else [])
            page = read_listing(response.text, response.url)
            if page.listing:
                fs.recheck.listing(fs, response.text, response.url)
                if frontier.expand(depth=depth, elapsed=time.monotonic() - self.began):
                    yield from self._follow(page, depth)
                return
        elif response.status != 304:
            frontier.cut = frontier.cut or f"{url} answered {response.status}"
        fs.listed.setdefault(url, None)
        for item in self.plan._page(url, None, response):
            if isinstance(item, FetchedPage):
                item.source = "crawl"  # found by the crawl, also after a sitemap
            yield item
