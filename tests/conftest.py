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
from typing import Any

import pytest
from hypothesis import settings

from mpcrawl.sample.server import SampleSite
from tests.wordpress.archives import (  # noqa: F401
    closed_wordpress_archive,
    credentialed_wordpress_archive,
    wordpress_archives,
    wordpress_edited_site,
)
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


# With ``pytest -n 2`` (pytest-xdist) each group below runs on one worker: a test file's
# tests stay together (its module fixtures start once), and so do the folders whose tests
# share a costly session or package fixture that a second worker would start again. The
# real WordPress and the platform sites start in at most both workers (seconds: the seeded
# database is per worker, the platform installs are cached once per machine).
SHARED_FOLDERS = (
    "tests/distributed/",  # two Scrapyd daemons with the egg deployed, and moto
    "tests/read/",  # one JVM for Spark, three archives crawled once
)


def group_of(nodeid: str) -> str:
    """The worker group of a test: its shared folder, else its file.

    >>> group_of("tests/read/test_readers.py::test_spark_opens_every_table[first_run-posts]")
    'tests/read/'
    >>> group_of("tests/test_kills.py::test_sigterm_stops_cleanly_with_exit_3")
    'tests/test_kills.py'
    """
    path = nodeid.split("::", 1)[0]
    return next((folder for folder in SHARED_FOLDERS if path.startswith(folder)), path)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's scope scheduling with :func:`group_of` as the scope (its ``xdist_group``
    marks are not read under pytest 9: they rename a node id pytest no longer uses)."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

    return GroupScheduling(config, log)
