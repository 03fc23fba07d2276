"""ArchivePipeline and the ledger's end of a site, fed items in the test process."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mpcrawl.items import PostItem
from mpcrawl.pipelines.archive import ArchivePipeline
from mpcrawl.pipelines.extract import ExtractPipeline
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.read import connect
from mpcrawl.sitelist import SiteEntry
from tests.inprocess import ledger
from tests.sample_data import SITE, bundle, rest


def posts(count: int) -> list[PostItem]:
    normalise, items = NormalisePipeline(), []
    for data in bundle()["posts"][:count]:
        item = normalise.process_item(rest("post", data, "post"))
        assert isinstance(item, PostItem)
        items.append(item)
    return items


def test_a_site_is_written_only_once_its_items_have_settled(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    archive = tmp_path / "archive"
    site_ledger = ledger(archive)
    run = site_ledger.open_site(SiteEntry(SITE, f"https://{SITE}/", {"party": "Green"}))
    assert run is not None
    assert (archive / "_locks" / f"{SITE}.lock").exists()
    pipeline = ArchivePipeline(site_ledger)
    extract = ExtractPipeline(site_ledger.crawler)
    items = posts(3)
    run.items_yielded = len(items)
    site_ledger.crawl_done(run)
    assert not run.finished  # three items are still in the pipelines
    with caplog.at_level(logging.INFO, logger="mpcrawl.ledger"):
        for item in items:
            site_ledger.item_settled(pipeline.process_item(extract.process_item(item)))
    assert run.finished
    assert not (archive / "_locks" / f"{SITE}.lock").exists()
    con = connect(str(archive))
    assert con.sql("SELECT count(*) FROM posts").fetchall() == [(3,)]
    assert con.sql("SELECT outcome, party FROM sites").fetchall() == [("ok", "Green")]
    assert con.sql("SELECT outcome, run_id FROM runs").fetchall() == [("ok", site_ledger.run_id)]
    assert site_ledger.crawler.stats.get_value("mpcrawl/site/ok") == 1
    line = site_ledger.summary[0]
    assert line.startswith(f"{SITE}: ok; 0 new / 0 unchanged posts, 0 requests, 0 errors")
    finished = [r.getMessage() for r in caplog.records if "site finished" in r.getMessage()]
    assert finished == [f"site finished: {line}"]


def test_closing_records_unfinished_sites_as_partial_and_unlocks(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    site_ledger = ledger(archive)
    run = site_ledger.open_site(SiteEntry(SITE, f"https://{SITE}/"))
    assert run is not None
    pipeline = ArchivePipeline(site_ledger)
    for item in posts(2):
        pipeline.process_item(item)
    site_ledger.spider_closed()
    con = connect(str(archive))
    assert con.sql("SELECT count(*) FROM posts").fetchall() == [(2,)]
    assert con.sql("SELECT outcome, reason FROM runs").fetchall() == [
        ("partial", "run cut short before the site finished")
    ]
    assert con.sql("SELECT count(*) FROM sites").fetchall() == [(0,)]
    assert list((archive / "_locks").glob("*.lock")) == []


def test_a_site_locked_by_another_run_is_recorded_locked(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    holder, second = ledger(archive), ledger(archive)
    assert holder.open_site(SiteEntry(SITE, f"https://{SITE}/")) is not None
    assert second.open_site(SiteEntry(SITE, f"https://{SITE}/")) is None
    assert second.crawler.stats.get_value("mpcrawl/site/locked") == 1
    second.spider_closed()
    assert (archive / "_locks" / f"{SITE}.lock").exists()  # still the holder's
    outcomes = connect(str(archive)).sql("SELECT outcome FROM runs").fetchall()
    assert outcomes == [("locked",)]
