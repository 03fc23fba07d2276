"""Pytest fixture: real Drupal 7.105 sites on 127.0.0.1, started once per test session.

``drupal`` (session scope) is a :class:`tests.drupal.drupalserver.Drupal`;
``drupal.sites["core"]`` (RSS feed, no sitemap) and ``drupal.sites["xmlsitemap"]`` are
:class:`~tests.drupal.drupalserver.Site` objects (``.url``, ``.manifest``, ``.published()``),
of ``NODES`` articles. The first session on a machine installs and seeds into the cache
(about a minute); later ones copy the cached SQLite files (about a second). Without PHP's
packages the tests skip (``bash tests/wordpress/install.sh`` as root);
``MPCRAWL_REQUIRE_DRUPAL=1`` fails instead.

``writable_drupal`` (one test, each variant) is a site of its own (from the same cache) that
the test changes through Drupal's API (:meth:`~tests.drupal.drupalserver.Site.change`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.drupal.drupalserver import (
    INSTALL_HINT,
    VARIANTS,
    Drupal,
    Site,
    Variant,
    missing_requirements,
)


def require_drupal() -> None:
    """Skip (fail with ``MPCRAWL_REQUIRE_DRUPAL=1``) where PHP or the tarballs are missing."""
    missing = missing_requirements()
    if missing:
        tarballs = [m for m in missing if m.endswith(".tar.gz")]
        hint = (
            "these tests read the project's shared data in place (../shared beside the repo)"
            if tarballs
            else INSTALL_HINT
        )
        reason = f"Drupal test sites need {', '.join(missing)}: {hint}"
        if os.environ.get("MPCRAWL_REQUIRE_DRUPAL") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def drupal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drupal]:
    require_drupal()
    site = Drupal(tmp_path_factory.mktemp("drupal"), nodes=NODES)
    site.start()
    print(f"drupal fixture: {site.timings}")
    try:
        yield site
    finally:
        site.stop()


NODES = int(os.environ.get("MPCRAWL_DRUPAL_NODES") or 36)
"""Nodes of the test sites: 35 published, 1 unpublished; the front page's pager has 4
pages, each tag's listing one. What a crawl must find, date and tell holds at any size;
the 305 of issue 23 (300 published) make each crawl ten times longer: its figures are
``make bench``'s (benchmarks/bench_platforms.py), ``MPCRAWL_DRUPAL_NODES=305`` runs the
tests at that scale."""


@pytest.fixture(params=VARIANTS)
def writable_drupal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """A Drupal site of one variant that the test may change (``Drupal.change``): its own
    copy of the cached seeded database, its own ``php -S``; never the shared ``drupal``."""
    require_drupal()
    variant: Variant = request.param
    state = tmp_path_factory.mktemp(f"drupal-{variant}")
    drupal = Drupal(state, nodes=NODES, variants=(variant,))
    drupal.start()
    print(f"writable drupal fixture: {drupal.timings}")
    try:
        yield drupal.sites[variant]
    finally:
        drupal.stop()
