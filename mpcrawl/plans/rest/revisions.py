"""Revisions: one probe, then open (every queued post's pages) or closed (one 401).

Plan step 8 of ``docs/ARCHITECTURE.md``. The first new version with a history sends one
revisions request; the others wait in a queue until it answers. Basic auth only with
the netrc's entry for the API's host, never redirected.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from scrapy import Request
from scrapy.http import Response

from mpcrawl.items import RestObject
from mpcrawl.plans.rest.site import RequestFailed, RestSite, header
from mpcrawl.wp.jsonbody import END_OF_PAGES_CODES, error_code
from mpcrawl.wp.paging import revision_pages
from mpcrawl.wp.records import as_int, revision_links
from mpcrawl.wp.urls import PER_PAGE

logger = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class RevisionsStep:
    """A page of one post's revisions."""

    post_type: str
    rest_base: str
    post_id: int
    page: int = 1


@dataclass(slots=True)
class Revisions:
    """The site's revisions: closed, open or being probed, and the posts waiting."""

    site: RestSite
    status: Literal["unknown", "probing", "open", "closed"] = "unknown"
    queue: list[RevisionsStep] = field(default_factory=list)
    history_counts: dict[int, int] = field(default_factory=dict)  # post id -> version-history

    def new_version(
        self, post_type: str, rest_base: str, obj: dict[str, Any], pid: int
    ) -> Iterator[Request]:
        """A version not archived yet: its featured media is wanted, its revisions too."""
        site = self.site
        featured = as_int(obj.get("featured_media"))
        if featured and featured not in site.media_requested:
            site.media_wanted.add(featured)
        count, _ = revision_links(obj)
        if count:
            self.history_counts[pid] = count
            yield from self.want(post_type, rest_base, pid)

    def want(self, post_type: str, rest_base: str, pid: int) -> Iterator[Request]:
        """The post's revisions: asked for now, or queued behind the probe."""
        step = RevisionsStep(post_type, rest_base, pid)
        if self.status == "closed":
            return
        if self.status == "probing":
            self.queue.append(step)
            return
        if self.status == "unknown":
            self.status = "probing"
        yield self._request(step)

    def _request(self, step: RevisionsStep) -> Request:
        url = self.site.api.url(
            f"/wp/v2/{step.rest_base}/{step.post_id}/revisions",
            [("per_page", PER_PAGE), ("page", step.page)],
        )
        headers: dict[str, str] = {}
        creds = self.site.credentials()
        if creds is not None:
            token = base64.b64encode(f"{creds.login}:{creds.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"

        def on_response(response: Response) -> Iterator[Any]:
            return self.on_page(response, step)

        # with credentials, a redirect is answered here, never followed with the password
        return self.site.request(
            url,
            on_response,
            self.on_failure,
            headers=headers,
            follow_redirects=creds is None,
        )

    def on_failure(self, failure: RequestFailed) -> Iterator[Any]:
        self.site.request_failed("revisions", failure)
        return iter(())

    def on_page(self, response: Response, step: RevisionsStep) -> Iterator[Any]:
        site = self.site
        data, _ = site.json(response)
        code = error_code(data)
        if response.status in (401, 403) or response.status in REDIRECTS:
            self.status = "closed"
            self.queue.clear()
            site.run.tally.close_revisions()
            why = code or f"{response.status} {header(response, 'Location') or ''}"
            logger.info("%s: revisions are closed (%s)", site.site, why.strip())
            return
        if response.status != 200 or not isinstance(data, list):
            if code not in END_OF_PAGES_CODES:
                message = f"{response.url}: {response.status} {code or 'bad body'}"
                site.run.verdict.failed("revisions", message)
            return
        if self.status == "probing":
            self.status = "open"
            queued, self.queue = self.queue, []
            for waiting in queued:
                yield self._request(waiting)
        if step.page == 1:
            pages = revision_pages(
                served=len(data),
                total=as_int(header(response, "X-WP-Total")),
                total_pages=as_int(header(response, "X-WP-TotalPages")),
                count=self.history_counts.get(step.post_id),
                ceiling=site.config.max_pages,
            )
            for page in range(2, pages + 1):
                yield self._request(
                    RevisionsStep(step.post_type, step.rest_base, step.post_id, page)
                )
        now = datetime.now(UTC)
        for obj in data:
            if isinstance(obj, dict):
                yield RestObject(
                    "revision",
                    site.site,
                    obj,
                    now,
                    site.run_id,
                    post_type=step.post_type,
                    parent_id=step.post_id,
                )
