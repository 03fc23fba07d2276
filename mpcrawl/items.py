"""Items: what the spider yields (raw REST objects) and what pipelines make of them.

The spider yields :class:`RestObject` with the JSON as the site sent it; the
normalise pipeline turns each into the row item of its table. Row items carry
exactly the columns of their table's schema (``mpcrawl.schemas``), plus, for posts,
the embeds and speaker turns that the extract pipeline finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal

RestKind = Literal["post", "term", "author", "media", "revision"]
"""What a REST object is: the table its row goes to (``rejects.kind`` too)."""


@dataclass(slots=True)
class RestObject:
    """One object from a REST collection, before normalisation."""

    kind: RestKind
    site: str
    data: dict[str, Any]
    fetched_at: datetime
    run_id: str
    post_type: str | None = None  # posts/pages/any type's slug; taxonomy for terms
    parent_id: int | None = None  # the post a revision belongs to
    warc_filename: str | None = None  # the response's WARC record (mpcrawl.capture)
    warc_record_offset: int | None = None
    warc_record_length: int | None = None


@dataclass(slots=True)
class PostItem:
    """A version of a post or page (``posts`` table)."""

    table: ClassVar[str] = "posts"
    site: str
    post_type: str
    id: int
    slug: str | None = None
    link: str | None = None
    status: str | None = None
    date: datetime | None = None
    modified: datetime | None = None
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    title: str | None = None
    content_html: str | None = None
    content_text: str | None = None
    excerpt_text: str | None = None
    author_id: int | None = None
    category_ids: list[int] | None = None
    tag_ids: list[int] | None = None
    featured_media_id: int | None = None
    protected: bool | None = None
    revision_count: int | None = None
    predecessor_revision_id: int | None = None
    content_sha256: str | None = None
    word_count: int | None = None
    embed_count: int | None = None
    turn_count: int | None = None
    outbound_links: list[str] | None = None
    raw_json: str | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None
    bad_values: list[str] | None = None
    warc_filename: str | None = None
    warc_record_offset: int | None = None
    warc_record_length: int | None = None
    excerpt_html: str | None = None  # not a column: read by the extract pipeline
    archived: bool = False  # not a column: already in the archive, passed on for feeds only
    embeds: list[dict[str, Any]] = field(default_factory=list)
    turns: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class RevisionItem:
    """A revision from the revisions route (``revisions`` table)."""

    table: ClassVar[str] = "revisions"
    site: str
    post_type: str
    post_id: int
    revision_id: int
    author_id: int | None = None
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    title: str | None = None
    content_html: str | None = None
    content_text: str | None = None
    content_sha256: str | None = None
    raw_json: str | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None
    bad_values: list[str] | None = None
    warc_filename: str | None = None
    warc_record_offset: int | None = None
    warc_record_length: int | None = None


@dataclass(slots=True)
class TermItem:
    """A category or tag as it was at ``fetched_at`` (``terms`` table)."""

    table: ClassVar[str] = "terms"
    site: str
    taxonomy: str
    id: int
    name: str | None = None
    slug: str | None = None
    parent: int | None = None
    count: int | None = None
    content_sha256: str | None = None
    raw_json: str | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None
    bad_values: list[str] | None = None
    warc_filename: str | None = None
    warc_record_offset: int | None = None
    warc_record_length: int | None = None


@dataclass(slots=True)
class AuthorItem:
    """A user as the API shows them to anonymous readers (``authors`` table)."""

    table: ClassVar[str] = "authors"
    site: str
    id: int
    name: str | None = None
    slug: str | None = None
    content_sha256: str | None = None
    raw_json: str | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None
    bad_values: list[str] | None = None
    warc_filename: str | None = None
    warc_record_offset: int | None = None
    warc_record_length: int | None = None


@dataclass(slots=True)
class MediaItem:
    """A version of an attachment that posts name (``media`` table)."""

    table: ClassVar[str] = "media"
    site: str
    id: int
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    source_url: str | None = None
    mime_type: str | None = None
    alt_text: str | None = None
    caption: str | None = None
    width: int | None = None
    height: int | None = None
    content_sha256: str | None = None
    raw_json: str | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None
    bad_values: list[str] | None = None
    warc_filename: str | None = None
    warc_record_offset: int | None = None
    warc_record_length: int | None = None


@dataclass(slots=True)
class SiteItem:
    """What a run learnt about a site: its API root and list metadata (``sites``)."""

    table: ClassVar[str] = "sites"
    site: str
    url: str
    api_root: str | None = None
    url_form: str | None = None
    outcome: str | None = None
    name: str | None = None
    party: str | None = None
    constituency: str | None = None
    member_id: int | None = None
    metadata: dict[str, str] | None = None
    checked_at: datetime | None = None
    run_id: str | None = None


@dataclass(slots=True)
class TombstoneItem:
    """A post seen before and now gone (``tombstones`` table)."""

    table: ClassVar[str] = "tombstones"
    site: str
    post_type: str
    id: int
    last_seen_modified_gmt: datetime | None
    detected_at: datetime
    reason: str
    run_id: str


@dataclass(slots=True)
class RunItem:
    """How one site went in one run (``runs`` table); the last item of a site."""

    table: ClassVar[str] = "runs"
    run_id: str
    site: str
    started_at: datetime
    finished_at: datetime
    outcome: str
    reason: str | None = None
    api_root: str | None = None
    requests: int = 0
    posts_new: int = 0
    posts_unchanged: int = 0
    revisions_new: int = 0
    revisions_closed: bool = False
    tombstones_new: int = 0
    errors: int = 0
    json_recovered: int = 0
    posts_total: int | None = None
    source: str | None = None
    listing_complete: bool | None = None
    pages_listed: int | None = None
    pages_found: int | None = None
    pages_skipped: int | None = None
    bad_objects: int = 0
    rejects: int = 0
    routes_skipped: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RejectItem:
    """An object no row of its table can hold, kept whole (``rejects`` table)."""

    table: ClassVar[str] = "rejects"
    site: str
    kind: str
    reason: str
    post_type: str | None = None
    id_as_sent: str | None = None
    raw_json: str | None = None
    raw_sha256: str | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None


RowItem = (
    PostItem
    | RevisionItem
    | TermItem
    | AuthorItem
    | MediaItem
    | SiteItem
    | TombstoneItem
    | RunItem
    | RejectItem
)
