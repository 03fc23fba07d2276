-- scrapy changes: new and edited versions in the window (first-run versions are left to
-- `first_crawl`), at most $limit of each kind per site, newest first; `n` counts them all.
-- A publication's first version on one path is not new where the other path archived its
-- WordPress id before (a site read by REST, then from its pages once its API closed).
WITH c AS (
    SELECT v.*, CASE WHEN v.version = 1 THEN 'new' ELSE 'edited' END AS kind
    FROM changes_versions AS v WHERE v.inside AND NOT v.first_run
      AND NOT (v.version = 1 AND v.id IS NOT NULL AND EXISTS (
          SELECT 1 FROM changes_keys AS o
          WHERE o.site = v.site AND o.path <> v.path AND o.post_type = v.post_type
            AND o.id = v.id AND o.fetched_at < v.fetched_at))
)
SELECT c.site, c.kind, c.path, c.post_type, c.item, c.id, c.version_key, c.modified_gmt,
    c.fetched_at, c.run_id, p.version_key AS previous_key,
    count(*) OVER (PARTITION BY c.site, c.kind) AS n
FROM c LEFT JOIN changes_versions AS p
    ON p.site = c.site AND p.path = c.path AND p.item = c.item AND p.version = c.version - 1
QUALIFY row_number() OVER (PARTITION BY c.site, c.kind
    ORDER BY c.fetched_at DESC, c.path, c.post_type, c.item, c.version DESC) <= $limit;
