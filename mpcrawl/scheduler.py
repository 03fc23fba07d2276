"""A scheduler where requests that must wait (``Retry-After``, backoff) wait without a slot.

Scrapy's downloader counts a request against ``CONCURRENT_REQUESTS`` from the moment it
enters the downloader middlewares; a middleware that sleeps there holds that slot, so 16
rate-limited sites sleeping on their ``Retry-After`` held every slot and a good site's
first request waited 42 s. Here the retry middleware only stamps the retry with the time
it may go (``mpcrawl_wait_until``, monotonic seconds) and hands it back to the engine,
which enqueues it; this scheduler keeps it aside until then, and meanwhile every other
site's requests flow. The engine asks for the next request after every response and every
5 seconds (its heartbeat), so a timer set for the earliest waiting request hands it back
to the engine when its wait is over (``engine.crawl``): a retry goes on time, not up to
5 s late.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.utils.asyncio import CallLaterResult, call_later

WAIT_UNTIL = "mpcrawl_wait_until"


class WaitingScheduler(Scheduler):
    """Scrapy's scheduler, plus a heap of requests that may not go before a given time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._waiting: list[tuple[float, int, Request]] = []
        self._order = itertools.count()
        self._timer: CallLaterResult | None = None
        self._timer_at = 0.0

    def enqueue_request(self, request: Request) -> bool:
        until = request.meta.get(WAIT_UNTIL)
        if isinstance(until, float) and until > time.monotonic():
            heapq.heappush(self._waiting, (until, next(self._order), request))
            self._arm()
            return True
        return super().enqueue_request(request)

    def next_request(self) -> Request | None:
        for request in self._due():
            super().enqueue_request(request)
        return super().next_request()

    def _due(self) -> Iterator[Request]:
        """The waiting requests whose time has come, each taken off the heap as it is used."""
        now = time.monotonic()
        while self._waiting and self._waiting[0][0] <= now:
            _, _, request = heapq.heappop(self._waiting)
            request.meta.pop(WAIT_UNTIL, None)
            yield request

    def _arm(self) -> None:
        """A timer for the earliest waiting request (moved earlier if a new one is)."""
        if not self._waiting or self.crawler is None:
            return
        until = self._waiting[0][0]
        if self._timer is not None:
            if self._timer_at <= until:
                return
            self._timer.cancel()
        self._timer, self._timer_at = (
            call_later(max(0.0, until - time.monotonic()), self._wake),
            until,
        )

    def _wake(self) -> None:
        """Hand the requests whose wait is over to the engine, which asks for them at once."""
        self._timer = None
        engine = self.crawler.engine if self.crawler is not None else None
        if engine is None:  # no engine: nothing asks any more
            return
        for request in self._due():
            try:
                engine.crawl(request)
            except RuntimeError:  # the spider closed meanwhile: nothing asks any more
                return
        self._arm()

    def close(self, reason: str) -> Any:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        return super().close(reason)

    def has_pending_requests(self) -> bool:
        return bool(self._waiting) or super().has_pending_requests()

    def __len__(self) -> int:
        return len(self._waiting) + super().__len__()
