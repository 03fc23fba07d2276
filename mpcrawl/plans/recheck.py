"""Pages a site's listing vouches for: left unread while their entry is unchanged.

A site with no ``lastmod`` in a sitemap and no ``ETag`` or ``Last-Modified`` (Drupal 7
core, older WordPress) gives nothing to ask conditionally: every page fetched again every
night. But its listing pages print an *entry* for each publication (title, teaser, date;
a feed: title and dates), and an edit a reader sees first usually changes it. So where
the fallback's listing is the crawl of listings or a feed, each archived live page a
listing names is held back (:meth:`Recheck.defer`) until every listing is read, then
fetched only when:

- the entries seen this run are not all among those recorded when it was last read
  (``web_entries``, :func:`~mpcrawl.web.entries.entry_fingerprints`), or none was seen
  or recorded;
- or its turn to be re-read has come (:func:`due`): at least once every
  ``MPCRAWL_RECHECK_DAYS``, a stable hash of its URL spreading the pages over the
  nights, so no night spikes.

Where a sitemap lists the site (WordPress 5.5–6.4's core sitemaps), a URL it lists with a
``lastmod`` is decided by it (:func:`~mpcrawl.plans.pages.listed_unchanged`); one with
none, archived without validators, is held back the same way, the home page's entries
(read for its sections anyway) being the listing seen: only the newest posts have one,
so a page with none seen this run and some recorded (perhaps none) is read in its turn.
Pages a sitemap misses are :mod:`~mpcrawl.plans.gone`'s to probe, as without a recheck.

Archived live pages no listing named this run (found by the id walk, or in no listing)
are re-read in their turn too. ``-a full=1`` re-reads everything; ``0`` days re-reads
every page every night. A page left unread writes nothing: no row says it is unchanged,
and it is counted in the run record's ``pages_skipped`` only. Every page read here gets
a ``web_entries`` row with its entries and the time, the state of the next night.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from mpcrawl import defaults
from mpcrawl.plans.gone import page_form
from mpcrawl.plans.pages import Todo, validators
from mpcrawl.web.entries import entry_fingerprints
from mpcrawl.web.feeds import FeedEntry
from mpcrawl.web.items import WebEntryItem

if TYPE_CHECKING:
    from mpcrawl.archive.web_state import ArchivedPage, WebState

__all__ = ["Recheck", "due", "feed_fingerprints"]


def due(url: str, last_read: datetime, now: datetime, days: int) -> bool:
    """Whether a page last read at ``last_read`` is to be re-read on the night of ``now``:
    on its own day of every ``days`` (a stable hash of its URL), or once ``days`` have
    passed since (a night not run moves the turn to the next one that is).

    >>> now = datetime(2026, 12, 7, 2, tzinfo=UTC)
    >>> nights = [now.replace(day=d) for d in range(1, 8)]
    >>> [due("https://ex.org/a", now.replace(day=1), n, 7) for n in nights].count(True)
    1
    >>> due("https://ex.org/a", datetime(2026, 11, 30, 23, tzinfo=UTC), now, 7)
    True
    >>> due("https://ex.org/a", now, now, 0)
    True
    """
    if days <= 0 or (now.date() - last_read.astimezone(UTC).date()).days >= days:
        return True
    digest = hashlib.sha256(url.encode("utf-8", "replace")).digest()
    return now.date().toordinal() % days == int.from_bytes(digest[:8]) % days


def feed_fingerprints(entries: list[FeedEntry]) -> dict[str, frozenset[str]]:
    """A feed's entry of each page, as :func:`~mpcrawl.web.entries.entry_fingerprints`
    gives a listing page's: its title and dates."""
    found: dict[str, frozenset[str]] = {}
    for e in entries:
        text = "\x1f".join(
            [e.title or "", *(d.isoformat() if d else "" for d in (e.published, e.updated))]
        )
        print_ = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
        found[e.url] = found.get(e.url, frozenset()) | {print_}
    return found


class SiteView(Protocol):
    """What the recheck reads of the fallback's ``FallbackSite``."""

    site: str
    run_id: str
    full: bool
    discover: bool
    state: WebState
    listed: dict[str, datetime | None]

    @property
    def source(self) -> str | None: ...  # what listed the site (sitemap, crawl, feed...)
    @property
    def live(self) -> Mapping[str, ArchivedPage]: ...
    def on_site(self, url: str) -> bool: ...
    def bad_values(self, url: str) -> tuple[str, ...]: ...  # a refused lastmod, say


@dataclass(slots=True)
class Recheck:
    """One site's listing entries this run, the pages held back, and those read."""

    days: int = defaults.RECHECK_DAYS
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    seen: dict[str, set[str]] = field(default_factory=dict)  # URL -> its entries this run
    deferred: dict[str, None] = field(default_factory=dict)  # held back until listings end
    read: dict[str, None] = field(default_factory=dict)  # answered as a page this run
    requested: set[str] = field(default_factory=set)  # unlisted pages re-read in turn
    decided: bool = False
    skipped: int = 0

    def recording(self, fs: SiteView) -> bool:
        """Whether the pages read get their entries recorded: not ``discover=1``, days
        above 0."""
        return self.days > 0 and not fs.discover

    def active(self, fs: SiteView) -> bool:
        """Whether pages may be left unread: as :meth:`recording`, and not ``full=1``."""
        return self.recording(fs) and not fs.full

    def listing(self, fs: SiteView, body: str, url: str) -> None:
        """What one listing page says of the pages it links (read only where it counts)."""
        if self.recording(fs):
            self.entries(entry_fingerprints(body, url))

    def entries(self, found: Mapping[str, frozenset[str]]) -> None:
        """What one listing page (or feed) says of the pages it links."""
        for url, prints in found.items():
            self.seen.setdefault(url, set()).update(prints)

    def defer(self, fs: SiteView, url: str, lastmod: datetime | None = None) -> bool:
        """Hold back an archived live page a listing names until every listing is read;
        after a sitemap, only one it lists with no ``lastmod`` (not even one refused),
        archived with no validators (nothing else to go by; the sections it leaves out are
        crawled as before)."""
        if not self.active(fs) or self.decided or url not in fs.live:
            return False
        if fs.source == "sitemap" and (
            lastmod is not None
            or fs.bad_values(url)
            or validators(fs.live[url])
            or url not in fs.listed
        ):
            return False
        self.deferred[url] = None
        return True

    def decide(self, fs: SiteView) -> list[Todo]:
        """Once the listings are read: the held-back pages to fetch, and the unlisted
        pages whose turn has come (see the module docstring); the rest counted skipped."""
        self.decided = True
        if not self.active(fs):
            return []
        todo: list[Todo] = []
        for url in self.deferred:  # listed, if unread (the feed's listing is set after)
            fs.listed.setdefault(url, None)
            known, checked = fs.live[url], fs.state.checked.get(url)
            now_seen = self.seen.get(url, set())
            # a sitemap names every page, the home page only the newest: none seen is no news
            seen = bool(now_seen) or fs.source == "sitemap"
            unchanged = seen and checked is not None and now_seen <= checked.entries
            if unchanged and not due(url, self._last_read(fs, url), self.now, self.days):
                self.skipped += 1
                continue
            todo.append((url, fs.listed.get(url), validators(known)))
        if fs.source == "sitemap":  # the pages it misses are plans.gone's, as ever
            return todo
        listed = {page_form(u) for u in fs.listed}  # in any scheme or www. form
        for url, known in fs.live.items():
            if page_form(url) in listed or not fs.on_site(url):
                continue
            if due(url, self._last_read(fs, url), self.now, self.days):
                self.requested.add(url)
                todo.append((url, None, validators(known)))
        return todo

    def answered(self, fs: SiteView, url: str, lastmod: datetime | None = None) -> None:
        """A page answered (200 or 304) this run: its entries are recorded at the end
        (not of one a sitemap's ``lastmod`` decides: no night would read them)."""
        if self.recording(fs) and not (fs.source == "sitemap" and lastmod is not None):
            self.read[url] = None

    def rows(self, fs: SiteView) -> Iterator[WebEntryItem]:
        """A ``web_entries`` row per page read this run, with every entry seen of it."""
        for url in self.read:
            entries = sorted(self.seen.get(url, ()))
            yield WebEntryItem(fs.site, url, entries, datetime.now(UTC), fs.run_id)
        self.read.clear()

    def _last_read(self, fs: SiteView, url: str) -> datetime:
        checked = fs.state.checked.get(url)
        fetched = fs.live[url].fetched_at
        fetched = fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)
        return max(fetched, checked.at) if checked is not None else fetched
