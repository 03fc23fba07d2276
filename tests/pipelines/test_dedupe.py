"""DedupePipeline on its own: a version key is written once, counted on the site's run."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from mpcrawl.archive.state import micros
from mpcrawl.items import PostItem, TermItem
from mpcrawl.pipelines.dedupe import DedupePipeline
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.sitelist import SiteEntry
from tests.inprocess import ledger
from tests.sample_data import SITE, bundle, rest


def post(index: int = 0) -> PostItem:
    item = NormalisePipeline().process_item(rest("post", bundle()["posts"][index], "post"))
    assert isinstance(item, PostItem)
    return item


def term() -> TermItem:
    item = NormalisePipeline().process_item(rest("term", bundle()["categories"][0], "category"))
    assert isinstance(item, TermItem)
    return item


def test_a_version_seen_twice_is_dropped_and_counted(tmp_path: Path) -> None:
    site_ledger = ledger(tmp_path / "archive")
    run = site_ledger.open_site(SiteEntry(SITE, f"https://{SITE}/"))
    assert run is not None
    pipeline = DedupePipeline(site_ledger.crawler, site_ledger)
    assert pipeline.process_item(post(0)) is not None
    assert pipeline.process_item(post(1)) is not None
    with pytest.raises(DropItem, match="Archived version"):
        pipeline.process_item(post(0))
    # the run's posts_unchanged has one writer, the REST plan (it sees the sweep's too)
    assert (run.tally.posts_new, run.tally.posts_unchanged) == (2, 0)
    stats = site_ledger.crawler.stats
    assert stats.get_value("mpcrawl/posts/new") == 2
    assert stats.get_value("mpcrawl/posts/unchanged") == 1
    first = post(0)
    assert run.state is not None
    assert run.state.has_version("post", first.id, micros(first.modified_gmt))


def test_with_a_feed_an_archived_version_passes_marked(tmp_path: Path) -> None:
    site_ledger = ledger(tmp_path / "archive")
    pipeline = DedupePipeline(site_ledger.crawler, site_ledger, feeds=True)
    pipeline.process_item(post(0))
    again = pipeline.process_item(post(0))
    assert isinstance(again, PostItem) and again.archived


def test_an_unchanged_term_is_dropped(tmp_path: Path) -> None:
    site_ledger = ledger(tmp_path / "archive")
    pipeline = DedupePipeline(site_ledger.crawler, site_ledger)
    pipeline.process_item(term())
    with pytest.raises(DropItem, match="Unchanged term"):
        pipeline.process_item(term())
