"""An offline stand-in for the site: serves canned real responses to a plan's requests.

The plan is the real one (``mpcrawl.plans.rest``), with a real ledger built from
mpcrawl's settings (its config, stats, hosts and archive state); only the network is
replaced, by bodies from ``../shared/wp-fixtures/rest`` and the sample site's bundle.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from mpcrawl.plans.rest import Arguments, RestPlan
from mpcrawl.plans.rest.site import OnFailure, OnResponse, RequestFailed
from mpcrawl.sitelist import load
from mpcrawl.siterun import SiteRun
from tests.inprocess import ledger
from tests.sample_data import SITE, bundle
from tests.shared import shared_path

HOME = f"https://{SITE}/"
ROOT = f"https://{SITE}/wp-json/"
Answer = tuple[int, bytes | str, dict[str, str]] | RequestFailed


def fixture(*parts: str) -> bytes:
    return shared_path("wp-fixtures", "rest", *parts).read_bytes()


def response(
    url: str, body: bytes | str, status: int = 200, headers: dict[str, str] | None = None
) -> TextResponse:
    data = body.encode() if isinstance(body, str) else body
    return TextResponse(
        url,
        status=status,
        body=data,
        headers={"Content-Type": "application/json; charset=UTF-8", **(headers or {})},
        request=Request(url),
        encoding="utf-8",
    )


@dataclass
class Pending:
    request: Request
    on_response: OnResponse
    on_failure: OnFailure


@dataclass
class Site:
    """The plan's :class:`Requester`; answers what ``answer(url)`` says, in order."""

    answer: Callable[[str], Answer]
    queue: list[Pending] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    retries: int = 0

    def __call__(
        self,
        url: str,
        on_response: OnResponse,
        on_failure: OnFailure,
        *,
        headers: dict[str, str] | None = None,
        priority: int = 0,
        follow_redirects: bool = True,
    ) -> Request:
        request = Request(url, headers=headers, priority=priority)
        self.queue.append(Pending(request, on_response, on_failure))
        return request

    def retry(self, response: Response, reason: str) -> Request | None:
        return None  # retries are Scrapy's (RETRY_TIMES): spent at once here

    def take(self, output: Iterable[Any]) -> list[Any]:
        values = list(output)
        self.items += [v for v in values if not isinstance(v, Request)]
        return values

    def step(self) -> None:
        """Answer the oldest request."""
        pending = self.queue.pop(0)
        url = pending.request.url
        self.asked.append(url)
        answer = self.answer(url)
        if isinstance(answer, RequestFailed):
            self.take(pending.on_failure(answer))
        else:
            status, body, headers = answer
            self.take(pending.on_response(response(url, body, status, headers)))

    def serve(self, plan: RestPlan) -> None:
        """Answer every request until none is left, then the plan's last step (media)."""
        while True:
            while self.queue:
                self.step()
            if not self.take(plan.more()):
                return


def plan_for(
    tmp_path: Path, site: Site, *, types: tuple[str, ...] = ("posts", "pages"), **args: bool
) -> tuple[RestPlan, SiteRun]:
    """A site's REST plan over ``site``, its run opened by a real ledger."""
    led = ledger(tmp_path / "archive")
    run = led.open_site(load(site=HOME).entries[0])
    assert run is not None
    plan = RestPlan(
        run,
        site,
        config=led.config,
        stats=led.crawler.stats,
        archive=led,
        args=Arguments(types, **args),
    )
    return plan, run


def wordpress(
    overrides: dict[str, Answer] | None = None, *, users: bool = True
) -> Callable[[str], Answer]:
    """The sample site's bundle as WordPress serves it (``/wp-json/`` permalinks), except
    where ``overrides`` names a route (``"users"``, ``"media"``, ``"posts/7"``…)."""
    data = bundle()
    collections = {
        "posts": data["posts"],
        "pages": data["pages"],
        "categories": data["categories"],
        "tags": data["tags"],
        "users": data["users"] if users else [],
        "media": data["media"],
    }

    def answer(url: str) -> Answer:
        parts = urlsplit(url)
        if not parts.path.startswith("/wp-json/"):
            return (
                200,
                "<html><body>home</body></html>",
                {"Link": f'<{ROOT}>; rel="https://api.w.org/"'},
            )
        route = parts.path.removeprefix("/wp-json/wp/v2/")
        if overrides and route in overrides:
            return overrides[route]
        if route.endswith("/revisions"):  # anonymous readers: closed
            return 401, fixture("errors", "rest_cannot_read-revisions-401.json"), {}
        query = dict(parse_qsl(parts.query))
        rows = collections.get(route)
        if rows is None:
            return 404, fixture("errors", "rest_post_invalid_id-404-en.json"), {}
        if "include" in query:
            ids = {int(i) for i in query["include"].split(",")}
            return 200, json.dumps([r for r in rows if r["id"] in ids]), {}
        per_page, page = int(query.get("per_page", 10)), int(query.get("page", 1))
        pages = max(1, -(-len(rows) // per_page))
        if page > pages:
            return 400, fixture("errors", "rest_post_invalid_page_number-400.json"), {}
        window = rows[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}
        return 200, json.dumps(window), headers

    return answer
