"""The outcomes a site's crawl ends with: a light module both sides import."""

from __future__ import annotations

from typing import Literal

Outcome = Literal[
    "ok",
    "not_wordpress",
    "rest_closed",
    "robots_disallowed",
    "locked",
    "unreachable",
    "partial",
    "error",
]
SETTLED: tuple[Outcome, ...] = ("ok", "not_wordpress", "rest_closed", "robots_disallowed", "locked")
FAILURES: tuple[Outcome, ...] = ("unreachable", "partial", "error")
OUTCOMES: tuple[Outcome, ...] = SETTLED + FAILURES
