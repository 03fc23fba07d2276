"""What every step of the REST plan shares: the request vocabulary and one site's state.

The plan never builds a Scrapy engine object. It asks a :class:`Requester` (the spider)
for each request, names the callbacks of its answer and of its failure, and gets a
typed :class:`RequestFailed` where the request could not be answered or its callback
raised. Responses are ``scrapy.http`` objects, used as data only.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from mpcrawl.archive.state import SiteState
from mpcrawl.config import Config, Credentials
from mpcrawl.items import RejectItem, RestKind
from mpcrawl.plans.rest.walk import Walk
from mpcrawl.siterun import SiteRun
from mpcrawl.verdict import Route
from mpcrawl.wp import records
from mpcrawl.wp.jsonbody import BadJSON, decode
from mpcrawl.wp.urls import ApiRoot

logger = logging.getLogger(__name__)

FailureKind = Literal["refused", "timeout", "failed"]
"""``refused``: robots.txt forbids it; ``timeout``: no answer in time; ``failed``: any
other failure (connection, size cap, offsite, an exception in its callback)."""


@dataclass(frozen=True, slots=True)
class RequestFailed:
    """A request of the plan that got no usable answer."""

    url: str
    kind: FailureKind
    message: str


OnResponse = Callable[[Response], Iterator[Any]]
OnFailure = Callable[[RequestFailed], Iterator[Any]]


class Requester(Protocol):
    """Makes the site's requests, counted against it; the spider provides it."""

    def __call__(
        self,
        url: str,
        on_response: OnResponse,
        on_failure: OnFailure,
        *,
        headers: dict[str, str] | None = None,
        priority: int = 0,
        follow_redirects: bool = True,
    ) -> Request: ...

    def retry(self, response: Response, reason: str) -> Request | None:
        """The request of ``response`` again, within ``RETRY_TIMES``; None when spent."""


class Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


class Archive(Protocol):
    """The ledger's part in the plan: the site's hosts and its archived state."""

    def claim_hosts(self, run: SiteRun) -> None: ...

    def load_state(self, run: SiteRun, *, revisions_due: bool = False) -> SiteState | None: ...


@dataclass(frozen=True, slots=True)
class Arguments:
    """The spider arguments the REST plan follows."""

    types: tuple[str, ...]
    full: bool = False
    discover: bool = False


@dataclass(slots=True)
class RestSite:
    """One site's REST crawl: the services its steps use and what they share."""

    run: SiteRun
    request: Requester
    config: Config
    stats: Stats
    archive: Archive
    args: Arguments
    run_id: str
    media_wanted: set[int] = field(default_factory=set)  # featured media of new versions
    media_requested: set[int] = field(default_factory=set)

    @property
    def site(self) -> str:
        return self.run.site

    @property
    def api(self) -> ApiRoot:
        """The API root (every step after discovery has one)."""
        if self.run.api is None:
            raise RuntimeError(f"{self.site}: no API root yet")
        return self.run.api

    @property
    def state(self) -> SiteState:
        """What the archive held of the site when its crawl began (extended by dedupe)."""
        if self.run.state is None:
            self.run.state = SiteState()
        return self.run.state

    def json(self, response: Response) -> tuple[Any, str | None]:
        """The decoded body, or None and why it is not JSON (counted either way)."""
        try:
            decoded = decode(response.body)
        except BadJSON as exc:
            self.stats.inc_value(f"mpcrawl/json/{exc.reason}")
            logger.debug("%s: %s: %s", self.site, response.url, exc)
            return None, exc.reason
        if decoded.recovered:
            self.run.tally.add("json_recovered")
            self.stats.inc_value("mpcrawl/json/recovered")
        return decoded.data, None

    def reject(self, kind: RestKind, post_type: str | None, obj: Any, reason: str) -> RejectItem:
        """An entry no row can hold, kept whole in ``rejects`` (the normalise pipeline
        counts it)."""
        row = records.reject_row(
            obj,
            site=self.site,
            kind=kind,
            post_type=post_type,
            reason=reason,
            fetched_at=datetime.now(UTC),
            run_id=self.run_id,
        )
        return RejectItem(**row)

    def request_failed(self, route: Route, failure: RequestFailed, name: str | None = None) -> None:
        """A request of ``route`` got no answer: refused, or failed (logged and counted)."""
        if failure.kind == "refused":
            self.run.verdict.refused(route, failure.url, name)
            return
        self.stats.inc_value("mpcrawl/requests_failed")
        logger.warning("%s: request failed: %s: %s", self.site, failure.url, failure.message)
        self.run.verdict.failed(route, f"{failure.url}: {failure.message}", name)

    def walk_incomplete(self, walk: Walk, reason: str) -> None:
        """The walk cannot vouch for its collection: an error of its route."""
        logger.warning("%s: %s; the walk is incomplete, nothing is tombstoned", self.site, reason)
        walk.fail(reason)
        self.run.verdict.failed(walk.route, reason, walk.rest_base)

    def vouches(self, walk: Walk) -> bool:
        """Whether the walk may still vouch for a deletion (no failure of its own, no
        pipeline error or spent budget on the site)."""
        return not walk.failed and self.run.verdict.distrusted is None

    def credentials(self) -> Credentials | None:
        """Basic auth for the API's host: from the netrc, and only over https or loopback."""
        parts = urlsplit(self.api.base)
        host = (parts.hostname or "").lower()
        creds = self.config.credentials_for(host, parts.port)
        if creds is None:
            return None
        if parts.scheme != "https" and not is_loopback(host):
            logger.warning("%s: credentials not sent over plain http", self.site)
            return None
        return creds


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
