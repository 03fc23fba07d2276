"""Rows of the fallback path: a page version (``web_pages``), a page gone (``web_tombstones``).

Built here, from a :class:`~mpcrawl.web.page.PageInfo`, with the same extraction as REST
posts (``mpcrawl.extract``: text, word count, outbound links, embeds, speaker turns), so
the pipelines pass these rows straight to the archive writer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from mpcrawl.extract.embeds import find_embeds
from mpcrawl.extract.members import member_id_for
from mpcrawl.extract.speakers import find_turns
from mpcrawl.extract.text import outbound_links, word_count
from mpcrawl.web.page import PageInfo, version_key

__all__ = ["WebPageItem", "WebTombstoneItem", "page_item"]


@dataclass(slots=True)
class WebPageItem:
    """A version of a publication read from its HTML page (``web_pages`` table)."""

    table: ClassVar[str] = "web_pages"
    site: str
    source: str  # how the page was found: "sitemap", "feed" or "links"
    url: str  # as listed
    final_url: str | None = None  # after redirects
    post_type: str | None = None
    id: int | None = None  # the WordPress id where the page shows it
    title: str | None = None
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    lastmod: datetime | None = None  # what the sitemap said
    content_html: str | None = None
    content_text: str | None = None
    protected: bool | None = None
    word_count: int | None = None
    embed_count: int | None = None
    turn_count: int | None = None
    outbound_links: list[str] | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    turns: list[dict[str, Any]] = field(default_factory=list)
    extractor: str | None = None
    version_sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    raw_html: bytes | None = None
    fetched_at: datetime | None = None
    run_id: str | None = None
    warc_filename: str | None = None  # the response's WARC record (mpcrawl.capture)
    warc_record_offset: int | None = None
    warc_record_length: int | None = None


@dataclass(slots=True)
class WebTombstoneItem:
    """A page listed before and gone from a complete sitemap (``web_tombstones`` table)."""

    table: ClassVar[str] = "web_tombstones"
    site: str
    url: str
    post_type: str | None
    id: int | None
    last_seen_version_sha256: str | None
    detected_at: datetime
    reason: str  # "deleted" (404/410) or "redirected"
    status: int
    redirect_to: str | None
    run_id: str


def page_item(
    info: PageInfo,
    *,
    site: str,
    source: str,
    listed_url: str,
    lastmod: datetime | None,
    raw: bytes,
    fetched_at: datetime,
    run_id: str,
    etag: str | None = None,
    last_modified: str | None = None,
) -> WebPageItem:
    """The row of a page version, with embeds and turns found as for REST posts.

    Where the page shows no modification time, the sitemap's ``lastmod`` stands for it.
    """
    html = info.content_html
    embeds = find_embeds(info.media_html, info.url) if info.media_html else []
    turns = find_turns(html) if html else []
    host = urlsplit(info.url).hostname
    return WebPageItem(
        site=site,
        source=source,
        url=listed_url,
        final_url=info.url if info.url != listed_url else None,
        post_type=info.post_type,
        id=info.wp_id,
        title=info.title,
        date_gmt=info.date_gmt,
        modified_gmt=info.modified_gmt or lastmod,
        lastmod=lastmod,
        content_html=html or None,
        content_text=info.content_text if html else None,
        protected=info.protected,
        word_count=word_count(info.content_text),
        embed_count=len(embeds),
        turn_count=len(turns),
        outbound_links=outbound_links(html, info.url, host) if html else [],
        embeds=[asdict(e) for e in embeds],
        turns=[
            asdict(t) | {"turn": n, "speaker_member_id": member_id_for(t)}
            for n, t in enumerate(turns)
        ],
        extractor=info.extractor,
        version_sha256=version_key(info),
        etag=etag,
        last_modified=last_modified,
        raw_html=raw,
        fetched_at=fetched_at,
        run_id=run_id,
    )
