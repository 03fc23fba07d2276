"""The ``wp`` spider: archive WordPress sites through their REST API, else what they serve.

The spider holds no crawl logic of its own. Per site it runs the REST plan
(:mod:`mpcrawl.plans.rest`) and, where the REST path cannot read the site, the fallback
plan (:mod:`mpcrawl.plans.fallback`): it turns their requests into Scrapy requests,
hands each answer (or a typed failure) back to the step that asked, counts the site's
pending requests and yielded items, and tells the ledger (:mod:`mpcrawl.ledger`) when
the site has nothing left to ask.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from twisted.python.failure import Failure

from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.pipelines.capture import version_archived
from mpcrawl.plans.capture import CapturePlan
from mpcrawl.plans.fallback import REDIRECTS, FallbackPlan, FallbackSite
from mpcrawl.plans.listing import listing_gap
from mpcrawl.plans.numbers import NumberCaps, Numbers
from mpcrawl.plans.pages import PageQueue
from mpcrawl.plans.recheck import Recheck
from mpcrawl.plans.rest import KNOWN_REST_BASES, Arguments, RestPlan
from mpcrawl.plans.rest.site import OnFailure, OnResponse, RequestFailed
from mpcrawl.settings import user_agent
from mpcrawl.sitelist import iter_shard, load, parse_shard
from mpcrawl.siterun import SiteRun
from mpcrawl.spiders.support import Step, counted, failure_of, flag
from mpcrawl.verdict import FallbackCounts
from mpcrawl.web.listings import Bounds
from mpcrawl.web.sitemaps import Caps
from mpcrawl.wp import discovery

logger = logging.getLogger(__name__)

DEFAULT_TYPES = ("posts", "pages")
HTTP_ERRORS = list(range(400, 600))
# A conditional request's 304 is an answer (the page is unchanged), not an error to drop.
NOT_MODIFIED = 304
# Where the REST path cannot read a site, the fallback plan archives its pages.
FALLBACK_OUTCOMES = ("rest_closed", "not_wordpress", "robots_disallowed")

SPIDER_ARGUMENTS = ("site", "sites", "sites_csv", "types", "full", "discover", "shard")
SCRAPYD_ARGUMENTS = ("_job", "_version")  # Scrapyd adds these to the -a of every job it runs


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
        kinds = tuple(t.strip() for t in types.split(",") if t.strip())
        if not kinds:
            raise ValueError("-a types= names no type")
        self.args = Arguments(kinds, full=flag("full", full), discover=flag("discover", discover))
        self.shard = parse_shard(shard) if shard else None
        self.plans: dict[str, RestPlan] = {}
        self.fallbacks: dict[str, FallbackSite] = {}
        self.captures: dict[str, CapturePlan] = {}

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Name the project and its contact in the User-Agent, unless USER_AGENT is given."""
        super().update_settings(settings)
        priority = settings.getpriority("USER_AGENT")
        if priority is None or priority <= SETTINGS_PRIORITIES["project"]:
            contact = settings.get("MPCRAWL_CONTACT_URL")
            settings.set("USER_AGENT", user_agent(contact), priority="spider")

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        """Raise ValueError for bad ``-a`` arguments before the crawl starts (exit 2)."""
        cls(**kwargs)

    @functools.cached_property
    def ledger(self) -> SiteLedger:
        """The crawl's site ledger (extensions exist only once the crawl has started)."""
        return ledger_of(self.crawler)

    async def start(self) -> AsyncIterator[Any]:
        """Each site of the list (and shard) whose lock this run takes."""
        for message in self.site_list.rejected:
            logger.error("skipped: %s", message)
            self.crawler.stats.inc_value("mpcrawl/sites_rejected")
        if self.ledger.config.capture_pages:
            self.crawler.signals.connect(self.capture, signal=version_archived)
        for message in self.site_list.duplicates:
            logger.warning("skipped duplicate: %s", message)
        for entry in iter_shard(self.site_list.entries, self.shard):
            run = self.ledger.open_site(entry)
            if run is not None:
                for request in self.plan_for(run).start():
                    yield request

    def plan_for(self, run: SiteRun) -> RestPlan:
        """The site's REST plan, made on first use, its requests made by this spider."""
        plan = self.plans.get(run.site)
        if plan is None:
            plan = RestPlan(
                run,
                Requester(self, run),
                config=self.ledger.config,
                stats=self.crawler.stats,
                archive=self.ledger,
                args=self.args,
            )
            self.plans[run.site] = plan
        return plan

    # --- requests and answers ---------------------------------------------------------

    def parse_step(self, response: Response, run: SiteRun, step: Step) -> Iterator[Any]:
        """Every callback: the answer to the step that asked; an exception in the step
        is its request's failure (the site's error, never the crawl's)."""
        try:
            yield from counted(run, step.on_response(response))
        except Exception as exc:
            logger.exception("%s: error handling %s", run.site, response.url)
            message = f"{type(exc).__name__} handling {response.url}: {exc}"
            failure = RequestFailed(response.url, "failed", message)
            yield from counted(run, step.on_failure(failure))
        finally:
            run.pending -= 1
        yield from self._maybe_finish(run)

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """Every errback: the request's typed failure, handed to the step that asked."""
        request = failure.request  # type: ignore[attr-defined]
        run: SiteRun = request.cb_kwargs["run"]
        step: Step = request.cb_kwargs["step"]
        try:
            yield from counted(run, step.on_failure(failure_of(failure.value, request.url)))
        finally:
            run.pending -= 1
        yield from self._maybe_finish(run)

    def _maybe_finish(self, run: SiteRun) -> Iterator[Any]:
        if run.pending:
            return
        if run.crawl_done:  # captures asked after the site's crawl was done: all answered
            self.ledger.crawl_done(run)
            return
        plan = self.plans.get(run.site)
        if plan is not None:
            yield from counted(run, plan.more())
            if run.pending:
                return
        if run.verdict.decided in FALLBACK_OUTCOMES and run.site not in self.fallbacks:
            yield from counted(run, self._start_fallback(run))
            if run.pending:
                return
        fallback = self.fallbacks.pop(run.site, None)
        if fallback is not None:
            self._fallback_finished(run, fallback)
        self.plans.pop(run.site, None)
        self.ledger.crawl_done(run)

    def capture(self, site: str, url: str, html: bytes | None) -> None:
        """A new version was archived: capture its page as it looked (the capture plan),
        its requests counted as the site's pending ones so the site waits for them."""
        run = self.ledger.run_for(site)
        if run is None or run.finished:
            return
        plan = self.captures.get(site)
        if plan is None:
            for done in [s for s, p in self.captures.items() if p.finished()]:
                del self.captures[done]  # a finished site's URLs asked: let them go
            config = self.ledger.config
            plan = self.captures[site] = CapturePlan(
                run,
                frozenset(run.hosts),
                Requester(self, run),
                self.crawler.stats,
                per_page=config.capture_requisites,
                per_run=config.capture_max,
            )
        assert self.crawler.engine is not None
        for request in plan.page(url, html):
            self.crawler.engine.crawl(request)

    # --- the fallback path: glue only, the plan is mpcrawl.plans.fallback -----------

    def _start_fallback(self, run: SiteRun) -> Iterator[Any]:
        """The REST path could not read the site: read its sitemaps, feeds or links."""
        ledger = self.ledger  # discover fetches no page: no state to read
        state = ledger.web_state_of(run) if self.args.discover else ledger.load_web_state(run)
        if state is None:  # a file of the site's archive is unreadable: the site ends error
            return
        config = ledger.config
        fs = FallbackSite(
            site=run.site,
            home=discovery.site_root(run.entry.url),
            hosts=frozenset(run.hosts),
            state=state,
            run_id=ledger.run_id,
            caps=Caps(max_urls=config.sitemap_max_urls),
            discover=self.args.discover,
            full=self.args.full,
            post_types=frozenset(KNOWN_REST_BASES.get(t, t) for t in self.args.types),
            bounds=Bounds(config.listing_pages, config.listing_depth, config.listing_seconds),
            pages=PageQueue(config.pages_in_flight, lambda: run.verdict.stopped),
            robots_txt=run.robots_txt.get(urljoin(run.entry.url, "/robots.txt")),
            home_page=run.home_page if isinstance(run.home_page, Response) else None,
            wordpress=run.verdict.decided == "rest_closed",
            numbers=Numbers(NumberCaps.of(config)),
            recheck=Recheck(config.recheck_days),
        )
        run.home_page = None
        self.fallbacks[run.site] = fs

        yield from FallbackPlan(fs, Requester(self, run)).start()

    def _fallback_finished(self, run: SiteRun, fs: FallbackSite) -> None:
        """The fallback's counts, beside the REST path's (the ledger's transition)."""
        counts = FallbackCounts(
            source=fs.listed_by,
            pages_listed=len(fs.listed),
            pages_found=fs.pages_found,
            pages_unchanged=fs.pages_unchanged,
            tombstones_new=fs.tombstones_new,
            errors=[*fs.errors, *fs.pages.lost()],
            pages_skipped=fs.recheck.skipped,
            incomplete=listing_gap(fs),
        )
        run.verdict.fallback_finished(counts, discover=self.args.discover)
        stats = self.crawler.stats
        stats.inc_value(f"mpcrawl/fallback/source/{fs.listed_by or 'none'}")
        stats.inc_value("mpcrawl/fallback/pages_unchanged", fs.pages_unchanged)
        stats.inc_value("mpcrawl/fallback/pages_skipped", fs.recheck.skipped)
        stats.inc_value("mpcrawl/fallback/tombstones", fs.tombstones_new)
        if fs.frontier is not None:
            stats.inc_value("mpcrawl/fallback/listing_pages", fs.frontier.listings)
        stats.inc_value("mpcrawl/fallback/feed_pages", fs.numbers.feed_pages)
        stats.inc_value("mpcrawl/fallback/ids_asked", fs.numbers.ids_asked)
        stats.inc_value("mpcrawl/fallback/ids_found", fs.numbers.ids_found)


class Requester:
    """The plans' :class:`~mpcrawl.plans.rest.site.Requester` for one site: a plan's
    request as a Scrapy request with the spider's callbacks, counted as pending."""

    def __init__(self, spider: WpSpider, run: SiteRun) -> None:
        self.spider, self.run = spider, run

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
        run = self.run
        run.pending += 1
        handled = [NOT_MODIFIED, *HTTP_ERRORS]
        meta: dict[str, Any] = {"mpcrawl_site": run.site, "handle_httpstatus_list": handled}
        if not follow_redirects:  # answered here, never followed (credentials, probes)
            meta.update(dont_redirect=True, handle_httpstatus_list=[*REDIRECTS, *handled])
        return Request(
            url,
            callback=self.spider.parse_step,
            errback=self.spider.on_error,
            cb_kwargs={"run": run, "step": Step(on_response, on_failure)},
            meta=meta,
            headers=headers,
            priority=priority,
            dont_filter=True,
        )

    def retry(self, response: Response, reason: str) -> Request | None:
        if response.request is None:
            return None
        retry = get_retry_request(response.request, spider=self.spider, reason=reason)
        if retry is not None:
            self.run.pending += 1
        return retry
