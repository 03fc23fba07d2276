"""Discovery: the site's API root, its archived state, and the types to walk.

Plan steps 2-3 of ``docs/ARCHITECTURE.md``: the listed page's ``Link`` header or
``<link>`` tag names the root; only without either are ``/wp-json/`` and
``/?rest_route=/`` probed. What discovery finds decides ``unreachable``,
``not_wordpress``, ``rest_closed``, ``robots_disallowed`` or ``error``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from mpcrawl.plans.rest.site import OnFailure, OnResponse, RequestFailed, RestSite
from mpcrawl.plans.rest.walks import Walks
from mpcrawl.wp import discovery
from mpcrawl.wp.jsonbody import REST_CLOSED_CODES, error_code
from mpcrawl.wp.sitename import host_key
from mpcrawl.wp.urls import ApiRoot

logger = logging.getLogger(__name__)

KNOWN_REST_BASES = {"posts": "post", "pages": "page"}
# A type's rest_base becomes part of a URL path: plain route segments only, never "..",
# never a route pattern such as WordPress 7's wp_font_face (`font-families/(?P<…>)/…`).
SAFE_REST_BASE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)?")


def _after_retries(response: Response) -> str:
    retries = response.meta.get("retry_times", 0)
    return f" after {retries} retries (rate limited)" if response.status == 429 else ""


def is_deep(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path not in ("", "/") or bool(parts.query)


@dataclass(slots=True)
class Discovery:
    site: RestSite
    walks: Walks
    root_tried: bool = False  # a deep URL that failed: the home page was asked instead
    looks_wordpress: bool = False  # the page shows WordPress's signs

    def start(self) -> Iterator[Any]:
        yield self._home(self.site.run.entry.url)

    def _home(self, url: str) -> Request:
        return self.site.request(url, self.on_home, self.on_home_failure)

    def on_home(self, response: Response) -> Iterator[Any]:
        verdict = self.site.run.verdict
        links = [v.decode("latin-1") for v in response.headers.getlist("Link")]
        root = discovery.root_from_link_headers(links, response.url)
        text = response.text if isinstance(response, TextResponse) else ""
        if root is None and response.status == 200 and text:
            root = discovery.root_from_html(text, response.url)
        if root is not None:
            yield from self._use_root(root)
            return
        if response.status != 200 and not self.root_tried and is_deep(response.url):
            self.root_tried = True
            yield self._home(discovery.site_root(response.url))
            return
        if response.status >= 500 or response.status == 429:
            why = f"{response.url} answered {response.status}{_after_retries(response)}"
            verdict.decide("unreachable", why)
            return
        self.looks_wordpress = discovery.looks_like_wordpress(text)
        asked = response.meta.get("redirect_urls", [response.url])[0]
        if asked.rstrip("/") == discovery.site_root(asked).rstrip("/"):  # the fallback reads it
            self.site.run.home_page = response
        yield from self._next_probe(tuple(discovery.probe_roots(response.url)))

    def on_home_failure(self, failure: RequestFailed) -> Iterator[Any]:
        verdict = self.site.run.verdict
        if failure.kind == "refused":
            verdict.refused("discovery", failure.url)
        elif not self.root_tried and is_deep(failure.url):
            self.root_tried = True
            yield self._home(discovery.site_root(failure.url))
        else:
            verdict.decide("unreachable", f"{failure.url}: {failure.message}")

    def _next_probe(self, probes: tuple[str, ...]) -> Iterator[Any]:
        verdict = self.site.run.verdict
        if not probes:
            if self.looks_wordpress:
                verdict.decide("rest_closed", "WordPress site, but no REST API answers JSON")
            else:
                verdict.decide("not_wordpress", "no WordPress REST API found")
            return
        yield self.site.request(
            probes[0], self._on_probe(probes[1:]), self._on_probe_failure(probes[1:])
        )

    def _on_probe(self, rest: tuple[str, ...]) -> OnResponse:
        return lambda response: self.on_probe(response, rest)

    def _on_probe_failure(self, rest: tuple[str, ...]) -> OnFailure:
        return lambda failure: self.on_probe_failure(failure, rest)

    def on_probe(self, response: Response, rest: tuple[str, ...]) -> Iterator[Any]:
        verdict = self.site.run.verdict
        if response.status == 429:  # rate limiting that never lifted is no sign of a closed API
            verdict.decide("unreachable", f"{response.url} answered 429{_after_retries(response)}")
            return
        data, _ = self.site.json(response)
        if discovery.is_api_index(data) and not discovery.has_wp_v2(data):
            verdict.decide("rest_closed", f"{response.url}: the API offers no wp/v2 namespace")
            return
        if discovery.is_api_index(data):
            yield from self._use_root(response.url)
            return
        code = error_code(data)
        if code in REST_CLOSED_CODES and code != "rest_no_route":
            verdict.decide("rest_closed", f"{response.url}: {response.status} {code}")
            return
        if code is not None or data is not None:
            self.looks_wordpress = True
        yield from self._next_probe(rest)

    def on_probe_failure(self, failure: RequestFailed, rest: tuple[str, ...]) -> Iterator[Any]:
        if failure.kind == "refused":
            self.site.run.verdict.refused("discovery", failure.url)
        elif rest:
            yield from self._next_probe(rest)
        else:
            self.site.run.verdict.decide("unreachable", f"{failure.url}: {failure.message}")

    def _use_root(self, root: str) -> Iterator[Any]:
        site, run = self.site, self.site.run
        run.home_page = None  # an API: the REST path reads the site
        api = ApiRoot.parse(root)
        if host_key(api.base) not in run.hosts:
            run.verdict.decide("error", f"API root {root} is on another host; not followed")
            return
        site.archive.claim_hosts(run)
        run.api = api
        logger.info("%s: API root %s (%s permalinks)", site.site, api.root_url, api.form)
        if site.args.discover:
            return
        if site.archive.load_state(run, revisions_due=site.credentials() is not None) is None:
            return
        if any(t not in KNOWN_REST_BASES for t in site.args.types):
            yield site.request(api.url("/wp/v2/types"), self.on_types, self.on_types_failure)
            return
        types = [(t, KNOWN_REST_BASES[t]) for t in site.args.types]
        yield from self.walks.begin(types, {})

    def on_types(self, response: Response) -> Iterator[Any]:
        site = self.site
        data, _ = site.json(response)
        if not isinstance(data, dict):
            site.run.verdict.failed(
                "discovery", f"{response.url}: no types list ({response.status})"
            )
            return
        by_name: dict[str, tuple[str, str]] = {}
        for slug, info in data.items():
            if isinstance(info, dict):
                rest_base = str(info.get("rest_base") or slug)
                by_name[slug] = by_name[rest_base] = (rest_base, str(info.get("slug") or slug))
        chosen, optional = [], {}
        for name in site.args.types:
            if name not in by_name:
                logger.warning("%s: type %r is not in /wp/v2/types; skipped", site.site, name)
            elif not SAFE_REST_BASE.fullmatch(by_name[name][0]):
                # a route the site names becomes a request path only as plain segments
                logger.warning(
                    "%s: type %r has a route pattern, not a collection path (%s); skipped",
                    site.site,
                    name,
                    by_name[name][0],
                )
            else:
                chosen.append(by_name[name])
                if by_name[name][0] not in KNOWN_REST_BASES:
                    optional[by_name[name][0]] = name
        yield from self.walks.begin(chosen, optional)

    def on_types_failure(self, failure: RequestFailed) -> Iterator[Any]:
        self.site.request_failed("discovery", failure)
        return iter(())
