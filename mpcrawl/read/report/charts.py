"""The report's charts: matplotlib figures saved as SVG text to inline in the page.

Deterministic and small: text stays ``<text>`` (``svg.fonttype = 'none'``), no date or
creator metadata, no XML prologue; the ids that are referenced (clip paths, markers) are
salted per chart, so stable and unique within one page; unreferenced group ids dropped.
Labels come from sites (site names, speakers): matplotlib escapes them as XML, and
``text.parse_math`` is off so a ``$`` in a name is a dollar, not TeX.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from mpcrawl.read.report.queries import Monthly

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
HEAT = LinearSegmentedColormap.from_list("mpcrawl", ["#f2f6fa", "#6baed6", "#08306b"])
MIN_MONTHS = 12  # a chart of fewer months keeps the bar width of twelve
WIDTH = 7.2  # inches; at 72 pt/inch the SVG is 518 pt wide and scales to its column
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.5,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 10,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
}
_PROLOGUE = re.compile(r"\A.*?(?=<svg)", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_GROUP_ID = re.compile(r'<g id="[^"]*"')  # figure_1, axes_1…: unreferenced, repeated per chart
_SIZE = re.compile(r'<svg ([^>]*?)width="[\d.]+pt" height="[\d.]+pt" ')


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, height), layout="constrained")


def _svg(fig: Figure, chart_id: str, label: str) -> str:
    """The figure as an inline ``<svg role="img">`` that scales with its container."""
    out = io.StringIO()
    with mpl.rc_context({**RC, "svg.hashsalt": chart_id}):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = _METADATA.sub("", _PROLOGUE.sub("", out.getvalue(), count=1), count=1)
    text = _GROUP_ID.sub("<g", text)
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return _SIZE.sub(
        rf'<svg \1id="{chart_id}" role="img" aria-label="{label}" ', text, count=1
    ).strip()


def _grid(ax: Axes, axis: Literal["x", "y"] = "y") -> None:
    ax.grid(axis=axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)


def _month_ticks(ax: Axes, months: Sequence[str]) -> None:
    """Label January of each year (all months when there are few)."""
    if len(months) <= 14:
        ticks = list(range(len(months)))
        labels = [m if i == 0 or m.endswith("-01") else m[5:] for i, m in enumerate(months)]
    else:
        ticks = [i for i, m in enumerate(months) if m.endswith("-01") or i == 0]
        labels = [months[i][:4] if months[i].endswith("-01") else months[i] for i in ticks]
        if len(ticks) > 1 and ticks[1] - ticks[0] < 4:
            ticks, labels = ticks[1:], labels[1:]
    ax.set_xticks(ticks, labels)


def month_bars(data: Monthly, chart_id: str, label: str, *, stacked: bool = True) -> str:
    """Counts per month, one colour per series: stacked (parts of a whole) or side by side
    (series of different kinds, such as edits and deletions)."""
    n = len(data.series)
    with mpl.rc_context(RC):
        fig = _figure(2.5)
        ax = fig.add_subplot()
        x = np.arange(len(data.months))
        bottom = np.zeros(len(data.months))
        width = 0.8 if stacked else 0.8 / n
        for i, (name, values) in enumerate(data.series):
            offset = 0.0 if stacked else (i - (n - 1) / 2) * width
            ax.bar(
                x + offset,
                values,
                width,
                bottom=bottom if stacked else 0,
                label=name,
                color=PALETTE[i % len(PALETTE)],
                linewidth=0,
            )
            if stacked:
                bottom += np.array(values)
        top = max([1, *(bottom if stacked else (v for _, s in data.series for v in s))])
        _grid(ax)
        _month_ticks(ax, data.months)
        pad = 0.2 + max(0.0, (MIN_MONTHS - len(data.months)) / 2)
        ax.set_xlim(-0.5 - pad, len(data.months) - 0.5 + pad)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if n > 1:
            ax.legend(frameon=False, ncols=min(n, 6), loc="upper left", fontsize=8.5)
            ax.set_ylim(0, top * 1.3)
        return _svg(fig, chart_id, label)


def heatmap(data: Monthly, chart_id: str, label: str) -> str:
    """Series (rows) by month (columns), darker for more."""
    values = np.array([v for _, v in data.series], dtype=float)
    with mpl.rc_context(RC):
        fig = _figure(0.9 + 0.22 * len(data.series))
        ax = fig.add_subplot()
        image = ax.imshow(values, aspect="auto", interpolation="none", cmap=HEAT, vmin=0)
        ax.set_yticks(range(len(data.series)), [name for name, _ in data.series], fontsize=8.5)
        _month_ticks(ax, data.months)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01, aspect=12)
        bar.outline.set_visible(False)
        bar.ax.tick_params(length=0, labelsize=8)
        return _svg(fig, chart_id, label)


def hbars(labels: Sequence[str], values: Sequence[int], chart_id: str, label: str) -> str:
    """Horizontal bars, the first label at the top, each bar with its value."""
    with mpl.rc_context(RC):
        fig = _figure(0.5 + 0.24 * len(labels))
        ax = fig.add_subplot()
        y = np.arange(len(labels))
        ax.barh(y, values, 0.7, color=PALETTE[0], linewidth=0)
        ax.set_yticks(y, list(labels))
        ax.invert_yaxis()
        for pos, value in zip(y, values, strict=True):
            ax.annotate(
                f"{value:,}",
                (value, pos),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
                color=MUTED,
            )
        ax.set_xlim(0, max([*values, 1]) * 1.12)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(length=0)
        return _svg(fig, chart_id, label)


def bars(labels: Sequence[str], values: Sequence[int], chart_id: str, label: str) -> str:
    """Vertical bars over categories (such as word-count bins)."""
    with mpl.rc_context(RC):
        fig = _figure(2.3)
        ax = fig.add_subplot()
        x = np.arange(len(labels))
        ax.bar(x, values, 0.75, color=PALETTE[2], linewidth=0)
        ax.set_xticks(x, list(labels), fontsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _grid(ax)
        return _svg(fig, chart_id, label)
