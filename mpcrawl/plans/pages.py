"""The fallback's pages waiting for a request: a few in flight, the rest held here.

A listing of 50,000 URLs once became 50,000 Scrapy requests at once: all of them in
Scrapy's queue (memory), and past the site's request budget each was refused on its own
(237 s, a warning line each). Held here as plain tuples, only ``window`` go to Scrapy at a
time, and once the site's budget is spent the rest are dropped in one step: the budget's
one log line is the accounting middleware's, and the run record names the pages lost.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mpcrawl.archive.web_state import ArchivedPage

Todo = tuple[str, datetime | None, dict[str, str]]  # a page to fetch: URL, lastmod, headers


def listed_unchanged(
    lastmod: datetime | None, archived: datetime | None, fetched: datetime
) -> bool:
    """Whether a listing's ``lastmod`` vouches for the archived version: equal to the
    archived one, and not a bare day (Wagtail, many plugins) on or after the day of the
    archived fetch, which a second edit that day would leave unchanged.

    >>> day, noon = datetime(2026, 12, 7, tzinfo=UTC), datetime(2026, 12, 7, 12, tzinfo=UTC)
    >>> listed_unchanged(day, day, fetched=noon)  # a second edit the same day: look again
    False
    >>> listed_unchanged(day, day, fetched=datetime(2026, 12, 8, 1, tzinfo=UTC))
    True
    >>> listed_unchanged(noon, noon, fetched=noon), listed_unchanged(None, None, noon)
    (True, False)
    """
    if lastmod is None or lastmod != archived:
        return False
    day_only = lastmod.astimezone(UTC).timetz().replace(tzinfo=None) == time()
    fetched_day = (fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)).astimezone(UTC)
    return not (day_only and lastmod.astimezone(UTC).date() >= fetched_day.date())


def validators(known: ArchivedPage | None) -> dict[str, str]:
    """The conditional headers an archived page's validators allow (none for a page not
    archived)."""
    headers: dict[str, str] = {}
    if known is not None and known.etag:
        headers["If-None-Match"] = known.etag
    if known is not None and known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def _never() -> str | None:
    return None


@dataclass(slots=True)
class PageQueue:
    """Pages listed and not yet requested; ``stopped`` says why the site may ask no more."""

    window: int = 4
    stopped: Callable[[], str | None] = _never
    waiting: deque[Todo] = field(default_factory=deque)
    dropped: int = 0  # requests not made, or refused, because the site's budget was spent

    def add(self, url: str, lastmod: datetime | None, headers: dict[str, str]) -> None:
        self.waiting.append((url, lastmod, headers))

    def take(self, in_flight: int) -> list[Todo]:
        """The pages to request now that ``in_flight`` are pending: none once stopped
        (the rest dropped at once; :meth:`lost` says so in the run record)."""
        if self.stopped() is not None:
            self.dropped += len(self.waiting)
            self.waiting.clear()
            return []
        return [
            self.waiting.popleft() for _ in range(min(len(self.waiting), self.window - in_flight))
        ]

    def lost(self) -> list[str]:
        """The run record's error for the pages the spent budget cost, if any."""
        reason = self.stopped()
        if not self.dropped or reason is None:
            return []
        return [f"{reason}: {self.dropped} listed pages not requested"]

    def refused(self) -> bool:
        """Whether a failed request was refused by the spent budget (counted, not logged)."""
        if self.stopped() is None:
            return False
        self.dropped += 1
        return True
