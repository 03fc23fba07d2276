"""Pytest fixture: the Hugo site, built and served once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hugo.site import HugoSite

__all__ = ["hugo_site"]


@pytest.fixture(scope="session")
def hugo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HugoSite]:
    """A read-only Hugo site of 30 generated pages (fork your own to change content)."""
    with HugoSite(tmp_path_factory.mktemp("hugo"), pages=30) as site:
        yield site
