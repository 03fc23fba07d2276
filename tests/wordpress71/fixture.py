"""Pytest fixture ``wordpress71``: WordPress 7.1, API closed, twentytwentyfive, 60 posts.

``MPCRAWL_WORDPRESS71_POSTS`` seeds another number (300 for the benchmark's scale; each
number is cached once); ``wordpress71.posts`` is the number served.

Session scope, on the MariaDB the ``wordpress`` fixture starts (a second database);
skips where that fixture skips, and where ``../shared/platforms`` has no WordPress 7.1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.shared import shared_path
from tests.wordpress.wpserver import WordPress
from tests.wordpress71.wp71server import TEST_POSTS, WordPress71

POSTS_ENV = "MPCRAWL_WORDPRESS71_POSTS"


@pytest.fixture(scope="session")
def wordpress71(
    wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WordPress71]:
    shared_path("platforms", "wordpress-7.1.0.tar.xz")
    posts = int(os.environ.get(POSTS_ENV, TEST_POSTS))
    site = WordPress71(wordpress, tmp_path_factory.mktemp("wordpress71"), posts).start()
    print(f"wordpress71 fixture: {site.timings}")
    try:
        yield site
    finally:
        site.stop()
