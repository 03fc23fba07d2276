"""The ``wp`` spider's callbacks fed responses built from real data, in the test process.

Responses carry the sample site's objects (``mpcrawl/sample/data``) and real WordPress
REST bodies (``../shared/wp-fixtures/rest``); the spider, its ledger and its requests
are the real ones, built from mpcrawl's settings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from mpcrawl.archive.state import SiteState
from mpcrawl.items import RestObject, TombstoneItem
from mpcrawl.siterun import SiteRun
from mpcrawl.spiders.support import Ctx
from mpcrawl.spiders.wp import WpSpider
from mpcrawl.wp.urls import ApiRoot
from tests.inprocess import wp_crawler
from tests.sample_data import SITE, bundle
from tests.shared import shared_path

HOME = f"https://{SITE}/"
ROOT = f"https://{SITE}/wp-json/"


def fixture(*parts: str) -> bytes:
    return shared_path("wp-fixtures", "rest", *parts).read_bytes()


def spider_for(tmp_path: Path, **arguments: str) -> WpSpider:
    crawler = wp_crawler(tmp_path / "archive")
    spider = WpSpider.from_crawler(crawler, site=HOME, **arguments)
    crawler.spider = spider
    return spider


def opened(spider: WpSpider) -> SiteRun:
    run = spider.ledger.open_site(spider.site_list.entries[0])
    assert run is not None
    return run


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


def call(callback: Any, run: SiteRun, resp: TextResponse, ctx: Ctx) -> list[Any]:
    """Run a callback as Scrapy would for a request the spider had counted."""
    run.pending += 1
    return list(callback(resp, run=run, ctx=ctx))


def requests_of(output: list[Any]) -> list[Request]:
    return [o for o in output if isinstance(o, Request)]


def test_the_home_page_link_header_names_the_api_root(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    home = response(
        HOME,
        "<html><body>home</body></html>",
        headers={"Link": f'<{ROOT}>; rel="https://api.w.org/"', "Content-Type": "text/html"},
    )
    output = call(spider.parse_home, run, home, Ctx("home"))
    assert run.api is not None and run.api.root_url == ROOT
    routes = sorted(r.url.split("/wp/v2/")[1].split("?")[0] for r in requests_of(output))
    assert routes == ["categories", "pages", "posts", "tags", "users"]
    assert {r.callback for r in requests_of(output)} == {spider.parse_page}
    assert all(r.errback == spider.on_error for r in requests_of(output))
    assert run.pending == 5


def test_a_probe_answering_the_api_index_is_the_root(tmp_path: Path) -> None:
    spider = spider_for(tmp_path, discover="1")
    run = opened(spider)
    index = fixture("wp-core-fixture-6.7-alpha-58576", "Schema.json")
    call(spider.parse_probe, run, response(ROOT, index), Ctx("probe"))
    assert run.api is not None and run.api.root_url == ROOT
    assert run.pending == 0 and run.crawl_done  # discover=1 stops at the root


def test_a_page_of_posts_yields_each_post_and_schedules_the_other_pages(
    tmp_path: Path,
) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    run.api = ApiRoot.parse(ROOT)
    output = list(spider._begin_walks(run, [("posts", "post")]))
    posts_walk = run.walks[0]
    first_page = next(r for r in output if "/wp/v2/posts" in r.url)
    page = bundle()["posts"][:100]
    headers = {"X-WP-Total": "271", "X-WP-TotalPages": "3"}
    ctx = first_page.cb_kwargs["ctx"]
    run.pending -= 1  # call() counts the request again
    result = call(
        spider.parse_page, run, response(first_page.url, json.dumps(page), 200, headers), ctx
    )
    items = [o for o in result if isinstance(o, RestObject)]
    assert [i.data["id"] for i in items] == [p["id"] for p in page]
    assert {i.post_type for i in items} == {"post"}
    urls = [r.url for r in requests_of(result)]
    more = sorted(u for u in urls if "/wp/v2/posts?" in u)
    assert ["page=2" in more[0], "page=3" in more[1], len(more)] == [True, True, 2]
    # The first new version with revisions sends the one probe; the rest wait for it.
    assert len([u for u in urls if "/revisions" in u]) == 1 and run.revisions == "probing"
    assert posts_walk.total == 271 and run.items_yielded == 100


def test_a_real_page_of_the_wordpress_fixture_is_read(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    run.api = ApiRoot.parse(ROOT)
    list(spider._begin_walks(run, [("posts", "post")]))
    walk = run.walks[0]
    ctx = Ctx("page", walk=walk, page=1, post_type="post")
    body = fixture("wp-core-fixture-6.1-beta2-54337", "PostsCollection.json")
    url = run.api.collection("posts", page=1)
    items = [
        o
        for o in call(spider.parse_page, run, response(url, body), ctx)
        if isinstance(o, RestObject)
    ]
    assert [i.data["id"] for i in items] == [p["id"] for p in json.loads(body)]


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("rest_post_invalid_id-404-en.json", 404, "deleted"),
        ("rest_forbidden-401.json", 401, "hidden"),
    ],
)
def test_a_vanished_post_becomes_a_tombstone(
    tmp_path: Path, name: str, status: int, reason: str
) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    run.api = ApiRoot.parse(ROOT)
    run.state = SiteState.of(("post", 7, 1_700_000_000_000_000))
    ctx = Ctx("gone", post_type="post", rest_base="posts", item_id=7)
    output = call(
        spider.parse_gone,
        run,
        response(run.api.item("posts", 7), fixture("errors", name), status),
        ctx,
    )
    stones = [o for o in output if isinstance(o, TombstoneItem)]
    assert [(s.id, s.reason, s.run_id) for s in stones] == [(7, reason, spider.ledger.run_id)]
    assert run.tombstones_new == 1


def test_a_401_on_revisions_closes_them_for_the_site(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    run.api = ApiRoot.parse(ROOT)
    run.revisions = "probing"
    run.revision_queue.append(("post", "posts", 9))
    ctx = Ctx("revisions", post_type="post", rest_base="posts", item_id=8)
    body = fixture("errors", "rest_cannot_read-revisions-401.json")
    url = run.api.url("/wp/v2/posts/8/revisions")
    assert call(spider.parse_revisions, run, response(url, body, 401), ctx) == []
    assert run.revisions == "closed" and run.revision_queue == []


def test_an_exception_in_a_callback_is_the_sites_error_not_the_crawls(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    ctx = Ctx("gone", post_type="post", rest_base="posts", item_id=None)  # breaks an assert
    output = call(spider.parse_gone, run, response(ROOT, b"{}", 404), ctx)
    assert output == [] and run.errors == 1 and "AssertionError" in (run.last_error or "")
    assert run.pending == 0


@pytest.mark.parametrize("argument", ["ful", "type", "foo"])
def test_an_unknown_argument_is_refused_naming_the_known_ones(argument: str) -> None:
    with pytest.raises(ValueError, match=rf"^unknown spider argument -a {argument}; known: site,"):
        WpSpider.check_arguments(site=HOME, **{argument: "1"})


def test_the_arguments_scrapyd_adds_to_every_job_are_accepted() -> None:
    WpSpider.check_arguments(site=HOME, _job="5f3a", _version="1700000000")
