"""No false history, in the test process: any failure on the way makes a walk incomplete,
and an incomplete walk tombstones nothing, even for a probe already sent."""

from __future__ import annotations

from pathlib import Path

from mpcrawl.archive.state import SiteState
from mpcrawl.items import PostItem, TombstoneItem
from mpcrawl.ledger import SiteLedger
from mpcrawl.plans.rest.site import RequestFailed
from mpcrawl.plans.rest.walk import ids_to_probe
from tests.plans.harness import Site, fixture, plan_for, wordpress
from tests.sample_data import SITE

GONE = 999999
ARCHIVED = SiteState.of(("post", GONE, 1_700_000_000_000_000))


def test_an_exception_in_a_page_callback_makes_its_walk_incomplete(tmp_path: Path) -> None:
    site = Site(wordpress())
    plan, run = plan_for(tmp_path, site, types=("posts",))
    site.take(plan.start())
    site.step()  # the home page: the walks begin
    run.state = ARCHIVED
    first = site.queue.pop(0)  # page 1 of posts, whose step raises (the spider's parse_step)
    failure = RequestFailed(first.request.url, "failed", "AssertionError handling it: boom")
    site.take(first.on_failure(failure))
    site.serve(plan)
    walk = next(w for w in plan.walks.begun if w.rest_base == "posts")
    assert walk.failed and "AssertionError" in (walk.failure or "")
    assert run.verdict.errors == 1 and ids_to_probe(walk, run.state) == []
    assert not [i for i in site.items if isinstance(i, TombstoneItem)]


def test_a_pipeline_error_turns_back_a_probe_already_sent(tmp_path: Path) -> None:
    gone = fixture("errors", "rest_post_invalid_id-404-en.json")
    site = Site(wordpress({f"posts/{GONE}": (404, gone, {})}))
    plan, run = plan_for(tmp_path, site, types=("posts",))
    site.take(plan.start())
    site.step()
    run.state = ARCHIVED
    while not any(f"posts/{GONE}" in p.request.url for p in site.queue):
        site.step()  # the walk is complete: the probe of GONE is sent
    ledger = plan.site.archive
    assert isinstance(ledger, SiteLedger)
    ledger.item_failed(PostItem(site=SITE, post_type="post", id=2), ValueError("disk"))
    site.serve(plan)
    assert not [i for i in site.items if isinstance(i, TombstoneItem)]
    assert run.tally.tombstones_new == 0 and run.verdict.final()[0] == "partial"
