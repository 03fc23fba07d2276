"""The fallback's numbered steps: a WordPress feed's pages for dates, and the id walk.

**Dates from a paged feed.** twentytwentyfive (WordPress 6.7 on) prints no date of the post
itself, and the REST API may be closed: but every feed entry carries the post's
``<pubDate>`` (``date_gmt`` to the second) and its ``<guid>`` (``?p=ID``). Where the first
post a WordPress site's fallback fetches prints no date of its own, its feed (``/feed/``,
else ``/?feed=rss2``) is read page by page (:func:`~mpcrawl.web.numbers.feed_page`) until
every page to fetch has an entry, or to its end (404, no entries, a page that repeats the
one before), within ``MPCRAWL_FEED_PAGES``. An entry's date is the page's ``date_gmt`` only
where the page prints none of its own (the page's metadata wins), and never enters the
version key: an entry moves from feed page to feed page as posts are added, its date does
not, and the key is the page's own content (:func:`~mpcrawl.web.page.version_key`).

**The id walk.** Where no listing was complete and the site's pages print their number
(:func:`~mpcrawl.web.numbers.shortlink`), the numbers below the highest one seen that
neither this run's pages nor the archive hold are asked for at the shortlink's address,
newest first, within ``MPCRAWL_ID_WALK_MAX`` ids and until ``MPCRAWL_ID_WALK_MISSES`` in
a row answer no page (:class:`~mpcrawl.web.numbers.IdWalk`). A 200 (after redirects) is a
publication found, yielded under its canonical address with source ``ids``; 401/403 (an
unpublished node) and 404/410 are no page, neither archived nor an error. The walk finds;
it re-reads nothing archived (``-a full=1`` re-reads every id no listing gave).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin

from scrapy.http import Response, TextResponse

from mpcrawl import defaults
from mpcrawl.plans.gone import HIDDEN, NO_PAGE
from mpcrawl.plans.pages import Todo
from mpcrawl.plans.rest.site import Requester, RequestFailed
from mpcrawl.web.feeds import FeedEntry, parse_feed, well_known_feeds
from mpcrawl.web.items import FetchedPage
from mpcrawl.web.numbers import IdWalk, Shortlink, feed_page, guid_id, shortlink
from mpcrawl.web.page import own_date

if TYPE_CHECKING:
    from mpcrawl.archive.web_state import ArchivedPage
    from mpcrawl.config import Config

logger = logging.getLogger(__name__)

PageStep = Callable[[str, datetime | None, Response], Iterator[Any]]
Fetch = Callable[[list[Todo]], Iterator[Any]]  # the fallback's fetch of pages
PROBES = 5  # pages fetched one at a time to find a post that shows whether dates are printed


@dataclass(frozen=True, slots=True)
class NumberCaps:
    """The bounds of the numbered steps (settings, read once into ``Config``)."""

    feed_pages: int = defaults.FEED_PAGES
    id_walk_max: int = defaults.ID_WALK_MAX
    id_walk_misses: int = defaults.ID_WALK_MISSES

    @classmethod
    def of(cls, config: Config) -> NumberCaps:
        return cls(config.feed_pages, config.id_walk_max, config.id_walk_misses)


@dataclass(slots=True)
class Numbers:
    """One site's numbered facts: feed dates, printed ids, and what the steps cost."""

    caps: NumberCaps = field(default_factory=NumberCaps)
    dates: dict[str, datetime] = field(default_factory=dict)  # entry URL -> its date
    id_dates: dict[int, datetime] = field(default_factory=dict)  # guid id -> its date
    shortlink: Shortlink | None = None  # the first one a page of the site printed
    ids: set[int] = field(default_factory=set)  # printed by pages fetched this run
    feed_pages: int = 0
    ids_asked: int = 0
    ids_found: int = 0

    def entries(self, entries: list[FeedEntry]) -> None:
        """Keep each entry's date by its URL and by the id in its guid."""
        for entry in entries:
            when = entry.published or entry.updated
            if when is None:
                continue
            self.dates.setdefault(entry.url, when)
            if (number := guid_id(entry.guid)) is not None:
                self.id_dates.setdefault(number, when)

    def date_of(self, url: str, final_url: str, number: int | None) -> datetime | None:
        """The feed's date for a page fetched from ``url`` (``final_url`` after redirects)."""
        by_id = self.id_dates.get(number) if number is not None else None
        return self.dates.get(url) or self.dates.get(final_url) or by_id


class SiteView(Protocol):
    """What the numbered steps read of the fallback's :class:`FallbackSite`."""

    site: str
    home: str
    full: bool
    wordpress: bool
    numbers: Numbers

    @property
    def complete(self) -> bool: ...
    @property
    def listed(self) -> Mapping[str, datetime | None]: ...
    @property
    def live(self) -> Mapping[str, ArchivedPage]: ...
    def on_site(self, url: str) -> bool: ...
    def error(self, message: str) -> None: ...
    def failed(self, what: str, failure: RequestFailed) -> None: ...


class NumbersPlan:
    """The numbered steps of one site's fallback plan (see the module docstring)."""

    def __init__(self, fs: SiteView, request: Requester, page: PageStep) -> None:
        self.fs, self.request, self.page = fs, request, page
        self.walk: IdWalk | None = None

    # --- dates from the feed's pages ---------------------------------------------------

    def dated(self, todo: list[Todo], fetch: Fetch) -> Iterator[Any]:
        """Fetch ``todo`` (``fetch``), on a WordPress site whose posts print no date of their
        own after reading its feed's pages for their dates.

        The pages are probed one at a time until one is a post (at most ``PROBES``): one
        that prints its date settles it (no feed read: WordPress 6.1's themes print it),
        one that does not is held while the feed is read (twentytwentyfive prints none).
        """
        if not (self.fs.wordpress and todo and self.fs.numbers.caps.feed_pages):
            yield from fetch(todo)
            return
        yield from self._probe(todo, todo, fetch, PROBES)

    def _probe(
        self,
        todo: list[Todo],
        rest: list[Todo],
        fetch: Fetch,
        left: int,
    ) -> Iterator[Any]:
        fs = self.fs
        if not rest or not left:
            yield from fetch(rest)
            return
        (url, lastmod, headers), after = rest[0], rest[1:]

        def parsed(response: Response) -> Iterator[Any]:
            platform, kind, own = "generic", None, None
            if response.status == 200 and isinstance(response, TextResponse):
                platform, kind, own = own_date(response.text, response.url)
            if platform != "wordpress" or kind in (None, "page"):
                yield from self.page(url, lastmod, response)  # no post: probe the next
                yield from self._probe(todo, after, fetch, left - 1)
            elif own is not None:  # the theme prints a post's date: no feed wanted
                yield from self.page(url, lastmod, response)
                yield from fetch(after)
            else:

                def then() -> Iterator[Any]:
                    yield from self.page(url, lastmod, response)
                    yield from fetch(after)

                feeds = [u for u in well_known_feeds(fs.home)[:2] if fs.on_site(u)]
                # the home page is in no feed: a WordPress page (in none either) among
                # the pages to fetch makes the read run to the feed's end
                undated = {t[0] for t in todo if t[0].rstrip("/") != fs.home.rstrip("/")}
                yield from self._feed_page(feeds, 1, undated, (), then)

        def failed(failure: RequestFailed) -> Iterator[Any]:
            fs.failed(url, failure)
            yield from self._probe(todo, after, fetch, left - 1)

        yield self.request(url, parsed, failed, headers=headers or None)

    def _feed_page(
        self,
        feeds: list[str],
        page: int,
        undated: set[str],
        before: tuple[str, ...],
        then: Callable[[], Iterator[Any]],
    ) -> Iterator[Any]:
        fs, numbers = self.fs, self.fs.numbers
        if not feeds:
            yield from then()
            return
        url = feed_page(feeds[0], page)

        def parsed(response: Response) -> Iterator[Any]:
            entries = parse_feed(response.body) if response.status == 200 else None
            urls = tuple(e.url for e in entries or ())
            if not entries or urls == before:  # the end: 404, no entries, the same page
                if page == 1:  # not this feed: the next address
                    yield from self._feed_page(feeds[1:], 1, undated, (), then)
                    return
                yield from self._dates_read(page - 1, then)
                return
            numbers.feed_pages += 1
            numbers.entries(entries)
            undated.difference_update(urls)
            if not undated or page >= numbers.caps.feed_pages:
                yield from self._dates_read(page, then)
                return
            yield from self._feed_page(feeds, page + 1, undated, urls, then)

        def failed(failure: RequestFailed) -> Iterator[Any]:
            logger.info("%s: feed page %s: %s", fs.site, url, failure.message)
            yield from self._dates_read(page - 1, then)

        yield self.request(url, parsed, failed)

    def _dates_read(self, pages: int, then: Callable[[], Iterator[Any]]) -> Iterator[Any]:
        logger.info(
            "%s: %d feed pages give %d dates", self.fs.site, pages, len(self.fs.numbers.dates)
        )
        yield from then()

    # --- the printed number ---------------------------------------------------------------

    def saw(self, response: Response) -> int | None:
        """The number a fetched page prints in its shortlink, kept for the walk."""
        if not isinstance(response, TextResponse) or response.status != 200:
            return None
        href = response.xpath('//head/link[@rel="shortlink"]/@href').get()
        found = shortlink(urljoin(response.url, href)) if href else None
        if found is None or not self.fs.on_site(found.template):
            return None
        numbers = self.fs.numbers
        numbers.ids.add(found.id)
        numbers.shortlink = numbers.shortlink or found
        return found.id

    # --- the id walk ------------------------------------------------------------------

    def walk_ids(self) -> Iterator[Any]:
        """After the listing's pages: ask for the numbers no listing gave (if incomplete)."""
        fs, numbers = self.fs, self.fs.numbers
        if fs.complete or numbers.shortlink is None or not numbers.caps.id_walk_max:
            return
        known = set(numbers.ids)
        known.update(
            page.id
            for url, page in fs.live.items()
            if page.id is not None and (url in fs.listed or not fs.full)
        )
        caps = numbers.caps
        self.walk = IdWalk(frozenset(known), max(known), caps.id_walk_max, caps.id_walk_misses)
        logger.info("%s: walking ids below %d (%d known)", fs.site, max(known), len(known))
        yield from self._ask()

    def _ask(self) -> Iterator[Any]:
        assert self.walk is not None and self.fs.numbers.shortlink is not None
        for number in self.walk.take():
            yield self._id_request(number, self.fs.numbers.shortlink.url(number))
        if self.walk.done:
            numbers = self.fs.numbers
            logger.info(
                "%s: id walk asked %d ids, found %d pages%s",
                self.fs.site,
                numbers.ids_asked,
                numbers.ids_found,
                " (stopped: a row of misses)" if self.walk.stopped else "",
            )

    def _id_request(self, number: int, url: str) -> Any:
        fs, numbers = self.fs, self.fs.numbers
        numbers.ids_asked += 1

        def parsed(response: Response) -> Iterator[Any]:
            assert self.walk is not None
            # an id answering 401/403 has no public page, but the number is taken: no miss
            hit = response.status not in NO_PAGE or response.status in HIDDEN
            if response.status == 200:
                yield from self._found(response)
            elif response.status not in NO_PAGE:
                fs.error(f"{url}: status {response.status}")
            self.walk.answered(number, hit)
            yield from self._ask()

        def failed(failure: RequestFailed) -> Iterator[Any]:
            assert self.walk is not None
            fs.failed(url, failure)
            self.walk.answered(number, True)
            yield from self._ask()

        return self.request(url, parsed, failed)

    def _found(self, response: Response) -> Iterator[Any]:
        """A numbered page that answers: the publication, under its canonical address."""
        fs = self.fs
        if not isinstance(response, TextResponse):
            return  # a file (an attachment's redirect target): no page
        canonical = response.xpath('//head/link[@rel="canonical"]/@href').get()
        url = urljoin(response.url, canonical.strip()) if canonical else response.url
        url = url if fs.on_site(url) else response.url
        if url in fs.listed:
            return  # fetched from the listing already
        for item in self.page(url, None, response):
            if isinstance(item, FetchedPage):
                item.source = "ids"
                fs.numbers.ids_found += 1
            yield item
