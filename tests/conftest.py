"""Shared fixtures: the sample site, the real WordPress (once per session), archives.

A fast crawl test crawls in this process (``tests.inprocess.crawl``, see its docstring)
and reads a shared archive where it only reads: ``wordpress_archives`` (the seeded
WordPress in both permalink forms) and ``wordpress_edited_site`` (a fork after an edit, a
trash and a delete) are crawled once per session, and so is the sample site
(``crawled_sample``). Copy one (``shutil.copytree``, ``Crawled.copy``) before crawling it
again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from mpcrawl.sample.server import SampleSite
from tests.inprocess import Crawled, crawl
from tests.wordpress.archives import (  # noqa: F401
    closed_wordpress_archive,
    credentialed_wordpress_archive,
    wordpress_archives,
    wordpress_edited_site,
)
from tests.wordpress.fixture import (  # noqa: F401
    closed_wordpress,
    small_wordpress_fork,
    wordpress,
    wordpress_fork,
)

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


@pytest.fixture(scope="session")
def crawled_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """The sample site crawled once per session: tests of what a first crawl wrote read
    it, tests of a later run copy it. A test that edits the site starts its own."""
    archive = tmp_path_factory.mktemp("crawled_sample") / "archive"
    with SampleSite() as site:
        run = crawl(archive, f"site={site.url}")
        assert run.returncode == 0, run.stderr[-3000:]
        yield Crawled(site, archive, run)


# Under pytest-xdist (``make test`` runs ``pytest -n 3``) each group below runs on one
# worker: a test file's tests stay together (its module fixtures start once), and so do the
# tests that share a costly session or package fixture a second worker would start again.
# The real WordPress and the platform sites start in each worker (seconds: the seeded
# database is per worker, the platform installs are cached once per machine).
SHARED_GROUPS = {
    "tests/distributed/": ("tests/distributed/",),  # two Scrapyd daemons, the egg, moto
    "tests/read/": ("tests/read/",),  # one JVM for Spark, three archives crawled once
    # the session's crawls of the real WordPress: both permalink forms, the closed API (WARC
    # and page capture on), the application password; and pywb and Chromium
    "real WordPress crawls": (
        "tests/test_real_wordpress.py",
        "tests/test_fallback_wordpress.py",
        "tests/warc/test_wordpress.py",
    ),
}
# The longest groups (CPU seconds measured on the 2-core CI machine, tens to ~200 each),
# given to the workers first so that the many short files even out the end of the run.
FIRST = (
    "real WordPress crawls",
    "tests/test_changes_wordpress.py",
    "tests/wordpress71/test_wordpress71.py",
    "tests/test_faults.py",
    "tests/warc/test_kills.py",
    "tests/test_usage.py",
    "tests/test_archive_failures.py",
    "tests/read/",
    "tests/distributed/",
    "tests/test_changes.py",
    "tests/test_compact.py",
    "tests/test_kills.py",
    "tests/drupal/test_drupal.py",
    "tests/test_fallback_hugo.py",
    "tests/warc/test_sample.py",
)


def group_of(nodeid: str) -> str:
    """The worker group of a test: its shared group, else its file.

    >>> group_of("tests/read/test_readers.py::test_spark_opens_every_table[first_run-posts]")
    'tests/read/'
    >>> group_of("tests/warc/test_wordpress.py::test_fallback_pages_point_at_the_page")
    'real WordPress crawls'
    >>> group_of("tests/test_kills.py::test_sigterm_stops_cleanly_with_exit_3")
    'tests/test_kills.py'
    """
    path = nodeid.split("::", 1)[0]
    for group, paths in SHARED_GROUPS.items():
        if any(path.startswith(prefix) for prefix in paths):
            return group
    return path


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's scope scheduling with :func:`group_of` as the scope (its ``xdist_group``
    marks are not read under pytest 9: they rename a node id pytest no longer uses), the
    groups of :data:`FIRST` handed out first, the others in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            for group in reversed(FIRST):
                if group in self.workqueue:
                    self.workqueue.move_to_end(group, last=False)
            super()._assign_work_unit(node)

    return GroupScheduling(config, log)
