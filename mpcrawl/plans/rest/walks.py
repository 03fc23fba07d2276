"""Collection walks: every page of a type's collection, in full or as a sweep of ids.

Plan step 4 of ``docs/ARCHITECTURE.md``. Page 1's totals name the last page (believed
only as far as they agree); without them pages go one at a time until the end shows.
A page that times out at 100 is asked for again at the smaller sizes of
``MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK``; a page that fails makes the walk incomplete.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.http import Response

from mpcrawl.archive.state import micros
from mpcrawl.items import RestObject
from mpcrawl.plans.rest.revisions import Revisions
from mpcrawl.plans.rest.site import OnFailure, OnResponse, RequestFailed, RestSite, header
from mpcrawl.plans.rest.sweeps import Sweeps
from mpcrawl.plans.rest.walk import Walk, smaller_pages
from mpcrawl.wp.dates import parse_wp_gmt
from mpcrawl.wp.jsonbody import END_OF_PAGES_CODES, REST_CLOSED_CODES, error_code
from mpcrawl.wp.paging import last_page
from mpcrawl.wp.records import as_int
from mpcrawl.wp.urls import PER_PAGE

logger = logging.getLogger(__name__)

TAXONOMIES = (("categories", "category"), ("tags", "post_tag"))


@dataclass(frozen=True, slots=True)
class PageStep:
    """One page of one walk, at the page size it was asked for."""

    walk: Walk
    page: int
    per_page: int = PER_PAGE


def _repeats(walk: Walk, data: list[Any]) -> bool:
    """Every id of this page was seen earlier in the walk: the site serves a page again."""
    ids = [as_int(obj.get("id")) for obj in data if isinstance(obj, dict)]
    return bool(ids) and all(i is not None and i in walk.seen for i in ids)


@dataclass(slots=True)
class Walks:
    site: RestSite
    revisions: Revisions
    sweeps: Sweeps
    begun: list[Walk] = field(default_factory=list)  # every walk of the site, in order

    def begin(self, types: Iterable[tuple[str, str]], optional: dict[str, str]) -> Iterator[Any]:
        """One walk per type (``rest_base``, post type), then the terms and the users.
        ``optional`` names the types found in ``/wp/v2/types`` by their ``rest_base``."""
        state = self.site.run.state
        sweep = not (self.site.args.full or state is None or state.empty)
        walks = [
            Walk(base, "post", post_type=ptype, sweep=sweep, optional_name=optional.get(base))
            for base, ptype in types
        ]
        walks += [Walk(base, "term", post_type=tax) for base, tax in TAXONOMIES]
        walks.append(Walk("users", "author"))
        for walk in walks:
            self.begun.append(walk)
            walk.started = True
            yield self._request(PageStep(walk, 1))

    def _request(self, step: PageStep) -> Request:
        walk = step.walk
        fields = ("id", "modified_gmt") if walk.sweep else ()
        url = self.site.api.collection(
            walk.rest_base, page=step.page, per_page=step.per_page, fields=fields
        )
        walk.pending.add((step.per_page, step.page))
        return self.site.request(
            url, self._on_page(step), self._on_failure(step), priority=-step.page
        )

    def _on_page(self, step: PageStep) -> OnResponse:
        return lambda response: self.on_page(response, step)

    def _on_failure(self, step: PageStep) -> OnFailure:
        return lambda failure: self.on_failure(failure, step)

    def on_page(self, response: Response, step: PageStep) -> Iterator[Any]:
        walk = step.walk
        walk.pending.discard((step.per_page, step.page))
        data, why = self.site.json(response)
        if response.status != 200 or not isinstance(data, list):
            yield from self._problem(response, step, data, why)
        elif step.per_page != PER_PAGE:  # a smaller page covering one that timed out
            yield from self._items(walk, data)
        else:
            if step.page == 1:
                self._plan(response, walk, len(data))
            if step.page > 1 and _repeats(walk, data):
                reason = f"{response.url}: page {step.page} repeats ids already seen"
                self.site.walk_incomplete(walk, reason)
            else:
                yield from self._items(walk, data)
            # The end is shown by an empty page, or one shorter than a page this walk was
            # served before (a first page short of per_page may be a plugin's cap).
            if len(data) < walk.size or not data:
                walk.ended = True
            walk.size = max(walk.size, len(data))
            yield from self._more(walk)
        if walk.complete:
            yield from self.sweeps.walk_over(walk)

    def on_failure(self, failure: RequestFailed, step: PageStep) -> Iterator[Any]:
        """A page with no answer (or whose callback raised): smaller pages after a
        timeout, else the walk is incomplete and the failure is its route's."""
        walk, site = step.walk, self.site
        walk.pending.discard((step.per_page, step.page))
        smaller = [n for n in site.config.timeout_fallback_per_page if n < step.per_page]
        if failure.kind == "timeout" and smaller:
            logger.warning(
                "%s: %s timed out at per_page=%d, retrying with %d",
                site.site,
                failure.url,
                step.per_page,
                smaller[0],
            )
            for page in smaller_pages(step.page, step.per_page, smaller[0]):
                yield self._request(PageStep(walk, page, smaller[0]))
            return
        walk.fail(f"{failure.url}: {failure.message}")
        site.request_failed(walk.route, failure, walk.rest_base)
        if walk.complete:
            yield from self.sweeps.walk_over(walk)

    def _problem(
        self, response: Response, step: PageStep, data: Any, bad_json: str | None
    ) -> Iterator[Any]:
        walk, site = step.walk, self.site
        code = error_code(data)
        if code in END_OF_PAGES_CODES:
            walk.ended = True
            return
        answer = f"{response.status} {code or ''}".strip()
        refused = response.status in (401, 403, 404)
        if walk.optional_name and step.page == 1 and refused:
            logger.warning(
                "%s: type %r cannot be read as a collection (%s); skipped",
                site.site,
                walk.optional_name,
                answer,
            )
            walk.fail(answer)  # nothing listed: no tombstone probes for it
            site.run.verdict.failed("type", f"{response.url}: {answer}", walk.optional_name)
            return
        if walk.kind == "author" and refused:
            logger.info("%s: users are not public (%s)", site.site, answer)
            site.run.verdict.failed("users", f"{response.url}: {answer}")
            walk.ended = True
            return
        if walk.route == "collection" and step.page == 1:
            closed = code in REST_CLOSED_CODES or response.status in (401, 403)
            if closed or (data is None and response.status == 200):
                why = answer if closed else "the API answers HTML"
                site.run.verdict.decide("rest_closed", f"{response.url}: {why}")
                walk.fail(f"{response.url}: {why}")
                return
        if response.status == 200 and data is None:
            retry = site.request.retry(response, "bad JSON")
            if retry is not None:
                walk.pending.add((step.per_page, step.page))
                yield retry
                return
        detail = code or (bad_json if data is None else None) or "unexpected body"
        site.walk_incomplete(walk, f"{response.url}: {response.status} {detail}")

    def _plan(self, response: Response, walk: Walk, served: int) -> None:
        """How far the walk may go, from page 1's totals (believed only as far as they agree)."""
        total = as_int(header(response, "X-WP-Total"))
        pages = as_int(header(response, "X-WP-TotalPages"))
        ceiling = self.site.config.max_pages
        walk.total = total
        if total is not None and walk.kind == "post":
            self.site.run.tally.listed(total)
        walk.last = last_page(
            asked=PER_PAGE, served=served, total=total, total_pages=pages, ceiling=ceiling
        )
        claimed = last_page(
            asked=PER_PAGE, served=served, total=total, total_pages=pages, ceiling=2**62
        )
        walk.capped = claimed is not None and claimed > ceiling

    def _more(self, walk: Walk) -> Iterator[Request]:
        """The walk's next pages: a few at a time where the totals name the last page, one at
        a time where they do not (until an empty page or the past-the-end 400)."""
        if walk.ended or walk.failed:
            return
        config = self.site.config
        last = walk.last if walk.last is not None else config.max_pages
        window = config.pages_in_flight if walk.last is not None else 1
        in_flight = sum(1 for size, _ in walk.pending if size == PER_PAGE)
        while walk.next_page <= last and in_flight < window:
            yield self._request(PageStep(walk, walk.next_page))
            walk.next_page += 1
            in_flight += 1

    def _items(self, walk: Walk, data: list[Any]) -> Iterator[Any]:
        site, now = self.site, datetime.now(UTC)
        for obj in data:
            pid = as_int(obj.get("id")) if isinstance(obj, dict) else None
            if pid is None or not isinstance(obj, dict):
                yield site.reject(walk.kind, walk.post_type, obj, "an entry without an id")
            elif walk.kind == "post":
                yield from self._post_seen(walk, obj, pid, now)
            else:
                walk.seen.setdefault(pid, None)
                yield RestObject(
                    walk.kind, site.site, obj, now, site.run_id, post_type=walk.post_type
                )

    def _post_seen(self, walk: Walk, obj: dict[str, Any], pid: int, now: datetime) -> Iterator[Any]:
        site, state, post_type = self.site, self.site.state, walk.post_type or "post"
        modified = micros(parse_wp_gmt(obj.get("modified_gmt")))
        walk.seen[pid] = modified
        if (post_type, pid) in state.tombstoned:
            yield self.sweeps.returned(post_type, pid, modified)
        if walk.sweep:
            return
        known = state.has_version(post_type, pid, modified)
        yield RestObject("post", site.site, obj, now, site.run_id, post_type=post_type)
        if not known:
            yield from self.revisions.new_version(post_type, walk.rest_base, obj, pid)
            return
        site.run.tally.add("posts_unchanged")
        if (post_type, pid) in state.revisions_due:
            yield from self.revisions.want(post_type, walk.rest_base, pid)
