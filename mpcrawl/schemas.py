"""The archive's tables: one explicit pyarrow schema each, never inferred from data.

Every column a later feature fills exists from the start (null until then), so files
written by different versions of mpcrawl never disagree on a schema. New columns are
only ever appended, nullable; readers use ``union_by_name=true``.

The partition columns (``site``, and ``year`` where a table has it) are in the folder
names only, as Spark, Hive and pyarrow's ``write_dataset`` write them: a file holds
:attr:`Table.file_schema`. Files written by mpcrawl 0.1 also held ``site``;
``scrapy compact`` rewrites them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

UTC_TS = pa.timestamp("us", tz="UTC")
LOCAL_TS = pa.timestamp("us")
IDS = pa.list_(pa.int64())


@dataclass(frozen=True, slots=True)
class Table:
    """A dataset under ``<archive>/<name>/``: its schema and partition levels."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    by_year: bool
    year_column: str | None = None

    @property
    def partitions(self) -> tuple[str, ...]:
        """The columns in the folder names, outermost first.

        >>> TABLES["posts"].partitions, TABLES["terms"].partitions
        (('site', 'year'), ('site',))
        """
        return ("site", "year") if self.by_year else ("site",)

    @property
    def file_schema(self) -> pa.Schema:
        """The columns a part file holds: the schema without the folder's ``site``.

        >>> runs = TABLES["runs"]
        >>> "site" in runs.file_schema.names, len(runs.schema) - len(runs.file_schema)
        (False, 1)
        """
        return pa.schema([f for f in self.schema if f.name != "site"])

    @property
    def read_schema(self) -> pa.Schema:
        """What a reader of the table sees: the schema with ``year`` where it has one."""
        if not self.by_year:
            return self.schema
        return self.schema.append(pa.field("year", pa.int64()))

    def empty(self) -> pa.Table:
        """No rows of :attr:`read_schema`: the file ``read_schema.empty_table()`` writes,
        byte for byte, without its conversion of Python values, at which pyarrow imports
        pandas where it is installed (0.5 s of CPU a process that needs no pandas).

        >>> TABLES["runs"].empty().num_rows, TABLES["runs"].empty().schema.names[:2]
        (0, ['run_id', 'site'])
        """
        return pa.Table.from_batches([], schema=self.read_schema)


# Where the row's response lies in the site's WARC files (mpcrawl.capture), as Common
# Crawl's index names it: a path under the archive root, the record's offset and length
# in bytes (its gzip member). Null in rows of runs without MPCRAWL_WARC, and older rows.
WARC_COLUMNS = ("warc_filename", "warc_record_offset", "warc_record_length")
WARC_POINTER = [
    ("warc_filename", pa.string()),
    ("warc_record_offset", pa.int64()),
    ("warc_record_length", pa.int64()),
]

POSTS = pa.schema(
    [
        ("site", pa.string()),
        ("post_type", pa.string()),
        ("id", pa.int64()),
        ("slug", pa.string()),
        ("link", pa.string()),
        ("status", pa.string()),
        ("date", LOCAL_TS),
        ("modified", LOCAL_TS),
        ("date_gmt", UTC_TS),
        ("modified_gmt", UTC_TS),
        ("title", pa.string()),
        ("content_html", pa.string()),
        ("content_text", pa.string()),
        ("excerpt_text", pa.string()),
        ("author_id", pa.int64()),
        ("category_ids", IDS),
        ("tag_ids", IDS),
        ("featured_media_id", pa.int64()),
        ("protected", pa.bool_()),
        ("revision_count", pa.int32()),
        ("predecessor_revision_id", pa.int64()),
        ("content_sha256", pa.string()),
        ("word_count", pa.int32()),
        ("embed_count", pa.int32()),
        ("turn_count", pa.int32()),
        ("outbound_links", pa.list_(pa.string())),
        ("raw_json", pa.string()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("bad_values", pa.list_(pa.string())),  # "field: reason" for values no column holds
        *WARC_POINTER,
    ]
)

REVISIONS = pa.schema(
    [
        ("site", pa.string()),
        ("post_type", pa.string()),
        ("post_id", pa.int64()),
        ("revision_id", pa.int64()),
        ("author_id", pa.int64()),
        ("date_gmt", UTC_TS),
        ("modified_gmt", UTC_TS),
        ("title", pa.string()),
        ("content_html", pa.string()),
        ("content_text", pa.string()),
        ("content_sha256", pa.string()),
        ("raw_json", pa.string()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("bad_values", pa.list_(pa.string())),  # "field: reason" for values no column holds
        *WARC_POINTER,
    ]
)

EMBEDS = pa.schema(
    [
        ("site", pa.string()),
        ("post_type", pa.string()),
        ("post_id", pa.int64()),
        ("modified_gmt", UTC_TS),
        ("position", pa.int32()),
        ("provider", pa.string()),
        ("video_id", pa.string()),
        ("playlist_id", pa.string()),
        ("canonical_url", pa.string()),
        ("start_seconds", pa.int32()),
        ("embed_src", pa.string()),
        ("title", pa.string()),
        ("kind", pa.string()),
        ("run_id", pa.string()),
    ]
)

SPEECH_TURNS = pa.schema(
    [
        ("site", pa.string()),
        ("post_type", pa.string()),
        ("post_id", pa.int64()),
        ("modified_gmt", UTC_TS),
        ("turn", pa.int32()),
        ("speaker", pa.string()),
        ("speaker_member_id", pa.int64()),
        ("party", pa.string()),
        ("constituency", pa.string()),
        ("role", pa.string()),
        ("text", pa.string()),
        ("run_id", pa.string()),
    ]
)

TERMS = pa.schema(
    [
        ("site", pa.string()),
        ("taxonomy", pa.string()),
        ("id", pa.int64()),
        ("name", pa.string()),
        ("slug", pa.string()),
        ("parent", pa.int64()),
        ("count", pa.int64()),
        ("content_sha256", pa.string()),
        ("raw_json", pa.string()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("bad_values", pa.list_(pa.string())),  # "field: reason" for values no column holds
        *WARC_POINTER,
    ]
)

AUTHORS = pa.schema(
    [
        ("site", pa.string()),
        ("id", pa.int64()),
        ("name", pa.string()),
        ("slug", pa.string()),
        ("content_sha256", pa.string()),
        ("raw_json", pa.string()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("bad_values", pa.list_(pa.string())),  # "field: reason" for values no column holds
        *WARC_POINTER,
    ]
)

MEDIA = pa.schema(
    [
        ("site", pa.string()),
        ("id", pa.int64()),
        ("date_gmt", UTC_TS),
        ("modified_gmt", UTC_TS),
        ("source_url", pa.string()),
        ("mime_type", pa.string()),
        ("alt_text", pa.string()),
        ("caption", pa.string()),
        ("width", pa.int64()),
        ("height", pa.int64()),
        ("content_sha256", pa.string()),
        ("raw_json", pa.string()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("bad_values", pa.list_(pa.string())),  # "field: reason" for values no column holds
        *WARC_POINTER,
    ]
)

SITES = pa.schema(
    [
        ("site", pa.string()),
        ("url", pa.string()),
        ("api_root", pa.string()),
        ("url_form", pa.string()),
        ("outcome", pa.string()),
        ("name", pa.string()),
        ("party", pa.string()),
        ("constituency", pa.string()),
        ("member_id", pa.int64()),
        ("metadata", pa.map_(pa.string(), pa.string())),
        ("checked_at", UTC_TS),
        ("run_id", pa.string()),
    ]
)

TOMBSTONES = pa.schema(
    [
        ("site", pa.string()),
        ("post_type", pa.string()),
        ("id", pa.int64()),
        ("last_seen_modified_gmt", UTC_TS),
        ("detected_at", UTC_TS),
        ("reason", pa.string()),
        ("run_id", pa.string()),
    ]
)

RUNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("site", pa.string()),
        ("started_at", UTC_TS),
        ("finished_at", UTC_TS),
        ("outcome", pa.string()),
        ("reason", pa.string()),
        ("api_root", pa.string()),
        ("requests", pa.int64()),
        ("posts_new", pa.int64()),
        ("posts_unchanged", pa.int64()),
        ("revisions_new", pa.int64()),
        ("revisions_closed", pa.bool_()),
        ("tombstones_new", pa.int64()),
        ("errors", pa.int64()),
        ("json_recovered", pa.int64()),
        ("posts_total", pa.int64()),
        # which source served the site: "rest", "sitemap", "sitemap+crawl" (a sitemap and a
        # crawl of the sections it leaves out), "crawl", "feed", "links"
        ("source", pa.string()),
        # fallback path: whether that listing names every publication (a sitemap read to
        # its end, a crawl that read every listing it found); a feed or links never do
        ("listing_complete", pa.bool_()),
        ("pages_listed", pa.int64()),  # URLs the fallback's listing named
        ("pages_found", pa.int64()),  # of those, publications read (new or unchanged)
        # of those listed, archived pages left unread: their listing entry unchanged and
        # not their turn to be re-read (MPCRAWL_RECHECK_DAYS); never counted unchanged
        ("pages_skipped", pa.int64()),
        ("bad_objects", pa.int64()),  # objects archived with values no typed column holds
        ("rejects", pa.int64()),  # objects no row can hold, kept whole in ``rejects``
        # optional routes (users, terms, media, revisions, a type of types=) refused or
        # failed, one line each: counted and named here, never the site's outcome
        ("routes_skipped", pa.list_(pa.string())),
    ]
)

_VERSION_KEY = ("site", "post_type", "post_id", "modified_gmt", "run_id")


def _nested(table: pa.Schema) -> pa.StructType:
    """An ``embeds`` or ``speech_turns`` row without its version key, as ``web_pages`` nests
    it: one definition of the columns, so the two forms cannot drift apart."""
    return pa.struct([f for f in table if f.name not in _VERSION_KEY])


EMBED_STRUCT = _nested(EMBEDS)
TURN_STRUCT = _nested(SPEECH_TURNS)

WEB_PAGES = pa.schema(
    [
        ("site", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("final_url", pa.string()),
        ("post_type", pa.string()),
        ("id", pa.int64()),
        ("title", pa.string()),
        ("date_gmt", UTC_TS),
        ("modified_gmt", UTC_TS),
        ("lastmod", UTC_TS),
        ("content_html", pa.string()),
        ("content_text", pa.string()),
        ("protected", pa.bool_()),
        ("word_count", pa.int32()),
        ("embed_count", pa.int32()),
        ("turn_count", pa.int32()),
        ("outbound_links", pa.list_(pa.string())),
        ("embeds", pa.list_(EMBED_STRUCT)),
        ("turns", pa.list_(TURN_STRUCT)),
        ("extractor", pa.string()),
        ("version_sha256", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("raw_html", pa.binary()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
        ("bad_values", pa.list_(pa.string())),  # "field: reason" for values no column holds
        *WARC_POINTER,
    ]
)

WEB_TOMBSTONES = pa.schema(
    [
        ("site", pa.string()),
        ("url", pa.string()),
        ("post_type", pa.string()),
        ("id", pa.int64()),
        ("last_seen_version_sha256", pa.string()),
        ("detected_at", UTC_TS),
        ("reason", pa.string()),  # "deleted" (404/410) or "redirected"
        ("status", pa.int32()),
        ("redirect_to", pa.string()),
        ("run_id", pa.string()),
    ]
)

# What the listings said of each page the fallback re-read, on a site whose listing is the
# crawl of its listings or a feed (mpcrawl.plans.recheck): the fingerprints of its entries
# (mpcrawl.web.entries.entry_fingerprints) and when it was re-read. A page left unread for
# an unchanged entry gets no row: skipping is no evidence about the page.
WEB_ENTRIES = pa.schema(
    [
        ("site", pa.string()),
        ("url", pa.string()),
        ("entries", pa.list_(pa.string())),
        ("checked_at", UTC_TS),
        ("run_id", pa.string()),
    ]
)

# Each site's robots.txt as fetched by Scrapy's RobotsTxtMiddleware, when it changed
# (mpcrawl.robotstxt): `scrapy changes` tells new Disallow lines that cover archived URLs.
ROBOTS = pa.schema(
    [
        ("site", pa.string()),
        ("url", pa.string()),
        ("status", pa.int32()),
        ("body", pa.binary()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
    ]
)

# Objects no row of their table can hold (no usable id, nested too deep), kept whole.
REJECTS = pa.schema(
    [
        ("site", pa.string()),
        ("kind", pa.string()),
        ("post_type", pa.string()),
        ("id_as_sent", pa.string()),
        ("reason", pa.string()),
        ("raw_json", pa.string()),
        ("raw_sha256", pa.string()),
        ("fetched_at", UTC_TS),
        ("run_id", pa.string()),
    ]
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("posts", POSTS, ("site", "post_type", "id", "modified_gmt"), True, "date_gmt"),
        Table(
            "revisions",
            REVISIONS,
            ("site", "post_type", "post_id", "revision_id"),
            True,
            "date_gmt",
        ),
        Table("embeds", EMBEDS, ("site", "post_type", "post_id", "modified_gmt", "position"), True),
        Table(
            "speech_turns",
            SPEECH_TURNS,
            ("site", "post_type", "post_id", "modified_gmt", "turn"),
            True,
        ),
        Table("terms", TERMS, ("site", "taxonomy", "id", "content_sha256"), False),
        Table("authors", AUTHORS, ("site", "id", "content_sha256"), False),
        Table("media", MEDIA, ("site", "id", "modified_gmt"), False),
        Table("sites", SITES, ("site", "run_id"), False),
        Table("tombstones", TOMBSTONES, ("site", "post_type", "id", "detected_at"), False),
        Table("runs", RUNS, ("run_id", "site"), False),
        Table("web_pages", WEB_PAGES, ("site", "url", "version_sha256"), True, "date_gmt"),
        Table("web_tombstones", WEB_TOMBSTONES, ("site", "url", "detected_at"), False),
        Table("web_entries", WEB_ENTRIES, ("site", "url", "checked_at"), False),
        Table("rejects", REJECTS, ("site", "kind", "raw_sha256"), False),
        Table("robots", ROBOTS, ("site", "run_id"), False),
    )
}
