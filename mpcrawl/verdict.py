"""How a site's run goes: its outcome and its counts, changed only through typed transitions.

The ledger (:mod:`mpcrawl.ledger`) makes one :class:`SiteVerdict` and one :class:`Tally`
per site and alone turns them into the run record; the plans, middlewares and pipelines
call their transitions. Each rule is written once, here:

- discovery and the main collections (``-a types=`` posts and pages, their includes and
  tombstone probes) decide ``robots_disallowed``, ``rest_closed``, ``not_wordpress``,
  ``unreachable`` and ``error``; the first decision stands (an archive failure excepted);
- a refused or failed *optional* route (users, terms, media, revisions, a type found in
  ``/wp/v2/types``) is counted and named in ``routes_skipped``, never the outcome;
- a failed request of a main route is an error: the site ends ``partial`` unless decided;
- a spent budget ends the site ``partial``; so do the fallback's errors, and an item of
  the fallback that could not be archived: a site that lost publications to a failure
  is never ``rest_closed``, ``not_wordpress`` or ``robots_disallowed``;
- the fallback's counts are added beside the REST path's, never over them.

Kept free of Scrapy, pyarrow and duckdb: plain data and plain rules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Final, Literal

from mpcrawl.outcomes import Outcome

logger = logging.getLogger(__name__)

Route = Literal[
    "discovery",  # the home page, API probes, /wp/v2/types
    "collection",  # a type's pages (posts, pages), its includes and tombstone probes
    "type",  # a type named in types= found in /wp/v2/types (not posts or pages)
    "terms",
    "users",
    "revisions",
    "media",
]
"""What a request is for, as far as the site's outcome is concerned."""

OPTIONAL_ROUTES: Final[frozenset[Route]] = frozenset(
    ("type", "terms", "users", "revisions", "media")
)
"""Routes whose refusal or failure is named in ``routes_skipped``, never the outcome."""

Decided = Literal[
    "not_wordpress", "rest_closed", "robots_disallowed", "locked", "unreachable", "error"
]
"""Outcomes that discovery, the main collections, the lock or the archive decide."""

FALLBACK_DECIDED: Final[frozenset[Outcome]] = frozenset(
    ("not_wordpress", "rest_closed", "robots_disallowed")
)
"""Decisions after which the fallback path reads the site: they say how, not how well."""

Count = Literal[
    "requests",  # SiteAccountingMiddleware
    "json_recovered",  # the REST plan's body decoder
    "posts_new",  # the dedupe pipeline
    "posts_unchanged",  # the REST plan (sweep and full walk)
    "revisions_new",  # the dedupe pipeline
    "tombstones_new",  # the REST plan's tombstone probes
    "bad_objects",  # the normalise pipeline
    "rejects",  # the normalise pipeline (the plan's entries without an id pass it too)
    "pages_found",  # the normalise pipeline (fallback pages that are publications)
    "pages_unchanged",  # the dedupe pipeline (fallback pages fetched, same version)
]
"""The counts of a run record, each with its one writer named beside it."""


@dataclass(slots=True)
class FallbackCounts:
    """What the fallback plan settled for a site without an item (pages not fetched as
    their ``lastmod`` is unchanged, 304 answers, tombstones), added beside the REST path's
    counts; the pages it fetched are counted by the pipelines in the :class:`Tally`."""

    source: str | None
    pages_listed: int
    pages_found: int
    pages_unchanged: int
    tombstones_new: int
    errors: list[str] = field(default_factory=list)
    pages_skipped: int = 0  # listed, archived, left unread: entry unchanged (plans.recheck)
    incomplete: str | None = None  # why the listing may miss publications (None: complete)


@dataclass(slots=True)
class Tally:
    """A site's counts in this run; changed through :meth:`add` only."""

    requests: int = 0
    json_recovered: int = 0
    posts_new: int = 0
    posts_unchanged: int = 0
    revisions_new: int = 0
    tombstones_new: int = 0
    bad_objects: int = 0
    rejects: int = 0
    pages_found: int = 0
    pages_unchanged: int = 0
    posts_total: int | None = None  # the main collections' X-WP-Total, summed
    revisions_closed: bool = False  # the revisions probe was refused (401/403, a redirect)

    def add(self, what: Count, n: int = 1) -> None:
        setattr(self, what, getattr(self, what) + n)

    def listed(self, total: int) -> None:
        """A main collection's page 1 named its ``X-WP-Total``."""
        self.posts_total = (self.posts_total or 0) + total

    def close_revisions(self) -> None:
        """The site refused its revisions: closed for this run."""
        self.revisions_closed = True


@dataclass(slots=True)
class SiteVerdict:
    """A site's outcome in the making (see the module docstring for the rules)."""

    decided: Outcome | None = None
    reason: str | None = None
    archive_error: bool = False  # ``decided`` is ``error`` because the archive failed
    errors: int = 0
    last_error: str | None = None
    routes_skipped: list[str] = field(default_factory=list)
    stopped: str | None = None  # the budget that ended the site's requests
    # Why no walk may vouch for a deletion any more (a pipeline error, a spent budget).
    distrusted: str | None = None
    lost: str | None = None  # the first item a pipeline could not archive
    fallback: FallbackCounts | None = None

    def decide(self, outcome: Decided, reason: str) -> None:
        """Discovery, a main collection or the lock decided the site's outcome."""
        if self.decided is None:
            self.decided, self.reason = outcome, reason

    def refused(self, route: Route, url: str, name: str | None = None) -> None:
        """robots.txt forbids a request of the site."""
        reason = f"robots.txt forbids {url}"
        if route in OPTIONAL_ROUTES:
            self._skip(route, name, reason)
        else:
            self.decide("robots_disallowed", reason)

    def failed(self, route: Route, message: str, name: str | None = None) -> None:
        """A request, page or callback of the site failed."""
        if route in OPTIONAL_ROUTES:
            self._skip(route, name, message)
            return
        self.errors += 1
        self.last_error = message

    def item_failed(self, reason: str) -> None:
        """A pipeline raised on one of the site's items: an error, and no walk may now
        vouch for a deletion."""
        self.errors += 1
        self.last_error = reason
        self.distrusted = self.distrusted or reason
        self.lost = self.lost or reason

    def stop(self, reason: str) -> None:
        """A budget is spent: no more requests, every walk incomplete, ``partial``."""
        self.stopped = reason
        self.distrusted = self.distrusted or reason
        if self.decided is None:
            self.decided, self.reason = "partial", reason

    def archive_failed(self, reason: str) -> bool:
        """The archive failed for the site: ``error``, over any earlier decision but an
        earlier archive failure (the first cause is kept). True if this is the first."""
        if self.archive_error:
            return False
        self.decided, self.reason, self.archive_error = "error", reason, True
        return True

    def fallback_finished(self, counts: FallbackCounts, *, discover: bool) -> None:
        """The fallback is over: its counts beside the REST ones; its errors make the site
        ``partial`` (a failed page, as for the REST path), unless only discovering."""
        self.fallback = counts
        for message in counts.errors:
            self.errors += 1
            self.last_error = f"fallback: {message}"
        if counts.errors and not discover and not self.archive_error:
            more = len(counts.errors) - 1
            self.decided = "partial"
            # the first: a listing's problem (a sitemap not read whole) comes before its pages'
            self.reason = f"fallback: {counts.errors[0]}" + (f" (and {more} more)" if more else "")
        elif counts.incomplete and not discover and not self.archive_error:
            # an archive of record names what it may lack: never a settled site
            self.decided, self.reason = "partial", f"listing incomplete: {counts.incomplete}"

    def final(self) -> tuple[Outcome, str | None]:
        """The site's outcome once nothing is pending: decided, else errors, else ok; a
        site read by the fallback that lost an item is ``partial``, never settled."""
        if self.decided in FALLBACK_DECIDED and self.lost:
            return "partial", f"{self.decided}, then {self.lost}"
        if self.decided is not None:
            return self.decided, self.reason
        if self.errors:
            return "partial", self.last_error
        return "ok", None

    def _skip(self, route: Route, name: str | None, why: str) -> None:
        line = f"{name or route}: {why}"
        logger.info("optional route skipped: %s", line)
        self.routes_skipped.append(line)
