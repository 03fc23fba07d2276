"""The ``wp`` spider: archive WordPress sites through their REST API.

Per site: discover the API root, then either walk the full collection pages (first
run, or ``-a full=1``) or sweep ids and ``modified_gmt`` and fetch only what the
archive lacks; probe archived ids that vanished; fetch terms, users and the media
that new posts name; follow revisions where credentials allow. Every request of a
site is counted in ``SiteRun.pending``; when it drops to zero the spider is done with
the site, and the ledger (:mod:`mpcrawl.ledger`) finishes it once its items have left
the pipelines. The methods follow the request plan of ``docs/ARCHITECTURE.md``: each
``parse_*`` is the real callback of its requests, wrapped by :func:`site_callback`.
"""

from __future__ import annotations

import base64
import functools
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from twisted.python.failure import Failure

from mpcrawl import __version__
from mpcrawl.archive.state import from_micros, micros
from mpcrawl.config import Credentials
from mpcrawl.items import RestObject, TombstoneItem
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.sitelist import iter_shard, load, parse_shard
from mpcrawl.siterun import SiteRun, Walk, fallback_pages, ids_to_fetch, ids_to_probe
from mpcrawl.spiders.support import (
    Ctx,
    counted,
    describe,
    flag,
    header,
    is_deep,
    is_loopback,
)
from mpcrawl.wp import discovery
from mpcrawl.wp.dates import parse_wp_gmt
from mpcrawl.wp.jsonbody import (
    END_OF_PAGES_CODES,
    REST_CLOSED_CODES,
    BadJSON,
    decode,
    error_code,
)
from mpcrawl.wp.records import as_int, revision_links
from mpcrawl.wp.sitename import host_key
from mpcrawl.wp.urls import PER_PAGE, ApiRoot

logger = logging.getLogger(__name__)

DEFAULT_TYPES = ("posts", "pages")
KNOWN_REST_BASES = {"posts": "post", "pages": "page"}
TAXONOMIES = (("categories", "category"), ("tags", "post_tag"))
HTTP_ERRORS = list(range(400, 600))

SPIDER_ARGUMENTS = ("site", "sites", "sites_csv", "types", "full", "discover", "shard")
SCRAPYD_ARGUMENTS = ("_job", "_version")  # Scrapyd adds these to the -a of every job it runs

Handler = Callable[["WpSpider", Response, SiteRun, Ctx], Iterator[Any]]
Callback = Callable[[Response, SiteRun, Ctx], Iterator[Any]]


def site_callback(handler: Handler) -> Handler:
    """Make ``handler`` a request callback of a site: its items are counted, an exception
    becomes the site's error (not the crawl's), and the site may finish after it."""

    @functools.wraps(handler)
    def callback(spider: WpSpider, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        try:
            yield from counted(run, handler(spider, response, run, ctx))
        except Exception as exc:
            logger.exception("%s: error handling %s", run.site, response.url)
            run.error(f"{type(exc).__name__} handling {response.url}: {exc}")
        finally:
            run.pending -= 1
        yield from spider._maybe_finish(run)

    return callback


class WpSpider(Spider):
    """Archive WordPress sites (``-a site=URL`` or ``-a sites=FILE.csv``)."""

    name = "wp"

    def __init__(
        self,
        site: str | None = None,
        sites: str | None = None,
        sites_csv: str | None = None,
        types: str = ",".join(DEFAULT_TYPES),
        full: str = "0",
        discover: str = "0",
        shard: str | None = None,
        **others: Any,
    ) -> None:
        unknown = [name for name in others if name not in SCRAPYD_ARGUMENTS]
        if unknown:
            names = ", ".join(f"-a {name}" for name in sorted(unknown))
            raise ValueError(
                f"unknown spider argument {names}; known: {', '.join(SPIDER_ARGUMENTS)}"
            )
        super().__init__()
        self.site_list = load(site=site, sites=sites, sites_csv=sites_csv)
        self.types = [t.strip() for t in types.split(",") if t.strip()]
        if not self.types:
            raise ValueError("-a types= names no type")
        self.full = flag(full)
        self.discover = flag(discover)
        self.shard = parse_shard(shard) if shard else None

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Name the project and its contact in the User-Agent, unless USER_AGENT is given."""
        super().update_settings(settings)
        priority = settings.getpriority("USER_AGENT")
        if priority is None or priority <= SETTINGS_PRIORITIES["project"]:
            contact = settings.get("MPCRAWL_CONTACT_URL")
            settings.set("USER_AGENT", f"mpcrawl/{__version__} (+{contact})", priority="spider")

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        """Raise ValueError for bad ``-a`` arguments before the crawl starts (exit 2)."""
        cls(**kwargs)

    @functools.cached_property
    def ledger(self) -> SiteLedger:
        """The crawl's site ledger (extensions exist only once the crawl has started)."""
        return ledger_of(self.crawler)

    # --- start -----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """Plan step 1: each site of the list (and shard) whose lock this run takes."""
        for message in self.site_list.rejected:
            logger.error("skipped: %s", message)
            self.crawler.stats.inc_value("mpcrawl/sites_rejected")
        for entry in iter_shard(self.site_list.entries, self.shard):
            run = self.ledger.open_site(entry)
            if run is not None:
                yield self._req(run, entry.url, self.parse_home, Ctx("home"))

    # --- requests and their bookkeeping ----------------------------------------------

    def _req(
        self,
        run: SiteRun,
        url: str,
        callback: Callback,
        ctx: Ctx,
        *,
        headers: dict[str, str] | None = None,
        priority: int = 0,
    ) -> Request:
        run.pending += 1
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            cb_kwargs={"run": run, "ctx": ctx},
            meta={"mpcrawl_site": run.site, "handle_httpstatus_list": HTTP_ERRORS},
            headers=headers,
            priority=priority,
            dont_filter=True,
        )

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """The errback of every request: a failure is the site's, never the crawl's."""
        request = failure.request  # type: ignore[attr-defined]
        run: SiteRun = request.cb_kwargs["run"]
        ctx: Ctx = request.cb_kwargs["ctx"]
        try:
            yield from counted(run, self._handle_failure(failure, request, run, ctx))
        finally:
            run.pending -= 1
        yield from self._maybe_finish(run)

    def _handle_failure(
        self, failure: Failure, request: Request, run: SiteRun, ctx: Ctx
    ) -> Iterator[Any]:
        exc = failure.value
        message = describe(exc)
        robots = isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc)
        if ctx.phase in ("home", "probe"):
            if robots:
                run.outcome, run.reason = "robots_disallowed", f"robots.txt forbids {request.url}"
            elif ctx.phase == "home" and not run.root_tried and is_deep(request.url):
                run.root_tried = True
                yield self._req(run, discovery.site_root(request.url), self.parse_home, ctx)
            elif ctx.phase == "probe" and ctx.probes:
                yield from self._next_probe(run, ctx.probes)
            elif run.outcome is None:
                run.outcome, run.reason = "unreachable", f"{request.url}: {message}"
            return
        if robots:
            run.outcome, run.reason = "robots_disallowed", f"robots.txt forbids {request.url}"
            if ctx.walk is not None:
                ctx.walk.failed = True
            return
        if ctx.walk is not None and ctx.phase == "page":
            smaller = [n for n in self.ledger.config.timeout_fallback_per_page if n < ctx.per_page]
            if smaller and "Timeout" in type(exc).__name__:
                logger.warning(
                    "%s: %s timed out at per_page=%d, retrying with %d",
                    run.site,
                    request.url,
                    ctx.per_page,
                    smaller[0],
                )
                for page in fallback_pages(ctx.page, ctx.per_page, smaller[0]):
                    yield self._page_request(run, ctx.walk, page, per_page=smaller[0])
                ctx.walk.pending.discard((ctx.per_page, ctx.page))
                return
            ctx.walk.failed = True
            ctx.walk.pending.discard((ctx.per_page, ctx.page))
        self.crawler.stats.inc_value("mpcrawl/requests_failed")
        logger.warning("%s: request failed: %s: %s", run.site, request.url, message)
        run.error(f"{request.url}: {message}")
        if ctx.walk is not None and ctx.walk.complete:
            yield from self._walk_complete(run, ctx.walk)

    # --- discovery -------------------------------------------------------------------

    @site_callback
    def parse_home(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        links = [v.decode("latin-1") for v in response.headers.getlist("Link")]
        root = discovery.root_from_link_headers(links, response.url)
        text = response.text if isinstance(response, TextResponse) else ""
        if root is None and response.status == 200 and text:
            root = discovery.root_from_html(text, response.url)
        if root is not None:
            yield from self._use_root(run, root, response)
            return
        if response.status != 200 and not run.root_tried and is_deep(response.url):
            run.root_tried = True
            yield self._req(run, discovery.site_root(response.url), self.parse_home, ctx)
            return
        if response.status >= 500:
            run.outcome = "unreachable"
            run.reason = f"{response.url} answered {response.status}"
            return
        run.home_looks_wordpress = discovery.looks_like_wordpress(text)
        yield from self._next_probe(run, tuple(discovery.probe_roots(response.url)))

    def _next_probe(self, run: SiteRun, probes: tuple[str, ...]) -> Iterator[Any]:
        if not probes:
            if run.home_looks_wordpress:
                run.outcome = "rest_closed"
                run.reason = "WordPress site, but no REST API answers JSON"
            else:
                run.outcome, run.reason = "not_wordpress", "no WordPress REST API found"
            return
        ctx = Ctx("probe", probes=probes[1:])
        yield self._req(run, probes[0], self.parse_probe, ctx)

    @site_callback
    def parse_probe(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        data = self._json(response, run)
        if discovery.is_api_index(data) and not discovery.has_wp_v2(data):
            run.outcome = "rest_closed"
            run.reason = f"{response.url}: the API offers no wp/v2 namespace"
            return
        if discovery.is_api_index(data):
            yield from self._use_root(run, response.url, response)
            return
        code = error_code(data)
        if code in REST_CLOSED_CODES and code != "rest_no_route":
            run.outcome, run.reason = "rest_closed", f"{response.url}: {response.status} {code}"
            return
        if code is not None or data is not None:
            run.home_looks_wordpress = True
        yield from self._next_probe(run, ctx.probes)

    def _use_root(self, run: SiteRun, root: str, response: Response) -> Iterator[Any]:
        api = ApiRoot.parse(root)
        if host_key(api.base) not in run.hosts:
            run.outcome = "error"
            run.reason = f"API root {root} is on another host; not followed"
            return
        self.ledger.claim_hosts(run)
        run.api = api
        logger.info("%s: API root %s (%s permalinks)", run.site, api.root_url, api.form)
        if self.discover:
            return
        self.ledger.load_state(run)
        if any(t not in KNOWN_REST_BASES for t in self.types):
            yield self._req(run, api.url("/wp/v2/types"), self.parse_types, Ctx("types"))
            return
        yield from self._begin_walks(run, [(t, KNOWN_REST_BASES[t]) for t in self.types])

    @site_callback
    def parse_types(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        data = self._json(response, run)
        if not isinstance(data, dict):
            run.error(f"{response.url}: no types list ({response.status})")
            return
        by_name: dict[str, tuple[str, str]] = {}
        for slug, info in data.items():
            if isinstance(info, dict):
                rest_base = str(info.get("rest_base") or slug)
                by_name[slug] = by_name[rest_base] = (rest_base, str(info.get("slug") or slug))
        chosen = []
        for name in self.types:
            if name in by_name:
                chosen.append(by_name[name])
            else:
                logger.warning("%s: type %r is not in /wp/v2/types; skipped", run.site, name)
        yield from self._begin_walks(run, chosen)

    # --- collection walks ------------------------------------------------------------

    def _begin_walks(self, run: SiteRun, types: Iterable[tuple[str, str]]) -> Iterator[Any]:
        sweep = not (self.full or run.state is None or run.state.empty)
        walks = [Walk(base, "post", post_type=ptype, sweep=sweep) for base, ptype in types]
        walks += [Walk(base, "term", post_type=tax) for base, tax in TAXONOMIES]
        walks.append(Walk("users", "author"))
        for walk in walks:
            run.walks.append(walk)
            walk.started = True
            yield self._page_request(run, walk, 1)

    def _page_request(
        self, run: SiteRun, walk: Walk, page: int, per_page: int = PER_PAGE
    ) -> Request:
        assert run.api is not None
        fields = ("id", "modified_gmt") if walk.sweep else ()
        url = run.api.collection(walk.rest_base, page=page, per_page=per_page, fields=fields)
        walk.pending.add((per_page, page))
        ctx = Ctx("page", walk=walk, page=page, per_page=per_page, post_type=walk.post_type)
        return self._req(run, url, self.parse_page, ctx, priority=-page)

    @site_callback
    def parse_page(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        walk = ctx.walk
        assert walk is not None
        walk.pending.discard((ctx.per_page, ctx.page))
        data = self._json(response, run)
        if response.status != 200 or not isinstance(data, list):
            yield from self._page_problem(response, run, ctx, walk, data)
        else:
            if ctx.page == 1 and ctx.per_page == PER_PAGE:
                yield from self._more_pages(response, run, walk, len(data))
            elif ctx.per_page == PER_PAGE and walk.total is None and len(data) == PER_PAGE:
                yield self._page_request(run, walk, ctx.page + 1)
            yield from self._page_items(run, walk, data)
        if walk.complete:
            yield from self._walk_complete(run, walk)

    def _more_pages(
        self, response: Response, run: SiteRun, walk: Walk, count: int
    ) -> Iterator[Request]:
        total = as_int(header(response, "X-WP-Total"))
        pages = as_int(header(response, "X-WP-TotalPages"))
        walk.total = total
        if pages is not None:
            for page in range(2, pages + 1):
                yield self._page_request(run, walk, page)
        elif count == PER_PAGE:
            yield self._page_request(run, walk, 2)

    def _page_items(self, run: SiteRun, walk: Walk, data: list[Any]) -> Iterator[Any]:
        now = datetime.now(UTC)
        for obj in data:
            if not isinstance(obj, dict) or as_int(obj.get("id")) is None:
                run.error(f"{walk.rest_base}: an entry without an id")
                continue
            if walk.kind == "post":
                yield from self._post_seen(run, walk, obj, now)
            elif walk.kind == "term":
                yield RestObject(
                    "term", run.site, obj, now, self.ledger.run_id, post_type=walk.post_type
                )
            else:
                yield RestObject("author", run.site, obj, now, self.ledger.run_id)

    def _post_seen(
        self, run: SiteRun, walk: Walk, obj: dict[str, Any], now: datetime
    ) -> Iterator[Any]:
        pid = as_int(obj.get("id"))
        assert pid is not None and walk.post_type is not None
        modified = micros(parse_wp_gmt(obj.get("modified_gmt")))
        walk.seen[pid] = modified
        if walk.sweep:
            return
        known = run.state is not None and run.state.has_version(walk.post_type, pid, modified)
        yield RestObject("post", run.site, obj, now, self.ledger.run_id, post_type=walk.post_type)
        if not known:
            yield from self._new_version(run, walk, obj, pid)

    def _new_version(
        self, run: SiteRun, walk: Walk, obj: dict[str, Any], pid: int
    ) -> Iterator[Any]:
        featured = as_int(obj.get("featured_media"))
        if featured and featured not in run.media_requested:
            run.media_wanted.add(featured)
        count, _ = revision_links(obj)
        if count and walk.post_type is not None:
            yield from self._want_revisions(run, walk.post_type, walk.rest_base, pid)

    def _page_problem(
        self, response: Response, run: SiteRun, ctx: Ctx, walk: Walk, data: Any
    ) -> Iterator[Any]:
        code = error_code(data)
        if code in END_OF_PAGES_CODES:
            return
        first_post_walk = walk.kind == "post" and walk is run.walks[0] and ctx.page == 1
        if walk.kind == "author" and response.status in (401, 403, 404):
            logger.info("%s: users are not public (%s)", run.site, code or response.status)
            return
        if first_post_walk and (code in REST_CLOSED_CODES or response.status in (401, 403)):
            run.outcome = "rest_closed"
            run.reason = f"{response.url}: {response.status} {code or ''}".strip()
            walk.failed = True
            return
        if first_post_walk and data is None and response.status == 200:
            run.outcome, run.reason = "rest_closed", f"{response.url}: the API answers HTML"
            walk.failed = True
            return
        if response.status == 200 and data is None and response.request is not None:
            retry = get_retry_request(response.request, spider=self, reason="bad JSON")
            if retry is not None:
                walk.pending.add((ctx.per_page, ctx.page))
                run.pending += 1
                yield retry
                return
        walk.failed = True
        run.error(f"{response.url}: {response.status} {code or 'unexpected body'}")

    def _walk_complete(self, run: SiteRun, walk: Walk) -> Iterator[Any]:
        if walk.kind != "post" or walk.post_type is None:
            return
        if walk.sweep:
            fetch = ids_to_fetch(walk, run.state)
            run.posts_unchanged += len(walk.seen) - len(fetch)
            for start in range(0, len(fetch), PER_PAGE):
                batch = fetch[start : start + PER_PAGE]
                assert run.api is not None
                url = run.api.collection(walk.rest_base, include=batch)
                ctx = Ctx("include", walk=walk, post_type=walk.post_type, rest_base=walk.rest_base)
                yield self._req(run, url, self.parse_include, ctx)
        for pid in ids_to_probe(walk, run.state):
            assert run.api is not None
            ctx = Ctx("gone", post_type=walk.post_type, rest_base=walk.rest_base, item_id=pid)
            yield self._req(run, run.api.item(walk.rest_base, pid), self.parse_gone, ctx)

    @site_callback
    def parse_include(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        data = self._json(response, run)
        if response.status != 200 or not isinstance(data, list):
            run.error(f"{response.url}: {response.status} {error_code(data) or 'bad body'}")
            return
        walk = ctx.walk
        assert walk is not None
        now = datetime.now(UTC)
        for obj in data:
            if isinstance(obj, dict) and as_int(obj.get("id")) is not None:
                pid = as_int(obj.get("id"))
                assert pid is not None
                yield RestObject(
                    "post", run.site, obj, now, self.ledger.run_id, post_type=walk.post_type
                )
                yield from self._new_version(run, walk, obj, pid)

    @site_callback
    def parse_gone(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        """A post missing from a complete walk: deleted (404) or hidden (401/403)."""
        assert ctx.post_type is not None and ctx.item_id is not None
        data = self._json(response, run)
        code = error_code(data)
        if response.status == 404 and code in ("rest_post_invalid_id", "rest_term_invalid"):
            reason = "deleted"
        elif response.status in (401, 403):
            reason = "hidden"
        elif response.status == 200 and isinstance(data, dict):
            now = datetime.now(UTC)
            yield RestObject(
                "post", run.site, data, now, self.ledger.run_id, post_type=ctx.post_type
            )
            return
        else:
            run.error(f"{response.url}: {response.status} {code or 'unexpected body'}")
            return
        assert run.state is not None
        last = run.state.newest(ctx.post_type, ctx.item_id)
        run.tombstones_new += 1
        logger.info("%s: %s %d is %s", run.site, ctx.post_type, ctx.item_id, reason)
        yield TombstoneItem(
            site=run.site,
            post_type=ctx.post_type,
            id=ctx.item_id,
            last_seen_modified_gmt=from_micros(last),
            detected_at=datetime.now(UTC),
            reason=reason,
            run_id=self.ledger.run_id,
        )

    # --- revisions -------------------------------------------------------------------

    def _credentials(self, run: SiteRun) -> Credentials | None:
        assert run.api is not None
        parts = urlsplit(run.api.base)
        host = (parts.hostname or "").lower()
        creds = self.ledger.config.credentials_for(host) or self.ledger.config.credentials_for(
            parts.netloc.lower()
        )
        if creds is None:
            return None
        if parts.scheme != "https" and not is_loopback(host):
            logger.warning("%s: credentials not sent over plain http", run.site)
            return None
        return creds

    def _want_revisions(
        self, run: SiteRun, post_type: str, rest_base: str, pid: int
    ) -> Iterator[Request]:
        if run.revisions == "closed":
            return
        if run.revisions in ("unknown", "open"):
            if run.revisions == "unknown":
                run.revisions = "probing"
            yield self._revisions_request(run, post_type, rest_base, pid, 1)
        else:
            run.revision_queue.append((post_type, rest_base, pid))

    def _revisions_request(
        self, run: SiteRun, post_type: str, rest_base: str, pid: int, page: int
    ) -> Request:
        assert run.api is not None
        url = run.api.url(
            f"/wp/v2/{rest_base}/{pid}/revisions", [("per_page", PER_PAGE), ("page", page)]
        )
        headers = {}
        creds = self._credentials(run)
        if creds is not None:
            token = base64.b64encode(f"{creds.login}:{creds.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        ctx = Ctx("revisions", post_type=post_type, rest_base=rest_base, item_id=pid, page=page)
        return self._req(run, url, self.parse_revisions, ctx, headers=headers)

    @site_callback
    def parse_revisions(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        assert ctx.post_type is not None and ctx.rest_base is not None
        assert ctx.item_id is not None
        data = self._json(response, run)
        if response.status in (401, 403):
            run.revisions = "closed"
            run.revision_queue.clear()
            logger.info("%s: revisions are closed (%s)", run.site, error_code(data))
            return
        if response.status != 200 or not isinstance(data, list):
            if error_code(data) not in END_OF_PAGES_CODES:
                run.error(f"{response.url}: {response.status} {error_code(data) or 'bad body'}")
            return
        if run.revisions == "probing":
            run.revisions = "open"
            queued, run.revision_queue = run.revision_queue, []
            for post_type, rest_base, pid in queued:
                yield self._revisions_request(run, post_type, rest_base, pid, 1)
        if ctx.page == 1:
            pages = as_int(header(response, "X-WP-TotalPages")) or 1
            for page in range(2, pages + 1):
                yield self._revisions_request(run, ctx.post_type, ctx.rest_base, ctx.item_id, page)
        now = datetime.now(UTC)
        for obj in data:
            if isinstance(obj, dict):
                yield RestObject(
                    "revision",
                    run.site,
                    obj,
                    now,
                    self.ledger.run_id,
                    post_type=ctx.post_type,
                    parent_id=ctx.item_id,
                )

    # --- media and the end of a site --------------------------------------------------

    @site_callback
    def parse_media(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        data = self._json(response, run)
        if response.status != 200 or not isinstance(data, list):
            run.error(f"{response.url}: {response.status} {error_code(data) or 'bad body'}")
            return
        now = datetime.now(UTC)
        for obj in data:
            if isinstance(obj, dict) and as_int(obj.get("id")) is not None:
                yield RestObject("media", run.site, obj, now, self.ledger.run_id)

    def _maybe_finish(self, run: SiteRun) -> Iterator[Any]:
        if run.pending or run.crawl_done:
            return
        if run.media_wanted and run.api is not None and run.outcome is None:
            wanted = sorted(run.media_wanted)
            run.media_requested |= run.media_wanted
            run.media_wanted.clear()
            for start in range(0, len(wanted), PER_PAGE):
                url = run.api.collection("media", include=wanted[start : start + PER_PAGE])
                yield self._req(run, url, self.parse_media, Ctx("media"))
            return
        self.ledger.crawl_done(run)

    # --- helpers ---------------------------------------------------------------------

    def _json(self, response: Response, run: SiteRun) -> Any:
        """Decoded JSON, or None (counted) where the body is not JSON."""
        try:
            decoded = decode(response.body)
        except BadJSON as exc:
            self.crawler.stats.inc_value(f"mpcrawl/json/{exc.reason}")
            logger.debug("%s: %s: %s", run.site, response.url, exc)
            return None
        if decoded.recovered:
            run.json_recovered += 1
            self.crawler.stats.inc_value("mpcrawl/json/recovered")
        return decoded.data
