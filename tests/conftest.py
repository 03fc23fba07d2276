"""Shared fixtures: the sample site, the real WordPress (once per session), archives.

A fast crawl test crawls in this process (``tests.inprocess.crawl``, see its docstring)
and reads a shared archive where it only reads: ``wordpress_archives`` (the seeded
WordPress in both permalink forms) and ``wordpress_edited_site`` (a fork after an edit, a
trash and a delete) are crawled once per session. Copy one (``shutil.copytree``) before
crawling it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from mpcrawl.sample.server import SampleSite
from tests.wordpress.archives import wordpress_archives, wordpress_edited_site  # noqa: F401
from tests.wordpress.fixture import closed_wordpress, wordpress, wordpress_fork  # noqa: F401

# Property tests check what an input does, not how fast: on a loaded 2-core CI machine a
# per-example deadline only adds flaky failures.
settings.register_profile("mpcrawl", deadline=None)
settings.load_profile("mpcrawl")


@pytest.fixture
def sample_site() -> Iterator[SampleSite]:
    with SampleSite() as site:
        yield site


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "archive"
