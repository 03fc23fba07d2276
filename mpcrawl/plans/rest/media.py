"""Media by include: the featured media of new versions, asked for once nothing else is
pending for the site (plan step 7 of ``docs/ARCHITECTURE.md``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.http import Response

from mpcrawl.items import RestObject
from mpcrawl.plans.rest.site import RequestFailed, RestSite
from mpcrawl.wp.jsonbody import error_code
from mpcrawl.wp.records import as_int
from mpcrawl.wp.urls import PER_PAGE


@dataclass(slots=True)
class Media:
    site: RestSite

    def requests(self) -> Iterator[Request]:
        """The media wanted and not yet asked for, ``PER_PAGE`` ids a request."""
        site = self.site
        wanted = sorted(site.media_wanted)
        site.media_requested |= site.media_wanted
        site.media_wanted.clear()
        for start in range(0, len(wanted), PER_PAGE):
            url = site.api.collection("media", include=wanted[start : start + PER_PAGE])
            yield site.request(url, self.on_response, self.on_failure)

    def on_response(self, response: Response) -> Iterator[Any]:
        site = self.site
        data, _ = site.json(response)
        if response.status != 200 or not isinstance(data, list):
            why = error_code(data) or "bad body"
            site.run.verdict.failed("media", f"{response.url}: {response.status} {why}")
            return
        now = datetime.now(UTC)
        for obj in data:
            if isinstance(obj, dict) and as_int(obj.get("id")) is not None:
                yield RestObject("media", site.site, obj, now, site.run_id)

    def on_failure(self, failure: RequestFailed) -> Iterator[Any]:
        self.site.request_failed("media", failure)
        return iter(())
