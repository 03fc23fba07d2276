"""The Drupal fixture for the tests of this folder; ``slow`` marks whole-site crawls."""

import pytest

from tests.drupal.fixture import drupal, writable_drupal  # noqa: F401


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: crawls a whole real CMS site (tens of seconds)")
