"""The REST plan offline: real WordPress and sample-site bodies, no server, no engine.

Each test drives :class:`mpcrawl.plans.rest.RestPlan` through the harness's canned site
and reads what the user would see of it: the items, the requests, the run's verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mpcrawl.archive.state import SiteState
from mpcrawl.items import RestObject, TombstoneItem
from mpcrawl.plans.rest.site import FailureKind, RequestFailed
from tests.plans.harness import ROOT, Answer, Site, fixture, plan_for, wordpress
from tests.sample_data import bundle

POSTS = len(bundle()["posts"]) + len(bundle()["pages"])


def routes(site: Site) -> list[str]:
    return [u.split("/wp/v2/")[1].split("?")[0] for u in site.asked if "/wp/v2/" in u]


def test_a_first_run_reads_every_collection_and_ends_ok(tmp_path: Path) -> None:
    site = Site(wordpress())
    plan, run = plan_for(tmp_path, site)
    site.take(plan.start())
    site.serve(plan)
    assert run.api is not None and run.api.root_url == ROOT
    posts = [i for i in site.items if isinstance(i, RestObject) and i.kind == "post"]
    assert len(posts) == POSTS
    assert {"categories", "tags", "users", "media"} <= set(routes(site))
    assert run.verdict.final() == ("ok", None) and run.verdict.routes_skipped == []
    assert run.tally.revisions_closed  # one 401, then no more revisions requests
    assert sum(1 for r in routes(site) if r.endswith("/revisions")) == 1


def test_users_refused_by_robots_txt_is_skipped_and_named(tmp_path: Path) -> None:
    users = RequestFailed(f"{ROOT}wp/v2/users", "refused", "robots.txt forbids it")
    site = Site(wordpress({"users": users}))
    plan, run = plan_for(tmp_path, site)
    site.take(plan.start())
    site.serve(plan)
    assert run.verdict.final() == ("ok", None)
    assert run.verdict.routes_skipped == [f"users: robots.txt forbids {ROOT}wp/v2/users"]
    assert len([i for i in site.items if isinstance(i, RestObject) and i.kind == "post"]) == POSTS


@pytest.mark.parametrize("route", ["categories", "media"])
def test_a_failed_optional_route_is_skipped_not_partial(tmp_path: Path, route: str) -> None:
    site = Site(wordpress({route: (500, "<html>oops</html>", {})}))
    plan, run = plan_for(tmp_path, site)
    site.take(plan.start())
    site.serve(plan)
    assert run.verdict.final() == ("ok", None)
    assert [line.split(":")[0] for line in run.verdict.routes_skipped] == [route]


def test_the_posts_collection_refused_by_robots_txt_decides_the_outcome(tmp_path: Path) -> None:
    posts = RequestFailed(f"{ROOT}wp/v2/posts", "refused", "robots.txt forbids it")
    site = Site(wordpress({"posts": posts}))
    plan, run = plan_for(tmp_path, site)
    site.take(plan.start())
    site.serve(plan)
    assert run.verdict.final() == ("robots_disallowed", f"robots.txt forbids {ROOT}wp/v2/posts")


@pytest.mark.parametrize(
    ("kind", "message", "outcome"),
    [
        ("failed", "ConnectionLost: gone", "partial"),  # the walk is incomplete
        ("timeout", "DownloadTimeoutError: took too long", "ok"),  # asked for in halves
    ],
)
def test_a_page_of_posts_without_an_answer(
    tmp_path: Path, kind: FailureKind, message: str, outcome: str
) -> None:
    answer = wordpress()

    def failing(url: str) -> Answer:
        if "/wp/v2/posts?" in url and "per_page=100&page=2&" in url:
            return RequestFailed(url, kind, message)
        return answer(url)

    site = Site(failing)
    plan, run = plan_for(tmp_path, site)
    site.take(plan.start())
    site.serve(plan)
    posts = {i.data["id"] for i in site.items if isinstance(i, RestObject) and i.kind == "post"}
    assert run.verdict.final()[0] == outcome
    if outcome == "ok":
        assert [u for u in site.asked if "per_page=50" in u] and len(posts) == POSTS
    else:
        assert message in (run.verdict.final()[1] or "") and len(posts) < POSTS


def test_a_real_page_of_the_wordpress_fixture_is_read(tmp_path: Path) -> None:
    body = fixture("wp-core-fixture-6.1-beta2-54337", "PostsCollection.json")
    site = Site(wordpress({"posts": (200, body, {})}))
    plan, _ = plan_for(tmp_path, site, types=("posts",))
    site.take(plan.start())
    site.serve(plan)
    posts = [i for i in site.items if isinstance(i, RestObject) and i.kind == "post"]
    assert [p.data["id"] for p in posts] == [p["id"] for p in json.loads(body)]


GONE = 999999  # archived, and no longer listed by the site
ARCHIVED = SiteState.of(("post", GONE, 1_700_000_000_000_000))


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
    site = Site(wordpress({f"posts/{GONE}": (status, fixture("errors", name), {})}))
    plan, run = plan_for(tmp_path, site, types=("posts",))
    site.take(plan.start())
    site.step()  # the home page: the API root, the (empty) archive's state, the walks
    run.state = ARCHIVED
    site.serve(plan)
    stones = [i for i in site.items if isinstance(i, TombstoneItem)]
    assert [(s.id, s.reason) for s in stones] == [(GONE, reason)]
    assert run.tally.tombstones_new == 1


def test_without_a_link_the_probes_find_the_root_and_discover_stops_there(
    tmp_path: Path,
) -> None:
    index = fixture("wp-core-fixture-6.7-alpha-58576", "Schema.json")

    def answer(url: str) -> Answer:
        if url == ROOT:
            return 200, index, {}
        return 200, "<html><body>no link</body></html>", {"Content-Type": "text/html"}

    site = Site(answer)
    plan, run = plan_for(tmp_path, site, discover=True)
    site.take(plan.start())
    site.serve(plan)
    assert run.api is not None and run.api.root_url == ROOT
    assert site.asked[1] == ROOT and len(site.asked) == 2  # discover=1 stops at the root
    assert run.verdict.final() == ("ok", None)


def test_a_home_page_failing_with_503_is_unreachable(tmp_path: Path) -> None:
    site = Site(lambda url: (503, "<html>busy</html>", {}))
    plan, run = plan_for(tmp_path, site)
    site.take(plan.start())
    site.serve(plan)
    assert run.verdict.final()[0] == "unreachable" and run.api is None
