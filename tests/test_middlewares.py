"""The downloader middlewares on their own, with the crawl's ledger and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from mpcrawl.middlewares import RetryAfterMiddleware, SiteAccountingMiddleware, SiteHostMiddleware
from mpcrawl.sitelist import SiteEntry
from tests.inprocess import ledger

SITE = "mp.example"


def test_requests_of_a_site_stay_on_its_host_and_twin(tmp_path: Path) -> None:
    site_ledger = ledger(tmp_path / "archive")
    site_ledger.open_site(SiteEntry(SITE, f"https://{SITE}/"))
    middleware = SiteHostMiddleware(site_ledger.crawler, site_ledger)
    for url in (f"https://{SITE}/wp-json/", f"https://www.{SITE}/x"):
        middleware.process_request(Request(url, meta={"mpcrawl_site": SITE}))
    with pytest.raises(IgnoreRequest, match=r"offsite: https://cdn\.example/a is not on"):
        middleware.process_request(Request("https://cdn.example/a", meta={"mpcrawl_site": SITE}))
    assert site_ledger.crawler.stats.get_value("mpcrawl/offsite_blocked") == 1


def test_every_request_to_a_sites_hosts_is_counted_on_its_run(tmp_path: Path) -> None:
    site_ledger = ledger(tmp_path / "archive")
    run = site_ledger.open_site(SiteEntry(SITE, f"https://{SITE}/"))
    assert run is not None
    middleware = SiteAccountingMiddleware(site_ledger)
    for url in (f"https://{SITE}/robots.txt", f"https://{SITE}/", "https://other.example/"):
        middleware.process_request(Request(url))
    assert run.tally.requests == 2


def test_the_backoff_doubles_and_retry_after_is_capped(tmp_path: Path) -> None:
    crawler = ledger(
        tmp_path / "archive", MPCRAWL_RETRY_BACKOFF=1.5, MPCRAWL_RETRY_AFTER_MAX=30
    ).crawler
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request(f"https://{SITE}/")
    assert middleware._delay(request, None) == 1.5
    assert middleware._delay(request.replace(meta={"retry_times": 2}), None) == 6.0
    busy = Response(request.url, status=429, headers={"Retry-After": "600"}, request=request)
    assert middleware._delay(request, busy) == 30.0
    assert crawler.stats.get_value("mpcrawl/retry_after/honoured") == 1
