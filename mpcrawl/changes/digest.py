"""What changed in the archive between two times, per site, as plain dataclasses.

Read side only: DuckDB over the archive's views (a connection from
``mpcrawl.archive.connect``); nothing of the crawl is imported. Every change is read from
the rows a crawl wrote, by the time the crawl learnt it (``fetched_at``, ``detected_at``,
``finished_at``), so a digest of a past window is the same whenever it is asked for.

Bounds: the key columns of the posts touched in the window are read (never every
version's content); at most ``limit`` changes of each kind per site are listed, the rest
only counted; content, embeds and turns are read only for the listed ones.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import duckdb

Kind = Literal["first_crawl", "new", "edited", "hidden", "deleted", "back", "revisions", "outcome"]
KINDS: tuple[Kind, ...] = (
    "outcome",
    "first_crawl",
    "deleted",
    "hidden",
    "back",
    "edited",
    "new",
    "revisions",
)
DIFF_LINES = 40
LINE_CHARS = 160
TAG = "tag:mpcrawl,2026:"


@dataclass(frozen=True, slots=True)
class Video:
    """A video embed new to a post."""

    provider: str | None
    video_id: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Change:
    """One thing the archive learnt about a site. ``entry_id`` is the same on every rerun."""

    kind: Kind
    site: str
    at: datetime
    entry_id: str
    post_type: str | None = None
    post_id: int | None = None
    title: str | None = None
    link: str | None = None
    previous_title: str | None = None  # edited: the title before, where it changed
    diff: tuple[str, ...] = ()  # edited: unified diff of content_text, trimmed
    diff_omitted: int = 0  # edited: diff lines left out
    videos: tuple[Video, ...] = ()  # new, edited: embeds the previous version lacked
    turns: int = 0  # new, edited: speaker turns the previous version lacked
    speakers: tuple[str, ...] = ()  # their speakers, in order of first appearance
    revisions: int = 0  # revisions archived for this post in the same run
    outcome: str | None = None  # outcome, first_crawl: the run's outcome
    previous_outcome: str | None = None  # outcome: the site's run before
    reason: str | None = None  # outcome: the run's reason
    counts: dict[str, int] = field(default_factory=dict)  # first_crawl: rows per kind
    last_seen: datetime | None = None  # hidden, deleted, back: the newest archived version
    run_id: str | None = None  # the run that found it


@dataclass(frozen=True, slots=True)
class SiteChanges:
    """The changes of one site in its window, and how many were counted but not listed."""

    site: str
    since: datetime | None
    until: datetime | None
    changes: tuple[Change, ...]
    omitted: dict[str, int]


@dataclass(frozen=True, slots=True)
class Digest:
    """Changes per site; sites without a change are left out."""

    since: datetime | None  # None: each site since its previous run
    until: datetime | None
    sites: tuple[SiteChanges, ...]

    @property
    def empty(self) -> bool:
        return not self.sites

    def changes(self) -> list[Change]:
        return [c for s in self.sites for c in s.changes]


def entry_id(*parts: object) -> str:
    """A tag URI (RFC 4151) naming one change, built only from archived keys.

    >>> entry_id("www.example-mp.org.uk", "deleted", "post", 12, "2026-12-01T03:04:05Z")
    'tag:mpcrawl,2026:www.example-mp.org.uk/deleted/post/12/2026-12-01T03:04:05Z'
    """
    return TAG + "/".join(str(p) for p in parts)


def _iso(value: datetime | None) -> str:
    return "none" if value is None else value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _common_prefix(a: str, b: str) -> int:
    """How many leading characters two texts share.

    >>> _common_prefix("funding of 125", "funding of 150")
    12
    """
    pairs = enumerate(zip(a, b, strict=False))
    return next((k for k, (x, y) in pairs if x != y), min(len(a), len(b)))


def _clip(line: str, start: int, width: int) -> str:
    """A diff line cut to ``width`` characters of text around position ``start``.

    >>> _clip("-" + "a" * 50 + "XYZ" + "b" * 50, 50, 20)
    '-…aaaaaXYZbbbbbbbbbbbb…'
    """
    sign, text = line[:1], line[1:]
    if len(text) <= width:
        return line
    begin = max(0, min(start - width // 4, len(text) - width))
    end = begin + width
    return sign + ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")


def trimmed_diff(
    old: str | None, new: str | None, *, lines: int = DIFF_LINES, width: int = LINE_CHARS
) -> tuple[tuple[str, ...], int]:
    """A unified diff of two texts by paragraph, and how many lines were cut off.

    A long paragraph is cut around where it differs from its counterpart, so an edited
    figure deep in a paragraph is what the reader sees.

    >>> trimmed_diff("a\\nb\\nc", "a\\nB\\nc")
    (('@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c'), 0)
    >>> trimmed_diff("x", "y", lines=2)
    (('@@ -1 +1 @@', '-x'), 1)
    """

    def paragraphs(text: str | None) -> list[str]:
        return [line for line in (text or "").splitlines() if line.strip()]

    body = list(difflib.unified_diff(paragraphs(old), paragraphs(new), lineterm="", n=1))[2:]
    starts = [0] * len(body)
    i = 0
    while i < len(body):
        minus = i
        while minus < len(body) and body[minus].startswith("-"):
            minus += 1
        plus = minus
        while plus < len(body) and body[plus].startswith("+"):
            plus += 1
        for a, b in zip(range(i, minus), range(minus, plus), strict=False):
            starts[a] = starts[b] = _common_prefix(body[a][1:], body[b][1:])
        i = max(plus, i + 1)
    cut = [_clip(line, start, width) for line, start in zip(body, starts, strict=True)]
    return tuple(cut[:lines]), max(0, len(body) - lines)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def _windows(
    con: duckdb.DuckDBPyConnection,
    since: datetime | None,
    until: datetime | None,
    sites: list[str] | None,
) -> None:
    """``changes_window(site, since, until)``: by default, since each site's previous run.

    A ``locked`` run crawled nothing (another run held the site), so it is no boundary.
    """
    con.execute(
        "CREATE OR REPLACE TEMP TABLE changes_window AS "
        "WITH known AS (SELECT site FROM runs UNION SELECT site FROM sites), "
        "ordered AS (SELECT site, finished_at, "
        "  row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) AS n "
        "  FROM runs WHERE outcome IS DISTINCT FROM 'locked') "
        "SELECT k.site, "
        "  coalesce(CAST(? AS TIMESTAMPTZ), "
        "    (SELECT max(o.finished_at) FROM ordered o WHERE o.site = k.site AND o.n = 2), "
        "    '-infinity'::TIMESTAMPTZ) AS since, "
        "  coalesce(CAST(? AS TIMESTAMPTZ), 'infinity'::TIMESTAMPTZ) AS until "
        "FROM known k WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, k.site)",
        [since, until, sites, sites],
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE changes_first AS "
        "SELECT site, arg_min(run_id, started_at) AS run_id FROM runs "
        "WHERE posts_new > 0 GROUP BY site"
    )


def _versions(con: duckdb.DuckDBPyConnection) -> None:
    """``changes_versions``: every version of each post with a version in its window,
    numbered as ``post_versions`` numbers them, flagged ``inside`` the window or not."""
    # The widest bounds as constants too: DuckDB skips row groups by their statistics.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE changes_touched AS "
        "SELECT DISTINCT p.site, p.post_type, p.id FROM posts_files p JOIN changes_window w "
        "ON p.site = w.site AND p.fetched_at > w.since AND p.fetched_at <= w.until "
        "WHERE p.fetched_at > (SELECT min(since) FROM changes_window) "
        "AND p.fetched_at <= (SELECT max(until) FROM changes_window)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE changes_versions AS "
        "WITH k AS (SELECT p.site, p.post_type, p.id, p.modified_gmt, "
        "  min(p.fetched_at) AS fetched_at, arg_min(p.run_id, p.fetched_at) AS run_id "
        "  FROM posts_files p SEMI JOIN changes_touched t "
        "  ON p.site = t.site AND p.post_type = t.post_type AND p.id = t.id GROUP BY ALL) "
        "SELECT k.*, row_number() OVER (PARTITION BY k.site, k.post_type, k.id "
        "  ORDER BY k.modified_gmt NULLS FIRST, k.fetched_at) AS version, "
        "  k.fetched_at > w.since AND k.fetched_at <= w.until AS inside, "
        "  k.run_id = f.run_id AS first_run "
        "FROM k JOIN changes_window w ON w.site = k.site "
        "LEFT JOIN changes_first f ON f.site = k.site"
    )


def _post_rows(
    con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str, int, datetime | None]]
) -> dict[tuple[str, str, int, datetime | None], tuple[Any, ...]]:
    """``title, link, content_text`` of the given versions, read for those ids only."""
    found: dict[tuple[str, str, int, datetime | None], tuple[Any, ...]] = {}
    by_site: dict[str, set[int]] = {}
    for site, _, pid, _ in keys:
        by_site.setdefault(site, set()).add(pid)
    for site, ids in by_site.items():
        for row in _rows(
            con,
            "SELECT site, post_type, id, modified_gmt, title, link, content_text FROM posts_files "
            "WHERE site = ? AND list_contains(?, id) "
            "QUALIFY row_number() OVER (PARTITION BY post_type, id, modified_gmt "
            "ORDER BY fetched_at) = 1",
            site,
            sorted(ids),
        ):
            found[row[:4]] = row[4:]
    return found


def _newest_titles(
    con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str, int]]
) -> dict[tuple[str, str, int], tuple[str | None, str | None]]:
    """The newest archived ``title, link`` of each post named."""
    out: dict[tuple[str, str, int], tuple[str | None, str | None]] = {}
    by_site: dict[str, set[int]] = {}
    for site, _, pid in keys:
        by_site.setdefault(site, set()).add(pid)
    for site, ids in by_site.items():
        for ptype, pid, title, link in _rows(
            con,
            "SELECT post_type, id, title, link FROM posts_files "
            "WHERE site = ? AND list_contains(?, id) "
            "QUALIFY row_number() OVER (PARTITION BY post_type, id "
            "ORDER BY modified_gmt DESC NULLS LAST, fetched_at DESC) = 1",
            site,
            sorted(ids),
        ):
            out[(site, ptype, pid)] = (title, link)
    return out


Key = tuple[str, str, int, datetime | None]


def _extras(
    con: duckdb.DuckDBPyConnection, table: str, keys: list[Key]
) -> dict[Key, list[tuple[Any, ...]]]:
    """Embeds (``provider, video_id, canonical_url``) or turns (``speaker, text``) per version."""
    columns = (
        "provider, video_id, coalesce(canonical_url, embed_src)"
        if table == "embeds"
        else "speaker, text"
    )
    order = "position" if table == "embeds" else "turn"
    out: dict[Key, list[tuple[Any, ...]]] = {}
    by_site: dict[str, set[int]] = {}
    for site, _, pid, _ in keys:
        by_site.setdefault(site, set()).add(pid)
    wanted = set(keys)
    for site, ids in by_site.items():
        for row in _rows(
            con,
            f"SELECT site, post_type, post_id, modified_gmt, {columns} FROM {table}_files "
            f"WHERE site = ? AND list_contains(?, post_id) "
            f"QUALIFY row_number() OVER (PARTITION BY post_type, post_id, modified_gmt, {order} "
            f"ORDER BY run_id) = 1 ORDER BY {order}",
            site,
            sorted(ids),
        ):
            if row[:4] in wanted:
                out.setdefault(row[:4], []).append(row[4:])
    return out


def _count_omitted(omitted: dict[str, dict[str, int]], listed: list[tuple[str, str, int]]) -> None:
    """Record, per site and kind, how many of ``total`` changes were not listed.

    >>> out: dict[str, dict[str, int]] = {}
    >>> _count_omitted(out, [("a", "new", 5), ("a", "new", 5), ("b", "edited", 1)])
    >>> out
    {'a': {'new': 3}, 'b': {'edited': 0}}
    """
    shown = Counter((site, kind) for site, kind, _ in listed)
    for site, kind, total in listed:
        omitted.setdefault(site, {})[kind] = total - shown[(site, kind)]


def _post_changes(
    con: duckdb.DuckDBPyConnection, limit: int, omitted: dict[str, dict[str, int]]
) -> list[Change]:
    """New and edited versions (first-run versions become one ``first_crawl`` per site)."""
    ranked = _rows(
        con,
        "WITH c AS (SELECT *, CASE WHEN version = 1 THEN 'new' ELSE 'edited' END AS kind "
        "  FROM changes_versions WHERE inside AND NOT coalesce(first_run, false)) "
        "SELECT c.site, c.kind, c.post_type, c.id, c.modified_gmt, c.fetched_at, c.run_id, "
        "  p.modified_gmt AS previous, count(*) OVER (PARTITION BY c.site, c.kind) AS n "
        "FROM c LEFT JOIN changes_versions p ON p.site = c.site AND p.post_type = c.post_type "
        "  AND p.id = c.id AND p.version = c.version - 1 "
        "QUALIFY row_number() OVER (PARTITION BY c.site, c.kind "
        "  ORDER BY c.fetched_at DESC, c.post_type, c.id, c.version DESC) <= ?",
        limit,
    )
    _count_omitted(omitted, [(r[0], r[1], r[-1]) for r in ranked])
    keys: list[Key] = [(r[0], r[2], r[3], r[4]) for r in ranked]
    keys += [(r[0], r[2], r[3], r[7]) for r in ranked if r[1] == "edited"]
    rows = _post_rows(con, keys)
    embeds, turns = _extras(con, "embeds", keys), _extras(con, "speech_turns", keys)
    revisions = {
        (s, t, i, r): n
        for s, t, i, r, n in _rows(
            con,
            "SELECT r.site, r.post_type, r.post_id, r.run_id, count(*) FROM revisions_files r "
            "SEMI JOIN changes_touched t ON t.site = r.site AND t.post_type = r.post_type "
            "AND t.id = r.post_id GROUP BY ALL",
        )
    }
    out = []
    for site, kind, ptype, pid, modified, fetched, run_id, previous, _ in ranked:
        title, link, text = rows.get((site, ptype, pid, modified), (None, None, None))
        before: tuple[Any, ...] = rows.get((site, ptype, pid, previous), (None, None, None))
        old_videos = {v[2] for v in embeds.get((site, ptype, pid, previous), [])}
        videos = tuple(
            Video(*v)
            for v in embeds.get((site, ptype, pid, modified), [])
            if kind == "new" or v[2] not in old_videos
        )
        old_turns = set(turns.get((site, ptype, pid, previous), [])) if kind == "edited" else set()
        added = [t for t in turns.get((site, ptype, pid, modified), []) if t not in old_turns]
        diff: tuple[str, ...] = ()
        cut = 0
        if kind == "edited":
            diff, cut = trimmed_diff(before[2], text)
        out.append(
            Change(
                kind=kind,
                site=site,
                at=fetched,
                entry_id=entry_id(site, kind, ptype, pid, _iso(modified)),
                post_type=ptype,
                post_id=pid,
                title=title,
                link=link,
                previous_title=before[0] if kind == "edited" and before[0] != title else None,
                diff=diff,
                diff_omitted=cut,
                videos=videos,
                turns=len(added),
                speakers=tuple(dict.fromkeys(t[0] for t in added if t[0])),
                revisions=revisions.get((site, ptype, pid, run_id), 0),
                run_id=run_id,
            )
        )
    return out


def _first_crawls(con: duckdb.DuckDBPyConnection) -> list[Change]:
    """One change per site whose first archiving run falls in its window."""
    out = []
    for site, run_id, at, by_type in _rows(
        con,
        "SELECT site, any_value(run_id), max(fetched_at), "
        "  map(list(post_type), list(n)) FROM (SELECT site, run_id, post_type, "
        "  count(*) FILTER (WHERE version = 1) AS n, max(fetched_at) AS fetched_at "
        "  FROM changes_versions WHERE inside AND first_run GROUP BY ALL) GROUP BY site",
    ):
        counts = {str(k): int(v) for k, v in by_type.items()}
        for table, column in (
            ("revisions", "revisions"),
            ("embeds", "videos"),
            ("speech_turns", "speaker turns"),
        ):
            n = _rows(
                con,
                f"SELECT count(*) FROM {table}_files WHERE site = ? AND run_id = ?",
                site,
                run_id,
            )[0][0]
            if n:
                counts[column] = int(n)
        outcome = _rows(
            con, "SELECT any_value(outcome) FROM runs WHERE run_id = ? AND site = ?", run_id, site
        )
        out.append(
            Change(
                kind="first_crawl",
                site=site,
                at=at,
                entry_id=entry_id(site, "first-crawl", run_id),
                outcome=outcome[0][0] if outcome else None,
                counts=counts,
                run_id=run_id,
            )
        )
    return out


def _presence(
    con: duckdb.DuckDBPyConnection, limit: int, omitted: dict[str, dict[str, int]]
) -> list[Change]:
    """Posts found gone (``deleted``, ``hidden``) or listed again (``back``)."""
    ranked = _rows(
        con,
        "WITH t AS (SELECT t.*, CASE t.reason WHEN 'returned' THEN 'back' "
        "  ELSE coalesce(t.reason, 'deleted') END AS kind FROM tombstones t "
        "  JOIN changes_window w ON w.site = t.site "
        "  AND t.detected_at > w.since AND t.detected_at <= w.until) "
        "SELECT site, kind, post_type, id, detected_at, last_seen_modified_gmt, run_id, "
        "  count(*) OVER (PARTITION BY site, kind) FROM t "
        "QUALIFY row_number() OVER (PARTITION BY site, kind "
        "  ORDER BY detected_at DESC, post_type, id) <= ?",
        limit,
    )
    _count_omitted(omitted, [(r[0], r[1], r[-1]) for r in ranked])
    titles = _newest_titles(con, {(r[0], r[2], r[3]) for r in ranked})
    return [
        Change(
            kind=kind,
            site=site,
            at=at,
            entry_id=entry_id(site, kind, ptype, pid, _iso(at)),
            post_type=ptype,
            post_id=pid,
            title=titles.get((site, ptype, pid), (None, None))[0],
            link=titles.get((site, ptype, pid), (None, None))[1],
            last_seen=last_seen,
            run_id=run_id,
        )
        for site, kind, ptype, pid, at, last_seen, run_id, _ in ranked
    ]


def _revisions(
    con: duckdb.DuckDBPyConnection, limit: int, omitted: dict[str, dict[str, int]]
) -> list[Change]:
    """Revisions archived for posts that had no new version in the same run (a backfill)."""
    ranked = _rows(
        con,
        "WITH r AS (SELECT r.site, r.post_type, r.post_id, r.run_id, count(*) AS n, "
        "  max(r.fetched_at) AS seen FROM revisions_files r JOIN changes_window w "
        "  ON w.site = r.site AND r.fetched_at > w.since AND r.fetched_at <= w.until "
        "  GROUP BY ALL), "
        "SELECT site, post_type, post_id, run_id, n, seen, count(*) OVER (PARTITION BY site) "
        "FROM r "
        "WHERE NOT EXISTS (SELECT 1 FROM changes_versions v WHERE v.inside AND v.site = r.site "
        "  AND v.post_type = r.post_type AND v.id = r.post_id AND v.run_id = r.run_id) "
        "AND NOT EXISTS (SELECT 1 FROM changes_first f "
        "  WHERE f.site = r.site AND f.run_id = r.run_id) "
        "QUALIFY row_number() OVER (PARTITION BY site ORDER BY seen DESC, post_type, post_id) <= ?",
        limit,
    )
    _count_omitted(omitted, [(r[0], "revisions", r[-1]) for r in ranked])
    titles = _newest_titles(con, {(r[0], r[1], r[2]) for r in ranked})
    return [
        Change(
            kind="revisions",
            site=site,
            at=at,
            entry_id=entry_id(site, "revisions", ptype, pid, run_id),
            post_type=ptype,
            post_id=pid,
            title=titles.get((site, ptype, pid), (None, None))[0],
            link=titles.get((site, ptype, pid), (None, None))[1],
            revisions=int(n),
            run_id=run_id,
        )
        for site, ptype, pid, run_id, n, at, _ in ranked
    ]


def _outcomes(con: duckdb.DuckDBPyConnection) -> list[Change]:
    """Runs whose outcome differs from the site's run before (a first run: unless ``ok``)."""
    return [
        Change(
            kind="outcome",
            site=site,
            at=at,
            entry_id=entry_id(site, "outcome", run_id),
            outcome=outcome,
            previous_outcome=previous,
            reason=reason,
            run_id=run_id,
        )
        for site, run_id, at, outcome, previous, reason in _rows(
            con,
            "WITH r AS (SELECT site, run_id, finished_at, outcome, reason, "
            "  lag(outcome) OVER (PARTITION BY site ORDER BY finished_at) AS previous "
            "  FROM runs WHERE outcome IS DISTINCT FROM 'locked') "
            "SELECT r.site, run_id, finished_at, outcome, previous, reason FROM r "
            "JOIN changes_window w ON w.site = r.site "
            "  AND r.finished_at > w.since AND r.finished_at <= w.until "
            "WHERE outcome IS DISTINCT FROM coalesce(previous, 'ok') "
            "ORDER BY r.site, finished_at",
        )
    ]


def read_changes(
    con: duckdb.DuckDBPyConnection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    sites: list[str] | None = None,
    limit: int = 20,
) -> Digest:
    """The digest of ``con``'s archive; ``since=None``: each site since its previous run."""
    con.execute("SET TimeZone = 'UTC'")
    _windows(con, since, until, sites)
    _versions(con)
    omitted: dict[str, dict[str, int]] = {}
    changes = (
        _outcomes(con)
        + _first_crawls(con)
        + _presence(con, limit, omitted)
        + _post_changes(con, limit, omitted)
        + _revisions(con, limit, omitted)
    )
    windows = {
        site: (lo, hi)
        for site, lo, hi in _rows(
            con,
            "SELECT site, CASE WHEN isfinite(since) THEN since END, "
            "CASE WHEN isfinite(until) THEN until END FROM changes_window",
        )
    }
    # A post untrashed on WordPress comes back with a new modified_gmt: when its title and
    # text are as before, "back" says all there is.
    back = {(c.site, c.post_type, c.post_id, c.run_id) for c in changes if c.kind == "back"}
    changes = [
        c
        for c in changes
        if not (
            c.kind == "edited"
            and (c.site, c.post_type, c.post_id, c.run_id) in back
            and c.previous_title is None
            and not c.diff
        )
    ]
    order = {k: i for i, k in enumerate(KINDS)}
    per_site: dict[str, list[Change]] = {}
    for change in changes:
        per_site.setdefault(change.site, []).append(change)
    result = []
    for site in sorted(per_site):
        listed = sorted(
            per_site[site], key=lambda c: (order[c.kind], -c.at.timestamp(), c.entry_id)
        )
        lo, hi = windows.get(site, (None, None))
        result.append(
            SiteChanges(
                site=site,
                since=lo,
                until=hi,
                changes=tuple(listed),
                omitted={k: n for k, n in omitted.get(site, {}).items() if n},
            )
        )
    return Digest(since=since, until=until, sites=tuple(result))
