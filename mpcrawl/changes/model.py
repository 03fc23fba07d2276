"""The digest's vocabulary: what a change is, per site, whichever path archived it.

A change names its publication by ``path`` (``rest``: a WordPress REST post, ``item`` its
id; ``web``: a page read on the fallback path, ``item`` its URL). Every change carries an
``entry_id`` built only from archived keys, so a rerun, a later window or another feed
names it the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal[
    "first_crawl",
    "new",
    "edited",
    "hidden",
    "deleted",
    "redirected",
    "back",
    "revisions",
    "robots",
    "outcome",
]
KINDS: tuple[Kind, ...] = (
    "outcome",
    "robots",
    "first_crawl",
    "deleted",
    "hidden",
    "redirected",
    "back",
    "edited",
    "new",
    "revisions",
)
Path = Literal["rest", "web"]
TAG = "tag:mpcrawl,2026:"


@dataclass(frozen=True, slots=True)
class Video:
    """A video embed new to a publication."""

    provider: str | None
    video_id: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a REST object that changed between two versions, told in words."""

    field: str  # title, slug, status, date, author, categories, tags, featured_media, ...
    before: str | None
    after: str | None
    text: str  # e.g. "status: publish → private", "categories removed: Local news"


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
    path: Path | None = None  # rest: a REST post; web: a page of the fallback path
    previous_title: str | None = None  # edited: the title before, where it changed
    diff: tuple[str, ...] = ()  # edited: unified diff of content_text, trimmed
    diff_omitted: int = 0  # edited: diff lines left out
    fields: tuple[FieldChange, ...] = ()  # edited (REST): what changed besides the text
    videos: tuple[Video, ...] = ()  # new, edited: embeds the previous version lacked
    turns: int = 0  # new, edited: speaker turns the previous version lacked
    speakers: tuple[str, ...] = ()  # their speakers, in order of first appearance
    revisions: int = 0  # revisions archived for this post in the same run
    outcome: str | None = None  # outcome, first_crawl: the run's outcome
    previous_outcome: str | None = None  # outcome: the site's run before
    reason: str | None = None  # outcome: the run's reason
    source: str | None = None  # first_crawl: what listed it (rest, sitemap, crawl, feed, links)
    counts: dict[str, int] = field(default_factory=dict)  # first_crawl: rows per kind
    last_seen: datetime | None = None  # hidden, deleted, back: the newest archived version
    redirect_to: str | None = None  # redirected: where the page now leads
    disallowed: tuple[str, ...] = ()  # robots: the new Disallow lines
    covered: tuple[str, ...] = ()  # robots: archived URLs they cover (a sample)
    covered_count: int = 0  # robots: how many archived URLs they cover
    run_id: str | None = None  # the run that found it


@dataclass(frozen=True, slots=True)
class SiteChanges:
    """The changes of one site in its window, and how many were counted but not listed."""

    site: str
    since: datetime | None
    until: datetime | None
    changes: tuple[Change, ...]
    omitted: dict[str, int]
    name: str | None = None  # the member, party and constituency from the `sites` table
    party: str | None = None
    constituency: str | None = None
    member_id: int | None = None


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


def url_key(url: str) -> str:
    """A short stable name of a URL for a tag URI (a URL may hold characters it cannot).

    >>> url_key("http://127.0.0.1:8000/posts/a/")
    'url-304da44696b1468a'
    """
    return "url-" + hashlib.sha256(url.encode()).hexdigest()[:16]


def iso(value: datetime | None) -> str:
    """An archived time as entry ids spell it (UTC, microseconds)."""
    return "none" if value is None else value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
