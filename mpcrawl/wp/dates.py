"""WordPress timestamps: ISO 8601 without an offset, sometimes zero or missing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def parse_wp_datetime(value: Any) -> datetime | None:
    """A naive datetime from WordPress's ``date`` fields; None where it is unusable.

    >>> parse_wp_datetime("2025-03-31T09:24:19")
    datetime.datetime(2025, 3, 31, 9, 24, 19)
    >>> parse_wp_datetime("0000-00-00T00:00:00") is None
    True
    >>> parse_wp_datetime(12) is None
    True
    """
    if not isinstance(value, str) or not value or value.startswith("0000"):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def parse_wp_gmt(value: Any) -> datetime | None:
    """A UTC-aware datetime from a ``*_gmt`` field.

    >>> parse_wp_gmt("2025-03-31T09:24:19")
    datetime.datetime(2025, 3, 31, 9, 24, 19, tzinfo=datetime.timezone.utc)
    """
    parsed = parse_wp_datetime(value)
    return parsed.replace(tzinfo=UTC) if parsed is not None else None
