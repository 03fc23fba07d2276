"""The Wagtail fixture for the tests of this folder; ``slow`` marks whole-site crawls."""

import pytest

from tests.wagtail.fixture import wagtail_site, writable_wagtail  # noqa: F401

# The site's Django modules are not test modules: pytest's doctest collection would
# import them without settings.
collect_ignore = ["mpsite", "seed.py", "publish.py"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: crawls a whole real CMS site (tens of seconds)")
