"""WordPress 7.1 with its REST API closed, on its default theme, archived from its pages.

twentytwentyfive's single-post template prints no date of the post itself; its "More
posts" block prints the newest posts' ``<time>``: a post's ``date_gmt`` must never be one
of those (issue 23: 298 of 299 posts got the newest post's date). The feed's pages
(``/feed/?paged=N``) carry every post's ``<pubDate>``: that is its ``date_gmt``, to the
second, and a new post (which moves every entry down the feed's pages) adds one version.
The fixture serves 60 posts (``MPCRAWL_WORDPRESS71_POSTS=300`` for the scale the issue
was found at).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crawl import read, scalar
from tests.web.figures import Truth, crawl_in_process, measure
from tests.wordpress71.wp71server import WordPress71

pytestmark = pytest.mark.slow


def test_wordpress71_with_its_api_closed(wordpress71: WordPress71, tmp_path: Path) -> None:
    manifest = wordpress71.manifest
    n = wordpress71.posts
    assert manifest["wp_version"] == "7.1" and len(manifest["posts"]) == n
    truth = [
        Truth(p["path"], datetime.fromisoformat(p["date_gmt"]), p["content"])
        for p in manifest["posts"]
    ]
    f = measure(tmp_path / "archive", wordpress71.url, truth)
    print(f.line("wordpress 7.1 closed"))
    assert (f.found, f.listings_archived, f.ids, f.types) == (n, 0, n, n)
    assert f.date_exact == n  # from the feed's pages: the page prints none of its own
    assert f.similar_99 == n
    assert f.stats["mpcrawl/fallback/feed_pages"] == -(-n // 10)  # 10 posts a page
    archive = tmp_path / "archive"
    rows = scalar(read(archive), "SELECT count(*) FROM web_pages")

    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # newer than every seeded post
    text = "<p>Jane Example MP opened a new surgery.</p>"
    new_id = wordpress71.add_post("A new post", text, when)
    try:
        stats = crawl_in_process(archive, wordpress71.url)
    finally:
        wordpress71.delete_post(new_id)
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM web_pages") == rows + 1  # the new post alone
    got = con.sql("SELECT id, date_gmt FROM web_pages_latest WHERE title = 'A new post'")
    assert got.fetchall() == [(new_id, when)]
    # the sitemap's lastmod names the new post (and the home page, a listing): the feed's
    # first page dates it
    assert stats["mpcrawl/fallback/feed_pages"] == 1
