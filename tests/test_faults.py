"""Faults a badly hosted site throws at a cron run, injected by a proxy on 127.0.0.1.

Each test fails without the handling it names: Scrapy alone retries a 429 within
milliseconds, crashes nothing but archives nothing on a BOM, follows redirects anywhere.
"""

from __future__ import annotations

import contextlib
import email.utils
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from mpcrawl.sample.server import SampleSite
from tests.crawl import crawl as crawl_process
from tests.crawl import read, scalar
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import command, crawl

POSTS_PAGE_2 = "rest_route=/wp/v2/posts&per_page=100&page=2"


def outcome(archive: Path) -> tuple[str, str | None]:
    row = read(archive).sql("SELECT outcome, reason FROM runs ORDER BY finished_at DESC").fetchall()
    return row[0]


def post_count(archive: Path) -> int:
    return int(scalar(read(archive), "SELECT count(*) FROM posts WHERE post_type = 'post'"))


@pytest.fixture
def site() -> Iterator[SampleSite]:
    with SampleSite() as sample:
        yield sample


@pytest.fixture
def small_site() -> Iterator[SampleSite]:
    """Five posts: where the REST API is refused, the fallback reads every page of the
    site, and a test about the refusal needs no more pages than these."""
    with SampleSite(posts=5) as sample:
        yield sample


@pytest.mark.parametrize(
    "retry_after",
    ["2", "date"],
    ids=["seconds", "http-date"],
)
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(
    site: SampleSite, archive: Path, status: int, retry_after: str
) -> None:
    if retry_after == "date":
        # An hour ahead, capped at 2 s: however slow the start, the wait comes from the
        # date (an unparsed date would fall back to the 0.05 s backoff of tests.crawl).
        retry_after = email.utils.formatdate(time.time() + 3600, usegmt=True)
    rule = Rule(POSTS_PAGE_2, status, b"{}", {"Retry-After": retry_after}, times=1)
    with FaultProxy(site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}", MPCRAWL_RETRY_AFTER_MAX="2")
        times = proxy.times_of(POSTS_PAGE_2)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(times) == 2 and times[1] - times[0] >= 1.5
    assert outcome(archive)[0] == "ok"
    assert post_count(archive) == site.total_posts


def test_retry_after_is_capped(site: SampleSite, archive: Path) -> None:
    rule = Rule(POSTS_PAGE_2, 429, b"{}", {"Retry-After": "3600"}, times=1)
    with FaultProxy(site.url, [rule]) as proxy:
        started = time.monotonic()
        result = crawl(archive, f"site={proxy.url}", MPCRAWL_RETRY_AFTER_MAX="1")
        assert time.monotonic() - started < 60
    assert result.returncode == 0
    assert post_count(archive) == site.total_posts


def test_a_persistent_server_error_is_recorded_as_partial(site: SampleSite, archive: Path) -> None:
    with FaultProxy(site.url, [Rule(POSTS_PAGE_2, 500, b"oops")]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
        attempts = len(proxy.requests(POSTS_PAGE_2))
    assert result.returncode == 1
    assert attempts == 4  # the first try and RETRY_TIMES=3 retries
    assert outcome(archive)[0] == "partial"
    assert 0 < post_count(archive) < site.total_posts
    assert int(scalar(read(archive), "SELECT count(*) FROM tombstones")) == 0


@pytest.mark.parametrize(
    "prefix",
    [
        b"\xef\xbb\xbf",
        b"<br />\n<b>Notice</b>:  Undefined index: x in /var/www/a.php on line 3<br />\n",
    ],
    ids=["bom", "php-notice"],
)
def test_junk_before_json_is_recovered(site: SampleSite, archive: Path, prefix: bytes) -> None:
    rule = Rule(POSTS_PAGE_2, transform=lambda body: prefix + body)
    with FaultProxy(site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
    assert result.returncode == 0
    assert post_count(archive) == site.total_posts
    assert scalar(read(archive), "SELECT json_recovered FROM runs") >= 1


def test_truncated_json_is_retried(site: SampleSite, archive: Path) -> None:
    rule = Rule(POSTS_PAGE_2, transform=lambda body: body[: len(body) // 2], times=1)
    with FaultProxy(site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
    assert result.returncode == 0
    assert post_count(archive) == site.total_posts


def test_always_truncated_page_fails_without_partial_posts(site: SampleSite, archive: Path) -> None:
    rule = Rule(POSTS_PAGE_2, transform=lambda body: body[: len(body) // 2])
    with FaultProxy(site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
    assert result.returncode == 1
    assert outcome(archive)[0] == "partial"
    con = read(archive)
    assert post_count(archive) == site.total_posts - 100
    assert scalar(con, "SELECT count(*) FROM posts WHERE raw_json IS NULL OR title IS NULL") == 0


def test_login_page_instead_of_json(small_site: SampleSite, archive: Path) -> None:
    login = b"<!DOCTYPE html><html><head><title>Log in</title></head><body>form</body></html>"
    rule = Rule("rest_route=/wp/v2/posts", 200, login, {"Content-Type": "text/html"})
    with FaultProxy(small_site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
    assert result.returncode == 0
    assert outcome(archive)[0] == "rest_closed"


def test_redirect_of_an_api_url_to_another_host_is_not_followed(
    site: SampleSite, archive: Path
) -> None:
    with SampleSite() as elsewhere:
        target = elsewhere.url + "/index.php?rest_route=/wp/v2/posts&per_page=100&page=2"
        rule = Rule(POSTS_PAGE_2, 302, b"", {"Location": target})
        with FaultProxy(site.url, [rule]) as proxy:
            result = crawl(archive, f"site={proxy.url}")
        assert elsewhere.count("/wp/v2/posts") == 0
    assert result.returncode == 1
    assert "offsite" in (outcome(archive)[1] or "")


def test_a_page_that_is_not_wordpress(archive: Path) -> None:
    page = b"<html><head><title>Jo Bloggs MP</title></head><body>Welcome</body></html>"
    with (
        SampleSite() as upstream,
        FaultProxy(upstream.url, [Rule("", 200, page, {"Content-Type": "text/html"})]) as proxy,
    ):
        result = crawl(archive, f"site={proxy.url}/about/")
    assert result.returncode == 0
    assert outcome(archive)[0] == "not_wordpress"


def test_rest_api_closed_by_a_plugin(small_site: SampleSite, archive: Path) -> None:
    body = (
        b'{"code":"rest_not_logged_in","message":"You are not currently logged in.",'
        b'"data":{"status":401}}'
    )
    with FaultProxy(small_site.url, [Rule("rest_route=/wp/v2/", 401, body)]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
    assert result.returncode == 0
    assert outcome(archive)[0] == "rest_closed"


def test_robots_disallowing_wp_json_binds_rest_route_too(
    small_site: SampleSite, archive: Path
) -> None:
    robots = b"User-agent: *\nDisallow: /wp-json/\n"
    rule = Rule("/robots.txt", 200, robots, {"Content-Type": "text/plain"})
    with FaultProxy(small_site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
        api_requests = proxy.requests("rest_route=/wp/v2")
    assert result.returncode == 0
    assert api_requests == []
    assert outcome(archive)[0] == "robots_disallowed"


def test_timeouts_at_100_per_page_fall_back_to_smaller_pages(
    site: SampleSite, archive: Path
) -> None:
    rule = Rule(POSTS_PAGE_2, delay=3)
    with FaultProxy(site.url, [rule]) as proxy:
        result = crawl_process(archive, f"site={proxy.url}", DOWNLOAD_TIMEOUT="1", RETRY_TIMES="1")
        smaller = proxy.requests("per_page=50")
    assert result.returncode == 0, result.stderr[-2000:]
    assert smaller
    assert post_count(archive) == site.total_posts


def test_pages_are_walked_where_a_proxy_stripped_the_totals(
    site: SampleSite, archive: Path
) -> None:
    rule = Rule("rest_route=/wp/v2/posts", drop_headers=("X-WP-Total", "X-WP-TotalPages"))
    with FaultProxy(site.url, [rule]) as proxy:
        result = crawl(archive, f"site={proxy.url}")
        pages = proxy.requests("rest_route=/wp/v2/posts&per_page=100&page=")
    assert result.returncode == 0, result.stderr[-2000:]
    assert post_count(archive) == site.total_posts
    # Walked one page after another until the 400 past the last page, which ends quietly.
    assert len(pages) == -(-site.total_posts // 100) + (site.total_posts % 100 == 0)


def test_bad_arguments_exit_2(archive: Path) -> None:
    crawl_wp = ["crawl", "wp", "-s", f"MPCRAWL_ARCHIVE={archive}", "-a", "site=https://example.org"]
    result = command(*crawl_wp, "-a", "shard=3/2")  # usage errors: no crawl, in this process
    assert result.returncode == 2
    assert b"shard=3/2" in result.stderr
    result = command(*crawl_wp, "-s", "MPCRAWL_FILE_ROWS=many")
    assert result.returncode == 2
    assert b"MPCRAWL_FILE_ROWS must be a whole number" in result.stderr
    assert b"Traceback" not in result.stderr


def test_user_agent_names_the_project_and_contact(site: SampleSite, archive: Path) -> None:
    with FaultProxy(site.url) as proxy:
        crawl(archive, f"site={proxy.url}", MPCRAWL_CONTACT_URL="https://example.org/who")
        agents = {headers.get("User-Agent") for _, _, headers in proxy.log}
    assert agents == {"mpcrawl/0.1.0 (+https://example.org/who)"}


def test_an_api_without_wp_v2_is_rest_closed(small_site: SampleSite, archive: Path) -> None:
    page = b"<html><head><link href='/wp-content/themes/x.css'></head><body>Hi</body></html>"
    rules = [
        Rule("/about/", 200, page, {"Content-Type": "text/html"}),
        Rule("/wp-json/", 200, b'{"namespaces":["oembed/1.0"],"routes":{"/":{}}}'),
    ]
    with FaultProxy(small_site.url, rules) as proxy:
        result = crawl(archive, f"site={proxy.url}/about/")
    assert result.returncode == 0
    kind, reason = outcome(archive)
    assert kind == "rest_closed" and "wp/v2" in (reason or "")


# --- what Twisted's download handler decides: one ``scrapy crawl`` process, five sites ---


@dataclass
class Process:
    """One real ``scrapy crawl`` over five sites, each behind its own fault (or none
    listening): what each site ended with is read per site from the one archive."""

    result: subprocess.CompletedProcess[str]
    archive: Path
    proxies: dict[str, FaultProxy]
    closed_port: int
    total_posts: int  # the sample site's
    total: int  # its posts and pages, as progress counts them

    def site(self, fault: str) -> str:
        port = self.closed_port if fault == "closed" else self.proxies[fault].server.server_port
        return f"127.0.0.1_{port}"

    def outcome(self, fault: str) -> tuple[str, str | None]:
        sql = "SELECT outcome, reason FROM runs WHERE site = ?"
        [row] = read(self.archive).execute(sql, [self.site(fault)]).fetchall()
        return row

    def posts(self, fault: str) -> int:
        sql = "SELECT count(*) FROM posts WHERE post_type = 'post' AND site = ?"
        return int(read(self.archive).execute(sql, [self.site(fault)]).fetchall()[0][0])

    def finished(self, fault: str) -> str:
        """What the site's ``site finished:`` line says after the site's name."""
        mark = f"site finished: {self.site(fault)}: "
        return next(line for line in self.result.stderr.splitlines() if mark in line).split(mark)[1]


def faults() -> dict[str, Rule]:
    return {
        "resets": Rule(POSTS_PAGE_2, reset=True, times=2),
        "always-resets": Rule(POSTS_PAGE_2, reset=True),
        "oversized": Rule(POSTS_PAGE_2, 200, b"[" + b" " * 1_200_000 + b"]"),
        "slow": Rule("rest_route=/wp/v2/posts&per_page=100&page=3", delay=2),
    }


@pytest.fixture(scope="module")
def process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """The sites of the tests below in one ``scrapy crawl`` (a process costs three
    in-process crawls): the exit status is 1, as one site failing makes it."""
    archive = tmp_path_factory.mktemp("faults") / "archive"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with contextlib.ExitStack() as stack:
        upstream = stack.enter_context(SampleSite())
        proxies = {
            fault: stack.enter_context(FaultProxy(upstream.url, [rule]))
            for fault, rule in faults().items()
        }
        urls = [proxy.url for proxy in proxies.values()] + [f"http://127.0.0.1:{closed_port}/"]
        result = crawl_process(
            archive,
            "sites_csv=url\n" + "\n".join(urls) + "\n",
            MPCRAWL_PROGRESS_INTERVAL="0.5",
            DOWNLOAD_MAXSIZE="1000000",  # the sample site's pages of 100 posts are 400 kB
        )
        posts = upstream.total_posts
        total = posts + len(list(upstream.pages.visible()))
        yield Process(result, archive, proxies, closed_port, posts, total)


def test_a_run_where_a_site_failed_exits_1(process: Process) -> None:
    assert process.result.returncode == 1, process.result.stderr[-3000:]
    assert "summary of 5 sites" in process.result.stderr


def test_closed_port_is_unreachable_with_a_one_line_reason(process: Process) -> None:
    kind, reason = process.outcome("closed")
    assert kind == "unreachable"
    assert reason is not None and "\n" not in reason and "Connection refused" in reason


def test_oversized_response_is_recorded(process: Process) -> None:
    kind, reason = process.outcome("oversized")
    assert kind == "partial" and reason is not None and "page=2" in reason
    assert process.finished("oversized").startswith("partial;")


def test_connection_resets_are_retried(process: Process) -> None:
    assert len(process.proxies["resets"].arrived(POSTS_PAGE_2)) == 3
    assert process.outcome("resets") == ("ok", None)
    assert process.posts("resets") == process.total_posts


def test_a_host_that_always_resets_is_recorded(process: Process) -> None:
    kind, reason = process.outcome("always-resets")
    assert kind == "partial" and reason is not None and "page=2" in reason


def test_progress_is_logged_while_a_site_is_crawled(process: Process) -> None:
    mark = f"progress: {process.site('slow')}: "
    progress = [line for line in process.result.stderr.splitlines() if mark in line]
    assert progress and f"/{process.total} posts archived" in progress[-1]
    assert process.outcome("slow")[0] == "ok"
