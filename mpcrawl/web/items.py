"""Items of the fallback path: a fetched page, a page version, a page gone.

The fallback plan yields a :class:`FetchedPage` (the response as served, with its
listing context), as the REST plan yields a ``RestObject``. The item pipelines turn it
into a :class:`WebPageItem` (normalise, :func:`page_row`), drop versions already
archived (dedupe), find text counts, links, embeds and turns (extract,
:func:`extract_page`, as for REST posts) and write it (archive).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from mpcrawl.extract.embeds import find_embeds
from mpcrawl.extract.members import member_id_for
from mpcrawl.extract.speakers import find_turns
from mpcrawl.extract.text import outbound_links, word_count
from mpcrawl.web.page import PageInfo, version_key

__all__ = [
    "FetchedPage",
    "ListedBy",
    "Listing",
    "Presence",
    "Source",
    "WebEntryItem",
    "WebPageItem",
    "WebTombstoneItem",
    "extract_page",
    "page_row",
]

Listing = Literal["sitemap", "crawl", "feed", "links"]
"""What listed a site's pages on the fallback path."""
Source = Literal[Listing, "ids"]
"""What found a page (``ids``: the id walk)."""
Presence = Literal["deleted", "hidden", "redirected", "returned"]
"""What a ``web_tombstones`` row says of an archived page."""
ListedBy = Literal[Listing, "sitemap+crawl"]
"""How a site was listed (``runs.source``): also a sitemap and a crawl of the sections it
leaves out."""


@dataclass(slots=True)
class FetchedPage:
    """A listed page as the site served it (status 200), before normalisation."""

    site: str
    source: Source
    url: str  # as listed
    final_url: str  # after redirects
    html: str  # the body as text, decoded as Scrapy decodes it
    body: bytes  # the body byte for byte (``raw_html``)
    lastmod: datetime | None  # what the listing said
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    run_id: str
    # WordPress post types to archive (from ``-a types=``); WordPress pages of other types
    # are no publications of this crawl (other platforms' types are their own: all kept)
    post_types: frozenset[str] = frozenset(("post", "page"))
    # what the listing said of the page that no column holds ("lastmod: outside ...")
    bad_values: tuple[str, ...] = ()
    warc_filename: str | None = None  # the response's WARC record (mpcrawl.capture)
    warc_record_offset: int | None = None
    warc_record_length: int | None = None
    # the publication date a feed entry gave (WordPress: ``<pubDate>``): the page's
    # ``date_gmt`` where it prints none of its own; never part of the version key
    listed_date: datetime | None = None

    def wanted(self, info: PageInfo) -> bool:
        """Whether the page is a publication of this crawl: no listing, and on WordPress a
        wanted type (``types=`` names WordPress types; a Drupal ``article`` is kept)."""
        if info.listing:
            return False
        return info.platform != "wordpress" or info.post_type in (None, *self.post_types)


@dataclass(slots=True)
class WebPageItem:
    """A version of a publication read from its HTML page (``web_pages`` table)."""

    table: ClassVar[str] = "web_pages"
    site: str
    source: Source
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
    bad_values: list[str] | None = None  # "field: reason" for values no column holds
    warc_filename: str | None = None  # the response's WARC record (mpcrawl.capture)
    warc_record_offset: int | None = None
    warc_record_length: int | None = None
    media_html: str = ""  # not a column: where the extract pipeline looks for embeds


@dataclass(slots=True)
class WebTombstoneItem:
    """A presence event of an archived page (``web_tombstones`` table): found gone by a
    direct answer, or back (:mod:`mpcrawl.plans.gone`)."""

    table: ClassVar[str] = "web_tombstones"
    site: str
    url: str
    post_type: str | None
    id: int | None
    last_seen_version_sha256: str | None
    detected_at: datetime
    reason: Presence  # deleted (404/410), hidden (401/403, login), redirected, returned
    status: int
    redirect_to: str | None
    run_id: str


@dataclass(slots=True)
class WebEntryItem:
    """A page re-read where no ``lastmod`` or validator vouches for it (``web_entries``
    table): what its listing entries were then (:mod:`mpcrawl.plans.recheck`)."""

    table: ClassVar[str] = "web_entries"
    site: str
    url: str
    entries: list[str]  # fingerprints (mpcrawl.web.entries.entry_fingerprints), sorted
    checked_at: datetime
    run_id: str


def page_row(info: PageInfo, page: FetchedPage) -> WebPageItem:
    """The row of a page version, keyed by what a reader sees (:func:`version_key`).

    Where the page shows no modification time, the listing's ``lastmod`` stands for it;
    where it shows no date of its own, a feed entry's date (the key is the page's alone).
    Values the page or its listing printed that no column holds (an id beyond int64, a
    time outside years 1..9999) are None in their column and named in ``bad_values``.
    """
    html = info.content_html
    return WebPageItem(
        site=page.site,
        source=page.source,
        url=page.url,
        final_url=info.url if info.url != page.url else None,
        post_type=info.post_type,
        id=info.wp_id,
        title=info.title,
        date_gmt=info.date_gmt or page.listed_date,
        modified_gmt=info.modified_gmt or page.lastmod,
        lastmod=page.lastmod,
        content_html=html or None,
        content_text=info.content_text if html else None,
        protected=info.protected,
        extractor=info.extractor,
        version_sha256=version_key(info),
        etag=page.etag,
        last_modified=page.last_modified,
        raw_html=page.body,
        fetched_at=page.fetched_at,
        run_id=page.run_id,
        bad_values=[*page.bad_values, *info.bad_values] or None,
        media_html=info.media_html,
        warc_filename=page.warc_filename,
        warc_record_offset=page.warc_record_offset,
        warc_record_length=page.warc_record_length,
    )


def extract_page(item: WebPageItem) -> None:
    """Fill the row's word count, outbound links, embeds and turns, as for REST posts."""
    html, url = item.content_html or "", item.final_url or item.url
    embeds = find_embeds(item.media_html, url) if item.media_html else []
    turns = find_turns(html) if html else []
    item.word_count = word_count(item.content_text or "")
    item.outbound_links = outbound_links(html, url, urlsplit(url).hostname) if html else []
    item.embeds = [asdict(e) for e in embeds]
    item.turns = [
        asdict(t) | {"turn": n, "speaker_member_id": member_id_for(t)} for n, t in enumerate(turns)
    ]
    item.embed_count, item.turn_count = len(embeds), len(turns)
