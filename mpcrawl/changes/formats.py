"""The digest as plain text (cron mail), JSON, or an Atom feed.

Text is empty when nothing changed, so cron sends no mail. The Atom feed is written by
feedgen (well kept, lxml-based, escapes and orders the elements RFC 4287 asks for);
entry ids are the changes' tag URIs, so a feed reader sees a rerun as the same entries.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from mpcrawl.changes.digest import TAG, Change, Digest, SiteChanges

LABELS = {
    "outcome": "outcome",
    "first_crawl": "first crawl",
    "deleted": "deleted",
    "hidden": "hidden",
    "back": "back",
    "edited": "edited",
    "new": "new",
    "revisions": "revisions",
}
PLURALS = {
    "deleted": "deleted posts",
    "hidden": "hidden posts",
    "back": "posts back",
    "edited": "edits",
    "new": "new posts",
    "revisions": "posts with new revisions",
}
INDENT = " " * 14


def _when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _window(site: SiteChanges) -> str:
    since = f"since {_when(site.since)}" if site.since else "since the first run"
    return f"{since} until {_when(site.until)}" if site.until else since


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _counts(counts: dict[str, int]) -> str:
    """``{"post": 2, "page": 1}`` as ``2 posts, 1 page``, posts and pages first."""
    first = {"post": 0, "page": 1, "revisions": 4, "videos": 5, "speaker turns": 6}
    names = sorted(counts, key=lambda n: (first.get(n, 2), n))
    return ", ".join(_plural(counts[n], n.removesuffix("s")) for n in names)


def parts(change: Change) -> tuple[str, str]:
    """What happened as ``(label, text)``, without the site's name.

    >>> from datetime import datetime, UTC
    >>> parts(Change("deleted", "s", datetime.now(UTC), "x", "post", 7, "Budget"))
    ('deleted', 'post 7: Budget')
    """
    if change.kind == "outcome":
        if change.previous_outcome is None:
            return "outcome", f"first run {change.outcome}"
        return "outcome", f"{change.previous_outcome} → {change.outcome}"
    if change.kind == "first_crawl":
        return "first crawl", f"{_counts(change.counts) or 'nothing'} archived"
    text = f"{change.post_type} {change.post_id}: {change.title or '(untitled)'}"
    if change.kind == "revisions":
        text += f" ({_plural(change.revisions, 'revision')} archived)"
    return LABELS[change.kind], text


def headline(change: Change) -> str:
    """One line: ``deleted post 7: Budget``, ``outcome: ok → rest_closed``."""
    label, text = parts(change)
    return f"{label}: {text}" if change.kind in ("outcome", "first_crawl") else f"{label} {text}"


def details(change: Change) -> list[str]:
    """The lines under a headline: link, old title, diff, videos, speakers, reason."""
    out = []
    if change.kind == "outcome" and change.reason:
        out.append(change.reason)
    if change.link:
        out.append(change.link)
    if change.previous_title is not None:
        out.append(f"title was: {change.previous_title}")
    if change.kind in ("hidden", "deleted", "back") and change.last_seen:
        out.append(f"last archived version: {_when(change.last_seen)}")
    out.extend(change.diff)
    if change.diff_omitted:
        out.append(f"… {_plural(change.diff_omitted, 'more diff line')}")
    for video in change.videos:
        out.append(f"video: {video.provider} {video.url or video.video_id or ''}".rstrip())
    if change.turns:
        speakers = f" ({', '.join(change.speakers)})" if change.speakers else ""
        out.append(f"{_plural(change.turns, 'speaker turn')}{speakers}")
    if change.revisions and change.kind in ("new", "edited"):
        out.append(f"{_plural(change.revisions, 'revision')} archived")
    return out


def render_text(digest: Digest) -> str:
    """Plain text for cron mail; the empty string when nothing changed."""
    if digest.empty:
        return ""
    lines: list[str] = []
    for site in digest.sites:
        total = len(site.changes) + sum(site.omitted.values())
        lines.append(f"{site.site}: {_plural(total, 'change')} {_window(site)}")
        for change in site.changes:
            label, text = parts(change)
            lines.append(f"  {label:<12}{text}")
            lines.extend(INDENT + line for line in details(change))
        for kind, n in site.omitted.items():
            lines.append(f"  … and {n:,} more {PLURALS.get(kind, kind)}")
        lines.append("")
    return "\n".join(lines)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def render_json(digest: Digest) -> str:
    """The digest as one JSON document: sites, their windows, changes and omitted counts."""
    doc = {
        "since": digest.since,
        "until": digest.until,
        "sites": [
            {
                "site": s.site,
                "since": s.since,
                "until": s.until,
                "changes": [asdict(c) for c in s.changes],
                "omitted": s.omitted,
            }
            for s in digest.sites
        ],
    }
    return json.dumps(_jsonable(doc), indent=2, ensure_ascii=False) + "\n"


def render_atom(
    digest: Digest,
    *,
    title: str = "mpcrawl: what changed",
    feed_url: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """An Atom feed with one entry per listed change, newest first."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(TAG + "changes")
    feed.title(title)
    feed.author({"name": "mpcrawl"})
    feed.generator("mpcrawl")
    if feed_url:
        feed.link(href=feed_url, rel="self", type="application/atom+xml")
    changes = sorted(digest.changes(), key=lambda c: (c.at, c.entry_id), reverse=True)
    feed.updated(changes[0].at if changes else (now or datetime.now(UTC)))
    for change in changes:
        entry = feed.add_entry(order="append")
        entry.id(change.entry_id)
        entry.title(f"{change.site}: {headline(change)}")
        entry.updated(change.at)
        entry.author({"name": change.site})
        entry.category(term=change.kind, label=LABELS[change.kind])
        if change.link:
            entry.link(href=change.link, rel="alternate", type="text/html")
        lines = details(change) or [headline(change)]
        entry.content("<pre>" + html.escape("\n".join(lines)) + "</pre>", type="html")
    xml: bytes = feed.atom_str(pretty=True)
    return xml
