"""The one place that decides a site's outcome and counts (``mpcrawl.verdict``), read
through the run record the user sees."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mpcrawl.items import RunItem
from mpcrawl.sitelist import load
from mpcrawl.siterun import SiteRun, run_record
from mpcrawl.verdict import OPTIONAL_ROUTES, Decided, FallbackCounts, Route
from mpcrawl.wp.urls import ApiRoot

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def site_run() -> SiteRun:
    return SiteRun(load(site="https://e.org/").entries[0], NOW, {"e.org"})


def record(run: SiteRun) -> RunItem:
    outcome, reason = run.verdict.final()
    return run_record(run, "r1", NOW, outcome, reason)


@pytest.mark.parametrize("route", sorted(OPTIONAL_ROUTES))
def test_an_optional_route_refused_or_failed_is_named_never_the_outcome(route: Route) -> None:
    run = site_run()
    run.verdict.refused(route, "https://e.org/wp-json/wp/v2/x")
    run.verdict.failed(route, "https://e.org/wp-json/wp/v2/x: 500", name="x")
    row = record(run)
    assert (row.outcome, row.reason, row.errors) == ("ok", None, 0)
    assert row.routes_skipped == [
        f"{route}: robots.txt forbids https://e.org/wp-json/wp/v2/x",
        "x: https://e.org/wp-json/wp/v2/x: 500",
    ]


def test_the_main_collection_refused_decides_and_the_first_decision_stands() -> None:
    run = site_run()
    run.verdict.refused("collection", "https://e.org/wp-json/wp/v2/posts")
    run.verdict.decide("rest_closed", "later")
    run.verdict.failed("collection", "a page failed")
    row = record(run)
    assert (row.outcome, row.errors) == ("robots_disallowed", 1)
    assert row.reason == "robots.txt forbids https://e.org/wp-json/wp/v2/posts"


def test_an_archive_failure_overrides_a_decision_and_keeps_its_first_cause() -> None:
    run = site_run()
    run.verdict.decide("rest_closed", "closed")
    assert run.verdict.archive_failed("archive: disk full")
    assert not run.verdict.archive_failed("archive: later")
    assert run.verdict.final() == ("error", "archive: disk full")


def test_the_fallbacks_counts_are_added_beside_the_rest_paths() -> None:
    run = site_run()
    run.api = ApiRoot.parse("https://e.org/wp-json/")
    run.tally.add("posts_new", 3)  # REST posts and fallback pages, new (dedupe)
    run.tally.add("posts_unchanged", 2)  # the REST plan's sweep
    run.tally.add("pages_found", 5)  # fallback pages fetched that are publications
    run.tally.add("pages_unchanged", 1)  # ... fetched again with the same version
    run.verdict.decide("rest_closed", "posts: 401")
    # the plan's own: 4 pages settled without a fetch (lastmod, 304), 1 tombstone
    counts = FallbackCounts("sitemap", 10, 4, 4, 1, errors=["a page: 500", "b page: 500"])
    run.verdict.fallback_finished(counts, discover=False)
    row = record(run)
    assert (row.posts_new, row.posts_unchanged, row.tombstones_new) == (3, 7, 1)
    assert (row.source, row.pages_listed, row.pages_found) == ("sitemap", 10, 9)
    assert (row.outcome, row.reason) == ("partial", "fallback: a page: 500 (and 1 more)")


def test_a_spent_budget_is_partial_and_no_walk_vouches_any_more() -> None:
    run = site_run()
    run.verdict.stop("MPCRAWL_SITE_MAX_REQUESTS=5 requests reached")
    assert run.verdict.distrusted is not None
    assert run.verdict.final() == ("partial", "MPCRAWL_SITE_MAX_REQUESTS=5 requests reached")


@pytest.mark.parametrize("discover", [False, True])
def test_a_listing_that_may_miss_publications_is_no_settled_site(discover: bool) -> None:
    run = site_run()
    run.verdict.decide("not_wordpress", "no WordPress REST API found")
    gap = "only a feed, which names the newest pages (no sitemap, no crawl)"
    run.verdict.fallback_finished(
        FallbackCounts("feed", 10, 0, 0, 0, incomplete=gap), discover=discover
    )
    row = record(run)
    assert (row.source, row.listing_complete, row.errors) == ("feed", False, 0)
    if discover:  # a survey fetches no page: it says what a crawl would use
        assert (row.outcome, row.reason) == ("not_wordpress", "no WordPress REST API found")
    else:
        assert (row.outcome, row.reason) == ("partial", f"listing incomplete: {gap}")


def test_a_complete_crawl_of_the_listings_is_a_settled_site() -> None:
    run = site_run()
    run.verdict.decide("not_wordpress", "no WordPress REST API found")
    run.verdict.fallback_finished(FallbackCounts("crawl", 300, 0, 0, 0), discover=False)
    row = record(run)
    assert (row.outcome, row.source, row.listing_complete) == ("not_wordpress", "crawl", True)
    assert record(site_run()).listing_complete is None  # no fallback: nothing to say


@pytest.mark.parametrize("decided", ["rest_closed", "not_wordpress", "robots_disallowed"])
def test_a_site_the_fallback_reads_that_lost_a_page_is_partial_never_settled(
    decided: Decided,
) -> None:
    run = site_run()
    run.verdict.decide(decided, "closed")
    run.verdict.fallback_finished(FallbackCounts("sitemap", 30, 30, 0, 0), discover=False)
    assert record(run).outcome == decided  # a fallback that lost nothing keeps the decision
    run.verdict.item_failed("pipeline error on a WebPageItem: boom")
    row = record(run)
    assert (row.outcome, row.errors) == ("partial", 1)
    assert row.reason == f"{decided}, then pipeline error on a WebPageItem: boom"
