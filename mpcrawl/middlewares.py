"""Downloader middlewares: robots.txt for both URL forms, host fencing, Retry-After,
and per-site request accounting."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.robotstxt import RobotParser

from mpcrawl.config import Config
from mpcrawl.ledger import SiteLedger, ledger_of
from mpcrawl.scheduler import WAIT_UNTIL
from mpcrawl.wp.sitename import host_key

logger = logging.getLogger(__name__)


def pretty_equivalent(url: str) -> str | None:
    """The ``/wp-json/`` form of a ``?rest_route=`` URL, for robots.txt rules.

    >>> pretty_equivalent("https://e.org/index.php?rest_route=/wp/v2/posts&page=2")
    'https://e.org/wp-json/wp/v2/posts?page=2'
    >>> pretty_equivalent("https://e.org/wp-json/wp/v2/posts") is None
    True
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    route = next((v for k, v in query if k == "rest_route"), None)
    if route is None:
        return None
    rest = urlencode([(k, v) for k, v in query if k != "rest_route"])
    path = "/wp-json/" + route.lstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, rest, ""))


class RobotsRefused(IgnoreRequest):
    """robots.txt forbids the request: obeyed, and told apart from other refusals."""

    def __init__(self, url: str) -> None:
        super().__init__(f"robots.txt forbids {url}")
        self.url = url


class RestRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt rules for ``/wp-json/`` also bind ``?rest_route=`` requests; a refusal
    is a :class:`RobotsRefused`; a ``Crawl-delay`` spaces the host's requests, up to
    ``MPCRAWL_MAX_CRAWL_DELAY``.

    The delay is Scrapy's own per-slot download delay (a slot per host): set on the
    host's slot and in the downloader's per-slot settings (a slot idle for a minute is
    dropped and made again from them), without jitter, and AutoThrottle is told not to
    lower it (``autothrottle_dont_adjust_delay``). A delay spaces the starts of requests,
    so it also means one request at a time.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_crawl_delay = Config.from_crawler(crawler).max_crawl_delay
        self._delays: dict[str, float] = {}  # slot key -> the delay set on it

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if rp is not None and self.max_crawl_delay:
            self._crawl_delay(rp, request)
        twin = pretty_equivalent(request.url)
        try:
            super().process_request_2(rp, request)
            if twin is not None:
                super().process_request_2(rp, request.replace(url=twin))
        except IgnoreRequest as exc:
            raise RobotsRefused(request.url) from exc

    def _crawl_delay(self, rp: RobotParser, request: Request) -> None:
        agent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        asked = rp.crawl_delay(agent or self._default_useragent)
        engine = self.crawler.engine
        if not asked or asked <= 0 or engine is None:
            return
        delay = min(asked, self.max_crawl_delay)
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = engine.downloader
        key = downloader.get_slot_key(request)
        if self._delays.get(key, 0.0) >= delay:
            return
        self._delays[key] = delay
        downloader.per_slot_settings[key] = {
            **downloader.per_slot_settings.get(key, {}),
            "delay": delay,
            "jitter": 0,
        }
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay, slot.jitter = delay, 0
        capped = f" (capped by MPCRAWL_MAX_CRAWL_DELAY={self.max_crawl_delay:g})"
        logger.info(
            "%s: robots.txt asks Crawl-delay: %g; requests spaced %g s%s",
            key,
            asked,
            delay,
            capped if delay < asked else "",
        )
        self._stats.max_value("mpcrawl/crawl_delay", delay)


class SiteHostMiddleware:
    """Requests of a site go to its own host (and www/apex twin) only, redirects too."""

    def __init__(self, crawler: Crawler, ledger: SiteLedger) -> None:
        self.crawler = crawler
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteHostMiddleware:
        return cls(crawler, ledger_of(crawler))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        site = request.meta.get("mpcrawl_site")
        if site is not None:
            if not self.ledger.allows(site, request.url):
                self._block(f"offsite: {request.url} is not on {site}'s host; not followed")
            return
        redirected = request.meta.get("redirect_urls")
        if not redirected:
            return
        origin = redirected[0]
        if urlsplit(origin).path == "/robots.txt":
            # RFC 9309 lets a robots.txt redirect to another host's robots.txt, nothing else.
            target = urlsplit(request.url)
            if target.path != "/robots.txt" or target.query:
                self._block(f"{origin} redirects to {request.url}, not a robots.txt; not followed")
        elif host_key(request.url) != host_key(origin):
            self._block(f"offsite: {origin} redirects to {request.url}; not followed")

    def _block(self, message: str) -> None:
        self.crawler.stats.inc_value("mpcrawl/offsite_blocked")
        raise IgnoreRequest(message)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date).

    >>> retry_after_seconds("120")
    120.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT",
    ...                     datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC))
    30.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry, plus waiting: ``Retry-After`` (capped) or exponential backoff.

    The wait never happens here, where it would hold a download slot: a site's retry is
    stamped with the time it may go and handed back to the engine, and the
    :class:`~mpcrawl.scheduler.WaitingScheduler` keeps it until then. A request that is
    not a site's (robots.txt, which Scrapy downloads outside the scheduler) is retried
    at once, within ``RETRY_TIMES``.
    """

    def __init__(self, settings: Any, config: Config) -> None:
        super().__init__(settings)
        self.cap = config.retry_after_max
        self.backoff = config.retry_backoff

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler.settings, Config.from_crawler(crawler))
        middleware.crawler = crawler
        return middleware

    def _delay(self, request: Request, response: Response | None) -> float:
        if response is not None and response.status in (429, 503):
            raw = response.headers.get("Retry-After")
            seconds = retry_after_seconds(raw.decode("latin-1") if raw else None)
            if seconds is not None:
                self.crawler.stats.inc_value("mpcrawl/retry_after/honoured")
                return float(min(seconds, self.cap))
        attempt = request.meta.get("retry_times", 0)
        return float(min(self.backoff * (2**attempt), self.cap))

    def _later(self, request: Request, retry: Request, response: Response | None) -> Request:
        if request.meta.get("mpcrawl_site") is not None:
            retry.meta[WAIT_UNTIL] = time.monotonic() + self._delay(request, response)
        return retry

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"{response.status}")
        return response if retry is None else self._later(request, retry, response)

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        return None if retry is None else self._later(request, retry, None)


class SiteAccountingMiddleware:
    """Counts every request a site costs, robots.txt and retries included, and holds each
    site to its budget: past ``MPCRAWL_SITE_MAX_REQUESTS`` requests or
    ``MPCRAWL_SITE_MAX_SECONDS`` seconds, its requests are refused and it ends ``partial``.

    The stop is logged once; the plans stop asking (the fallback drops the pages it holds
    in one step) and count the few requests already in flight, quietly."""

    def __init__(self, ledger: SiteLedger) -> None:
        self.ledger = ledger
        self.max_requests = ledger.config.site_max_requests
        self.max_seconds = ledger.config.site_max_seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteAccountingMiddleware:
        return cls(ledger_of(crawler))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        run = self.ledger.run_for_url(request.url)
        if run is None:
            return
        verdict = run.verdict
        if verdict.stopped is None:
            seconds = (datetime.now(UTC) - run.started_at).total_seconds()
            if run.tally.requests >= self.max_requests:
                verdict.stop(f"MPCRAWL_SITE_MAX_REQUESTS={self.max_requests} requests reached")
            elif seconds > self.max_seconds:
                verdict.stop(f"MPCRAWL_SITE_MAX_SECONDS={self.max_seconds:g} seconds reached")
            if verdict.stopped is not None:
                logger.warning("%s: %s; the site asks nothing more", run.site, verdict.stopped)
        if verdict.stopped is not None:
            raise IgnoreRequest(f"{run.site}: {verdict.stopped}; {request.url} not requested")
        run.tally.add("requests")
