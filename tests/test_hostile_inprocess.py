"""No false history, in the test process: any failure on the way makes a walk incomplete,
and an incomplete walk tombstones nothing, even for a probe already sent."""

from __future__ import annotations

import json
from pathlib import Path

from mpcrawl.archive.state import SiteState
from mpcrawl.items import PostItem, TombstoneItem
from mpcrawl.siterun import Walk, ids_to_probe
from mpcrawl.spiders.support import Ctx
from mpcrawl.wp.urls import ApiRoot
from tests.sample_data import SITE
from tests.spiders.test_wp import ROOT, call, fixture, opened, response, spider_for

ARCHIVED = SiteState.of(("post", 1, 1), ("post", 2, 1), ("post", 7, 1))


def test_an_exception_in_a_page_callback_makes_its_walk_incomplete(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    run.api, run.state = ApiRoot.parse(ROOT), ARCHIVED
    walk = Walk("posts", "post", post_type=None, started=True)  # a type the callback trips on
    walk.pending.add((100, 1))
    run.walks.append(walk)
    page = json.dumps([{"id": 1, "modified_gmt": "2024-01-01T00:00:00"}])
    url = run.api.collection("posts")
    call(
        spider.parse_page,
        run,
        response(url, page, headers={"X-WP-Total": "1"}),
        Ctx("page", walk=walk),
    )
    assert walk.failed and "AssertionError" in (walk.failure or "")
    assert run.errors == 1 and run.pending == 0
    assert ids_to_probe(walk, run.state) == []


def test_a_pipeline_error_turns_back_a_probe_already_sent(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    run = opened(spider)
    run.api, run.state = ApiRoot.parse(ROOT), ARCHIVED
    walk = Walk("posts", "post", post_type="post", started=True, ended=True, seen={1: 1, 2: 1})
    run.walks.append(walk)
    assert ids_to_probe(walk, run.state) == [7]  # the walk was complete: 7 is probed
    spider.ledger.item_failed(PostItem(site=SITE, post_type="post", id=2), ValueError("disk"))
    assert walk.failed and run.errors == 1
    ctx = Ctx("gone", walk=walk, post_type="post", rest_base="posts", item_id=7)
    body = fixture("errors", "rest_post_invalid_id-404-en.json")
    output = call(spider.parse_gone, run, response(run.api.item("posts", 7), body, 404), ctx)
    assert not [o for o in output if isinstance(o, TombstoneItem)]
    assert run.tombstones_new == 0
