"""The outcome of a site in a run: one word, as the runs table and the README spell it.

Its own module, importing nothing, so commands and readers name outcomes without loading
the crawl's bookkeeping (and with it pyarrow).
"""

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
