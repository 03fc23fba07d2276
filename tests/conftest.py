"""Shared fixtures: the sample site, the real WordPress (once per session), archives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from mpcrawl.sample.server import SampleSite
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
