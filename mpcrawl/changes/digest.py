"""What changed in the archive between two times, per site, over both crawl paths.

Read side only: DuckDB over the archive's views (a connection from ``mpcrawl.read.connect``)
and the digest's SQL files (:mod:`.queries`); nothing of the crawl is imported. Every
change is read from the rows a crawl wrote, by the time the crawl learnt it
(``fetched_at``, ``detected_at``, ``finished_at``), so a digest of a past window is the
same whenever it is asked for. REST posts and fallback pages are told in one vocabulary
(:mod:`.model`): a site's first crawl, new and edited publications (the same paragraph
diff), deleted, hidden, redirected and back ones.

Bounds: the key columns of the publications touched in the window are read (never every
version's content); at most ``limit`` changes of each kind per site are listed, the rest
only counted; content, embeds and turns are read only for the listed ones.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import duckdb

from mpcrawl.changes import queries
from mpcrawl.changes.fields import field_changes
from mpcrawl.changes.model import (
    KINDS,
    Change,
    Digest,
    SiteChanges,
    Video,
    entry_id,
    iso,
    url_key,
)
from mpcrawl.changes.robots import robots_changes
from mpcrawl.changes.textdiff import trimmed_diff

Item = tuple[str, str, str]  # site, path, item
Version = tuple[str, str, str, str]  # site, path, item, version_key


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


def _name(site: str, kind: str, path: str, post_type: str | None, item: str, *key: str) -> str:
    """A change's tag URI: REST posts by type and id, pages by a hash of their URL."""
    if path == "rest":
        return entry_id(site, kind, post_type, item, *key)
    return entry_id(site, kind, url_key(item), *key)


def _version(path: str, modified: datetime | None, key: str) -> str:
    """A version in an entry id: REST's ``modified_gmt``, a page's content hash (short)."""
    return iso(modified) if path == "rest" else key[:16]


def _versions(con: duckdb.DuckDBPyConnection, keys: set[Version]) -> dict[Version, tuple[Any, ...]]:
    """``title, link, content_text, raw_json, videos, turns`` of the versions named."""
    if not keys:
        return {}
    wanted = [{"site": s, "path": p, "item": i, "version_key": v} for s, p, i, v in keys]
    return {r[:4]: r[4:] for r in queries.rows(con, "versions_read", keys=wanted)}


def _titles(con: duckdb.DuckDBPyConnection, keys: set[Item]) -> dict[Item, tuple[Any, ...]]:
    """The newest archived ``title, link`` of each publication named."""
    if not keys:
        return {}
    wanted = [{"site": s, "path": p, "item": i} for s, p, i in keys]
    return {r[:3]: r[3:] for r in queries.rows(con, "titles", keys=wanted)}


def _names(
    con: duckdb.DuckDBPyConnection, sites: set[str]
) -> dict[str, dict[tuple[str, int], str]]:
    """Per site, the names of terms, authors and media by id (field changes tell names)."""
    out: dict[str, dict[tuple[str, int], str]] = {}
    if sites:
        for site, kind, ident, name in queries.rows(con, "names", sites=sorted(sites)):
            if name:
                out.setdefault(site, {})[(kind, ident)] = name
    return out


def _edits(
    con: duckdb.DuckDBPyConnection, limit: int, omitted: dict[str, dict[str, int]]
) -> list[Change]:
    """New and edited versions (first-run versions become one ``first_crawl`` per site)."""
    ranked = queries.rows(con, "edits", limit=limit)
    _count_omitted(omitted, [(r[0], r[1], r[-1]) for r in ranked])
    keys = {(r[0], r[2], r[4], r[6]) for r in ranked}
    keys |= {(r[0], r[2], r[4], r[10]) for r in ranked if r[1] == "edited"}
    found = _versions(con, keys)
    names = _names(con, {r[0] for r in ranked if r[1] == "edited" and r[2] == "rest"})
    revisions = {
        (s, t, i, r): n
        for s, t, i, r, n in con.execute(
            "SELECT site, post_type, post_id, run_id, count(*) FROM revisions_files "
            "WHERE site IN (SELECT site FROM changes_window) GROUP BY ALL"
        ).fetchall()
    }
    empty: tuple[Any, ...] = (None,) * 6
    out = []
    for site, kind, path, ptype, item, pid, key, modified, at, run_id, previous, _ in ranked:
        title, link, text, raw, videos, turns = found.get((site, path, item, key), empty)
        before = found.get((site, path, item, previous), empty) if kind == "edited" else empty
        old_videos = {v["url"] for v in before[4] or []}
        old_turns = {(t["speaker"], t["text"]) for t in before[5] or []}
        added = [t for t in turns or [] if (t["speaker"], t["text"]) not in old_turns]
        diff, cut = trimmed_diff(before[2], text) if kind == "edited" else ((), 0)
        fields = field_changes(before[3], raw, names.get(site, {})) if kind == "edited" else ()
        out.append(
            Change(
                kind=kind,
                site=site,
                at=at,
                entry_id=_name(site, kind, path, ptype, item, _version(path, modified, key)),
                post_type=ptype,
                post_id=pid,
                title=title,
                link=link,
                path=path,
                previous_title=before[0] if kind == "edited" and before[0] != title else None,
                diff=diff,
                diff_omitted=cut,
                fields=tuple(f for f in fields if f.field != "title"),
                videos=tuple(
                    Video(v["provider"], v["video_id"], v["url"])
                    for v in videos or []
                    if v["url"] not in old_videos
                ),
                turns=len(added),
                speakers=tuple(dict.fromkeys(t["speaker"] for t in added if t["speaker"])),
                revisions=revisions.get((site, ptype, pid, run_id), 0) if path == "rest" else 0,
                run_id=run_id,
            )
        )
    return out


def _first_crawls(con: duckdb.DuckDBPyConnection) -> list[Change]:
    """One change per site whose first archiving run falls in its window."""
    out = []
    for site, run_id, at, by_type, extras, outcome, source in queries.rows(con, "first"):
        counts = {str(k): int(v) for k, v in (by_type or {}).items()}
        counts.update({str(k): int(v) for k, v in (extras or {}).items()})
        out.append(
            Change(
                kind="first_crawl",
                site=site,
                at=at,
                entry_id=entry_id(site, "first-crawl", run_id),
                outcome=outcome,
                source=source,
                counts=counts,
                run_id=run_id,
            )
        )
    return out


def _presence(
    con: duckdb.DuckDBPyConnection, limit: int, omitted: dict[str, dict[str, int]]
) -> list[Change]:
    """Publications found gone (deleted, hidden, redirected) or listed again (back)."""
    ranked = queries.rows(con, "presence", limit=limit)
    _count_omitted(omitted, [(r[0], r[1], r[-1]) for r in ranked])
    titles = _titles(con, {(r[0], r[2], r[4]) for r in ranked})
    out = []
    for site, kind, path, ptype, item, pid, at, last_seen, redirect_to, run_id, _ in ranked:
        title, link = titles.get((site, path, item), (None, None if path == "rest" else item))
        out.append(
            Change(
                kind=kind,
                site=site,
                at=at,
                entry_id=_name(site, kind, path, ptype, item, iso(at)),
                post_type=ptype,
                post_id=pid,
                title=title,
                link=link,
                path=path,
                last_seen=last_seen,
                redirect_to=redirect_to,
                run_id=run_id,
            )
        )
    return out


def _revisions(
    con: duckdb.DuckDBPyConnection, limit: int, omitted: dict[str, dict[str, int]]
) -> list[Change]:
    """Revisions archived for posts that had no new version in the same run (a backfill)."""
    ranked = queries.rows(con, "revisions", limit=limit)
    _count_omitted(omitted, [(r[0], "revisions", r[-1]) for r in ranked])
    titles = _titles(con, {(r[0], "rest", str(r[2])) for r in ranked})
    out = []
    for site, ptype, pid, run_id, n, at, _ in ranked:
        title, link = titles.get((site, "rest", str(pid)), (None, None))
        out.append(
            Change(
                kind="revisions",
                site=site,
                at=at,
                entry_id=entry_id(site, "revisions", ptype, pid, run_id),
                post_type=ptype,
                post_id=pid,
                title=title,
                link=link,
                path="rest",
                revisions=int(n),
                run_id=run_id,
            )
        )
    return out


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
        for site, run_id, at, outcome, previous, reason in queries.rows(con, "outcomes")
    ]


def subjects(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Any, ...]]:
    """Each site's ``name, party, constituency, member_id`` from its newest ``sites`` row."""
    return {r[0]: r[1:] for r in queries.rows(con, "subjects")}


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
    queries.run(con, "window", since=since, until=until, sites=sites)
    queries.run(con, "versions")
    omitted: dict[str, dict[str, int]] = {}
    changes = (
        _outcomes(con)
        + robots_changes(con)
        + _first_crawls(con)
        + _presence(con, limit, omitted)
        + _edits(con, limit, omitted)
        + _revisions(con, limit, omitted)
    )
    windows = {
        site: (lo, hi)
        for site, lo, hi in con.execute(
            "SELECT site, CASE WHEN isfinite(since) THEN since END, "
            "CASE WHEN isfinite(until) THEN until END FROM changes_window"
        ).fetchall()
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
            and not c.fields
        )
    ]
    order = {k: i for i, k in enumerate(KINDS)}
    per_site: dict[str, list[Change]] = {}
    for change in changes:
        per_site.setdefault(change.site, []).append(change)
    about = subjects(con)
    result = []
    for site in sorted(per_site):
        listed = sorted(
            per_site[site], key=lambda c: (order[c.kind], -c.at.timestamp(), c.entry_id)
        )
        lo, hi = windows.get(site, (None, None))
        name, party, constituency, member_id = about.get(site, (None,) * 4)
        result.append(
            SiteChanges(
                site=site,
                since=lo,
                until=hi,
                changes=tuple(listed),
                omitted={k: n for k, n in omitted.get(site, {}).items() if n},
                name=name,
                party=party,
                constituency=constituency,
                member_id=member_id,
            )
        )
    return Digest(since=since, until=until, sites=tuple(result))
