"""A refused or failed *optional* route never decides a site's outcome (issue 22).

A common hardening rule, ``Disallow: /wp-json/wp/v2/users``, once made a WordPress site
whose every post was archived end ``robots_disallowed`` and start the fallback as well.
Real crawls of the sample site in the test process, read through the archive.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from mpcrawl.read import connect
from mpcrawl.sample.server import ROBOTS_TXT, SampleSite
from tests.inprocess import wp_crawler


def crawl(archive: Path, url: str, **arguments: str) -> dict[str, Any]:
    crawler = wp_crawler(archive)
    asyncio.run(crawler.crawl_async(site=url, **arguments))
    return crawler.stats.get_stats()


def run_row(archive: Path) -> dict[str, Any]:
    con = connect(str(archive))
    rel = con.sql("SELECT * FROM runs ORDER BY finished_at DESC LIMIT 1")
    (values,) = rel.fetchall()
    return dict(zip(rel.columns, values, strict=True))


def test_users_refused_by_robots_txt_is_named_and_the_site_is_ok(tmp_path: Path) -> None:
    with SampleSite() as plain:
        crawl(tmp_path / "plain", plain.url)
    baseline = run_row(tmp_path / "plain")

    with SampleSite() as site:
        site.robots_txt = ROBOTS_TXT + "Disallow: /wp-json/wp/v2/users\n"
        stats = crawl(tmp_path / "archive", site.url)
        asked = list(site.requests)
    row = run_row(tmp_path / "archive")
    total = site.total_posts + sum(1 for _ in site.pages.visible())
    assert (row["outcome"], row["reason"]) == ("ok", None)
    assert row["source"] == "rest"
    assert row["posts_new"] == total == baseline["posts_new"]
    assert row["errors"] == 0
    users = f"{site.url}/index.php?rest_route=/wp/v2/users&per_page=100&page=1&orderby=id&order=asc"
    assert row["routes_skipped"] == [f"users: robots.txt forbids {users}"]
    # no fallback: every request but the refused one, as without the rule
    assert row["requests"] == baseline["requests"] - 1
    assert not any("sitemap" in url or "feed" in url for url in asked)
    assert "mpcrawl/fallback/source/none" not in stats
    assert stats["mpcrawl/site/ok"] == 1
    assert stats["mpcrawl/routes_skipped"] == 1
    con = connect(str(tmp_path / "archive"))
    assert con.sql("SELECT count(*) FROM posts").fetchall() == [(total,)]
