"""WordPress 7.1 with its REST API closed, on its default theme, archived from its pages.

twentytwentyfive's single-post template prints no date of the post itself; its "More
posts" block prints the newest posts' ``<time>``: a post's ``date_gmt`` must never be one
of those (issue 23: 298 of 299 posts got the newest post's date). The fixture serves 60
posts (``MPCRAWL_WORDPRESS71_POSTS=300`` for the scale the issue was found at).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.web.figures import Truth, measure
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
    assert f.date_wrong == 0  # the page prints no date of its own: none is taken
    assert f.similar_99 == n
