"""The ``wp`` spider as glue: plans' requests become Scrapy requests, answers and
failures go back to the step that asked, and a step's exception is its site's error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError
from twisted.python.failure import Failure

from mpcrawl.middlewares import RobotsRefused
from mpcrawl.plans.rest.site import RequestFailed
from mpcrawl.siterun import SiteRun
from mpcrawl.spiders.wp import Requester, WpSpider
from tests.inprocess import wp_crawler
from tests.plans.harness import HOME, ROOT, response


def spider_for(tmp_path: Path, **arguments: str) -> WpSpider:
    crawler = wp_crawler(tmp_path / "archive")
    spider = WpSpider.from_crawler(crawler, site=HOME, **arguments)
    crawler.spider = spider
    return spider


def opened(spider: WpSpider) -> SiteRun:
    run = spider.ledger.open_site(spider.site_list.entries[0])
    assert run is not None
    return run


class Recorder:
    """A step that records what it was handed."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.failures: list[RequestFailed] = []

    def on_response(self, response: Any) -> Iterator[Any]:
        if self.fail:
            raise AssertionError("a step that trips")
        yield {"site": "x"}

    def on_failure(self, failure: RequestFailed) -> Iterator[Any]:
        self.failures.append(failure)
        return iter(())


def test_the_first_request_is_the_listed_page_with_the_spiders_callbacks(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    (first,) = spider.plan_for(run).start()
    assert isinstance(first, Request) and first.url == HOME
    assert first.callback == spider.parse_step and first.errback == spider.on_error
    assert first.meta["mpcrawl_site"] == run.site and run.pending == 1


def test_a_request_not_to_follow_redirects_answers_them(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    step = Recorder()
    req = Requester(spider, run)(ROOT, step.on_response, step.on_failure, follow_redirects=False)
    assert req.meta["dont_redirect"] and 302 in req.meta["handle_httpstatus_list"]


def test_an_exception_in_a_step_is_its_requests_failure_not_the_crawls(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    step = Recorder(fail=True)
    req = Requester(spider, run)(ROOT, step.on_response, step.on_failure)
    output = list(spider.parse_step(response(ROOT, b"{}"), **req.cb_kwargs))
    assert [f.kind for f in step.failures] == ["failed"]
    assert "AssertionError handling" in step.failures[0].message
    assert run.pending == 0 and output == []


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (RobotsRefused(ROOT), "refused"),
        (DownloadTimeoutError("Getting it took longer than 1 seconds."), "timeout"),
        (ConnectionRefusedError("refused"), "failed"),
    ],
)
def test_a_failed_request_reaches_its_step_as_a_typed_failure(
    tmp_path: Path, exc: Exception, kind: str
) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    step = Recorder()
    req = Requester(spider, run)(ROOT, step.on_response, step.on_failure)
    failure = Failure(exc)
    failure.request = req  # type: ignore[attr-defined]
    list(spider.on_error(failure))
    assert [f.kind for f in step.failures] == [kind] and run.pending == 0


@pytest.mark.parametrize("argument", ["ful", "type", "foo"])
def test_an_unknown_argument_is_refused_naming_the_known_ones(argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^unknown spider argument -a {argument}; known: site,"):
        WpSpider.check_arguments(site=HOME, **{argument: "1"})


def test_the_arguments_scrapyd_adds_to_every_job_are_accepted() -> None:
    WpSpider.check_arguments(site=HOME, _job="5f3a", _version="1700000000")
