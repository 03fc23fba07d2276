"""Pytest fixtures: real WordPress sites on 127.0.0.1, started once per test session.

In ``tests/conftest.py``::

    from tests.wordpress.fixture import wordpress, wordpress_fork  # noqa: F401

``wordpress`` (session scope) is a :class:`tests.wordpress.wpserver.WordPress` with

- ``.pretty`` / ``.plain``: read-only :class:`~tests.wordpress.wpserver.Instance` sites
  (``.url`` like ``http://127.0.0.1:PORT``, ``.api_root``, ``.manifest``, ``.rest_url()``);
- ``.fork(name, permalinks="/%postname%/")``: a fresh mutable site copied from the seeded
  state (use ``""`` for plain permalinks); stopped at the end of the session;
- ``.manifest``, ``.state_dir``.

``wordpress_fork`` (function scope) is a fresh pretty-permalink site for one test, stopped
and dropped after it: use it for tests that edit, trash or delete content;
``small_wordpress_fork`` is the same with ~30 posts, where the site's size is not the point.

``closed_wordpress`` (session scope) maps ``"closed-pretty"``, ``"closed-plain"``,
``"hidden-pretty"`` and ``"hidden-plain"`` to read-only sites whose REST API is closed
the way security plugins close it (``rest-closed.php``), each in both permalink forms.

Without the Debian packages the tests skip (run ``bash tests/wordpress/install.sh`` as
root); with ``MPCRAWL_REQUIRE_WORDPRESS=1`` they fail instead. The seeded state is built
once per machine into ``~/.cache/mpcrawl-tests`` (``MPCRAWL_PLATFORMS_CACHE``) and copied
by each session (a MariaDB datadir per pytest-xdist worker). ``MPCRAWL_WORDPRESS_STATE``
names a state dir to keep between sessions (a sub-folder per pytest-xdist worker);
``MPCRAWL_WORDPRESS_POSTS`` changes the number of generated posts.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wordpress.wpserver import (
    DEFAULT_POSTS,
    INSTALL_HINT,
    PLAIN,
    PRETTY,
    SMALL_POSTS,
    Instance,
    WordPress,
    missing_requirements,
)

REQUIRE_ENV = "MPCRAWL_REQUIRE_WORDPRESS"
STATE_ENV = "MPCRAWL_WORDPRESS_STATE"
POSTS_ENV = "MPCRAWL_WORDPRESS_POSTS"

__all__ = ["closed_wordpress", "small_wordpress_fork", "wordpress", "wordpress_fork"]


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPress]:
    """MariaDB + seeded WordPress + the ``pretty`` and ``plain`` sites, for the session."""
    missing = missing_requirements()
    if missing:
        reason = f"WordPress test sites need {', '.join(missing)}: {INSTALL_HINT}"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    kept = os.environ.get(STATE_ENV)
    # one MariaDB datadir per pytest-xdist worker: two servers never share one
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    state_dir = (
        (Path(kept) / worker if worker else Path(kept))
        if kept
        else tmp_path_factory.mktemp("wordpress")
    )
    wp = WordPress(state_dir, posts=int(os.environ.get(POSTS_ENV, DEFAULT_POSTS)))
    wp.start()
    try:
        yield wp
    finally:
        wp.stop()


@pytest.fixture
def wordpress_fork(wordpress: WordPress, request: pytest.FixtureRequest) -> Iterator[Instance]:
    """A fresh mutable site (own database and php server) for one test."""
    name = "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    inst = wordpress.fork(name)
    try:
        yield inst
    finally:
        wordpress.stop_instance(inst, drop=True)


@pytest.fixture
def small_wordpress_fork(
    wordpress: WordPress, request: pytest.FixtureRequest
) -> Iterator[Instance]:
    """``wordpress_fork`` with ~30 posts (``SMALL_POSTS`` of the generated ones, the seed
    and special posts, the pages): for a test whose point is not the site's size."""
    name = "s" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    inst = wordpress.fork(name, posts=SMALL_POSTS)
    try:
        yield inst
    finally:
        wordpress.stop_instance(inst, drop=True)


class _ClosedSites(dict[str, Instance]):
    """``"closed-pretty"`` … ``"hidden-plain"``: each site forked the first time it is asked
    for (a fork is a database copy and a php server), so a session starts only those used."""

    def __init__(self, wordpress: WordPress) -> None:
        super().__init__()
        self.wordpress = wordpress

    def __missing__(self, variant: str) -> Instance:
        rest, _, form = variant.partition("-")
        if rest not in ("closed", "hidden") or form not in ("pretty", "plain"):
            raise KeyError(variant)
        permalinks = PRETTY if form == "pretty" else PLAIN
        self[variant] = instance = self.wordpress.fork(f"{rest}_{form}", permalinks, rest=rest)
        return instance


@pytest.fixture(scope="session")
def closed_wordpress(wordpress: WordPress) -> Iterator[dict[str, Instance]]:
    """The seeded site with its REST API closed (401) or hidden (404, no links), both forms."""
    sites = _ClosedSites(wordpress)
    try:
        yield sites
    finally:
        for inst in sites.values():
            wordpress.stop_instance(inst, drop=True)
