"""``MPCRAWL_*`` settings, read once per crawl, validated, with one-line messages for mistakes.

Every default lives in ``mpcrawl/settings.py``; this module only checks and converts.
"""

from __future__ import annotations

import difflib
import netrc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy.settings import BaseSettings

from mpcrawl.runid import new_run_id
from mpcrawl.wp.sitename import BadSiteURL, check_safe_name

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


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
    contact_url: str
    batch_rows: int
    file_rows: int
    retry_after_max: float
    retry_backoff: float
    progress_interval: float
    timeout_fallback_per_page: tuple[int, ...]
    lock_stale_after: float
    compact_after: int
    run_id: str
    max_pages: int
    pages_in_flight: int
    site_max_requests: int
    site_max_seconds: float
    listing_pages: int  # the crawl of a site's listings (mpcrawl.plans.listing)
    listing_depth: int
    listing_seconds: float
    sitemap_max_urls: int
    max_crawl_delay: float  # robots.txt Crawl-delay obeyed up to this (0: not obeyed)
    credentials: dict[str, Credentials]  # netrc machine -> login, read once at start
    warc: bool  # record every exchange as WARC (mpcrawl.capture)
    warc_file_bytes: int
    capture_pages: bool  # each new version's page and requisites (mpcrawl.plans.capture)
    capture_requisites: int
    capture_max: int
    feed_pages: int  # pages of a WordPress feed read for dates (mpcrawl.plans.numbers)
    id_walk_max: int
    id_walk_misses: int
    recheck_days: int  # pages left unread for an unchanged entry (mpcrawl.plans.recheck)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Config:
        """Check every ``MPCRAWL_*`` setting; the first bad one raises :class:`ConfigError`."""
        _refuse_unknown(settings)
        archive = _archive(settings.get("MPCRAWL_ARCHIVE"))
        netrc_path = settings.get("MPCRAWL_NETRC") or None
        if netrc_path is not None and not Path(netrc_path).is_file():
            raise ConfigError(f"MPCRAWL_NETRC={netrc_path!r}: no such file")
        return cls(
            archive=archive,
            netrc_path=netrc_path,
            contact_url=_contact_url(settings.get("MPCRAWL_CONTACT_URL")),
            batch_rows=_positive_int(settings, "MPCRAWL_BATCH_ROWS"),
            file_rows=_positive_int(settings, "MPCRAWL_FILE_ROWS"),
            retry_after_max=_positive_float(settings, "MPCRAWL_RETRY_AFTER_MAX"),
            retry_backoff=_positive_float(settings, "MPCRAWL_RETRY_BACKOFF", allow_zero=True),
            progress_interval=_positive_float(
                settings, "MPCRAWL_PROGRESS_INTERVAL", allow_zero=True
            ),
            timeout_fallback_per_page=_page_sizes(settings, "MPCRAWL_TIMEOUT_PER_PAGE_FALLBACK"),
            lock_stale_after=_positive_float(settings, "MPCRAWL_LOCK_STALE_AFTER"),
            compact_after=_positive_int(settings, "MPCRAWL_COMPACT_AFTER", minimum=0),
            run_id=_run_id(settings.get("MPCRAWL_RUN_ID")),
            max_pages=_positive_int(settings, "MPCRAWL_MAX_PAGES"),
            pages_in_flight=_positive_int(settings, "MPCRAWL_PAGES_IN_FLIGHT"),
            site_max_requests=_positive_int(settings, "MPCRAWL_SITE_MAX_REQUESTS"),
            site_max_seconds=_positive_float(settings, "MPCRAWL_SITE_MAX_SECONDS"),
            listing_pages=_positive_int(settings, "MPCRAWL_LISTING_PAGES", minimum=0),
            listing_depth=_positive_int(settings, "MPCRAWL_LISTING_DEPTH"),
            listing_seconds=_positive_float(settings, "MPCRAWL_LISTING_SECONDS"),
            sitemap_max_urls=_positive_int(settings, "MPCRAWL_SITEMAP_MAX_URLS"),
            max_crawl_delay=_positive_float(settings, "MPCRAWL_MAX_CRAWL_DELAY", allow_zero=True),
            credentials=_read_netrc(netrc_path) if netrc_path is not None else {},
            warc=settings.getbool("MPCRAWL_WARC"),
            warc_file_bytes=_positive_int(settings, "MPCRAWL_WARC_FILE_BYTES"),
            capture_pages=_capture_pages(settings),
            capture_requisites=_positive_int(settings, "MPCRAWL_CAPTURE_REQUISITES", minimum=0),
            capture_max=_positive_int(settings, "MPCRAWL_CAPTURE_MAX"),
            feed_pages=_positive_int(settings, "MPCRAWL_FEED_PAGES", minimum=0),
            id_walk_max=_positive_int(settings, "MPCRAWL_ID_WALK_MAX", minimum=0),
            id_walk_misses=_positive_int(settings, "MPCRAWL_ID_WALK_MISSES"),
            recheck_days=_positive_int(settings, "MPCRAWL_RECHECK_DAYS", minimum=0),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Config:
        """The crawl's one Config: built on first use, then the same object for everyone."""
        config = _BUILT.get(crawler)
        if config is None:
            config = _BUILT[crawler] = cls.from_settings(crawler.settings)
        return config

    def credentials_for(self, host: str, port: int | None = None) -> Credentials | None:
        """The netrc entry for exactly ``HOST:PORT``, else for ``HOST``; never a default."""
        if port is not None and f"{host}:{port}" in self.credentials:
            return self.credentials[f"{host}:{port}"]
        return self.credentials.get(host)


_BUILT: WeakKeyDictionary[Crawler, Config] = WeakKeyDictionary()


def _refuse_unknown(settings: BaseSettings) -> None:
    """An ``MPCRAWL_*`` name that is no setting is a typo: refused with the closest name."""
    from mpcrawl import settings as defaults

    known = [name for name in vars(defaults) if name.startswith("MPCRAWL_")]
    for name in sorted(name for name, _value in settings.items() if name.startswith("MPCRAWL_")):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(sorted(known))}"
            raise ConfigError(f"unknown setting {name}; {hint}")


def _capture_pages(settings: BaseSettings) -> bool:
    """Captured pages are WARC records: without the recorder they would go nowhere."""
    wanted = settings.getbool("MPCRAWL_CAPTURE_PAGES")
    if wanted and not settings.getbool("MPCRAWL_WARC"):
        raise ConfigError("MPCRAWL_CAPTURE_PAGES needs MPCRAWL_WARC=True (captures are WARC)")
    return wanted


ARCHIVE_SCHEMES = ("file", "s3")


def _archive(value: object) -> str:
    """A folder (a file there is refused) or a URI of a filesystem the archive supports."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"MPCRAWL_ARCHIVE must be a path or URI, not {value!r}")
    scheme = urlsplit(value).scheme.lower() if "://" in value else ""
    if scheme and scheme not in ARCHIVE_SCHEMES:
        raise ConfigError(
            f"MPCRAWL_ARCHIVE={value}: {scheme}:// is not supported; "
            "give a folder or s3://bucket/prefix"
        )
    if not scheme and Path(value).exists() and not Path(value).is_dir():
        raise ConfigError(f"MPCRAWL_ARCHIVE={value}: a file, not an archive folder")
    return value


def _read_netrc(path: str) -> dict[str, Credentials]:
    try:
        entries = netrc.netrc(path).hosts
    except (OSError, netrc.NetrcParseError) as exc:
        # WordPress shows an application password in groups with spaces: netrc reads
        # "efgh" as the next keyword unless the password is in double quotes.
        hint = (
            '; a password with spaces goes in double quotes: password "abcd efgh ..."'
            if "bad follower token" in str(exc)
            else ""
        )
        raise ConfigError(f"MPCRAWL_NETRC={path!r}: {exc}{hint}") from None
    # Python's netrc files a `default` entry under the name "default" (as it would a machine
    # called default): neither is ever used, so no host gets a password meant for all.
    return {
        host: Credentials(login=login or "", password=password or "")
        for host, (login, _account, password) in entries.items()
        if host != "default"
    }


def _positive_int(settings: BaseSettings, name: str, *, minimum: int = 1) -> int:
    try:
        value = settings.getint(name)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a whole number, not {settings.get(name)!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def _positive_float(settings: BaseSettings, name: str, *, allow_zero: bool = False) -> float:
    try:
        value = settings.getfloat(name)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {settings.get(name)!r}") from None
    if not value >= 0 or value == float("inf") or (value == 0 and not allow_zero):
        raise ConfigError(f"{name} must be a positive number, not {settings.get(name)!r}")
    return value


def _page_sizes(settings: BaseSettings, name: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x) for x in settings.getlist(name))
    except (TypeError, ValueError):
        raise ConfigError(
            f"{name} must be whole numbers 1..100, not {settings.get(name)!r}"
        ) from None
    if any(not 1 <= n <= 100 for n in sizes):
        raise ConfigError(f"{name} values must be 1..100, not {settings.get(name)!r}")
    return sizes


def _contact_url(value: object) -> str:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"MPCRAWL_CONTACT_URL must be an http(s) URL, not {value!r}")
    if any(c.isspace() for c in str(value)):
        raise ConfigError(f"MPCRAWL_CONTACT_URL must not contain spaces: {value!r}")
    return str(value)


def _run_id(value: object) -> str:
    """The given run id, checked like a site name (it goes into file names), or a new one."""
    if value is None or value == "":
        return new_run_id()
    if not isinstance(value, str):
        raise ConfigError(f"MPCRAWL_RUN_ID must be text, not {value!r}")
    try:
        check_safe_name(value.lower())
    except BadSiteURL:
        raise ConfigError(
            f"MPCRAWL_RUN_ID={value[:200]!r}: use letters, digits, '.' and '-' only"
        ) from None
    return value
