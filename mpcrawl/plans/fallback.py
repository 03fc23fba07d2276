"""The fallback request plan: archive a site the REST API cannot read, from what it serves.

Per site, in order, each step only if the one before found nothing:

1. ``/robots.txt``: its ``Sitemap:`` lines;
2. the well-known sitemaps (``/wp-sitemap.xml``, ``/sitemap_index.xml``, ``/sitemap.xml``,
   ``/?sitemap=index``), one at a time until one is a sitemap; an index's children are
   read too (term and author sitemaps skipped), within :class:`~mpcrawl.web.sitemaps.Caps`;
3. the home page's announced feeds, then the well-known feed addresses;
4. a crawl of the site's own listings from its home page (:mod:`mpcrawl.plans.listing`),
   also after a feed, which names only the newest pages; after a sitemap, of the sections
   the home page links that it leaves out.

On a WordPress site, the dates of the pages to fetch are first looked up in its feed's pages;
after the pages, where no listing was complete, the ids no listing gave are walked
(:mod:`mpcrawl.plans.numbers`).

Then every listed URL on the site's own hosts is fetched, unless the archive holds it
with the same sitemap ``lastmod``; a URL archived with an ``ETag`` or ``Last-Modified``
is asked for conditionally. Each page served is yielded as a
:class:`~mpcrawl.web.items.FetchedPage`: the item pipelines read it, drop listings and
versions already archived, extract and archive it, as they do REST objects. Pages gone
and back (tombstones after a *complete* sitemap walk or crawl of listings, or a page's own
answer; ``returned`` rows; a domain that no longer serves the site) are
:mod:`mpcrawl.plans.gone`'s. Feeds and an incomplete crawl tombstone nothing.

The plan holds no Scrapy machinery of its own: the spider gives it a ``Requester`` that
counts each request against the site, and calls ``on_failure`` for requests that failed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.http import Response, TextResponse

from mpcrawl.plans.gone import REDIRECTS, Gone, header
from mpcrawl.plans.listing import Home, list_sections, list_site
from mpcrawl.plans.numbers import Numbers, NumbersPlan
from mpcrawl.plans.pages import PageQueue, Todo, listed_unchanged, validators
from mpcrawl.plans.recheck import Recheck, feed_fingerprints
from mpcrawl.plans.rest.site import Requester, RequestFailed
from mpcrawl.web.feeds import feed_links, parse_feed, well_known_feeds
from mpcrawl.web.items import FetchedPage, ListedBy, Listing
from mpcrawl.web.listings import Bounds, Frontier
from mpcrawl.web.sitemaps import Caps, SitemapWalk, robots_sitemaps, well_known_sitemaps
from mpcrawl.wp.sitename import host_key

if TYPE_CHECKING:  # the archive's state is handed over by the ledger; no reader here
    from mpcrawl.archive.web_state import ArchivedPage, WebState

logger = logging.getLogger(__name__)

__all__ = ["REDIRECTS", "FallbackPlan", "FallbackSite"]


@dataclass(slots=True)
class FallbackSite:
    """One site's fallback crawl: what was listed and fetched, and the plan's own counts.

    Pages fetched are counted by the pipelines (new, unchanged, found); the plan counts
    only what it settles without an item: pages not fetched or answered 304 (unchanged),
    and tombstones.
    """

    site: str
    home: str
    hosts: frozenset[str]
    state: WebState
    run_id: str
    caps: Caps = field(default_factory=Caps)
    bounds: Bounds = field(default_factory=Bounds)  # of the crawl of listings
    discover: bool = False
    full: bool = False
    post_types: frozenset[str] = frozenset(("post", "page"))  # of WordPress pages, from types=
    wordpress: bool = False  # the REST path saw WordPress (rest_closed): its feed pages
    numbers: Numbers = field(default_factory=Numbers)  # feed dates, printed ids (plans.numbers)
    recheck: Recheck = field(default_factory=Recheck)  # pages left unread (plans.recheck)
    walk: SitemapWalk = field(init=False)
    live: dict[str, ArchivedPage] = field(init=False)  # archived, not tombstoned since
    source: Listing | None = None
    frontier: Frontier | None = None  # the crawl of listings, once begun
    sections: tuple[str, ...] = ()  # home page sections a sitemap leaves out (plans.listing)
    probes: list[str] = field(default_factory=list)
    sitemaps_pending: int = 0
    listed: dict[str, datetime | None] = field(default_factory=dict)
    pages_pending: int = 0
    pages: PageQueue = field(default_factory=PageQueue)  # listed, not yet requested
    pages_found: int = 0
    pages_unchanged: int = 0
    tombstones_new: int = 0
    robots_refused: int = 0
    errors: list[str] = field(default_factory=list)
    probed_gone: bool = False
    feed_bad: dict[str, tuple[str, ...]] = field(default_factory=dict)  # URL -> its entry's
    robots_txt: str | None = None  # the site's robots.txt as fetched this run, if it was
    home_page: Response | None = None  # the home page as discovery got it, if it did

    def bad_values(self, url: str) -> tuple[str, ...]:
        """What the listing said of a page that no column holds (a refused date)."""
        if self.source == "sitemap":
            return (self.walk.bad[url],) if url in self.walk.bad else ()
        return self.feed_bad.get(url, ())

    def __post_init__(self) -> None:
        self.walk = SitemapWalk(self.caps)
        self.live = self.state.live

    @property
    def complete(self) -> bool:
        """Whether the listing names every page: a complete sitemap walk or crawl of the
        site's listings that listed any.

        An empty listing is never taken for complete: a sitemap index whose children were
        all term or author sitemaps must not tombstone every page of the site.
        """
        crawled = self.frontier is not None and self.frontier.complete
        # after a sitemap, the sections it leaves out are crawled to the end (or there are none)
        sections_read = crawled if self.frontier is not None else not self.sections
        walked = self.walk.complete and sections_read if self.source == "sitemap" else crawled
        return self.source in ("sitemap", "crawl") and walked and bool(self.listed)

    @property
    def listed_by(self) -> ListedBy | None:
        """How the site was listed, for the run record: ``sitemap+crawl`` where the
        sections a sitemap leaves out were crawled too."""
        crawled = self.source == "sitemap" and self.frontier is not None
        return "sitemap+crawl" if crawled else self.source

    def failed(self, what: str, failure: RequestFailed) -> None:
        """A request got no answer; robots.txt refusals are obeyed, not failures."""
        message = f"{what}: {failure.message}"
        if self.pages.refused():  # the budget is spent: the stop said so once
            return
        if failure.kind == "refused":
            self.robots_refused += 1
            logger.info("%s: fallback: %s", self.site, message)
            return
        self.error(message)

    def error(self, message: str) -> None:
        """A failed sitemap or page: the site ends ``partial``."""
        self.errors.append(message)
        logger.warning("%s: fallback: %s", self.site, message)

    def on_site(self, url: str) -> bool:
        return host_key(url) in self.hosts


class FallbackPlan:
    """The request plan of one site's fallback (see the module docstring)."""

    def __init__(self, fs: FallbackSite, request: Requester) -> None:
        self.fs = fs
        self.request = request
        self.gone = Gone(fs, request)
        self.numbers = NumbersPlan(fs, request, self._page)

    # --- listing: robots.txt, sitemaps, feeds, links --------------------------------

    def start(self) -> Iterator[Any]:
        """The first request: robots.txt, for its ``Sitemap:`` lines (none where this run
        fetched it already)."""
        logger.info("%s: REST API unusable; reading sitemaps, feeds or links", self.fs.site)
        if self.fs.robots_txt is not None:
            listed = robots_sitemaps(self.fs.robots_txt)
            yield from self._sitemaps([url for url in listed if self.fs.on_site(url)])
            return
        yield self.request(
            urljoin(self.fs.home, "/robots.txt"), self._robots, lambda _failure: self._sitemaps([])
        )

    def _robots(self, response: Response) -> Iterator[Any]:
        text = response.text if isinstance(response, TextResponse) else ""
        listed = robots_sitemaps(text) if response.status == 200 else []
        yield from self._sitemaps([url for url in listed if self.fs.on_site(url)])

    def _sitemaps(self, from_robots: list[str]) -> Iterator[Any]:
        fs = self.fs
        fs.probes = [u for u in well_known_sitemaps(fs.home) if u not in from_robots]
        fresh = fs.walk.add(from_robots)
        if not fresh:
            yield from self._next_probe()
            return
        for url in fresh:
            yield from self._sitemap_request(url, probe=False)

    def _next_probe(self) -> Iterator[Any]:
        fs = self.fs
        while fs.probes:
            for url in fs.walk.add([fs.probes.pop(0)]):
                yield from self._sitemap_request(url, probe=True)
                return
        yield from self._feeds()

    def _sitemap_request(self, url: str, *, probe: bool) -> Iterator[Any]:
        self.fs.sitemaps_pending += 1

        def parsed(response: Response) -> Iterator[Any]:
            self.fs.sitemaps_pending -= 1
            if response.status == 200:
                for child in self.fs.walk.read(url, response.body, listed=not probe):
                    if self.fs.on_site(child):
                        yield from self._sitemap_request(child, probe=False)
            elif not probe:
                self.fs.walk.failed(url, f"status {response.status}")
            yield from self._sitemap_settled()

        def failed(failure: RequestFailed) -> Iterator[Any]:
            self.fs.sitemaps_pending -= 1
            if failure.kind != "refused":  # a sitemap maybe, unread (too large, no answer)
                self.fs.walk.failed(url, failure.message)
            yield from self._sitemap_settled()

        yield self.request(url, parsed, failed)

    def _sitemap_settled(self) -> Iterator[Any]:
        fs = self.fs
        if fs.sitemaps_pending:
            return
        for problem in fs.walk.unreported():  # named even where no sitemap could be read
            fs.error(f"sitemap incomplete: {problem}")
        if fs.walk.found_any:
            fs.source = "sitemap"
            if fs.walk.bad_lastmods:
                logger.warning(
                    "%s: fallback: %d sitemap lastmod values no column holds (URLs kept "
                    "without one; see bad_values)",
                    fs.site,
                    fs.walk.bad_lastmods,
                )
            yield from list_sections(self, dict(fs.walk.urls))
        else:
            yield from self._next_probe()

    def _feeds(self) -> Iterator[Any]:
        fs = self.fs

        def home(response: Response) -> Iterator[Any]:
            body = response.text if isinstance(response, TextResponse) else ""
            announced = feed_links(body, response.url) if response.status == 200 else []
            candidates = [u for u in announced if fs.on_site(u)]
            candidates += [u for u in well_known_feeds(fs.home) if u not in candidates]
            page = Home(response.url, body) if response.status == 200 else None
            yield from self._next_feed(candidates, page)

        def failed(failure: RequestFailed) -> Iterator[Any]:
            fs.failed("home page", failure)
            yield from self._next_feed(well_known_feeds(fs.home), None)

        page, fs.home_page = fs.home_page, None
        yield from home(page) if page is not None else [self.request(fs.home, home, failed)]

    def _next_feed(self, candidates: list[str], home: Home | None) -> Iterator[Any]:
        fs = self.fs
        if not candidates:
            yield from list_site(self, home, None)
            return
        url, rest = candidates[0], candidates[1:]

        def parsed(response: Response) -> Iterator[Any]:
            entries = parse_feed(response.body) if response.status == 200 else None
            if not entries:
                yield from self._next_feed(rest, home)
                return
            fs.numbers.entries(entries)
            fs.recheck.entries(feed_fingerprints(entries))
            found = {e.url: e.updated for e in entries if fs.on_site(e.url)}
            fs.feed_bad = {e.url: tuple(f"feed {b}" for b in e.bad_values) for e in entries}
            yield from list_site(self, home, dict(list(found.items())[: fs.caps.max_urls]))

        yield self.request(url, parsed, lambda _failure: self._next_feed(rest, home))

    # --- pages ------------------------------------------------------------------------

    def _listed(self, urls: dict[str, datetime | None]) -> Iterator[Any]:
        fs = self.fs
        fs.listed = {u: m for u, m in urls.items() if fs.on_site(u)}
        logger.info("%s: fallback source %s lists %d pages", fs.site, fs.source, len(fs.listed))
        if fs.discover:
            return
        if (check := self.gone.check(lambda: self._listed(urls))) is not None:
            yield from check  # a domain that may no longer serve the site (plans.gone)
            return
        todo: list[Todo] = []
        for url, lastmod in fs.listed.items():
            known = fs.live.get(url)
            unchanged = known is not None and listed_unchanged(
                lastmod, known.lastmod, known.fetched_at
            )
            if unchanged and not fs.full:
                fs.pages_found += 1
                fs.pages_unchanged += 1
                continue
            if fs.recheck.defer(fs, url, lastmod):  # its listing entry decides, once all are read
                continue
            todo.append((url, lastmod, {} if fs.full else validators(known)))
        yield from self.numbers.dated(todo, self._fetch)

    def _fetch(self, todo: list[Todo]) -> Iterator[Any]:
        for url, lastmod, headers in todo:
            self.fs.pages.add(url, lastmod, headers)
        yield from self._pages_settled()

    def _more_pages(self) -> Iterator[Any]:
        for url, lastmod, headers in self.fs.pages.take(self.fs.pages_pending):
            yield from self._page_request(url, lastmod, headers)

    def _page_request(
        self, url: str, lastmod: datetime | None, headers: dict[str, str]
    ) -> Iterator[Any]:
        fs = self.fs
        fs.pages_pending += 1

        def parsed(response: Response) -> Iterator[Any]:
            fs.pages_pending -= 1
            yield from self._page(url, lastmod, response)
            yield from self._pages_settled()

        def failed(failure: RequestFailed) -> Iterator[Any]:
            fs.pages_pending -= 1
            fs.failed(url, failure)
            yield from self._pages_settled()

        yield self.request(url, parsed, failed, headers=headers or None)

    def _page(self, url: str, lastmod: datetime | None, response: Response) -> Iterator[Any]:
        fs = self.fs
        if response.status == 304 and url in fs.live:
            fs.pages_found += 1
            fs.pages_unchanged += 1
            fs.recheck.answered(fs, url, lastmod)
            return
        settled = self.gone.settle(url, response)
        if settled is not None:  # gone, hidden, or a login page
            yield from settled
            return
        if response.status != 200 or not isinstance(response, TextResponse):
            fs.error(f"{url}: status {response.status}")
            return
        yield from self.gone.back(url)
        printed = self.numbers.saw(response)
        yield FetchedPage(
            site=fs.site,
            source=fs.source or "links",
            url=url,
            final_url=response.url,
            html=response.text,
            body=response.body,
            lastmod=lastmod,
            etag=header(response, "ETag"),
            last_modified=header(response, "Last-Modified"),
            fetched_at=datetime.now(UTC),
            run_id=fs.run_id,
            post_types=fs.post_types,
            bad_values=fs.bad_values(url),
            listed_date=fs.numbers.date_of(url, response.url, printed),
        )
        fs.recheck.answered(fs, url, lastmod)

    def _pages_settled(self) -> Iterator[Any]:
        """Called as each page or listing request ends: the waiting pages go on (the crawl
        of listings has its requests in ``pages_pending`` too), then the end probes."""
        fs = self.fs
        yield from self._more_pages()
        if fs.pages_pending or fs.probed_gone:
            return
        if not fs.recheck.decided:  # the listings are read: the pages held back (recheck)
            yield from self.numbers.dated(fs.recheck.decide(fs), self._fetch)
            return
        yield from fs.recheck.rows(fs)
        fs.probed_gone = True
        if not fs.complete:
            yield from self.numbers.walk_ids()
            return
        yield from self.gone.missing()
