"""Bookkeeping for one site in one run: what is pending, seen, failed and counted.

Kept free of Scrapy so that the rules (when a walk is complete, which ids to fetch,
which to probe, what a site's outcome is) are plain functions of plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from mpcrawl.archive.state import SiteState
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

    @property
    def complete(self) -> bool:
        return self.started and not self.pending


@dataclass(slots=True)
class SiteRun:
    """Everything the spider knows about one site during one run."""

    entry: SiteEntry
    started_at: datetime
    hosts: set[str]
    api: ApiRoot | None = None
    state: SiteState | None = None
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
    """Archived ids missing from a complete walk and not already tombstoned.

    >>> w = Walk("posts", "post", "post", seen={1: 10}, started=True)
    >>> s = SiteState.of(("post", 1, 10), ("post", 2, 5), ("post", 3, 7),
    ...                  tombstoned={("post", 3)})
    >>> ids_to_probe(w, s)
    [2]
    """
    if state is None or walk.failed or not walk.complete or walk.post_type is None:
        return []
    archived = state.ids(walk.post_type)
    stoned = {pid for (ptype, pid) in state.tombstoned if ptype == walk.post_type}
    return sorted(archived - walk.seen.keys() - stoned)


def fallback_pages(page: int, per_page: int, smaller: int) -> list[int]:
    """Pages of size ``smaller`` that cover page ``page`` of size ``per_page``.

    >>> fallback_pages(3, 100, 50)
    [5, 6]
    >>> fallback_pages(2, 50, 20)
    [3, 4, 5]
    """
    first, last = (page - 1) * per_page, page * per_page
    return list(range(first // smaller + 1, -(-last // smaller) + 1))
