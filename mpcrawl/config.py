"""``MPCRAWL_*`` settings, read once, validated, with exact messages for mistakes."""

from __future__ import annotations

import netrc
from dataclasses import dataclass
from pathlib import Path

from scrapy.settings import BaseSettings


class ConfigError(ValueError):
    """A setting with a value mpcrawl cannot use."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """An application password for one host (never logged: no ``__repr__`` of secrets)."""

    login: str
    password: str

    def __repr__(self) -> str:
        return f"Credentials(login={self.login!r}, password='***')"


@dataclass(frozen=True, slots=True)
class Config:
    """All mpcrawl settings of one run."""

    archive: str
    netrc_path: str | None
    batch_rows: int
    file_rows: int
    retry_after_max: float
    progress_interval: float
    timeout_fallback_per_page: tuple[int, ...]
    credentials: dict[str, Credentials]  # netrc machine -> login, read once at start

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Config:
        archive = settings.get("MPCRAWL_ARCHIVE") or "output"
        if not isinstance(archive, str):
            raise ConfigError(f"MPCRAWL_ARCHIVE must be a path or URI, not {archive!r}")
        netrc_path = settings.get("MPCRAWL_NETRC") or None
        if netrc_path is not None and not Path(netrc_path).is_file():
            raise ConfigError(f"MPCRAWL_NETRC={netrc_path!r}: no such file")
        credentials = _read_netrc(netrc_path) if netrc_path is not None else {}
        batch_rows = _positive_int(settings, "MPCRAWL_BATCH_ROWS")
        file_rows = _positive_int(settings, "MPCRAWL_FILE_ROWS")
        retry_after_max = _positive_float(settings, "MPCRAWL_RETRY_AFTER_MAX")
        progress_interval = _positive_float(settings, "MPCRAWL_PROGRESS_INTERVAL", allow_zero=True)
        fallback = tuple(int(x) for x in settings.getlist("MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK"))
        if any(not 1 <= n <= 100 for n in fallback):
            raise ConfigError("MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK values must be 1..100")
        return cls(
            archive=archive,
            netrc_path=netrc_path,
            batch_rows=batch_rows,
            file_rows=file_rows,
            retry_after_max=retry_after_max,
            progress_interval=progress_interval,
            credentials=credentials,
            timeout_fallback_per_page=fallback,
        )

    def credentials_for(self, host: str) -> Credentials | None:
        """The netrc entry for exactly this host (no default entry is used)."""
        return self.credentials.get(host)


def _read_netrc(path: str) -> dict[str, Credentials]:
    try:
        entries = netrc.netrc(path).hosts
    except (OSError, netrc.NetrcParseError) as exc:
        raise ConfigError(f"MPCRAWL_NETRC={path!r}: {exc}") from None
    return {
        host: Credentials(login=login or "", password=password or "")
        for host, (login, _account, password) in entries.items()
    }


def _positive_int(settings: BaseSettings, name: str) -> int:
    try:
        value = settings.getint(name)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {settings.get(name)!r}") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, not {value}")
    return value


def _positive_float(settings: BaseSettings, name: str, *, allow_zero: bool = False) -> float:
    try:
        value = settings.getfloat(name)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {settings.get(name)!r}") from None
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigError(f"{name} must be positive, not {value}")
    return value
