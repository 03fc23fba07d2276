-- scrapy changes: title, link, text, REST object, videos and speaker turns of the versions
-- listed ($keys: a list of {site, path, item, version_key}), read for those publications only.
-- Videos and turns are lists of the same structs on both paths (REST: embeds and
-- speech_turns rows; fallback: the page's nested columns).
WITH want AS (SELECT DISTINCT * FROM (SELECT unnest($keys, recursive := true))),
rest_ids AS (SELECT DISTINCT site, TRY_CAST(item AS BIGINT) AS id FROM want WHERE path = 'rest'),
web_urls AS (SELECT DISTINCT site, item AS url FROM want WHERE path = 'web'),
rest AS (
    SELECT p.site, CAST(p.id AS VARCHAR) AS item,
        coalesce(CAST(p.modified_gmt AS VARCHAR), '') AS version_key,
        p.post_type, p.id, p.modified_gmt, p.title, p.link, p.content_text, p.raw_json
    FROM posts_files AS p SEMI JOIN rest_ids AS r ON r.site = p.site AND r.id = p.id
    QUALIFY row_number() OVER (PARTITION BY p.site, p.post_type, p.id, p.modified_gmt ORDER BY p.fetched_at) = 1
),
embeds AS (
    SELECT site, post_type, post_id, modified_gmt,
        list({'provider': provider, 'video_id': video_id, 'url': coalesce(canonical_url, embed_src)}
            ORDER BY position) AS videos
    FROM (SELECT e.* FROM embeds_files AS e SEMI JOIN rest_ids AS r ON r.site = e.site AND r.id = e.post_id
          QUALIFY row_number() OVER (PARTITION BY e.site, e.post_type, e.post_id, e.modified_gmt, e.position ORDER BY e.run_id) = 1)
    GROUP BY ALL
),
turns AS (
    SELECT site, post_type, post_id, modified_gmt,
        list({'speaker': speaker, 'text': text} ORDER BY turn) AS turns
    FROM (SELECT s.* FROM speech_turns_files AS s SEMI JOIN rest_ids AS r ON r.site = s.site AND r.id = s.post_id
          QUALIFY row_number() OVER (PARTITION BY s.site, s.post_type, s.post_id, s.modified_gmt, s.turn ORDER BY s.run_id) = 1)
    GROUP BY ALL
),
web AS (
    SELECT p.site, 'web' AS path, p.url AS item, p.version_sha256 AS version_key,
        p.title, coalesce(p.final_url, p.url) AS link, p.content_text, NULL AS raw_json,
        list_transform(p.embeds, lambda e: {'provider': e.provider, 'video_id': e.video_id,
            'url': coalesce(e.canonical_url, e.embed_src)}) AS videos,
        list_transform(p.turns, lambda t: {'speaker': t.speaker, 'text': t.text}) AS turns
    FROM web_pages_files AS p SEMI JOIN web_urls AS u ON u.site = p.site AND u.url = p.url
    QUALIFY row_number() OVER (PARTITION BY p.site, p.url, p.version_sha256 ORDER BY p.fetched_at) = 1
)
SELECT r.site, 'rest' AS path, r.item, r.version_key, r.title, r.link, r.content_text, r.raw_json,
    e.videos, t.turns
FROM rest AS r
LEFT JOIN embeds AS e ON e.site = r.site AND e.post_type = r.post_type AND e.post_id = r.id
    AND e.modified_gmt IS NOT DISTINCT FROM r.modified_gmt
LEFT JOIN turns AS t ON t.site = r.site AND t.post_type = r.post_type AND t.post_id = r.id
    AND t.modified_gmt IS NOT DISTINCT FROM r.modified_gmt
UNION ALL
SELECT site, path, item, version_key, title, link, content_text, raw_json, videos, turns FROM web;
