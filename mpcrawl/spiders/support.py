"""Small helpers of the ``wp`` spider: request context, failure text, URL tests.

Kept apart so the spider module holds only the crawl's logic.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from mpcrawl.siterun import SiteRun, Walk
from mpcrawl.wp.urls import PER_PAGE

Phase = Literal[
    "home", "probe", "types", "page", "include", "gone", "revisions", "media", "fallback"
]
"""The steps of a site's request plan (``docs/ARCHITECTURE.md``) a request belongs to."""


@dataclass(slots=True)
class Ctx:
    """What a request is for, carried to its callback."""

    phase: Phase
    walk: Walk | None = None
    page: int = 1
    per_page: int = PER_PAGE
    post_type: str | None = None
    rest_base: str | None = None
    item_id: int | None = None
    probes: tuple[str, ...] = ()
    # A fallback plan's request (``mpcrawl.spiders.fallback``): its own callbacks.
    on_response: Callable[[Response], Iterator[Any]] | None = None
    on_failure: Callable[[str], Iterator[Any]] | None = None


FLAG_SPELLINGS = {"1": True, "true": True, "yes": True, "on": True}
FLAG_SPELLINGS |= {"0": False, "false": False, "no": False, "off": False}


def flag(name: str, value: Any) -> bool:
    """A yes/no ``-a`` argument; any other spelling is refused (``-a full=maybe`` is no
    full crawl, nor a silent sweep)."""
    spelling = str(value).strip().lower()
    if spelling not in FLAG_SPELLINGS:
        raise ValueError(f"-a {name}={value}: give 1/0, true/false, yes/no or on/off")
    return FLAG_SPELLINGS[spelling]


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
    """Pass a callback's output on, counting the items the site has yielded."""
    for value in output:
        if not isinstance(value, Request):
            run.items_yielded += 1
        yield value


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def is_deep(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path not in ("", "/") or bool(parts.query)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
