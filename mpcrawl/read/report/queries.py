"""The report's numbers: one DuckDB query per question, answered as plain dataclasses.

Every timestamp is read in UTC (the connection's ``TimeZone`` is set to UTC) and a month
is the ``YYYY-MM`` of a UTC time. Content, video and Hansard figures count what is live:
each post's newest archived version, posts tombstoned since left out (``posts_latest``);
the history section is where deleted and hidden posts are counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

import duckdb

from mpcrawl.outcomes import FAILURES
from mpcrawl.read.warc import PageCapture

FAILING_STREAK = 3
WORD_BINS = (0, 100, 200, 300, 500, 750, 1000, 1500, 2000)
# A month axis spans at most 50 years, whatever dates the archive holds (0001..9999 included):
# charts and tables of a monthly series stay within MAX_MONTHS columns per series.
MAX_MONTHS = 600


@dataclass(frozen=True, slots=True)
class Monthly:
    """Counts per month for named series; every month between the first and last is present."""

    months: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    outside: int = 0  # counted rows dated outside the axis (see MAX_MONTHS)

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(column) for column in zip(*(v for _, v in self.series), strict=True))

    def last(self, months: int) -> Monthly:
        """The same series over the last ``months`` months only."""
        return Monthly(self.months[-months:], tuple((n, v[-months:]) for n, v in self.series))

    @property
    def empty(self) -> bool:
        return not self.months


@dataclass(frozen=True, slots=True)
class RunCell:
    """One run of one site."""

    run_id: str
    outcome: str
    finished_at: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class SiteRuns:
    """A site's recent runs (oldest first) and the figures of its last run."""

    site: str
    name: str | None
    url: str | None
    cells: tuple[RunCell, ...]
    runs: int
    last_success: datetime | None
    requests: int | None
    errors: int | None
    posts_total: int | None
    failing_streak: int

    @property
    def last(self) -> RunCell:
        return self.cells[-1]

    @property
    def alarm(self) -> bool:
        return self.failing_streak >= FAILING_STREAK


@dataclass(frozen=True, slots=True)
class Overview:
    sites: int
    sites_ok: int
    sites_failing: int
    runs: int
    last_run: datetime | None
    posts: int
    pages: int
    versions: int
    words: int
    embeds: int
    turns: int
    tombstones: int
    first_post: datetime | None
    last_post: datetime | None


@dataclass(frozen=True, slots=True)
class SiteActivity:
    site: str
    name: str | None
    source: str  # what served its publications: rest, sitemap, crawl, feed, links (comma-separated)
    posts: int
    pages: int
    words: int
    median_words: float | None
    first_post: datetime | None
    latest_post: datetime | None
    posts_last_year: int
    videos: int
    turns: int


@dataclass(frozen=True, slots=True)
class Video:
    published: datetime | None
    site: str
    post_title: str | None
    post_link: str | None
    provider: str | None
    title: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class EditedPost:
    site: str
    post_type: str
    id: int
    title: str | None
    link: str | None
    versions: int
    last_modified: datetime | None


@dataclass(frozen=True, slots=True)
class Tombstone:
    detected_at: datetime | None
    site: str
    post_type: str
    id: int
    reason: str | None
    title: str | None
    link: str | None
    last_seen_modified: datetime | None
    returned_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Speaker:
    speaker: str
    party: str | None
    role: str | None
    turns: int
    exchanges: int
    sites: int


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the page shows, read in one go."""

    generated_at: datetime
    overview: Overview
    runs: tuple[SiteRuns, ...]
    posts_by_site: Monthly
    activity: tuple[SiteActivity, ...]
    word_bins: tuple[tuple[str, int], ...]
    embeds_by_provider: Monthly
    videos: tuple[Video, ...]
    history: Monthly
    versions_per_post: tuple[tuple[int, int], ...]
    most_edited: tuple[EditedPost, ...]
    tombstones: tuple[Tombstone, ...]
    speakers: tuple[Speaker, ...]
    hansard: Monthly
    # each shown post's newest page capture (WARC), and where a replay collection serves them
    captures: Mapping[tuple[str, str], PageCapture] = field(default_factory=dict)
    replay_url: str | None = None

    def shown_pages(self) -> set[tuple[str, str]]:
        """``(site, link)`` of every post the page shows."""
        pages = {(e.site, e.link) for e in self.most_edited}
        pages |= {(t.site, t.link) for t in self.tombstones}
        pages |= {(v.site, v.post_link) for v in self.videos}
        return {(site, url) for site, url in pages if url}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """UTC, and the live publications of both paths read once into temporary tables (every
    section uses them): ``report_live`` (a page read on the fallback path whose type is not
    printed counts as a post), its videos ``report_embeds`` and turns ``report_turns``."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE report_live AS SELECT site, source, "
        "coalesce(post_type, 'post') AS post_type, id, url AS link, title, date_gmt, "
        "modified_gmt, coalesce(word_count, 0) AS word_count FROM publications"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE report_embeds AS SELECT e.*, p.title AS post_title, "
        "p.date_gmt, coalesce(p.post_type, 'post') AS live_type FROM publication_embeds e "
        "JOIN publications p ON p.site = e.site AND p.url = e.url"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE report_turns AS SELECT t.*, p.date_gmt "
        "FROM publication_turns t JOIN publications p ON p.site = t.site AND p.url = t.url"
    )


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _months(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1))


def _busiest_span(totals: dict[int, int]) -> tuple[int, int]:
    """First and last month with rows of the MAX_MONTHS-long span holding the most rows
    (the latest such span on a tie); linear in the number of distinct months."""
    months = sorted(totals)
    best, span, held, left = -1, (months[0], months[0]), 0, 0
    for month in months:
        held += totals[month]
        while month - months[left] >= MAX_MONTHS:
            held -= totals[months[left]]
            left += 1
        if held >= best:
            best, span = held, (months[left], month)
    return span


def monthly(rows: list[tuple[Any, ...]], order: list[str] | None = None) -> Monthly:
    """``(series, 'YYYY-MM', count)`` rows as a gap-free :class:`Monthly`.

    The axis is the busiest span of at most ``MAX_MONTHS`` months; rows dated outside
    it (a post dated 0001 or 9999) are counted in ``outside``, not drawn.

    >>> monthly([("a", "2024-11", 2), ("b", "2025-01", 1)]).series
    (('a', (2, 0, 0)), ('b', (0, 0, 1)))
    >>> m = monthly([("a", "0001-01", 1), ("a", "2024-11", 2), ("a", "9999-12", 1)])
    >>> m.months, m.outside
    (('2024-11',), 2)
    """
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return Monthly((), ())
    totals: Counter[int] = Counter()
    for _, month, count in rows:
        totals[_index(month)] += int(count)
    first, last = _busiest_span(totals)
    months = _months(first, last)
    names = order or sorted({r[0] for r in rows})
    values = {name: [0] * len(months) for name in names}
    outside = 0
    for name, month, count in rows:
        at = _index(month) - first
        if not 0 <= at < len(months):
            outside += int(count)
        elif name in values:
            values[name][at] += int(count)
    return Monthly(months, tuple((name, tuple(values[name])) for name in names), outside)


def overview(con: duckdb.DuckDBPyConnection) -> Overview:
    failures = list(FAILURES)
    sites, ok, failing, runs, last_run = _rows(
        con,
        "WITH last AS (SELECT site, outcome FROM runs "
        "  QUALIFY row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) = 1) "
        "SELECT (SELECT count(*) FROM last), (SELECT count(*) FROM last WHERE outcome = 'ok'), "
        "(SELECT count(*) FROM last WHERE list_contains(?, outcome)), "
        "(SELECT count(DISTINCT run_id) FROM runs), (SELECT max(finished_at) FROM runs)",
        failures,
    )[0]
    posts, pages, words, first_post, last_post = _rows(
        con,
        "SELECT count(*) FILTER (post_type = 'post'), count(*) FILTER (post_type = 'page'), "
        "coalesce(sum(word_count), 0), min(date_gmt) FILTER (post_type = 'post'), "
        "max(date_gmt) FILTER (post_type = 'post') FROM report_live",
    )[0]
    versions, embeds, turns, tombstones = _rows(
        con,
        "SELECT (SELECT count(*) FROM posts) + (SELECT count(*) FROM web_pages), "
        "(SELECT count(*) FROM report_embeds), (SELECT count(*) FROM report_turns), "
        "(SELECT count(*) FROM gone_publications)",
    )[0]
    return Overview(
        sites=sites,
        sites_ok=ok,
        sites_failing=failing,
        runs=runs,
        last_run=last_run,
        posts=posts,
        pages=pages,
        versions=versions,
        words=int(words),
        embeds=embeds,
        turns=turns,
        tombstones=tombstones,
        first_post=first_post,
        last_post=last_post,
    )


def site_runs(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[SiteRuns, ...]:
    """Per site the last ``limit`` runs; sites failing ``FAILING_STREAK`` runs in a row first,
    then sites whose last run was not ``ok``, then by site."""
    cells: dict[str, list[RunCell]] = {}
    for site, run_id, outcome, finished_at, reason in _rows(
        con,
        "SELECT site, run_id, outcome, finished_at, reason FROM runs "
        "QUALIFY row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) <= ? "
        "ORDER BY site, finished_at",
        limit,
    ):
        cells.setdefault(site, []).append(RunCell(run_id, outcome or "error", finished_at, reason))
    out = []
    for site, name, url, runs, last_success, requests, errors, total, streak in _rows(
        con,
        "WITH r AS (SELECT *, row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) "
        "  AS back FROM runs) "
        "SELECT r.site, any_value(s.name), any_value(s.url), count(*), "
        "max(r.finished_at) FILTER (r.outcome = 'ok'), "
        "any_value(r.requests) FILTER (r.back = 1), any_value(r.errors) FILTER (r.back = 1), "
        "any_value(r.posts_total) FILTER (r.back = 1), "
        "coalesce(min(r.back) FILTER (NOT list_contains(?, r.outcome)), count(*) + 1) - 1 "
        "FROM r LEFT JOIN sites_latest s ON s.site = r.site GROUP BY r.site",
        list(FAILURES),
    ):
        out.append(
            SiteRuns(
                site=site,
                name=name,
                url=url,
                cells=tuple(cells[site]),
                runs=runs,
                last_success=last_success,
                requests=requests,
                errors=errors,
                posts_total=total,
                failing_streak=streak,
            )
        )
    out.sort(key=lambda s: (not s.alarm, -s.failing_streak, s.last.outcome == "ok", s.site))
    return tuple(out)


def site_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A short label per site: its name from the site list where that is unique, else the site."""
    names = dict(_rows(con, "SELECT site, name FROM sites_latest WHERE name IS NOT NULL"))
    taken = Counter(names.values())
    return {site: name for site, name in names.items() if taken[name] == 1}


def posts_by_site(con: duckdb.DuckDBPyConnection) -> Monthly:
    """Posts (not pages) per month per site (by label), the most active sites first."""
    labels = site_labels(con)
    rows = [
        (labels.get(site, site), month, count)
        for site, month, count in _rows(
            con,
            "SELECT site, strftime(date_gmt, '%Y-%m') AS month, count(*) FROM report_live "
            "WHERE post_type = 'post' GROUP BY ALL",
        )
    ]
    totals: dict[str, int] = {}
    for label, _, count in rows:
        totals[label] = totals.get(label, 0) + count
    return monthly(rows, sorted(totals, key=lambda s: (-totals[s], s)))


def activity(con: duckdb.DuckDBPyConnection, now: datetime, limit: int) -> tuple[SiteActivity, ...]:
    rows = _rows(
        con,
        "WITH v AS (SELECT site, count(*) AS n FROM report_embeds GROUP BY site), "
        "t AS (SELECT site, count(*) AS n FROM report_turns GROUP BY site) "
        "SELECT p.site, any_value(s.name), string_agg(DISTINCT p.source, ', ' ORDER BY p.source), "
        "count(*) FILTER (p.post_type = 'post') AS posts, "
        "count(*) FILTER (p.post_type = 'page'), "
        "coalesce(sum(p.word_count) FILTER (p.post_type = 'post'), 0), "
        "median(p.word_count) FILTER (p.post_type = 'post'), "
        "min(p.date_gmt) FILTER (p.post_type = 'post'), "
        "max(p.date_gmt) FILTER (p.post_type = 'post'), "
        "count(*) FILTER (p.post_type = 'post' "
        "  AND p.date_gmt > ?::TIMESTAMPTZ - INTERVAL 365 DAY), "
        "coalesce(any_value(v.n), 0), coalesce(any_value(t.n), 0) "
        "FROM report_live p LEFT JOIN sites_latest s ON s.site = p.site "
        "LEFT JOIN v ON v.site = p.site LEFT JOIN t ON t.site = p.site "
        "GROUP BY p.site ORDER BY posts DESC, p.site LIMIT ?",
        now,
        limit,
    )
    return tuple(
        SiteActivity(
            site=r[0],
            name=r[1],
            source=r[2],
            posts=r[3],
            pages=r[4],
            words=int(r[5]),
            median_words=None if r[6] is None else float(r[6]),
            first_post=r[7],
            latest_post=r[8],
            posts_last_year=r[9],
            videos=int(r[10]),
            turns=int(r[11]),
        )
        for r in rows
    )


def word_bins(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, int], ...]:
    """Posts by word count, in the bins of ``WORD_BINS`` (the last one open-ended)."""
    counts = dict(
        _rows(
            con,
            "SELECT list_count(list_filter(?, lambda b: b <= word_count)) AS bin, count(*) "
            "FROM report_live WHERE post_type = 'post' GROUP BY bin",
            list(WORD_BINS),
        )
    )
    labels = [f"{lo}–{hi - 1}" for lo, hi in pairwise(WORD_BINS)]
    labels.append(f"{WORD_BINS[-1]}+")
    return tuple((label, int(counts.get(i + 1, 0))) for i, label in enumerate(labels))


def embeds_by_provider(con: duckdb.DuckDBPyConnection) -> Monthly:
    rows = _rows(
        con,
        "SELECT coalesce(provider, 'unknown'), strftime(date_gmt, '%Y-%m'), count(*) "
        "FROM report_embeds GROUP BY ALL",
    )
    totals: dict[str, int] = {}
    for provider, _, count in rows:
        totals[provider] = totals.get(provider, 0) + count
    return monthly(rows, sorted(totals, key=lambda s: (-totals[s], s)))


def videos(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[Video, ...]:
    rows = _rows(
        con,
        "SELECT date_gmt, site, post_title, url, provider, title, canonical_url "
        "FROM report_embeds ORDER BY date_gmt DESC NULLS LAST, site, url, position LIMIT ?",
        limit,
    )
    return tuple(Video(*r) for r in rows)


def history(con: duckdb.DuckDBPyConnection) -> Monthly:
    """Edits (archived versions after a post's first, by ``modified_gmt``), tombstones
    (by ``detected_at``, per reason) and posts back again (``returned`` rows) per month."""
    rows = _rows(
        con,
        "SELECT 'edits', strftime(modified_gmt, '%Y-%m'), count(*) FROM post_versions "
        "WHERE version > 1 GROUP BY ALL "
        "UNION ALL SELECT CASE reason WHEN 'returned' THEN 'back' "
        "ELSE coalesce(reason, 'gone') END, strftime(detected_at, '%Y-%m'), count(*) "
        "FROM presence_events GROUP BY ALL",
    )
    reasons = sorted({r[0] for r in rows} - {"edits", "back"})
    back = ["back"] if any(r[0] == "back" for r in rows) else []
    return monthly(rows, ["edits", *reasons, *back])


def versions_per_post(con: duckdb.DuckDBPyConnection) -> tuple[tuple[int, int], ...]:
    rows = _rows(
        con,
        "SELECT versions, count(*) FROM (SELECT count(*) AS versions FROM posts "
        "GROUP BY site, post_type, id) GROUP BY versions ORDER BY versions",
    )
    return tuple((int(v), int(n)) for v, n in rows)


def most_edited(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[EditedPost, ...]:
    rows = _rows(
        con,
        "SELECT site, post_type, id, arg_max(title, version), arg_max(link, version), "
        "count(*) AS versions, max(modified_gmt) AS last_modified FROM post_versions "
        "GROUP BY site, post_type, id HAVING count(*) > 1 "
        "ORDER BY versions DESC, last_modified DESC NULLS LAST, site, id LIMIT ?",
        limit,
    )
    return tuple(EditedPost(*r) for r in rows)


def tombstones(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[Tombstone, ...]:
    rows = _rows(
        con,
        "SELECT detected_at, site, post_type, id, reason, title, link, last_seen_modified_gmt, "
        "returned_at FROM gone_publications ORDER BY detected_at DESC, site, post_type, id, link "
        "LIMIT ?",
        limit,
    )
    return tuple(Tombstone(*r) for r in rows)


def speakers(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[Speaker, ...]:
    """The most frequent speakers of Hansard-style exchanges, by turns."""
    rows = _rows(
        con,
        "SELECT speaker, mode(party), mode(role), count(*) AS turns, "
        "count(DISTINCT (site, url)), count(DISTINCT site) FROM report_turns "
        "WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY turns DESC, speaker LIMIT ?",
        limit,
    )
    return tuple(Speaker(*r) for r in rows)


def hansard(con: duckdb.DuckDBPyConnection) -> Monthly:
    """Exchanges (posts with speaker turns) and turns per month of publication."""
    rows = _rows(
        con,
        "WITH t AS (SELECT site, url, strftime(date_gmt, '%Y-%m') AS month FROM report_turns) "
        "SELECT 'exchanges', month, count(DISTINCT (site, url)) FROM t GROUP BY ALL "
        "UNION ALL SELECT 'turns', month, count(*) FROM t GROUP BY ALL",
    )
    return monthly(rows, ["exchanges", "turns"])


def read_report(
    con: duckdb.DuckDBPyConnection, now: datetime, *, runs: int = 20, rows: int = 20
) -> ReportData:
    """Run every query of the report on ``con`` (a connection from ``archive.connect``)."""
    _prepare(con)
    return ReportData(
        generated_at=now,
        overview=overview(con),
        runs=site_runs(con, runs),
        posts_by_site=posts_by_site(con),
        activity=activity(con, now, rows),
        word_bins=word_bins(con),
        embeds_by_provider=embeds_by_provider(con),
        videos=videos(con, 15),
        history=history(con),
        versions_per_post=versions_per_post(con),
        most_edited=most_edited(con, 10),
        tombstones=tombstones(con, rows),
        speakers=speakers(con, 15),
        hansard=hansard(con),
    )
