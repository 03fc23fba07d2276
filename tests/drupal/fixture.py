"""Pytest fixture: real Drupal 7.105 sites on 127.0.0.1, started once per test session.

``drupal`` (session scope) is a :class:`tests.drupal.drupalserver.Drupal`;
``drupal.sites["core"]`` (RSS feed, no sitemap) and ``drupal.sites["xmlsitemap"]`` are
:class:`~tests.drupal.drupalserver.Site` objects (``.url``, ``.manifest``, ``.published()``).
The first session on a machine installs and seeds into the cache (about a minute); later
ones copy the cached SQLite files (about a second). Without PHP's packages the tests skip
(``bash tests/wordpress/install.sh`` as root); ``MPCRAWL_REQUIRE_DRUPAL=1`` fails instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.drupal.drupalserver import INSTALL_HINT, Drupal, missing_requirements


@pytest.fixture(scope="session")
def drupal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drupal]:
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
    site = Drupal(tmp_path_factory.mktemp("drupal"))
    site.start()
    print(f"drupal fixture: {site.timings}")
    try:
        yield site
    finally:
        site.stop()
