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


# With ``pytest -n 2`` (pytest-xdist, ``--dist loadgroup``) each group runs on one worker:
# a test file's tests stay together (its module fixtures start once), and so do the tests
# that share a costly server or package fixture named here, which a worker would otherwise
# start again. The real WordPress and the platform sites start in at most both workers
# (seconds: their installs are cached or seeded once per worker).
SHARED_FIXTURES = {
    "egg": "scrapyd",  # two Scrapyd daemons, the egg deployed on each
    "nodes": "scrapyd",
    "s3": "scrapyd",  # moto, beside the daemons in tests/distributed
    "spark": "read",  # tests/read's package fixtures: one JVM, archives crawled once
    "first_run": "read",
    "wordpress_edited": "read",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        groups = {SHARED_FIXTURES[f] for f in item.fixturenames if f in SHARED_FIXTURES}
        group = min(groups) if groups else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
