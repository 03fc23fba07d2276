"""Pytest fixture ``wagtail_site``: the small real Wagtail site, started once per session;
``writable_wagtail``: one of its own for a test that publishes edits (``Wagtail.publish``).

Skips where Wagtail is not installed (``pip install -e '.[test]'``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.wagtail.wagtailserver import Wagtail, wagtail_version


@pytest.fixture(scope="session")
def wagtail_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wagtail]:
    yield from _served(tmp_path_factory.mktemp("wagtail"))


@pytest.fixture
def writable_wagtail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wagtail]:
    yield from _served(tmp_path_factory.mktemp("wagtail-writable"))


def _served(state: Path) -> Iterator[Wagtail]:
    if wagtail_version() is None:
        pytest.skip("wagtail is not installed: pip install -e '.[test]'")
    site = Wagtail(state).start()
    print(f"wagtail fixture: {site.timings}")
    try:
        yield site
    finally:
        site.stop()
