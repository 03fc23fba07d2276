"""WordPress timestamps, read as WordPress means them, one value at a time.

WordPress sends ``date``/``modified`` as the site's local wall time and ``date_gmt``/
``modified_gmt`` as UTC, both as ``YYYY-MM-DDTHH:MM:SS`` without an offset; a zero date
(``0000-00-00…``) or a missing value means "not set". Plugins and half-migrated
databases send more: offsets, years 0001 and 9999, words. Each value is read on its own:
a local time keeps its wall clock (an offset does not move it), a UTC time with an
offset is converted, and a value that is not a timestamp, or whose UTC time falls
outside years 1..9999, is refused (None) with a short reason. Nothing is clamped: a
refused value stays in the object's ``raw_json`` exactly as the site sent it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

WpTime = tuple[datetime | None, str | None]


def _unset(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or value[:4] == "0000"))


def _parse(value: Any) -> datetime | str:
    """The parsed datetime, or the reason it is refused."""
    if not isinstance(value, str):
        return f"not a timestamp ({type(value).__name__})"
    text = value.strip()
    if text[-1:] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return f"not a timestamp: {value[:40]!r}"


def read_local(value: Any) -> WpTime:
    """A naive local wall time from ``date``/``modified``, or None and why.

    >>> read_local("2025-03-31T09:24:19")
    (datetime.datetime(2025, 3, 31, 9, 24, 19), None)
    >>> read_local("9999-12-31T23:59:59-01:00")
    (datetime.datetime(9999, 12, 31, 23, 59, 59), None)
    >>> read_local("0000-00-00T00:00:00"), read_local(None)
    ((None, None), (None, None))
    >>> read_local("yesterday")
    (None, "not a timestamp: 'yesterday'")
    """
    if _unset(value):
        return None, None
    parsed = _parse(value)
    if isinstance(parsed, str):
        return None, parsed
    return parsed.replace(tzinfo=None), None


def read_gmt(value: Any) -> WpTime:
    """A UTC-aware time from a ``*_gmt`` field, or None and why.

    >>> read_gmt("2025-03-31T09:24:19")
    (datetime.datetime(2025, 3, 31, 9, 24, 19, tzinfo=datetime.timezone.utc), None)
    >>> read_gmt("2025-03-31T10:24:19+01:00")[0]
    datetime.datetime(2025, 3, 31, 9, 24, 19, tzinfo=datetime.timezone.utc)
    >>> read_gmt("9999-12-31T23:59:59-01:00")
    (None, "outside years 1..9999 in UTC: '9999-12-31T23:59:59-01:00'")
    >>> read_gmt("0001-01-01T00:00:00+01:00")[1]
    "outside years 1..9999 in UTC: '0001-01-01T00:00:00+01:00'"
    >>> read_gmt(1700000000)
    (None, 'not a timestamp (int)')
    """
    if _unset(value):
        return None, None
    parsed = _parse(value)
    if isinstance(parsed, str):
        return None, parsed
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), None
    try:
        return parsed.astimezone(UTC), None
    except OverflowError:
        return None, f"outside years 1..9999 in UTC: {value[:40]!r}"


def parse_wp_datetime(value: Any) -> datetime | None:
    """A naive local datetime from WordPress's ``date`` fields; None where it is unusable.

    >>> parse_wp_datetime("2025-03-31T09:24:19")
    datetime.datetime(2025, 3, 31, 9, 24, 19)
    >>> parse_wp_datetime("0000-00-00T00:00:00") is None, parse_wp_datetime(12) is None
    (True, True)
    """
    return read_local(value)[0]


def parse_wp_gmt(value: Any) -> datetime | None:
    """A UTC-aware datetime from a ``*_gmt`` field; None where it is unusable, never raising.

    >>> parse_wp_gmt("2025-03-31T09:24:19")
    datetime.datetime(2025, 3, 31, 9, 24, 19, tzinfo=datetime.timezone.utc)
    >>> parse_wp_gmt("9999-12-31T23:59:59-01:00") is None
    True
    """
    return read_gmt(value)[0]
