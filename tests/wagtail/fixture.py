"""Pytest fixture ``wagtail_site``: the small real Wagtail site, started once per session.

Skips where Wagtail is not installed (``pip install -e '.[test]'``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wagtail.wagtailserver import Wagtail, wagtail_version


@pytest.fixture(scope="session")
def wagtail_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wagtail]:
    if wagtail_version() is None:
        pytest.skip("wagtail is not installed: pip install -e '.[test]'")
    site = Wagtail(tmp_path_factory.mktemp("wagtail")).start()
    print(f"wagtail fixture: {site.timings}")
    try:
        yield site
    finally:
        site.stop()
