"""One real crawl of the sample site in the test process, read through Scrapy's stats.

``asyncio.run(crawler.crawl_async())`` in Scrapy's reactorless mode: the same spider,
middlewares, pipelines and ledger as ``scrapy crawl``, against the sample server.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from mpcrawl.read import connect
from mpcrawl.sample.server import SampleSite
from tests.inprocess import wp_crawler
from tests.shared import REPO


def documented_stats() -> list[re.Pattern[str]]:
    """The ``mpcrawl/*`` keys of the Stats table (docs/troubleshooting.md), ``<x>`` a wildcard."""
    readme = (REPO / "docs" / "troubleshooting.md").read_text()
    section = readme.split("### Stats", 1)[1].split("\n## ", 1)[0]
    keys = re.findall(r"^\| `(mpcrawl/[^`]+)` \|", section, flags=re.M)
    assert len(keys) > 10
    return [re.compile(re.sub(r"<[^>]+>", "[a-z_]+", re.escape(k)) + "$") for k in keys]


def crawl(archive: Path, url: str) -> dict[str, object]:
    crawler = wp_crawler(archive)
    asyncio.run(crawler.crawl_async(site=url))
    return crawler.stats.get_stats()


def test_a_crawl_then_a_rerun_of_the_sample_site(sample_site: SampleSite, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    first = crawl(archive, sample_site.url)
    assert first["finish_reason"] == "finished"
    assert first["mpcrawl/site/ok"] == 1
    total = sample_site.total_posts + sum(1 for _ in sample_site.pages.visible())
    assert first["mpcrawl/posts/new"] == total
    assert first["mpcrawl/turns"] > 0 and first["mpcrawl/embeds/youtube"] > 0
    assert first["downloader/request_count"] == 11  # docs/ARCHITECTURE.md's request plan
    con = connect(str(archive))
    assert con.sql("SELECT count(*) FROM posts").fetchall() == [(total,)]
    assert con.sql("SELECT outcome, requests FROM runs").fetchall() == [("ok", 11)]

    second = crawl(archive, sample_site.url)
    assert second["mpcrawl/site/ok"] == 1
    assert "mpcrawl/posts/new" not in second
    assert second["downloader/request_count"] == 9  # the sweep: no post object fetched

    documented = documented_stats()
    for key in [k for k in {**first, **second} if k.startswith("mpcrawl/")]:
        assert any(p.match(key) for p in documented), f"{key} is not in the Stats table"
