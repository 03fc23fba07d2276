"""Small helpers of the ``wp`` spider: a request's step, typed failures, item counting.

Kept apart so the spider module holds only the glue between plans and Scrapy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError
from twisted.internet.error import TimeoutError as TwistedTimeout

from mpcrawl.middlewares import RobotsRefused
from mpcrawl.plans.rest.site import FailureKind, OnFailure, OnResponse, RequestFailed
from mpcrawl.siterun import SiteRun

# What a download that took too long raises: Scrapy's own, asyncio's, Twisted's.
TIMEOUTS = (DownloadTimeoutError, TimeoutError, TwistedTimeout)


@dataclass(frozen=True, slots=True)
class Step:
    """The plan step a request belongs to: who reads its answer, who its failure."""

    on_response: OnResponse
    on_failure: OnFailure


FLAG_SPELLINGS = {"1": True, "true": True, "yes": True, "on": True}
FLAG_SPELLINGS |= {"0": False, "false": False, "no": False, "off": False}


def flag(name: str, value: Any) -> bool:
    """A yes/no ``-a`` argument; any other spelling is refused (``-a full=maybe`` is no
    full crawl, nor a silent sweep)."""
    spelling = str(value).strip().lower()
    if spelling not in FLAG_SPELLINGS:
        raise ValueError(f"-a {name}={value}: give 1/0, true/false, yes/no or on/off")
    return FLAG_SPELLINGS[spelling]


def failure_of(exc: BaseException | None, url: str) -> RequestFailed:
    """A request's failure as the plans read it: refused, timed out, or failed."""
    kind: FailureKind = "failed"
    if isinstance(exc, RobotsRefused):
        kind = "refused"
    elif isinstance(exc, TIMEOUTS):
        kind = "timeout"
    return RequestFailed(url, kind, describe(exc))


_FAILURE_REPR = re.compile(r"\[?<twisted\.python\.failure\.Failure (?:[\w.]+\.)?(\w+): ([^>]*)>\]?")


def describe(exc: BaseException | None) -> str:
    """One line for a failed request, without Twisted's ``<Failure ...>`` wrapping.

    >>> describe(OSError("[<twisted.python.failure.Failure twisted.internet.error."
    ...                   "ConnectionLost: Connection was lost.>]"))
    'OSError: ConnectionLost: Connection was lost.'
    """
    detail = _FAILURE_REPR.sub(r"\1: \2", str(exc))
    return " ".join(f"{type(exc).__name__}: {detail}".split())


def counted(run: SiteRun, output: Iterable[Any]) -> Iterator[Any]:
    """Pass a step's output on, counting the items the site has yielded."""
    for value in output:
        if not isinstance(value, Request):
            run.items_yielded += 1
        yield value
