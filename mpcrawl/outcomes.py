"""How a site's run ended: the vocabulary of ``runs.outcome`` and ``sites.outcome``.

Kept in a module of its own that imports nothing, so that commands and readers can
name outcomes without loading the crawl (Scrapy, pyarrow, duckdb).
"""

from __future__ import annotations

from typing import Final, Literal

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

SETTLED: Final[tuple[Outcome, ...]] = (
    "ok",
    "not_wordpress",
    "rest_closed",
    "robots_disallowed",
    "locked",
)
"""Outcomes after which the site needs nothing more: the exit status stays 0."""

FAILURES: Final[tuple[Outcome, ...]] = ("unreachable", "partial", "error")
"""Outcomes that make ``scrapy crawl`` exit 1."""

OUTCOMES: Final[tuple[Outcome, ...]] = SETTLED + FAILURES

QUIET: Final[tuple[Outcome, ...]] = ("ok", "not_wordpress", "locked")
"""Outcomes whose ``site finished:`` line is logged at INFO rather than WARNING."""
