"""The dates a page prints about itself: machine-readable first, display dates by language.

A page's own metadata (RDFa ``content``, ``article:published_time``, JSON-LD, its
``<time datetime>``) carries an exact time with its offset. A display date ("03/04/2024")
carries only a day, and its order is the site's convention: read by the page's language
(``<html lang="en-GB">``, ``og:locale``) or not at all when both numbers could be the
month. A year alone (a footer's "© 2019") is never a date of the page.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime

__all__ = [
    "UtcTime",
    "as_midnight",
    "day_first",
    "display_date",
    "parse_datetime",
    "printed_days",
    "read_utc",
]

UtcTime = tuple[datetime | None, str | None]
"""A time in UTC, or None and why it was refused (None, None: no time given)."""

# Languages whose numeric dates are month first; every other known one is day first.
_MONTH_FIRST = frozenset(("en-us", "en_us", "en-ph", "en_ph", "en-ca", "en_ca"))
_MONTHS = {
    name.lower(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n], calendar.month_abbr[n] + ".")
}
_MONTH = "(" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + ")"
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\s+(\d{{4}})", re.I
)
_MONTH_DAY = re.compile(rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I)
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def read_utc(value: str | None, *, naive_is_utc: bool = False) -> UtcTime:
    """An ISO 8601 timestamp as UTC, or None and why: a time whose UTC falls outside
    years 1..9999 fits no column and is refused with its reason, never clamped.

    A wall time without an offset says no zone: None, or UTC where the format says so
    (a sitemap's ``lastmod``).

    >>> read_utc("0001-01-01T00:00:00+01:00")
    (None, "outside years 1..9999 in UTC: '0001-01-01T00:00:00+01:00'")
    >>> read_utc("2024-02-01", naive_is_utc=True)[0]
    datetime.datetime(2024, 2, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> read_utc("yesterday")
    (None, "not a timestamp: 'yesterday'")
    """
    if not value or not value.strip():
        return None, None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, f"not a timestamp: {value.strip()[:40]!r}"
    if parsed.tzinfo is None:
        return (parsed.replace(tzinfo=UTC) if naive_is_utc else None), None
    try:
        return parsed.astimezone(UTC), None
    except OverflowError:
        return None, f"outside years 1..9999 in UTC: {value.strip()[:40]!r}"


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as UTC; None without an offset (a wall time says no zone).

    >>> parse_datetime("2025-03-31T09:24:19+01:00")
    datetime.datetime(2025, 3, 31, 8, 24, 19, tzinfo=datetime.timezone.utc)
    >>> parse_datetime("2025-03-31T09:24:19Z").hour
    9
    >>> parse_datetime("2025-03-31T09:24:19") is None
    True
    >>> parse_datetime("9999-12-31T23:59:59-01:00") is None
    True
    """
    return read_utc(value)[0]


def day_first(lang: str | None) -> bool | None:
    """Whether the page's language writes numeric dates day first; None when unknown.

    >>> day_first("en-GB"), day_first("en_US"), day_first("fr-FR"), day_first("en"), day_first(None)
    (True, False, True, None, None)
    """
    if not lang:
        return None
    tag = lang.strip().lower()
    if tag in _MONTH_FIRST:
        return False
    if tag in ("en", "") or not re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*", tag):
        return None  # "en" alone says nothing of the order
    return True


def display_date(text: str, dayfirst: bool | None) -> date | None:
    """The day a short display text names, or None when it names none or is ambiguous.

    >>> display_date("Thu, 03/14/2024 - 10:00", True)  # 14 cannot be a month
    datetime.date(2024, 3, 14)
    >>> display_date("03/04/2024", True), display_date("03/04/2024", False)
    (datetime.date(2024, 4, 3), datetime.date(2024, 3, 4))
    >>> display_date("03/04/2024", None) is None  # both could be the month: no date
    True
    >>> display_date("Posted 4th March 2024", None), display_date("March 4, 2024", None)
    (datetime.date(2024, 3, 4), datetime.date(2024, 3, 4))
    >>> display_date("© 2019 Jane Example MP", True) is None  # a year is not a day
    True
    """
    try:
        if m := _ISO_DAY.search(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DAY_MONTH.search(text):
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        if m := _MONTH_DAY.search(text):
            return date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        if m := _NUMERIC.search(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12 >= b:
                return date(year, b, a)
            if b > 12 >= a:
                return date(year, a, b)
            if dayfirst is None:
                return None
            return date(year, b, a) if dayfirst else date(year, a, b)
    except ValueError:  # 31/02/2024
        return None
    return None


def as_midnight(day: date | None) -> datetime | None:
    """A display date as the archive stores a day: midnight UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def printed_days(text: str) -> set[date]:
    """Every day a text prints in full and unambiguously (ISO, or with the month's name).

    >>> sorted(printed_days("Posted 2024-03-04; updated 5 April 2024. © 2019"))
    [datetime.date(2024, 3, 4), datetime.date(2024, 4, 5)]
    """
    days: set[date] = set()
    for pattern, order in ((_ISO_DAY, (1, 2, 3)), (_DAY_MONTH, (3, 2, 1)), (_MONTH_DAY, (3, 1, 2))):
        for m in pattern.finditer(text):
            y, mo, d = (m[i] for i in order)
            try:
                days.add(date(int(y), _MONTHS.get(mo.lower()) or int(mo), int(d)))
            except ValueError:
                continue
    return days
