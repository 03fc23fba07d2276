"""Bookkeeping for one site in one run: what is pending, seen, failed and counted.

Kept free of Scrapy so that the rules (when a walk is complete, which ids to fetch,
which to probe, what a site's outcome is) are plain functions of plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from mpcrawl.archive.state import SiteState
from mpcrawl.archive.web_state import WebState
from mpcrawl.items import RunItem
from mpcrawl.outcomes import Outcome
from mpcrawl.sitelist import SiteEntry
from mpcrawl.wp.urls import ApiRoot

WalkKind = Literal["post", "term", "author"]


@dataclass(slots=True)
class Walk:
    """One walk over a collection's pages: full objects, or a sweep of ids."""

    rest_base: str
    kind: WalkKind
    post_type: str | None = None
    sweep: bool = False
    pending: set[tuple[int, int]] = field(default_factory=set)  # (per_page, page)
    failed: bool = False
    seen: dict[int, int | None] = field(default_factory=dict)  # id -> modified_gmt µs
    total: int | None = None
    started: bool = False
    # The -a types= name of a type found in /wp/v2/types (not posts or pages): a 401, 403
    # or 404 on its first page skips it with a warning instead of failing the site.
    optional_name: str | None = None
    last: int | None = None  # the last page page 1's totals allow; None: walk until the end
    capped: bool = False  # ``last`` is MPCRAWL_MAX_PAGES, short of what the site claims
    next_page: int = 2  # the next page to schedule at PER_PAGE
    ended: bool = False  # the collection is shown to end: empty page, past-the-end 400
    failure: str | None = None  # why the walk is incomplete
    closed: bool = False  # its end was handled (includes fetched, probes sent)
    size: int = 0  # the longest page served so far: a shorter one shows the end

    @property
    def complete(self) -> bool:
        return self.started and not self.pending

    def fail(self, reason: str) -> None:
        """The walk cannot vouch for the collection: it makes no tombstone."""
        if not self.failed:
            self.failed, self.failure = True, reason


@dataclass(slots=True)
class SiteRun:
    """Everything the spider knows about one site during one run."""

    entry: SiteEntry
    started_at: datetime
    hosts: set[str]
    api: ApiRoot | None = None
    state: SiteState | None = None
    web_state: WebState | None = None  # the fallback path's, loaded by the ledger
    outcome: Outcome | None = None
    reason: str | None = None
    pending: int = 0
    requests: int = 0
    errors: int = 0
    json_recovered: int = 0
    posts_new: int = 0
    posts_unchanged: int = 0
    revisions_new: int = 0
    tombstones_new: int = 0
    revisions: Literal["unknown", "probing", "open", "closed"] = "unknown"
    revision_queue: list[tuple[str, str, int]] = field(default_factory=list)
    history_counts: dict[int, int] = field(default_factory=dict)  # post id -> version-history
    media_wanted: set[int] = field(default_factory=set)
    media_requested: set[int] = field(default_factory=set)
    walks: list[Walk] = field(default_factory=list)
    home_looks_wordpress: bool = False
    root_tried: bool = False
    crawl_done: bool = False  # no request pending, no more to make
    items_yielded: int = 0
    items_settled: int = 0  # items that left the pipelines (scraped, dropped, failed)
    finished: bool = False  # run record sent
    last_error: str | None = None
    source: str | None = None  # what served the site: "rest", or the fallback's source
    pages_listed: int | None = None  # fallback: URLs its listing named
    pages_found: int | None = None  # fallback: publications read among them
    bad_objects: int = 0  # objects archived with values no typed column holds
    rejects: int = 0  # objects no row holds, kept whole in ``rejects``
    stopped: str | None = None  # the budget that ended the site's requests

    @property
    def site(self) -> str:
        return self.entry.site

    @property
    def posts_total(self) -> int | None:
        totals = [w.total for w in self.walks if w.kind == "post" and w.total is not None]
        return sum(totals) if totals else None

    def error(self, message: str) -> None:
        """Count a failed request or page; the site ends ``partial`` unless settled."""
        self.errors += 1
        self.last_error = message

    def stop(self, reason: str) -> None:
        """A budget is spent: no more requests, and the site ends ``partial``."""
        self.stopped = reason
        if self.outcome is None:
            self.outcome, self.reason = "partial", reason
        for walk in self.walks:
            walk.fail(reason)

    def final_outcome(self) -> tuple[Outcome, str | None]:
        """The site's outcome once nothing is pending."""
        if self.outcome is not None:
            return self.outcome, self.reason
        if self.errors:
            return "partial", self.last_error
        return "ok", None


def run_record(
    run: SiteRun, run_id: str, finished_at: datetime, outcome: Outcome, reason: str | None
) -> RunItem:
    """The ``runs`` row of a site: how it went and what it cost."""
    return RunItem(
        run_id=run_id,
        site=run.site,
        started_at=run.started_at,
        finished_at=finished_at,
        outcome=outcome,
        reason=reason,
        api_root=run.api.root_url if run.api else None,
        requests=run.requests,
        posts_new=run.posts_new,
        posts_unchanged=run.posts_unchanged,
        revisions_new=run.revisions_new,
        revisions_closed=run.revisions == "closed",
        tombstones_new=run.tombstones_new,
        errors=run.errors,
        json_recovered=run.json_recovered,
        posts_total=run.posts_total,
        source=run.source,
        pages_listed=run.pages_listed,
        pages_found=run.pages_found,
        bad_objects=run.bad_objects,
        rejects=run.rejects,
    )


def ids_to_fetch(walk: Walk, state: SiteState | None) -> list[int]:
    """Ids a sweep saw whose version (id, modified_gmt) is not archived yet.

    >>> w = Walk("posts", "post", "post", sweep=True, seen={1: 10, 2: 20, 3: None})
    >>> s = SiteState.of(("post", 1, 10), ("post", 2, 5))
    >>> ids_to_fetch(w, s)
    [2, 3]
    """
    if state is None or walk.post_type is None:
        return sorted(walk.seen)
    has, post_type = state.has_version, walk.post_type
    return sorted(pid for pid, mod in walk.seen.items() if not has(post_type, pid, mod))


def ids_to_probe(walk: Walk, state: SiteState | None) -> list[int]:
    """Archived ids missing from a walk shown complete and not already tombstoned.

    >>> w = Walk("posts", "post", "post", seen={1: 10}, started=True, ended=True)
    >>> s = SiteState.of(("post", 1, 10), ("post", 2, 5), ("post", 3, 7),
    ...                  tombstoned={("post", 3)})
    >>> ids_to_probe(w, s)
    [2]
    """
    if state is None or walk.failed or not (walk.ended and walk.complete) or not walk.post_type:
        return []
    archived = state.ids(walk.post_type)
    stoned = {pid for (ptype, pid) in state.tombstoned if ptype == walk.post_type}
    return sorted(archived - walk.seen.keys() - stoned)


def ids_to_backfill(walk: Walk, state: SiteState | None, fetching: list[int]) -> list[int]:
    """Ids a sweep listed unchanged whose archived revisions fall short of their count.

    >>> w = Walk("posts", "post", "post", sweep=True, seen={1: 10, 2: 20, 3: 30})
    >>> s = SiteState.of(("post", 1, 10), ("post", 2, 20))
    >>> s.revisions_due = {("post", 1), ("post", 2)}
    >>> ids_to_backfill(w, s, [2, 3])
    [1]
    """
    if state is None or walk.post_type is None or not state.revisions_due:
        return []
    skip = set(fetching)
    due, post_type = state.revisions_due, walk.post_type
    return sorted(pid for pid in walk.seen if pid not in skip and (post_type, pid) in due)


def fallback_pages(page: int, per_page: int, smaller: int) -> list[int]:
    """Pages of size ``smaller`` that cover page ``page`` of size ``per_page``.

    >>> fallback_pages(3, 100, 50)
    [5, 6]
    >>> fallback_pages(2, 50, 20)
    [3, 4, 5]
    """
    first, last = (page - 1) * per_page, page * per_page
    return list(range(first // smaller + 1, -(-last // smaller) + 1))
