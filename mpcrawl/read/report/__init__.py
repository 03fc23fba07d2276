"""``scrapy report``: the archive and its runs on one self-contained, static HTML page.

The page answers at a glance what cron users and analysts ask: is every site still
archived and when did each last succeed (runs), how much each MP publishes (content),
which videos (video), what was edited or deleted (history), who speaks (Hansard).

Modules, one job each: :mod:`.queries` (DuckDB over ``mpcrawl.read.connect``),
:mod:`.charts` (SVG figures), :mod:`.render` (escaped HTML), :mod:`.style` (CSS).

Why matplotlib's SVG backend: the charts are drawn here, on the server, into the file, so
the page needs no script, no network and no browser to produce; matplotlib is installed,
well kept, and writes deterministic, text-as-text SVG. Altair/Vega-Lite would need its
JavaScript runtime in the page (a CDN, or ~1 MB inlined) or a headless browser/converter
(vl-convert) to make static images; Plotly likewise ships a large script.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from mpcrawl.read import connect
from mpcrawl.read.report.queries import read_report
from mpcrawl.read.warc import page_captures

__all__ = ["build_report", "write_report"]


def build_report(
    archive: str, *, runs: int = 20, now: datetime | None = None, replay_url: str | None = None
) -> str:
    """The report of ``archive`` (a path or URI ``connect`` accepts) as HTML text; each
    post shown links to its newest page capture, replayed at ``replay_url`` (a pywb
    collection's URL) where given."""
    con = connect(archive)
    try:
        data = read_report(con, now or datetime.now(UTC), runs=runs)
    finally:
        con.close()
    captures = page_captures(archive, data.shown_pages())
    data = dataclasses.replace(data, captures=captures, replay_url=replay_url or None)
    # Imported once the archive is read: a typo or a bad file fails without matplotlib (~0.5 s).
    from mpcrawl.read.report.render import render

    return render(data, archive, runs=runs)


def write_report(
    archive: str,
    output: str | Path = "report.html",
    *,
    runs: int = 20,
    now: datetime | None = None,
    replay_url: str | None = None,
) -> Path:
    """Write the report of ``archive`` to ``output`` (atomically) and return its path."""
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(
        build_report(archive, runs=runs, now=now, replay_url=replay_url), encoding="utf-8"
    )
    temp.replace(path)
    return path
