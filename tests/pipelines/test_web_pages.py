"""The fallback path's pages through the item pipelines, in the test process.

Real pages served by the sample site (its posts' HTML pages and its home page) go through
normalise, dedupe, extract and archive as the fallback plan yields them: listings are no
publications, a version the ledger's web state holds is dropped, embeds and turns are the
ones the REST path finds for the same post, and the next run's ledger knows the version.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse

from mpcrawl.items import PostItem
from mpcrawl.ledger import SiteLedger
from mpcrawl.pipelines import PipelineItem
from mpcrawl.pipelines.archive import ArchivePipeline
from mpcrawl.pipelines.dedupe import DedupePipeline
from mpcrawl.pipelines.extract import ExtractPipeline
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.read import connect
from mpcrawl.sample.server import SampleSite
from mpcrawl.sitelist import SiteEntry
from mpcrawl.siterun import SiteRun
from mpcrawl.web.items import FetchedPage, WebPageItem
from tests.inprocess import ledger
from tests.sample_data import bundle, rest

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    with SampleSite() as sample:
        yield sample


def fetched(url: str, site: str) -> FetchedPage:
    """The page at ``url`` as the fallback plan yields it from Scrapy's response."""
    with urllib.request.urlopen(url) as answer:
        response = HtmlResponse(
            answer.url, status=answer.status, headers=dict(answer.headers), body=answer.read()
        )
    return FetchedPage(
        site=site,
        source="sitemap",
        url=url,
        final_url=response.url,
        html=response.text,
        body=response.body,
        lastmod=None,
        etag=None,
        last_modified=None,
        fetched_at=NOW,
        run_id="r1",
    )


class Flow:
    """The four pipelines in ``ITEM_PIPELINES`` order, on one ledger's open site."""

    def __init__(self, archive: Path, site: str) -> None:
        self.ledger: SiteLedger = ledger(archive)
        run = self.ledger.open_site(SiteEntry(site, f"http://{site}/"))
        assert run is not None
        self.run: SiteRun = run
        assert self.ledger.load_web_state(run) is not None
        self.steps: list[Callable[[PipelineItem], PipelineItem]] = [
            NormalisePipeline(self.ledger).process_item,
            DedupePipeline(self.ledger.crawler, self.ledger).process_item,
            ExtractPipeline(self.ledger.crawler).process_item,
            ArchivePipeline(self.ledger).process_item,
        ]

    def __call__(self, item: PipelineItem) -> PipelineItem:
        """The item as it leaves the last pipeline (DropItem as raised by one)."""
        self.run.items_yielded += 1
        try:
            for step in self.steps:
                item = step(item)
        finally:
            self.ledger.item_settled(item)
        return item

    def finish(self) -> None:
        self.ledger.crawl_done(self.run)
        self.ledger.close_all("test over")


def with_embed_and_turns() -> dict[str, Any]:
    for post in bundle()["posts"]:
        html = post["content"]["rendered"]
        if "youtube.com/embed" in html and "<strong>" in html:
            return dict(post)
    raise AssertionError("the sample site has a post with a video and speaker turns")


def rest_post(post: dict[str, Any], crawler: Crawler) -> PostItem:
    """The same post as the REST path archives it."""
    row = ExtractPipeline(crawler).process_item(
        NormalisePipeline().process_item(rest("post", post, "post"))
    )
    assert isinstance(row, PostItem)
    return row


def test_a_listing_is_no_publication(site: SampleSite, tmp_path: Path) -> None:
    name = site.url.removeprefix("http://").replace(":", "_")
    flow = Flow(tmp_path / "archive", name)
    with pytest.raises(DropItem, match="Not a publication"):
        flow(fetched(site.url + "/", name))
    assert flow.run.tally.pages_found == 0


def test_a_page_of_a_type_not_asked_for_is_dropped(tmp_path: Path) -> None:
    body = (
        "<html><head><title>About</title><link rel='shortlink' href='/?p=7'></head>"
        '<body class="page-template-default page page-id-7"><div class="entry-content">'
        "<p>About me.</p></div></body></html>"
    )
    page = FetchedPage(
        "ex.org", "sitemap", "https://ex.org/about/", "https://ex.org/about/", body,
        body.encode(), None, None, None, NOW, "r1", post_types=frozenset(("post",)),
    )  # fmt: skip
    with pytest.raises(DropItem, match="Not a publication"):
        NormalisePipeline().process_item(page)
    row = NormalisePipeline().process_item(replace(page, post_types=frozenset(("page",))))
    assert isinstance(row, WebPageItem) and (row.post_type, row.id) == ("page", 7)


def test_a_post_page_is_archived_once_with_the_rest_paths_embeds_and_turns(
    site: SampleSite, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    name = site.url.removeprefix("http://").replace(":", "_")
    post = with_embed_and_turns()
    url = f"{site.url}/?p={post['id']}"

    flow = Flow(archive, name)
    row = flow(fetched(url, name))
    assert isinstance(row, WebPageItem)
    stats = flow.ledger.crawler.stats
    assert stats.get_value("mpcrawl/embeds/youtube") == row.embed_count  # new versions only
    want = rest_post(post, ledger(tmp_path / "rest").crawler)
    assert (row.id, row.title, row.source) == (post["id"], want.title, "sitemap")
    assert row.embed_count == want.embed_count and row.embed_count
    assert [e["video_id"] for e in row.embeds] == [e["video_id"] for e in want.embeds]
    assert [(t["speaker"], t["text"]) for t in row.turns] == [
        (t["speaker"], t["text"]) for t in want.turns
    ]
    with pytest.raises(DropItem, match="Archived page version"):
        flow(fetched(url, name))  # listed twice: written once
    tally = flow.run.tally
    assert (tally.posts_new, tally.pages_unchanged, tally.pages_found) == (1, 1, 2)
    assert stats.get_value("mpcrawl/fallback/pages_new") == 1
    assert stats.get_value("mpcrawl/fallback/pages_unchanged") == 1
    assert stats.get_value("mpcrawl/embeds/youtube") == row.embed_count
    flow.finish()

    con = connect(str(archive))
    assert con.sql("SELECT url, id, turn_count FROM web_pages").fetchall() == [
        (url, post["id"], len(want.turns))
    ]
    second = Flow(archive, name)  # the next run: the ledger's web state knows the version
    with pytest.raises(DropItem, match="Archived page version"):
        second(fetched(url, name))
    assert (second.run.tally.posts_new, second.run.tally.pages_unchanged) == (0, 1)
