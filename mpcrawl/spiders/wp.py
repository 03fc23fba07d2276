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
import re
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
from mpcrawl.items import RejectItem, RestObject, TombstoneItem
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.sitelist import iter_shard, load, parse_shard
from mpcrawl.siterun import (
    SiteRun,
    Walk,
    fallback_pages,
    ids_to_backfill,
    ids_to_fetch,
    ids_to_probe,
)
from mpcrawl.spiders.fallback import REDIRECTS, FallbackPlan, FallbackSite
from mpcrawl.spiders.fallback_state import WebState, load_web_state
from mpcrawl.spiders.support import (
    Ctx,
    counted,
    describe,
    flag,
    header,
    is_deep,
    is_loopback,
)
from mpcrawl.wp import discovery, records
from mpcrawl.wp.dates import parse_wp_gmt
from mpcrawl.wp.jsonbody import (
    END_OF_PAGES_CODES,
    REST_CLOSED_CODES,
    BadJSON,
    decode,
    error_code,
)
from mpcrawl.wp.paging import last_page, revision_pages
from mpcrawl.wp.records import as_int, revision_links
from mpcrawl.wp.sitename import host_key
from mpcrawl.wp.urls import PER_PAGE, ApiRoot

logger = logging.getLogger(__name__)

DEFAULT_TYPES = ("posts", "pages")
KNOWN_REST_BASES = {"posts": "post", "pages": "page"}
TAXONOMIES = (("categories", "category"), ("tags", "post_tag"))
HTTP_ERRORS = list(range(400, 600))
# Where the REST path cannot read a site, the fallback plan archives its pages.
FALLBACK_OUTCOMES = ("rest_closed", "not_wordpress", "robots_disallowed")
BAD_JSON = "mpcrawl_bad_json"  # response.meta: why the body was not JSON
# A type's rest_base becomes part of a URL path: plain route segments only, never "..",
# never a route pattern such as WordPress 7's wp_font_face (`font-families/(?P<…>)/…`).
SAFE_REST_BASE = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)?")

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
            message = f"{type(exc).__name__} handling {response.url}: {exc}"
            run.error(message)
            if ctx.walk is not None:  # a page that could not be read: the walk is incomplete
                ctx.walk.fail(message)
                ctx.walk.pending.discard((ctx.per_page, ctx.page))
                if ctx.walk.complete:
                    yield from counted(run, spider._walk_complete(run, ctx.walk))
        finally:
            run.pending -= 1
        yield from spider._maybe_finish(run)

    return callback


def _after_retries(response: Response) -> str:
    retries = response.meta.get("retry_times", 0)
    return f" after {retries} retries (rate limited)" if response.status == 429 else ""


def _repeats(walk: Walk, data: list[Any]) -> bool:
    """Every id of this page was seen earlier in the walk: the site serves a page again."""
    ids = [as_int(obj.get("id")) for obj in data if isinstance(obj, dict)]
    return bool(ids) and all(i is not None and i in walk.seen for i in ids)


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
        self.full = flag("full", full)
        self.discover = flag("discover", discover)
        self.shard = parse_shard(shard) if shard else None
        self.fallbacks: dict[str, FallbackSite] = {}

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
        for message in self.site_list.duplicates:
            logger.warning("skipped duplicate: %s", message)
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
        meta: dict[str, Any] | None = None,
    ) -> Request:
        run.pending += 1
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            cb_kwargs={"run": run, "ctx": ctx},
            meta={"mpcrawl_site": run.site, "handle_httpstatus_list": HTTP_ERRORS, **(meta or {})},
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
        if ctx.on_failure is not None:
            yield from ctx.on_failure(message)
            return
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
                ctx.walk.fail(f"robots.txt forbids {request.url}")
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
            ctx.walk.fail(f"{request.url}: {message}")
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
        if response.status >= 500 or response.status == 429:
            run.outcome = "unreachable"
            run.reason = f"{response.url} answered {response.status}{_after_retries(response)}"
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
        if response.status == 429:  # rate limiting that never lifted is no sign of a closed API
            run.outcome = "unreachable"
            run.reason = f"{response.url} answered 429{_after_retries(response)}"
            return
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
        run.source = "rest"
        if self.discover:
            return
        if self.ledger.load_state(run, revisions_due=self._credentials(run) is not None) is None:
            return
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
        chosen, names = [], {}
        for name in self.types:
            if name not in by_name:
                logger.warning("%s: type %r is not in /wp/v2/types; skipped", run.site, name)
            elif not SAFE_REST_BASE.fullmatch(by_name[name][0]):
                # a route the site names becomes a request path only as plain segments
                logger.warning(
                    "%s: type %r has a route pattern, not a collection path (%s); skipped",
                    run.site,
                    name,
                    by_name[name][0],
                )
            else:
                chosen.append(by_name[name])
                names[by_name[name][0]] = name
        yield from self._begin_walks(run, chosen, names)

    # --- collection walks ------------------------------------------------------------

    def _begin_walks(
        self, run: SiteRun, types: Iterable[tuple[str, str]], names: dict[str, str] | None = None
    ) -> Iterator[Any]:
        sweep = not (self.full or run.state is None or run.state.empty)
        optional = {b: n for b, n in (names or {}).items() if b not in KNOWN_REST_BASES}
        walks = [
            Walk(base, "post", post_type=ptype, sweep=sweep, optional_name=optional.get(base))
            for base, ptype in types
        ]
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
        elif ctx.per_page != PER_PAGE:  # a smaller page covering one that timed out
            yield from self._page_items(run, walk, data)
        else:
            if ctx.page == 1:
                self._plan_pages(response, walk, len(data))
            if ctx.page > 1 and _repeats(walk, data):
                reason = f"{response.url}: page {ctx.page} repeats ids already seen"
                self._fail_walk(run, walk, reason)
            else:
                yield from self._page_items(run, walk, data)
            # The end is shown by an empty page, or one shorter than a page this walk was
            # served before (a first page short of per_page may be a plugin's cap).
            if len(data) < walk.size or not data:
                walk.ended = True
            walk.size = max(walk.size, len(data))
            yield from self._more_pages(run, walk)
        if walk.complete:
            yield from self._walk_complete(run, walk)

    def _plan_pages(self, response: Response, walk: Walk, served: int) -> None:
        """How far the walk may go, from page 1's totals (believed only as far as they agree)."""
        total = as_int(header(response, "X-WP-Total"))
        pages = as_int(header(response, "X-WP-TotalPages"))
        ceiling = self.ledger.config.max_pages
        walk.total = total
        walk.last = last_page(
            asked=PER_PAGE, served=served, total=total, total_pages=pages, ceiling=ceiling
        )
        claimed = last_page(
            asked=PER_PAGE, served=served, total=total, total_pages=pages, ceiling=2**62
        )
        walk.capped = claimed is not None and claimed > ceiling

    def _more_pages(self, run: SiteRun, walk: Walk) -> Iterator[Request]:
        """The walk's next pages: a few at a time where the totals name the last page, one at
        a time where they do not (until an empty page or the past-the-end 400)."""
        if walk.ended or walk.failed:
            return
        config = self.ledger.config
        last = walk.last if walk.last is not None else config.max_pages
        window = config.pages_in_flight if walk.last is not None else 1
        in_flight = sum(1 for size, _ in walk.pending if size == PER_PAGE)
        while walk.next_page <= last and in_flight < window:
            yield self._page_request(run, walk, walk.next_page)
            walk.next_page += 1
            in_flight += 1

    def _fail_walk(self, run: SiteRun, walk: Walk, reason: str) -> None:
        logger.warning("%s: %s; the walk is incomplete, nothing is tombstoned", run.site, reason)
        walk.fail(reason)
        run.error(reason)

    def _settle(self, run: SiteRun, walk: Walk) -> None:
        """A walk with nothing pending is complete only if the collection was shown to end
        and the site's own total was met."""
        if walk.failed:
            return
        ceiling = self.ledger.config.max_pages
        if not walk.ended and walk.last is not None and walk.next_page > walk.last:
            walk.ended = not walk.capped
        if not walk.ended:
            reached = walk.capped or walk.next_page > ceiling
            why = f"more than MPCRAWL_MAX_PAGES={ceiling} pages" if reached else "no end shown"
            self._fail_walk(run, walk, f"{walk.rest_base}: {why}")
        elif walk.kind == "post" and walk.total is not None and len(walk.seen) < walk.total:
            listed = f"listed {len(walk.seen)} of the {walk.total} posts its X-WP-Total names"
            self._fail_walk(run, walk, f"{walk.rest_base}: {listed}")

    def _page_items(self, run: SiteRun, walk: Walk, data: list[Any]) -> Iterator[Any]:
        now = datetime.now(UTC)
        for obj in data:
            if not isinstance(obj, dict) or as_int(obj.get("id")) is None:
                yield self._reject(run, walk.kind, walk.post_type, obj, "an entry without an id")
                continue
            if walk.kind == "post":
                yield from self._post_seen(run, walk, obj, now)
                continue
            walk.seen.setdefault(int(obj["id"]), None)
            if walk.kind == "term":
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
        if run.state is not None and (walk.post_type, pid) in run.state.tombstoned:
            yield self._returned(run, walk.post_type, pid, modified)
        if walk.sweep:
            return
        known = run.state is not None and run.state.has_version(walk.post_type, pid, modified)
        yield RestObject("post", run.site, obj, now, self.ledger.run_id, post_type=walk.post_type)
        if not known:
            yield from self._new_version(run, walk, obj, pid)
        elif run.state is not None and (walk.post_type, pid) in run.state.revisions_due:
            yield from self._want_revisions(run, walk.post_type, walk.rest_base, pid)

    def _returned(self, run: SiteRun, post_type: str, pid: int, modified: int | None) -> Any:
        """A tombstoned id listed again: the row that says it is back (once per run)."""
        assert run.state is not None
        run.state.tombstoned.discard((post_type, pid))
        logger.info("%s: %s %d is listed again", run.site, post_type, pid)
        self.crawler.stats.inc_value("mpcrawl/posts/returned")
        return TombstoneItem(
            site=run.site,
            post_type=post_type,
            id=pid,
            last_seen_modified_gmt=from_micros(modified),
            detected_at=datetime.now(UTC),
            reason="returned",
            run_id=self.ledger.run_id,
        )

    def _new_version(
        self, run: SiteRun, walk: Walk, obj: dict[str, Any], pid: int
    ) -> Iterator[Any]:
        featured = as_int(obj.get("featured_media"))
        if featured and featured not in run.media_requested:
            run.media_wanted.add(featured)
        count, _ = revision_links(obj)
        if count and walk.post_type is not None:
            run.history_counts[pid] = count
            yield from self._want_revisions(run, walk.post_type, walk.rest_base, pid)

    def _page_problem(
        self, response: Response, run: SiteRun, ctx: Ctx, walk: Walk, data: Any
    ) -> Iterator[Any]:
        code = error_code(data)
        if code in END_OF_PAGES_CODES:
            walk.ended = True
            return
        if walk.optional_name and ctx.page == 1 and response.status in (401, 403, 404):
            logger.warning(
                "%s: type %r cannot be read as a collection (%d %s); skipped",
                run.site,
                walk.optional_name,
                response.status,
                code or "",
            )
            walk.failed = True  # nothing listed: no tombstone probes for it
            return
        first_post_walk = walk.kind == "post" and walk is run.walks[0] and ctx.page == 1
        if walk.kind == "author" and response.status in (401, 403, 404):
            logger.info("%s: users are not public (%s)", run.site, code or response.status)
            walk.ended = True
            return
        if first_post_walk and (code in REST_CLOSED_CODES or response.status in (401, 403)):
            run.outcome = "rest_closed"
            run.reason = f"{response.url}: {response.status} {code or ''}".strip()
            walk.fail(run.reason)
            return
        if first_post_walk and data is None and response.status == 200:
            run.outcome, run.reason = "rest_closed", f"{response.url}: the API answers HTML"
            walk.fail(run.reason)
            return
        if response.status == 200 and data is None and response.request is not None:
            retry = get_retry_request(response.request, spider=self, reason="bad JSON")
            if retry is not None:
                walk.pending.add((ctx.per_page, ctx.page))
                run.pending += 1
                yield retry
                return
        why = code or (response.meta.get(BAD_JSON) if data is None else None)
        self._fail_walk(run, walk, f"{response.url}: {response.status} {why or 'unexpected body'}")

    def _walk_complete(self, run: SiteRun, walk: Walk) -> Iterator[Any]:
        if walk.closed:
            return
        walk.closed = True
        self._settle(run, walk)
        if walk.kind != "post" or walk.post_type is None:
            return
        if walk.sweep:
            fetch = ids_to_fetch(walk, run.state)
            run.posts_unchanged += len(walk.seen) - len(fetch)
            for pid in ids_to_backfill(walk, run.state, fetch):
                yield from self._want_revisions(run, walk.post_type, walk.rest_base, pid)
            for start in range(0, len(fetch), PER_PAGE):
                batch = fetch[start : start + PER_PAGE]
                assert run.api is not None
                url = run.api.collection(walk.rest_base, include=batch)
                ctx = Ctx("include", walk=walk, post_type=walk.post_type, rest_base=walk.rest_base)
                yield self._req(run, url, self.parse_include, ctx)
        for pid in ids_to_probe(walk, run.state):
            assert run.api is not None
            ctx = Ctx(
                "gone", walk=walk, post_type=walk.post_type, rest_base=walk.rest_base, item_id=pid
            )
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
        if ctx.walk is not None and ctx.walk.failed:  # e.g. a pipeline failed since the probe
            logger.info(
                "%s: %s %d not tombstoned: %s",
                run.site,
                ctx.post_type,
                ctx.item_id,
                ctx.walk.failure,
            )
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
        creds = self.ledger.config.credentials_for(host, parts.port)
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
        headers, meta = {}, {}
        creds = self._credentials(run)
        if creds is not None:
            token = base64.b64encode(f"{creds.login}:{creds.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
            # a redirect is answered here, never followed with the password
            meta = {"dont_redirect": True, "handle_httpstatus_list": [*REDIRECTS, *HTTP_ERRORS]}
        ctx = Ctx("revisions", post_type=post_type, rest_base=rest_base, item_id=pid, page=page)
        return self._req(run, url, self.parse_revisions, ctx, headers=headers, meta=meta)

    @site_callback
    def parse_revisions(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        assert ctx.post_type is not None and ctx.rest_base is not None
        assert ctx.item_id is not None
        data = self._json(response, run)
        if response.status in (401, 403) or response.status in REDIRECTS:
            run.revisions = "closed"
            run.revision_queue.clear()
            why = error_code(data) or f"{response.status} {header(response, 'Location') or ''}"
            logger.info("%s: revisions are closed (%s)", run.site, why.strip())
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
            pages = revision_pages(
                served=len(data),
                total=as_int(header(response, "X-WP-Total")),
                total_pages=as_int(header(response, "X-WP-TotalPages")),
                count=run.history_counts.get(ctx.item_id),
                ceiling=self.ledger.config.max_pages,
            )
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
        if run.outcome in FALLBACK_OUTCOMES and run.site not in self.fallbacks:
            yield from self._start_fallback(run)
            if run.pending:
                return
        fallback = self.fallbacks.pop(run.site, None)
        if fallback is not None:
            fallback.record(run)
            stats = self.crawler.stats
            stats.inc_value(f"mpcrawl/fallback/source/{fallback.source or 'none'}")
            stats.inc_value("mpcrawl/fallback/pages_new", fallback.pages_new)
            stats.inc_value("mpcrawl/fallback/pages_unchanged", fallback.pages_unchanged)
            stats.inc_value("mpcrawl/fallback/tombstones", fallback.tombstones_new)
        self.ledger.crawl_done(run)

    # --- the fallback path: sites the REST API cannot read ---------------------------

    def _start_fallback(self, run: SiteRun) -> Iterator[Any]:
        """The REST path could not read the site: read its sitemaps, feeds or links."""
        location = self.ledger.location
        fs = FallbackSite(
            site=run.site,
            home=discovery.site_root(run.entry.url),
            hosts=frozenset(run.hosts),
            state=WebState() if self.discover else load_web_state(location, run.site),
            run_id=self.ledger.run_id,
            discover=self.discover,
            full=self.full,
            post_types=frozenset(KNOWN_REST_BASES.get(t, t) for t in self.types),
        )
        self.fallbacks[run.site] = fs

        def request(
            url: str,
            callback: Callable[[Response], Iterator[Any]],
            on_failure: Callable[[str], Iterator[Any]],
            *,
            headers: dict[str, str] | None = None,
            follow_redirects: bool = True,
        ) -> Request:
            ctx = Ctx("fallback", on_response=callback, on_failure=on_failure)
            req = self._req(run, url, self.parse_fallback, ctx, headers=headers)
            if not follow_redirects:
                req.meta["dont_redirect"] = True
                req.meta["handle_httpstatus_list"] = HTTP_ERRORS + REDIRECTS
            return req

        yield from FallbackPlan(fs, request).start()

    @site_callback
    def parse_fallback(self, response: Response, run: SiteRun, ctx: Ctx) -> Iterator[Any]:
        """A fallback plan's response, handed to the plan's own callback."""
        assert ctx.on_response is not None
        yield from ctx.on_response(response)

    # --- helpers ---------------------------------------------------------------------

    def _reject(
        self, run: SiteRun, kind: str, post_type: str | None, obj: Any, reason: str
    ) -> RejectItem:
        """An entry no row can hold, kept whole in ``rejects`` and counted."""
        run.rejects += 1
        self.crawler.stats.inc_value("mpcrawl/rejects")
        row = records.reject_row(
            obj,
            site=run.site,
            kind=kind,
            post_type=post_type,
            reason=reason,
            fetched_at=datetime.now(UTC),
            run_id=self.ledger.run_id,
        )
        return RejectItem(**row)

    def _json(self, response: Response, run: SiteRun) -> Any:
        """Decoded JSON, or None (counted) where the body is not JSON."""
        try:
            decoded = decode(response.body)
        except BadJSON as exc:
            response.meta[BAD_JSON] = exc.reason
            self.crawler.stats.inc_value(f"mpcrawl/json/{exc.reason}")
            logger.debug("%s: %s: %s", run.site, response.url, exc)
            return None
        if decoded.recovered:
            run.json_recovered += 1
            self.crawler.stats.inc_value("mpcrawl/json/recovered")
        return decoded.data
