"""One walk over a collection's pages, and the rules on it: plain data, plain functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mpcrawl.archive.state import SiteState
from mpcrawl.verdict import Route

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

    @property
    def route(self) -> Route:
        """What the walk's failures mean for the site (:mod:`mpcrawl.verdict`)."""
        if self.kind == "term":
            return "terms"
        if self.kind == "author":
            return "users"
        return "type" if self.optional_name is not None else "collection"

    def fail(self, reason: str) -> None:
        """The walk cannot vouch for the collection: it makes no tombstone."""
        if not self.failed:
            self.failed, self.failure = True, reason


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


def smaller_pages(page: int, per_page: int, smaller: int) -> list[int]:
    """Pages of size ``smaller`` that cover page ``page`` of size ``per_page``.

    >>> smaller_pages(3, 100, 50)
    [5, 6]
    >>> smaller_pages(2, 50, 20)
    [3, 4, 5]
    """
    first, last = (page - 1) * per_page, page * per_page
    return list(range(first // smaller + 1, -(-last // smaller) + 1))
