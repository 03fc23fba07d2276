-- scrapy changes: new and edited versions in the window (first-run versions are left to
-- `first_crawl`), at most $limit of each kind per site, newest first; `n` counts them all.
WITH c AS (
    SELECT *, CASE WHEN version = 1 THEN 'new' ELSE 'edited' END AS kind
    FROM changes_versions WHERE inside AND NOT first_run
)
SELECT c.site, c.kind, c.path, c.post_type, c.item, c.id, c.version_key, c.modified_gmt,
    c.fetched_at, c.run_id, p.version_key AS previous_key,
    count(*) OVER (PARTITION BY c.site, c.kind) AS n
FROM c LEFT JOIN changes_versions AS p
    ON p.site = c.site AND p.path = c.path AND p.item = c.item AND p.version = c.version - 1
QUALIFY row_number() OVER (PARTITION BY c.site, c.kind
    ORDER BY c.fetched_at DESC, c.path, c.post_type, c.item, c.version DESC) <= $limit;
