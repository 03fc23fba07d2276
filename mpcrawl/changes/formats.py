"""The digest as plain text (cron mail) and JSON; :mod:`.atom` writes it as Atom.

Text is empty when nothing changed, so cron sends no mail.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mpcrawl.changes.model import Change, Digest, SiteChanges

LABELS = {
    "outcome": "outcome",
    "robots": "robots.txt",
    "first_crawl": "first crawl",
    "deleted": "deleted",
    "hidden": "hidden",
    "redirected": "redirected",
    "back": "back",
    "edited": "edited",
    "new": "new",
    "revisions": "revisions",
}
PLURALS = {
    "deleted": "deleted posts",
    "hidden": "hidden posts",
    "redirected": "redirected pages",
    "back": "posts back",
    "edited": "edits",
    "new": "new posts",
    "revisions": "posts with new revisions",
}
INDENT = " " * 14


def when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _window(site: SiteChanges) -> str:
    since = f"since {when(site.since)}" if site.since else "since the first run"
    return f"{since} until {when(site.until)}" if site.until else since


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _counts(counts: dict[str, int]) -> str:
    """``{"post": 2, "page": 1}`` as ``2 posts, 1 page``, posts and pages first."""
    first = {"post": 0, "page": 1, "revisions": 4, "videos": 5, "speaker turns": 6}
    names = sorted(counts, key=lambda n: (first.get(n, 2), n))
    return ", ".join(plural(counts[n], n.removesuffix("s")) for n in names)


def _subject(change: Change) -> str:
    """``post 7`` for a REST post, ``page /news/budget/`` for a page of the fallback path.

    >>> from datetime import datetime, UTC
    >>> _subject(Change("new", "s", datetime.now(UTC), "x", "post", link="http://h/a/b?c=1",
    ...                 path="web"))
    'post /a/b?c=1'
    """
    if change.path == "web":
        parts = urlsplit(change.link or "")
        where = parts.path + (f"?{parts.query}" if parts.query else "")
        return f"{change.post_type or 'page'} {where or change.link}"
    return f"{change.post_type} {change.post_id}"


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
        source = f" from its {change.source}" if change.source and change.source != "rest" else ""
        return "first crawl", f"{_counts(change.counts) or 'nothing'} archived{source}"
    if change.kind == "robots":
        covered = plural(change.covered_count, "archived URL")
        return "robots.txt", f"{plural(len(change.disallowed), 'new Disallow line')} ({covered})"
    text = f"{_subject(change)}: {change.title or '(untitled)'}"
    if change.kind == "revisions":
        text += f" ({plural(change.revisions, 'revision')} archived)"
    return LABELS[change.kind], text


def headline(change: Change) -> str:
    """One line: ``deleted post 7: Budget``, ``outcome: ok → rest_closed``."""
    label, text = parts(change)
    colon = change.kind in ("outcome", "first_crawl", "robots")
    return f"{label}: {text}" if colon else f"{label} {text}"


def details(change: Change) -> list[str]:
    """The lines under a headline: link, old title, fields, diff, videos, speakers, reason."""
    out = []
    if change.kind == "outcome" and change.reason:
        out.append(change.reason)
    if change.link:
        out.append(change.link)
    if change.redirect_to:
        out.append(f"now redirects to {change.redirect_to}")
    if change.previous_title is not None:
        out.append(f"title was: {change.previous_title}")
    out.extend(f.text for f in change.fields)
    if change.kind in ("hidden", "deleted", "back") and change.last_seen:
        out.append(f"last archived version: {when(change.last_seen)}")
    out.extend(f"Disallow: {line}" for line in change.disallowed)
    if change.covered:
        out.extend(f"covers {url}" for url in change.covered)
        more = change.covered_count - len(change.covered)
        if more > 0:
            out.append(f"… and {plural(more, 'more archived URL')}")
        out.append("(the archive keeps what it holds: nothing is hidden or removed)")
    out.extend(change.diff)
    if change.diff_omitted:
        out.append(f"… {plural(change.diff_omitted, 'more diff line')}")
    for video in change.videos:
        out.append(f"video: {video.provider} {video.url or video.video_id or ''}".rstrip())
    if change.turns:
        speakers = f" ({', '.join(change.speakers)})" if change.speakers else ""
        out.append(f"{plural(change.turns, 'speaker turn')}{speakers}")
    if change.revisions and change.kind in ("new", "edited"):
        out.append(f"{plural(change.revisions, 'revision')} archived")
    return out


def site_title(site: SiteChanges) -> str:
    """``www.example.org (Jane Smith, Labour, Anytown)`` where the site list named them."""
    about = ", ".join(v for v in (site.name, site.party, site.constituency) if v)
    return f"{site.site} ({about})" if about else site.site


def render_site(site: SiteChanges) -> list[str]:
    """One site's block of the text digest."""
    total = len(site.changes) + sum(site.omitted.values())
    lines = [f"{site.site}: {plural(total, 'change')} {_window(site)}"]
    for change in site.changes:
        label, text = parts(change)
        lines.append(f"  {label:<12}{text}")
        lines.extend(INDENT + line for line in details(change))
    for kind, n in site.omitted.items():
        lines.append(f"  … and {n:,} more {PLURALS.get(kind, kind)}")
    lines.append("")
    return lines


def render_text(digest: Digest) -> str:
    """Plain text for cron mail; the empty string when nothing changed."""
    return "\n".join(line for site in digest.sites for line in render_site(site))


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
                "name": s.name,
                "party": s.party,
                "constituency": s.constituency,
                "member_id": s.member_id,
                "since": s.since,
                "until": s.until,
                "changes": [asdict(c) for c in s.changes],
                "omitted": s.omitted,
            }
            for s in digest.sites
        ],
    }
    return json.dumps(_jsonable(doc), indent=2, ensure_ascii=False) + "\n"


def replace_file(path: Path, body: bytes) -> None:
    """Write ``path`` whole or not at all (a feed reader never sees half a feed)."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(body)
    temp.replace(path)
