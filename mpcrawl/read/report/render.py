"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Everything that comes from a site (titles, names, URLs, reasons) passes through
:func:`esc`; links are written only for ``http(s)`` URLs (:func:`link`). The page's
Content-Security-Policy allows no script and no fetch at all, as a second line of defence.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from mpcrawl.outcomes import FAILURES
from mpcrawl.read.report import charts
from mpcrawl.read.report.queries import Monthly, ReportData, SiteRuns
from mpcrawl.read.report.style import CSS, OTHER_OUTCOME, OUTCOMES

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
HEATMAP_SITES = 20
HEATMAP_MONTHS = 36
MAX_TEXT = 300
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>\"]+", re.I)


class Html(str):
    """Markup that is safe to write as is (built here, never taken from a site)."""


def esc(value: object) -> Html:
    """``value`` as HTML text: numbers with thousands separators, times in UTC, text escaped.

    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> esc(1234567), esc(None)
    ('1,234,567', '–')
    """
    if isinstance(value, Html):
        return value
    if value is None:
        return Html("–")
    if isinstance(value, bool):
        return Html("yes" if value else "no")
    if isinstance(value, int):
        return Html(f"{value:,}")
    if isinstance(value, float):
        return Html(f"{value:,.0f}")
    if isinstance(value, datetime):
        return when(value)
    text = str(value)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return Html(html.escape(text, quote=True))


def when(value: datetime | None, *, time: bool = True) -> Html:
    """A ``<time>`` in UTC, ``YYYY-MM-DD HH:MM`` (or the day only)."""
    if value is None:
        return Html("–")
    utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    shown = utc.strftime("%Y-%m-%d %H:%M" if time else "%Y-%m-%d")
    return Html(f'<time datetime="{utc.isoformat(timespec="seconds")}">{shown}</time>')


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else None.

    >>> safe_url("javascript:alert(1)"), safe_url("https://example.org/?p=1&x=<")
    (None, None)
    >>> safe_url("https://example.org/?p=1&q=2")
    'https://example.org/?p=1&q=2'
    """
    if not url or not _SAFE_URL.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def link(url: str | None, text: object = None) -> Html:
    """A link to ``url`` showing ``text`` (the URL itself by default); text only when the URL
    is not http(s)."""
    label = esc(url if text is None or text == "" else text)
    target = safe_url(url)
    if target is None:
        return label
    return Html(f'<a href="{esc(target)}" rel="nofollow noopener noreferrer">{label}</a>')


def capture(data: ReportData, site: str, url: str | None) -> Html:
    """A post's newest page capture: its time, linked to the replay collection where
    ``MPCRAWL_REPLAY_URL`` names one, else with the WARC file and offset to cite."""
    found = data.captures.get((site, url)) if url else None
    if found is None:
        return Html("")
    ts = found.ts
    label = f"{ts[:4]}-{ts[4:6]}-{ts[6:8]} {ts[8:10]}:{ts[10:12]}"
    if data.replay_url:
        return link(found.replay_url(data.replay_url), label)
    return Html(f"{esc(label)}<br><small><code>{esc(found.filename)}@{found.offset}</code></small>")


def _cell(value: object, css: str | None = None) -> str:
    if css is None:
        css = "n" if isinstance(value, int | float) and not isinstance(value, bool) else ""
        css = "t" if isinstance(value, datetime) else css
    return f'<td class="{css}">{esc(value)}</td>' if css else f"<td>{esc(value)}</td>"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    caption: str | None = None,
    numeric: Iterable[int] = (),
    classes: Sequence[str] | None = None,
    row_classes: Sequence[str] | None = None,
) -> Html:
    """A table (``caption`` as a note above it, where a narrow screen still shows it whole);
    numbers are right-aligned, ``classes`` (per column) override the guess."""
    right = set(numeric)
    head = "".join(
        f'<th scope="col"{" class=n" if i in right else ""}>{esc(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = []
    for r, row in enumerate(rows):
        css = f' class="{row_classes[r]}"' if row_classes and row_classes[r] else ""
        cells = "".join(
            _cell(v, classes[i] if classes and classes[i] else None) for i, v in enumerate(row)
        )
        body.append(f"<tr{css}>{cells}</tr>")
    note = f'<p class="meta">{esc(caption)}</p>' if caption else ""
    return Html(
        f'{note}<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def monthly_table(data: Monthly, *, total: bool = False) -> Html:
    """Months (newest first) by series, as the table view of a monthly chart."""
    names = [name for name, _ in data.series]
    columns = [values for _, values in data.series]
    if total and len(names) > 1:
        names.append("total")
        columns.append(data.totals())
    rows = [
        [data.months[i], *(column[i] for column in columns)]
        for i in reversed(range(len(data.months)))
    ]
    return table(["month (UTC)", *names], rows, numeric=range(1, len(names) + 1))


def figure(title: str, svg: str, table_view: Html, note: str = "") -> Html:
    """A chart with its caption and its numbers as a table, folded away."""
    extra = f'<p class="meta">{esc(note)}</p>' if note else ""
    return Html(
        f"<figure><figcaption>{esc(title)}</figcaption>{extra}"
        f'<div class="svg">{svg}</div>'
        f"<details><summary>Table view</summary>{table_view}</details></figure>"
    )


def empty(text: str) -> Html:
    return Html(f'<p class="empty">{esc(text)}</p>')


def _outcome(name: str) -> tuple[str, str, str]:
    colour_letter = OUTCOMES.get(name)
    css = f"o-{name}" if colour_letter else "o-other"
    return css, (colour_letter or OTHER_OUTCOME)[1], name


def _strip(site: SiteRuns) -> Html:
    cells = []
    for cell in site.cells:
        css, letter, name = _outcome(cell.outcome)
        tip = f"{cell.finished_at:%Y-%m-%d %H:%M} UTC: {name}" if cell.finished_at else name
        if cell.reason:
            tip += f" ({cell.reason})"
        cells.append(f'<i class="{css}" title="{esc(tip)}">{esc(letter)}</i>')
    spoken = ", ".join(c.outcome for c in site.cells)
    return Html(f'<div class="strip" role="img" aria-label="{esc(spoken)}">{"".join(cells)}</div>')


def _site_label(site: str, name: str | None, url: str | None = None) -> Html:
    shown = link(url, name or site) if url else esc(name or site)
    small = f"<small>{esc(site)}</small>" if name else ""
    return Html(f"{shown}{small}")


def overview_section(data: ReportData) -> Html:
    o = data.overview
    tiles = [
        ("Sites", o.sites, ""),
        ("OK at last run", o.sites_ok, ""),
        ("Failing at last run", o.sites_failing, "bad" if o.sites_failing else ""),
        ("Crawl runs", o.runs, ""),
        ("Posts", o.posts, ""),
        ("Pages", o.pages, ""),
        ("Versions archived", o.versions, ""),
        ("Words (posts, pages)", o.words, ""),
        ("Video embeds", o.embeds, ""),
        ("Speaker turns", o.turns, ""),
        ("Deleted or hidden", o.tombstones, ""),
    ]
    items = "".join(
        f'<div class="{css}"><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>'
        if css
        else f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>"
        for label, value, css in tiles
    )
    span = (
        f"<p>Posts published {when(o.first_post, time=False)} to "
        f"{when(o.last_post, time=False)}; last run finished {when(o.last_run)} UTC.</p>"
        if o.first_post
        else ""
    )
    return Html(
        f'<section id="overview" aria-labelledby="h-overview">'
        f'<h2 id="h-overview">Overview</h2><dl class="tiles">{items}</dl>{span}</section>'
    )


def runs_section(data: ReportData, limit: int) -> Html:
    if not data.runs:
        body = empty("No crawl run is recorded in this archive yet.")
    else:
        last = Counter(s.last.outcome for s in data.runs)
        counts = " ".join(
            f"<span>{esc(name)}: <b>{esc(n)}</b></span>" for name, n in last.most_common()
        )
        key = "".join(
            f'<span><i class="o-{name}" aria-hidden="true">{esc(letter)}</i> {esc(name)}'
            f"{' (failure)' if name in FAILURES else ''}</span>"
            for name, (_, letter) in OUTCOMES.items()
        )
        rows = []
        for s in data.runs:
            site = _site_label(s.site, s.name, s.url)
            if s.alarm:
                site = Html(f'{site}<span class="badge">failing {s.failing_streak} runs</span>')
            rows.append(
                [
                    site,
                    _strip(s),
                    esc(s.last.outcome),
                    s.last.finished_at,
                    s.last_success,
                    s.requests,
                    s.errors,
                    s.posts_total,
                ]
            )
        body = Html(
            f'<p class="outcomes">Outcome of each site\'s last run: {counts}</p>'
            f'<div class="key" aria-hidden="true">{key}</div>'
            + table(
                [
                    "site",
                    f"last {limit} runs",
                    "last outcome",
                    "last run (UTC)",
                    "last success (UTC)",
                    "requests",
                    "errors",
                    "posts on site",
                ],
                rows,
                numeric=(5, 6, 7),
                classes=["site", "", "", "", "", "", "", ""],
                row_classes=["alarm" if s.alarm else "" for s in data.runs],
                caption="Sites failing three runs in a row come first, then sites whose last "
                "run was not ok. Runs read oldest to newest; requests, errors and posts are "
                "those of the last run.",
            )
        )
    return Html(
        f'<section id="runs" aria-labelledby="h-runs"><h2 id="h-runs">Runs</h2>{body}</section>'
    )


def content_section(data: ReportData) -> Html:
    posts = data.posts_by_site
    if posts.empty:
        return Html(
            '<section id="content" aria-labelledby="h-content"><h2 id="h-content">Content</h2>'
            f"{empty('No post is archived yet.')}</section>"
        )
    totals = Monthly(posts.months, (("posts", posts.totals()),))
    parts: list[str] = [
        figure(
            "Posts per month, all sites",
            charts.month_bars(totals, "chart-posts", "Bar chart of posts per month"),
            monthly_table(totals),
            note="By publication month (date_gmt); live posts only.",
        )
    ]
    if len(posts.series) > 1:
        top = Monthly(posts.months, posts.series[:HEATMAP_SITES]).last(HEATMAP_MONTHS)
        parts.append(
            figure(
                f"Posts per month, the {len(top.series)} most active sites, "
                f"last {len(top.months)} months",
                charts.heatmap(top, "chart-heat", "Heat map of posts per month per site"),
                monthly_table(top),
            )
        )
    parts.append(
        Html("<h3>Most active sites</h3>")
        + table(
            [
                "site",
                "source",
                "posts",
                "pages",
                "videos",
                "speaker turns",
                "words in posts",
                "median words per post",
                "first post (UTC)",
                "latest post (UTC)",
                "posts in last 365 days",
            ],
            (
                [
                    _site_label(a.site, a.name),
                    a.source,
                    a.posts,
                    a.pages,
                    a.videos,
                    a.turns,
                    a.words,
                    a.median_words,
                    when(a.first_post, time=False),
                    when(a.latest_post, time=False),
                    a.posts_last_year,
                ]
                for a in data.activity
            ),
            numeric=(2, 3, 4, 5, 6, 7, 10),
            classes=["site", "", "", "", "", "", "", "", "t", "t", ""],
        )
    )
    labels = [label for label, _ in data.word_bins]
    counts = [n for _, n in data.word_bins]
    parts.append(
        figure(
            "Words per post",
            charts.bars(labels, counts, "chart-words", "Bar chart of posts by word count"),
            table(["words", "posts"], data.word_bins, numeric=(1,)),
        )
    )
    return Html(
        '<section id="content" aria-labelledby="h-content"><h2 id="h-content">Content</h2>'
        + "".join(parts)
        + "</section>"
    )


def video_section(data: ReportData) -> Html:
    embeds = data.embeds_by_provider
    if embeds.empty:
        body = empty("No video embed is archived yet.")
    else:
        totals = " ".join(
            f"<span>{esc(name)}: <b>{esc(sum(values))}</b></span>" for name, values in embeds.series
        )
        body = Html(
            f'<p class="outcomes">Embeds per provider: {totals}</p>'
            + figure(
                "Video embeds per month, by provider",
                charts.month_bars(embeds, "chart-video", "Stacked bar chart of embeds per month"),
                monthly_table(embeds, total=True),
                note="By the publication month of the post that embeds them.",
            )
            + Html("<h3>Latest videos</h3>")
            + table(
                ["published (UTC)", "site", "post", "captured (UTC)", "provider", "video"],
                (
                    [
                        v.published,
                        v.site,
                        link(v.post_link, v.post_title or "(untitled)"),
                        capture(data, v.site, v.post_link),
                        v.provider,
                        link(v.url, v.title or v.url),
                    ]
                    for v in data.videos
                ),
                classes=["t", "", "title", "t", "", "title"],
            )
        )
    return Html(
        f'<section id="video" aria-labelledby="h-video"><h2 id="h-video">Video</h2>{body}</section>'
    )


def history_section(data: ReportData) -> Html:
    parts: list[str] = []
    if not data.history.empty:
        parts.append(
            figure(
                "Edits and deletions per month",
                charts.month_bars(
                    data.history,
                    "chart-history",
                    "Bar chart of edits and tombstones per month",
                    stacked=False,
                ),
                monthly_table(data.history),
                note="Edits: archived versions after a post's first, by their modified_gmt. "
                "Deleted and hidden: tombstones, by the time a crawl noticed them. "
                "Back: posts listed again after a tombstone.",
            )
        )
    if data.versions_per_post:
        parts.append(
            Html("<h3>Versions per post</h3>")
            + table(
                ["versions archived", "posts and pages"], data.versions_per_post, numeric=(0, 1)
            )
        )
    if data.most_edited:
        parts.append(
            Html("<h3>Most edited</h3>")
            + table(
                ["site", "type", "post", "versions", "last modified (UTC)", "captured (UTC)"],
                (
                    [
                        e.site,
                        e.post_type,
                        link(e.link, e.title or f"#{e.id}"),
                        e.versions,
                        e.last_modified,
                        capture(data, e.site, e.link),
                    ]
                    for e in data.most_edited
                ),
                classes=["", "", "title", "", "", "t"],
            )
        )
    if data.tombstones:
        parts.append(
            Html("<h3>Latest tombstones</h3>")
            + table(
                [
                    "detected (UTC)",
                    "site",
                    "type",
                    "id",
                    "reason",
                    "last archived title",
                    "last seen version (UTC)",
                    "last captured (UTC)",
                    "back since (UTC)",
                ],
                (
                    [
                        t.detected_at,
                        t.site,
                        t.post_type,
                        str(t.id),
                        t.reason,
                        link(t.link, t.title or "(untitled)"),
                        t.last_seen_modified,
                        capture(data, t.site, t.link),
                        t.returned_at,
                    ]
                    for t in data.tombstones
                ),
                classes=["", "", "", "n", "", "title", "", "t", ""],
            )
        )
    else:
        parts.append(empty("No post has been deleted or hidden since it was archived."))
    return Html(
        '<section id="history" aria-labelledby="h-history"><h2 id="h-history">History</h2>'
        + "".join(parts)
        + "</section>"
    )


def hansard_section(data: ReportData) -> Html:
    body: str
    if not data.speakers:
        body = empty("No Hansard-style exchange is archived yet.")
    else:
        body = figure(
            "Most frequent speakers, by turns",
            charts.hbars(
                [s.speaker for s in data.speakers],
                [s.turns for s in data.speakers],
                "chart-speakers",
                "Bar chart of speaker turns per speaker",
            ),
            table(
                ["speaker", "party", "role", "turns", "exchanges", "sites"],
                (
                    [s.speaker, s.party, s.role, s.turns, s.exchanges, s.sites]
                    for s in data.speakers
                ),
                numeric=(3, 4, 5),
            ),
        ) + figure(
            "Exchanges and speaker turns per month",
            charts.month_bars(
                data.hansard,
                "chart-hansard",
                "Bar chart of exchanges and turns per month",
                stacked=False,
            ),
            monthly_table(data.hansard),
            note="An exchange is a post with speaker turns, by its publication month.",
        )
    return Html(
        '<section id="hansard" aria-labelledby="h-hansard"><h2 id="h-hansard">Hansard</h2>'
        f"{body}</section>"
    )


def render(data: ReportData, archive: str, *, runs: int) -> str:
    """The whole page."""
    sections = [
        overview_section(data),
        runs_section(data, runs),
        content_section(data),
        video_section(data),
        history_section(data),
        hansard_section(data),
    ]
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in (
            ("runs", "Runs"),
            ("content", "Content"),
            ("video", "Video"),
            ("history", "History"),
            ("hansard", "Hansard"),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        "<title>mpcrawl archive report</title>"
        f"<style>{CSS}</style></head><body>"
        "<header><h1>mpcrawl archive report</h1>"
        f'<p class="meta">Archive <code>{esc(archive)}</code> · generated '
        f"{when(data.generated_at)} UTC · all dates and times are UTC</p>"
        f'<nav aria-label="Sections">{nav}</nav></header>'
        f"<main>{''.join(sections)}</main>"
        "<footer>Made by <code>scrapy report</code> from the archive's DuckDB views "
        "(<code>mpcrawl.archive.connect</code>).</footer></body></html>\n"
    )
