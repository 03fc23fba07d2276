"""Hostile and broken sites: one bad value costs one row, no false history, bounded work,
nothing off the site, credentials only where they belong (issue 15).

Each test runs ``scrapy crawl wp`` against :class:`~tests.hostileserver.HostileSite`, a
WordPress-shaped server on 127.0.0.x that misbehaves in one way real sites do, and checks
what a user would see: the archive, the run record, the exit status, the server's log.
"""

from __future__ import annotations

import base64
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.crawl import read, scalar
from tests.hostileserver import Hostile, HostileSite, post, revision
from tests.inprocess import crawl

POSTS = "/wp-json/wp/v2/posts?"
FAST_RETRY = {"RETRY_TIMES": "1", "MPCRAWL_RETRY_AFTER_MAX": "0.2"}


def run_row(archive: Path) -> dict[str, Any]:
    con = read(archive)
    cursor = con.execute("SELECT * FROM runs ORDER BY finished_at DESC LIMIT 1")
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone() or (), strict=True))


def count(archive: Path, sql: str) -> int:
    return int(scalar(read(archive), sql))  # type: ignore[arg-type]


def finished_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if "site finished:" in line)


# --- one bad value costs one row ------------------------------------------------------

BAD_VALUES = {
    "year-10000-in-utc": {"date_gmt": "9999-12-31T23:59:59-01:00"},
    "year-0-in-utc": {"modified_gmt": "0001-01-01T00:00:00+01:00"},
    "yesterday": {"date": "yesterday", "date_gmt": "yesterday"},
    "lone-surrogate": {"title": {"rendered": "Hello \ud800 world"}},
    "revision-count": {"_links": {"version-history": [{"count": 3_000_000_000}]}},
    "malformed-url": {
        "link": "http://[::1/broken",
        "content": {"rendered": '<p><a href="http://[::1">x</a> words</p>', "protected": False},
    },
}


@pytest.mark.parametrize("change", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_one_bad_value_costs_only_its_column(archive: Path, change: dict[str, Any]) -> None:
    posts = [post(i) for i in range(1, 31)]
    posts[14] = post(15, **change)
    with HostileSite(Hostile(posts=posts)) as site:
        result = crawl(archive, f"site={site.url}")
    assert result.returncode == 0, result.stderr[-3000:]
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM posts") == 30  # every ordinary post, and the bad one
    bad = con.sql("SELECT id, bad_values, raw_json FROM posts WHERE bad_values IS NOT NULL")
    rows = bad.fetchall()
    assert [r[0] for r in rows] == [15]
    assert {k: json.loads(rows[0][2])[k] for k in change} == change  # kept as the site sent it
    run = run_row(archive)
    assert run["outcome"] == "ok" and run["errors"] == 0 and run["bad_objects"] == 1
    assert "1 with bad values" in finished_line(result.stderr)


def test_bad_values_are_kept_on_every_rerun_and_nothing_is_tombstoned(archive: Path) -> None:
    posts = [post(i) for i in range(1, 31)]
    for i, change in enumerate(BAD_VALUES.values()):
        posts[i * 5] = post(i * 5 + 1, **change)
    with HostileSite(Hostile(posts=posts)) as site:
        first = crawl(archive, f"site={site.url}")
        second = crawl(archive, f"site={site.url}")
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-3000:]
    assert count(archive, "SELECT count(*) FROM posts") == 30
    assert count(archive, "SELECT count(*) FROM posts WHERE bad_values IS NOT NULL") == 6
    assert count(archive, "SELECT count(*) FROM tombstones") == 0
    run = run_row(archive)
    assert run["outcome"] == "ok" and run["posts_new"] == 0 and run["posts_unchanged"] == 30


# --- no false history -----------------------------------------------------------------


def test_a_page_nested_100000_deep_fails_its_walk_and_tombstones_nothing(archive: Path) -> None:
    posts = [post(i) for i in range(1, 151)]
    with HostileSite(Hostile(posts=posts)) as site:
        assert crawl(archive, f"site={site.url}").returncode == 0
        site.hostile.deep_page = 2  # the next run's sweep meets page 2 nested 100,000 deep
        result = crawl(archive, f"site={site.url}", **FAST_RETRY)
        probes = site.requests("/wp-json/wp/v2/posts/")
    assert result.returncode == 1
    assert probes == []  # an incomplete walk probes nothing
    assert count(archive, "SELECT count(*) FROM tombstones") == 0
    assert count(archive, "SELECT count(*) FROM posts_latest") == 150
    run = run_row(archive)
    assert run["outcome"] == "partial" and "too_deep" in (run["reason"] or "")


# --- bounded work ---------------------------------------------------------------------


def test_total_pages_of_a_billion_is_capped_by_the_total(archive: Path) -> None:
    with HostileSite(Hostile(total_pages=1_000_000_000)) as site:
        result = crawl(archive, f"site={site.url}")
        pages = site.requests(POSTS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(pages) == 1  # X-WP-Total 30 fits in one page of 100
    assert count(archive, "SELECT count(*) FROM posts") == 30


def test_total_pages_without_a_total_is_walked_a_few_pages_at_a_time(archive: Path) -> None:
    hostile = Hostile(totals=False, total_pages=1_000_000_000, per_page_cap=10)
    with HostileSite(hostile) as site:
        result = crawl(archive, f"site={site.url}", MPCRAWL_PAGES_IN_FLIGHT="2")
        pages = site.requests(POSTS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert count(archive, "SELECT count(*) FROM posts") == 30
    assert len(pages) <= 4 + 2  # pages 1-3, the past-the-end 400, and at most 2 in flight


def test_the_page_ceiling_ends_the_site_partial(archive: Path) -> None:
    hostile = Hostile(posts=[post(i) for i in range(1, 201)], per_page_cap=10)
    with HostileSite(hostile) as site:
        result = crawl(archive, f"site={site.url}", MPCRAWL_MAX_PAGES="5")
        pages = site.requests(POSTS)
    assert result.returncode == 1
    assert len(pages) == 5
    run = run_row(archive)
    assert run["outcome"] == "partial" and "MPCRAWL_MAX_PAGES" in (run["reason"] or "")
    assert count(archive, "SELECT count(*) FROM posts") == 50


def test_revisions_total_pages_of_a_billion_is_capped(archive: Path, tmp_path: Path) -> None:
    posts = [post(1, revisions=2), *(post(i) for i in range(2, 31))]
    hostile = Hostile(
        posts=posts,
        revisions={1: [revision(1, 101), revision(1, 102)]},
        revisions_total_pages=1_000_000_000,
        auth=("editor", "app-password"),
    )
    with HostileSite(hostile) as site:
        netrc = write_netrc(tmp_path, "machine 127.0.0.1 login editor password app-password\n")
        result = crawl(archive, f"site={site.url}", MPCRAWL_NETRC=str(netrc))
        revision_pages = site.requests("/revisions")
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(revision_pages) == 1
    assert count(archive, "SELECT count(*) FROM revisions") == 2


def test_pages_that_repeat_page_one_stop_the_walk(archive: Path) -> None:
    hostile = Hostile(totals=False, repeat_first_page=True, per_page_cap=10)
    with HostileSite(hostile) as site:
        result = crawl(archive, f"site={site.url}")
        pages = site.requests(POSTS)
    assert result.returncode == 1
    assert 2 <= len(pages) <= 4
    run = run_row(archive)
    assert run["outcome"] == "partial" and "repeats" in (run["reason"] or "")
    assert count(archive, "SELECT count(*) FROM posts") == 10
    assert count(archive, "SELECT count(*) FROM tombstones") == 0


def test_the_request_budget_ends_the_site_partial(archive: Path) -> None:
    hostile = Hostile(posts=[post(i) for i in range(1, 501)], per_page_cap=10, totals=False)
    with HostileSite(hostile) as site:
        result = crawl(archive, f"site={site.url}", MPCRAWL_SITE_MAX_REQUESTS="12")
        requests = len(site.requests())
    assert result.returncode == 1
    assert requests <= 12
    run = run_row(archive)
    assert run["outcome"] == "partial" and "MPCRAWL_SITE_MAX_REQUESTS" in (run["reason"] or "")
    assert count(archive, "SELECT count(*) FROM tombstones") == 0


def test_the_time_budget_ends_the_site_partial(archive: Path) -> None:
    hostile = Hostile(posts=[post(i) for i in range(1, 501)], per_page_cap=10, delay=0.3)
    with HostileSite(hostile) as site:
        started = time.monotonic()
        result = crawl(archive, f"site={site.url}", MPCRAWL_SITE_MAX_SECONDS="3")
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    run = run_row(archive)
    assert run["outcome"] == "partial" and "MPCRAWL_SITE_MAX_SECONDS" in (run["reason"] or "")
    assert (run["finished_at"] - run["started_at"]).total_seconds() < 10


# --- completeness and outcomes --------------------------------------------------------


def test_a_per_page_cap_without_totals_is_walked_to_the_end(archive: Path) -> None:
    hostile = Hostile(posts=[post(i) for i in range(1, 501)], per_page_cap=10, totals=False)
    with HostileSite(hostile) as site:
        first = crawl(archive, f"site={site.url}")
        second = crawl(archive, f"site={site.url}")
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-3000:]
    assert count(archive, "SELECT count(*) FROM posts") == 500
    assert count(archive, "SELECT count(*) FROM tombstones") == 0
    run = run_row(archive)
    assert run["outcome"] == "ok" and run["posts_unchanged"] == 500


def test_rate_limiting_that_never_lifts_is_a_failure(archive: Path) -> None:
    with HostileSite(Hostile(too_many=True)) as site:
        result = crawl(archive, f"site={site.url}", **FAST_RETRY)
    assert result.returncode == 1
    run = run_row(archive)
    assert run["outcome"] in ("unreachable", "partial") and "429" in (run["reason"] or "")


def test_one_sites_retry_after_never_holds_another_sites_requests(
    archive: Path, tmp_path: Path
) -> None:
    slow = [HostileSite(Hostile(too_many=True, retry_after="5")) for _ in range(16)]
    good = HostileSite()
    for site in [*slow, good]:
        site.__enter__()
    try:
        sites = tmp_path / "sites.csv"
        sites.write_text("url\n" + "".join(f"{s.url}\n" for s in [*slow, good]))
        result = crawl(archive, f"sites={sites}", RETRY_TIMES="1")
        started = min(site.log[0].at for site in slow)
        first_good = good.log[0].at - started
        waits = [b.at - a.at for site in slow for a, b in zip(site.log, site.log[1:], strict=False)]
    finally:
        for site in [*slow, good]:
            site.__exit__()
    assert first_good < 3  # was 42 s: the waits held every download slot
    assert max(waits) >= 4.5  # and each rate-limited site did wait its Retry-After
    con = read(archive)
    outcomes = dict(con.sql("SELECT site, outcome FROM runs").fetchall())
    assert outcomes[f"127.0.0.1_{good.port}"] == "ok"
    assert result.returncode == 1


# --- requests stay on the site --------------------------------------------------------


def test_robots_redirect_is_followed_to_robots_txt_only(archive: Path) -> None:
    with HostileSite(host="127.0.0.3") as third:
        redirects = {"/robots-from-A": f"{third.url}/internal-admin?delete=all"}
        with (
            HostileSite(Hostile(redirects=redirects), host="127.0.0.2") as other,
            HostileSite(Hostile(robots_location=f"{other.url}/robots-from-A?x=1")) as site,
        ):
            result = crawl(archive, f"site={site.url}")
            off_site = [r.path for r in other.log + third.log]
    assert result.returncode == 0, result.stderr[-3000:]
    assert off_site == []
    assert count(archive, "SELECT count(*) FROM posts") == 30


def test_robots_redirect_to_another_hosts_robots_txt_is_obeyed(archive: Path) -> None:
    with (
        HostileSite(Hostile(robots="User-agent: *\nDisallow: /\n"), host="127.0.0.2") as other,
        HostileSite(Hostile(robots_location=f"{other.url}/robots.txt")) as site,
    ):
        result = crawl(archive, f"site={site.url}")
        asked = [r.path for r in other.log]
    assert asked == ["/robots.txt"]
    assert run_row(archive)["outcome"] == "robots_disallowed", result.stderr[-3000:]


# --- credentials ----------------------------------------------------------------------


def write_netrc(folder: Path, text: str) -> Path:
    path = folder / "netrc"
    path.write_text(text)
    path.chmod(0o600)
    return path


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def revisions_site(**knobs: Any) -> Hostile:
    posts = [post(1, revisions=2), *(post(i) for i in range(2, 31))]
    return Hostile(posts=posts, revisions={1: [revision(1, 101), revision(1, 102)]}, **knobs)


def test_the_netrc_entry_for_host_and_port_wins(archive: Path, tmp_path: Path) -> None:
    with HostileSite(revisions_site(auth=("port-user", "port-pass"))) as site:
        netrc = write_netrc(
            tmp_path,
            "machine 127.0.0.1 login host-user password host-pass\n"
            f"machine 127.0.0.1:{site.port} login port-user password port-pass\n",
        )
        result = crawl(archive, f"site={site.url}", MPCRAWL_NETRC=str(netrc))
        sent = {r.authorization for r in site.log if r.authorization}
    assert result.returncode == 0, result.stderr[-3000:]
    assert sent == {basic("port-user", "port-pass")}
    assert count(archive, "SELECT count(*) FROM revisions") == 2


def test_a_netrc_default_entry_is_never_used(archive: Path, tmp_path: Path) -> None:
    with HostileSite(revisions_site(auth=("anyone", "default-pass"))) as site:
        netrc = write_netrc(tmp_path, "default login anyone password default-pass\n")
        result = crawl(archive, f"site={site.url}", MPCRAWL_NETRC=str(netrc))
        sent = [r for r in site.log if r.authorization]
    assert result.returncode == 0, result.stderr[-3000:]
    assert sent == []
    assert run_row(archive)["revisions_closed"] is True


def test_credentials_go_only_to_the_revisions_route_of_the_sites_own_posts(
    archive: Path, tmp_path: Path
) -> None:
    hostile_type = {"slug": "book", "rest_base": "../../wp-admin/admin-ajax.php?action=x&"}
    hostile = revisions_site(
        auth=("editor", "app-password"),
        types={"post": {"slug": "post", "rest_base": "posts"}, "book": hostile_type},
        collections={"/wp-admin/admin-ajax.php": [post(900, revisions=3)]},
        redirects={"/wp-json/wp/v2/posts/2/revisions": "/wp-admin/options.php"},
    )
    hostile.posts[1] = post(2, revisions=1)
    with HostileSite(hostile) as site:
        netrc = write_netrc(tmp_path, "machine 127.0.0.1 login editor password app-password\n")
        result = crawl(archive, f"site={site.url}", "types=posts,book", MPCRAWL_NETRC=str(netrc))
        with_auth = [r.path for r in site.log if r.authorization]
        ajax = site.requests("/wp-admin/")
    assert with_auth and all(
        re.fullmatch(r"/wp-json/wp/v2/posts/\d+/revisions\?.*", p) for p in with_auth
    ), with_auth
    assert all(r.authorization is None for r in ajax)
    assert count(archive, "SELECT count(*) FROM revisions") == 2, result.stderr[-3000:]
