"""The settings that bound one site, and the netrc rules that keep a password on its site."""

from __future__ import annotations

from pathlib import Path

import pytest

from mpcrawl.config import Config, ConfigError
from tests.test_config import settings


def test_bounds_have_generous_defaults() -> None:
    config = Config.from_settings(settings())
    assert config.max_pages == 10_000 and config.pages_in_flight == 4
    assert config.site_max_requests == 50_000 and config.site_max_seconds == 6 * 3600


@pytest.mark.parametrize(
    "name",
    [
        "MPCRAWL_MAX_PAGES",
        "MPCRAWL_PAGES_IN_FLIGHT",
        "MPCRAWL_SITE_MAX_REQUESTS",
        "MPCRAWL_SITE_MAX_SECONDS",
        "MPCRAWL_SITEMAP_MAX_URLS",
    ],
)
@pytest.mark.parametrize("value", ["0", "-1", "lots"])
def test_a_bound_must_be_positive(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name} must be"):
        Config.from_settings(settings(**{name: value}))


def netrc_config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "netrc"
    path.write_text(text)
    return Config.from_settings(settings(MPCRAWL_NETRC=str(path)))


def test_the_entry_for_host_and_port_wins_over_the_host(tmp_path: Path) -> None:
    config = netrc_config(
        tmp_path,
        "machine 127.0.0.1 login host password h\nmachine 127.0.0.1:8081 login port password p\n",
    )
    assert config.credentials_for("127.0.0.1", 8081).login == "port"  # type: ignore[union-attr]
    assert config.credentials_for("127.0.0.1", 8082).login == "host"  # type: ignore[union-attr]
    assert config.credentials_for("127.0.0.1").login == "host"  # type: ignore[union-attr]


def test_a_default_entry_is_never_anyones(tmp_path: Path) -> None:
    config = netrc_config(
        tmp_path, "machine a.example login a password 1\ndefault login d password 2\n"
    )
    assert config.credentials_for("default") is None
    assert config.credentials_for("b.example") is None
    assert set(config.credentials) == {"a.example"}
