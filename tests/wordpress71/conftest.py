"""The WordPress 7.1 fixture for the tests of this folder; ``slow`` marks whole-site crawls."""

import pytest

from tests.wordpress71.fixture import wordpress71  # noqa: F401


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: crawls a whole real CMS site (tens of seconds)")
