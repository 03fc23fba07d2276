"""The end of a walk: what it missed is fetched, what vanished from it is probed.

Plan steps 4 (sweep: ``include=`` fetches) and 5 (tombstone probes) of
``docs/ARCHITECTURE.md``. A walk is complete only when the collection was shown to end
and its ``X-WP-Total`` was met; an incomplete walk probes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Response

from mpcrawl.archive.state import from_micros
from mpcrawl.items import RestObject, TombstoneItem
from mpcrawl.plans.rest.revisions import Revisions
from mpcrawl.plans.rest.site import OnFailure, OnResponse, RequestFailed, RestSite
from mpcrawl.plans.rest.walk import Walk, ids_to_backfill, ids_to_fetch, ids_to_probe
from mpcrawl.wp.jsonbody import error_code
from mpcrawl.wp.records import as_int
from mpcrawl.wp.urls import PER_PAGE

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GoneStep:
    """A probe of one archived post missing from a complete walk."""

    walk: Walk
    post_type: str
    post_id: int


@dataclass(slots=True)
class Sweeps:
    site: RestSite
    revisions: Revisions

    def walk_over(self, walk: Walk) -> Iterator[Any]:
        """Nothing of the walk is pending: settle it, then fetch and probe what it shows."""
        if walk.closed:
            return
        walk.closed = True
        self._settle(walk)
        if walk.kind != "post" or walk.post_type is None:
            return
        site, state, post_type = self.site, self.site.state, walk.post_type
        if walk.sweep:
            fetch = ids_to_fetch(walk, state)
            site.run.tally.add("posts_unchanged", len(walk.seen) - len(fetch))
            for pid in ids_to_backfill(walk, state, fetch):
                yield from self.revisions.want(post_type, walk.rest_base, pid)
            for start in range(0, len(fetch), PER_PAGE):
                url = site.api.collection(walk.rest_base, include=fetch[start : start + PER_PAGE])
                yield site.request(url, self._on_include(walk), self._on_failure(walk))
        if not site.vouches(walk):
            return
        for pid in ids_to_probe(walk, state):
            step = GoneStep(walk, post_type, pid)
            url = site.api.item(walk.rest_base, pid)
            yield site.request(url, self._on_gone(step), self._on_failure(walk))

    def _settle(self, walk: Walk) -> None:
        """A walk with nothing pending is complete only if the collection was shown to end
        and the site's own total was met."""
        if not self.site.vouches(walk):
            return
        ceiling = self.site.config.max_pages
        if not walk.ended and walk.last is not None and walk.next_page > walk.last:
            walk.ended = not walk.capped
        if not walk.ended:
            reached = walk.capped or walk.next_page > ceiling
            why = f"more than MPCRAWL_MAX_PAGES={ceiling} pages" if reached else "no end shown"
            self.site.walk_incomplete(walk, f"{walk.rest_base}: {why}")
        elif walk.kind == "post" and walk.total is not None and len(walk.seen) < walk.total:
            listed = f"listed {len(walk.seen)} of the {walk.total} posts its X-WP-Total names"
            self.site.walk_incomplete(walk, f"{walk.rest_base}: {listed}")

    def _on_failure(self, walk: Walk) -> OnFailure:
        def on_failure(failure: RequestFailed) -> Iterator[Any]:
            self.site.request_failed(walk.route, failure, walk.rest_base)
            return iter(())

        return on_failure

    def _on_include(self, walk: Walk) -> OnResponse:
        def on_include(response: Response) -> Iterator[Any]:
            site = self.site
            data, _ = site.json(response)
            if response.status != 200 or not isinstance(data, list):
                why = error_code(data) or "bad body"
                site.run.verdict.failed(walk.route, f"{response.url}: {response.status} {why}")
                return
            now = datetime.now(UTC)
            for obj in data:
                pid = as_int(obj.get("id")) if isinstance(obj, dict) else None
                if pid is not None and walk.post_type is not None:
                    yield RestObject(
                        "post", site.site, obj, now, site.run_id, post_type=walk.post_type
                    )
                    yield from self.revisions.new_version(walk.post_type, walk.rest_base, obj, pid)

        return on_include

    def _on_gone(self, step: GoneStep) -> OnResponse:
        return lambda response: self.gone(response, step)

    def gone(self, response: Response, step: GoneStep) -> Iterator[Any]:
        """A post missing from a complete walk: deleted (404) or hidden (401/403)."""
        site = self.site
        data, _ = site.json(response)
        code = error_code(data)
        if response.status == 404 and code in ("rest_post_invalid_id", "rest_term_invalid"):
            reason = "deleted"
        elif response.status in (401, 403):
            reason = "hidden"
        elif response.status == 200 and isinstance(data, dict):
            now = datetime.now(UTC)
            yield RestObject("post", site.site, data, now, site.run_id, post_type=step.post_type)
            return
        else:
            message = f"{response.url}: {response.status} {code or 'unexpected body'}"
            site.run.verdict.failed(step.walk.route, message)
            return
        if not site.vouches(step.walk):  # e.g. a pipeline failed since the probe was sent
            why = step.walk.failure or site.run.verdict.distrusted
            logger.info(
                "%s: %s %d not tombstoned: %s", site.site, step.post_type, step.post_id, why
            )
            return
        last = site.state.newest(step.post_type, step.post_id)
        site.run.tally.add("tombstones_new")
        logger.info("%s: %s %d is %s", site.site, step.post_type, step.post_id, reason)
        yield TombstoneItem(
            site=site.site,
            post_type=step.post_type,
            id=step.post_id,
            last_seen_modified_gmt=from_micros(last),
            detected_at=datetime.now(UTC),
            reason=reason,
            run_id=site.run_id,
        )

    def returned(self, post_type: str, pid: int, modified: int | None) -> TombstoneItem:
        """A tombstoned id listed again: the row that says it is back (once per run)."""
        site = self.site
        site.state.tombstoned.discard((post_type, pid))
        logger.info("%s: %s %d is listed again", site.site, post_type, pid)
        site.stats.inc_value("mpcrawl/posts/returned")
        return TombstoneItem(
            site=site.site,
            post_type=post_type,
            id=pid,
            last_seen_modified_gmt=from_micros(modified),
            detected_at=datetime.now(UTC),
            reason="returned",
            run_id=site.run_id,
        )
