-- mpcrawl archive views. connect() runs this file; from the DuckDB CLI:
--   SET VARIABLE archive = '/path/to/output';
--   .read mpcrawl/sql/views.sql
-- Every version key is counted once even where two files hold it (as during compaction).
-- site (and year) come from the folder names; a table without rows is its empty.parquet.

-- The archive path as a glob that matches itself: [, * and ? in it are escaped.
CREATE OR REPLACE MACRO mpcrawl_glob(tbl) AS
    replace(replace(replace(getvariable('archive'), '[', '[[]'), '*', '[*]'), '?', '[?]')
    || '/' || tbl || '/**/*.parquet';

CREATE OR REPLACE VIEW posts_files AS SELECT * FROM read_parquet(mpcrawl_glob('posts'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW revisions_files AS SELECT * FROM read_parquet(mpcrawl_glob('revisions'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW embeds_files AS SELECT * FROM read_parquet(mpcrawl_glob('embeds'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW speech_turns_files AS SELECT * FROM read_parquet(mpcrawl_glob('speech_turns'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW terms_files AS SELECT * FROM read_parquet(mpcrawl_glob('terms'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW authors_files AS SELECT * FROM read_parquet(mpcrawl_glob('authors'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW media_files AS SELECT * FROM read_parquet(mpcrawl_glob('media'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW sites_files AS SELECT * FROM read_parquet(mpcrawl_glob('sites'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW tombstones_files AS SELECT * FROM read_parquet(mpcrawl_glob('tombstones'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW runs_files AS SELECT * FROM read_parquet(mpcrawl_glob('runs'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW web_pages_files AS SELECT * FROM read_parquet(mpcrawl_glob('web_pages'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW web_tombstones_files AS SELECT * FROM read_parquet(mpcrawl_glob('web_tombstones'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW web_entries_files AS SELECT * FROM read_parquet(mpcrawl_glob('web_entries'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW robots_files AS SELECT * FROM read_parquet(mpcrawl_glob('robots'), hive_partitioning = true, union_by_name = true);
CREATE OR REPLACE VIEW rejects_files AS SELECT * FROM read_parquet(mpcrawl_glob('rejects'), hive_partitioning = true, union_by_name = true);

-- One row per version key.
CREATE OR REPLACE VIEW posts AS SELECT * FROM posts_files QUALIFY row_number() OVER (PARTITION BY site, post_type, id, modified_gmt ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW revisions AS SELECT * FROM revisions_files QUALIFY row_number() OVER (PARTITION BY site, post_type, post_id, revision_id ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW embeds AS SELECT * FROM embeds_files QUALIFY row_number() OVER (PARTITION BY site, post_type, post_id, modified_gmt, position ORDER BY run_id) = 1;
CREATE OR REPLACE VIEW speech_turns AS SELECT * FROM speech_turns_files QUALIFY row_number() OVER (PARTITION BY site, post_type, post_id, modified_gmt, turn ORDER BY run_id) = 1;
CREATE OR REPLACE VIEW terms AS SELECT * FROM terms_files QUALIFY row_number() OVER (PARTITION BY site, taxonomy, id, content_sha256 ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW authors AS SELECT * FROM authors_files QUALIFY row_number() OVER (PARTITION BY site, id, content_sha256 ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW media AS SELECT * FROM media_files QUALIFY row_number() OVER (PARTITION BY site, id, modified_gmt ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW tombstones AS SELECT * FROM tombstones_files QUALIFY row_number() OVER (PARTITION BY site, post_type, id, detected_at ORDER BY run_id) = 1;
CREATE OR REPLACE VIEW sites AS SELECT * FROM sites_files QUALIFY row_number() OVER (PARTITION BY site, run_id ORDER BY checked_at) = 1;
CREATE OR REPLACE VIEW runs AS SELECT * FROM runs_files QUALIFY row_number() OVER (PARTITION BY run_id, site ORDER BY finished_at) = 1;
CREATE OR REPLACE VIEW robots AS SELECT * FROM robots_files QUALIFY row_number() OVER (PARTITION BY site, run_id ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW web_entries AS SELECT * FROM web_entries_files QUALIFY row_number() OVER (PARTITION BY site, url, checked_at ORDER BY run_id) = 1;
CREATE OR REPLACE VIEW rejects AS SELECT * FROM rejects_files QUALIFY row_number() OVER (PARTITION BY site, kind, raw_sha256 ORDER BY fetched_at) = 1;

-- The newest row of objects that have no modification time.
CREATE OR REPLACE VIEW terms_latest AS SELECT * FROM terms QUALIFY row_number() OVER (PARTITION BY site, taxonomy, id ORDER BY fetched_at DESC) = 1;
CREATE OR REPLACE VIEW authors_latest AS SELECT * FROM authors QUALIFY row_number() OVER (PARTITION BY site, id ORDER BY fetched_at DESC) = 1;
CREATE OR REPLACE VIEW media_latest AS SELECT * FROM media QUALIFY row_number() OVER (PARTITION BY site, id ORDER BY modified_gmt DESC NULLS LAST, fetched_at DESC) = 1;
CREATE OR REPLACE VIEW sites_latest AS SELECT * FROM sites QUALIFY row_number() OVER (PARTITION BY site ORDER BY checked_at DESC) = 1;

-- Every version of every post, oldest first.
CREATE OR REPLACE VIEW post_versions AS
SELECT row_number() OVER (PARTITION BY site, post_type, id ORDER BY modified_gmt NULLS FIRST, fetched_at) AS version, *
FROM posts
ORDER BY site, post_type, id, version;

-- The newest archived version of each post, unless it was tombstoned since.
CREATE OR REPLACE VIEW posts_newest AS
SELECT * FROM posts QUALIFY row_number() OVER (PARTITION BY site, post_type, id ORDER BY modified_gmt DESC NULLS LAST, fetched_at DESC) = 1;

-- The newest presence event of each post id: gone (`deleted`, `hidden`) or back (`returned`).
CREATE OR REPLACE VIEW tombstones_latest AS
SELECT * FROM tombstones QUALIFY row_number() OVER (PARTITION BY site, post_type, id ORDER BY detected_at DESC) = 1;

-- Live: no presence event since the newest version was fetched, or the newest one says it is back.
CREATE OR REPLACE VIEW posts_latest AS
WITH live AS (
    SELECT p.* FROM posts_newest AS p
    WHERE NOT EXISTS (
        SELECT 1 FROM tombstones_latest AS t
        WHERE t.site = p.site AND t.post_type = p.post_type AND t.id = p.id AND t.detected_at > p.fetched_at
          AND t.reason IS DISTINCT FROM 'returned'
    )
),
category_map AS (
    SELECT site, map(list(id), list(name)) AS names FROM terms_latest WHERE taxonomy = 'category' GROUP BY site
),
tag_map AS (
    SELECT site, map(list(id), list(name)) AS names FROM terms_latest WHERE taxonomy = 'post_tag' GROUP BY site
)
SELECT
    live.*,
    a.name AS author_name,
    list_filter(list_transform(live.category_ids, lambda x: c.names[x]), lambda x: x IS NOT NULL) AS category_names,
    list_filter(list_transform(live.tag_ids, lambda x: g.names[x]), lambda x: x IS NOT NULL) AS tag_names,
    m.source_url AS featured_media_url
FROM live
LEFT JOIN authors_latest AS a ON a.site = live.site AND a.id = live.author_id
LEFT JOIN category_map AS c ON c.site = live.site
LEFT JOIN tag_map AS g ON g.site = live.site
LEFT JOIN media_latest AS m ON m.site = live.site AND m.id = live.featured_media_id;

-- Posts found gone from their site, with the last archived title and link, and when the
-- post was next listed again (`returned_at`: a `returned` row or a newer version; NULL while gone).
CREATE OR REPLACE VIEW deleted_posts AS
WITH back AS (
    SELECT site, post_type, id, detected_at AS at FROM tombstones WHERE reason = 'returned'
    UNION ALL
    SELECT site, post_type, id, fetched_at FROM posts
)
SELECT t.site, t.post_type, t.id, t.reason, t.detected_at, t.last_seen_modified_gmt, p.title, p.link, t.run_id,
    (SELECT min(b.at) FROM back AS b
     WHERE b.site = t.site AND b.post_type = t.post_type AND b.id = t.id AND b.at > t.detected_at) AS returned_at
FROM tombstones AS t
LEFT JOIN posts_newest AS p ON p.site = t.site AND p.post_type = t.post_type AND p.id = t.id
WHERE t.reason IS DISTINCT FROM 'returned'
ORDER BY t.detected_at DESC;

-- Embeds and speaker turns of each post's newest version.
CREATE OR REPLACE VIEW embeds_latest AS
SELECT e.* FROM embeds AS e
JOIN posts_newest AS p ON p.site = e.site AND p.post_type = e.post_type AND p.id = e.post_id AND p.modified_gmt IS NOT DISTINCT FROM e.modified_gmt;

CREATE OR REPLACE VIEW turns_latest AS
SELECT s.* FROM speech_turns AS s
JOIN posts_newest AS p ON p.site = s.site AND p.post_type = s.post_type AND p.id = s.post_id AND p.modified_gmt IS NOT DISTINCT FROM s.modified_gmt;

-- Sites the REST API cannot read (the fallback path): page versions, the newest of each
-- URL unless tombstoned since, and every site's current publications whatever the source.
CREATE OR REPLACE VIEW web_pages AS SELECT * FROM web_pages_files QUALIFY row_number() OVER (PARTITION BY site, url, version_sha256 ORDER BY fetched_at) = 1;
CREATE OR REPLACE VIEW web_tombstones AS SELECT * FROM web_tombstones_files QUALIFY row_number() OVER (PARTITION BY site, url, detected_at ORDER BY run_id) = 1;

-- The newest presence event of each URL: gone (`deleted`, `hidden`, `redirected`) or back
-- (`returned`).
CREATE OR REPLACE VIEW web_tombstones_latest AS
SELECT * FROM web_tombstones QUALIFY row_number() OVER (PARTITION BY site, url ORDER BY detected_at DESC) = 1;

-- What each URL served at its last fetch: its newest row whatever its version key (a text
-- reverted byte for byte is written again, and that newer fetch of an older key counts),
-- unless its newest presence event since says it is gone (a `returned` one says it is back).
CREATE OR REPLACE VIEW web_pages_latest AS
SELECT w.* FROM web_pages_files AS w
WHERE NOT EXISTS (
    SELECT 1 FROM web_tombstones_latest AS t
    WHERE t.site = w.site AND t.url = w.url AND t.detected_at > w.fetched_at
      AND t.reason IS DISTINCT FROM 'returned'
)
QUALIFY row_number() OVER (PARTITION BY w.site, w.url ORDER BY w.fetched_at DESC) = 1;

-- Every current publication once, whatever path read it. A site read by REST one night and
-- by its pages the next (its API closed, or opened again) has both paths' rows of a
-- WordPress id: the one fetched last stands, and a newer presence event of the id on the
-- other path (a page found gone) ends the older path's row.
CREATE OR REPLACE VIEW publications AS
WITH rows AS (
    SELECT 'rest' AS path, site, 'rest' AS source, post_type, id, link AS url, title, date_gmt,
           modified_gmt, content_html, content_text, word_count, embed_count, turn_count,
           fetched_at, run_id
    FROM posts_latest
    UNION ALL
    SELECT 'web', site, source, post_type, id, coalesce(final_url, url) AS url, title, date_gmt,
           modified_gmt, content_html, content_text, word_count, embed_count, turn_count,
           fetched_at, run_id
    FROM web_pages_latest
),
events AS (
    SELECT site, 'rest' AS path, post_type, id, reason, detected_at FROM tombstones_latest
    UNION ALL
    SELECT site, 'web', post_type, id, arg_max(reason, detected_at), max(detected_at)
    FROM web_tombstones WHERE id IS NOT NULL GROUP BY site, post_type, id
)
SELECT * EXCLUDE (path) FROM rows AS p
WHERE NOT EXISTS (
    SELECT 1 FROM events AS e
    WHERE e.site = p.site AND e.post_type = p.post_type AND e.id = p.id AND e.path <> p.path
      AND e.detected_at > p.fetched_at AND e.reason IS DISTINCT FROM 'returned'
)
QUALIFY p.id IS NULL
    OR row_number() OVER (PARTITION BY p.site, p.post_type, p.id ORDER BY p.fetched_at DESC) = 1;

-- Both paths in one shape, for readers that count what a site publishes (scrapy report):
-- the videos and speaker turns of every current publication, each presence event
-- (REST `deleted`/`hidden`, fallback `deleted`/`hidden`/`redirected`, both `returned`), and
-- publications found gone with when they were next seen again (`returned_at`).
CREATE OR REPLACE VIEW publication_embeds AS
SELECT e.site, 'rest' AS source, p.url, e.position, e.provider, e.video_id, e.canonical_url,
       e.embed_src, e.title, e.kind
FROM embeds_latest AS e
JOIN publications AS p ON p.source = 'rest' AND p.site = e.site AND p.post_type = e.post_type AND p.id = e.post_id
UNION ALL
SELECT site, source, url, e.position, e.provider, e.video_id, e.canonical_url, e.embed_src, e.title, e.kind
FROM (SELECT site, source, coalesce(final_url, url) AS url, unnest(embeds) AS e FROM web_pages_latest) AS w
SEMI JOIN publications AS p ON p.source <> 'rest' AND p.site = w.site AND p.url = w.url;

CREATE OR REPLACE VIEW publication_turns AS
SELECT t.site, 'rest' AS source, p.url, t.turn, t.speaker, t.speaker_member_id, t.party,
       t.constituency, t.role, t.text
FROM turns_latest AS t
JOIN publications AS p ON p.source = 'rest' AND p.site = t.site AND p.post_type = t.post_type AND p.id = t.post_id
UNION ALL
SELECT site, source, url, t.turn, t.speaker, t.speaker_member_id, t.party, t.constituency, t.role, t.text
FROM (SELECT site, source, coalesce(final_url, url) AS url, unnest(turns) AS t FROM web_pages_latest) AS w
SEMI JOIN publications AS p ON p.source <> 'rest' AND p.site = w.site AND p.url = w.url;

CREATE OR REPLACE VIEW presence_events AS
SELECT site, 'rest' AS path, post_type, id, NULL AS url, reason, detected_at, run_id FROM tombstones
UNION ALL
SELECT site, 'web', post_type, id, url, reason, detected_at, run_id FROM web_tombstones;

CREATE OR REPLACE VIEW gone_publications AS
SELECT site, post_type, id, reason, detected_at, last_seen_modified_gmt, title, link, run_id, returned_at
FROM deleted_posts
UNION ALL
-- (a post REST archived before its API closed, found gone from its pages: REST's title)
SELECT t.site, t.post_type, t.id, t.reason, t.detected_at, NULL,
    coalesce(w.title, (SELECT arg_max(p.title, p.fetched_at) FROM posts AS p
                       WHERE p.site = t.site AND p.post_type = t.post_type AND p.id = t.id)),
    t.url, t.run_id,
    (SELECT min(b.at) FROM (
        SELECT detected_at AS at FROM web_tombstones AS r
        WHERE r.site = t.site AND r.url = t.url AND r.reason = 'returned'
        UNION ALL SELECT fetched_at FROM web_pages AS v WHERE v.site = t.site AND v.url = t.url
     ) AS b WHERE b.at > t.detected_at) AS returned_at
FROM web_tombstones AS t
LEFT JOIN (SELECT site, url, arg_max(title, fetched_at) AS title FROM web_pages GROUP BY ALL) AS w
    ON w.site = t.site AND w.url = t.url
WHERE t.reason IS DISTINCT FROM 'returned';

-- Captures (issue 25): where each object's response lies in the site's WARC files, per URL
-- and per object. Rows written without MPCRAWL_WARC (and older archives) have no pointer;
-- UNION ALL BY NAME gives those columns even where no file holds them yet.
CREATE OR REPLACE VIEW post_captures AS
WITH pointer AS (
    SELECT NULL::VARCHAR AS warc_filename, NULL::BIGINT AS warc_record_offset,
           NULL::BIGINT AS warc_record_length
    WHERE false
), p AS (
    SELECT * FROM posts UNION ALL BY NAME SELECT * FROM pointer
), w AS (
    SELECT * FROM web_pages UNION ALL BY NAME SELECT * FROM pointer
)
SELECT site, 'post' AS kind, post_type, id, link AS url, modified_gmt, fetched_at, run_id,
       warc_filename, warc_record_offset, warc_record_length
FROM p WHERE warc_filename IS NOT NULL
UNION ALL
SELECT site, 'web_page' AS kind, post_type, id, coalesce(final_url, url) AS url, modified_gmt,
       fetched_at, run_id, warc_filename, warc_record_offset, warc_record_length
FROM w WHERE warc_filename IS NOT NULL;
