-- scrapy changes, step 2: every version of each publication with a version in its window,
-- from both paths: REST posts (item = the id, ordered by modified_gmt as post_versions
-- orders them) and fallback pages (item = the URL, ordered by when each version was
-- fetched: a page reverted to an older text is a version again, as `web_pages_latest`
-- shows it). `inside`: first fetched in the window; `first_run`: by the site's first
-- archiving run (told once, as `first_crawl`).
CREATE OR REPLACE TEMP TABLE changes_first AS
SELECT site, arg_min(run_id, started_at) AS run_id FROM runs WHERE posts_new > 0 GROUP BY site;

CREATE OR REPLACE TEMP TABLE changes_keys AS
SELECT p.site, 'rest' AS path, p.post_type, CAST(p.id AS VARCHAR) AS item, p.id,
    p.modified_gmt, coalesce(CAST(p.modified_gmt AS VARCHAR), '') AS version_key,
    p.fetched_at, p.run_id
FROM posts_files AS p SEMI JOIN changes_window AS w ON w.site = p.site
UNION ALL
SELECT p.site, 'web', p.post_type, p.url, p.id, NULL, p.version_sha256, p.fetched_at, p.run_id
FROM web_pages_files AS p SEMI JOIN changes_window AS w ON w.site = p.site;

CREATE OR REPLACE TEMP TABLE changes_versions AS
WITH touched AS (
    SELECT DISTINCT k.site, k.path, k.item FROM changes_keys AS k
    JOIN changes_window AS w ON w.site = k.site AND k.fetched_at > w.since AND k.fetched_at <= w.until
),
k AS (
    SELECT k.site, k.path, any_value(k.post_type) AS post_type, k.item, any_value(k.id) AS id,
        any_value(k.modified_gmt) AS modified_gmt, k.version_key,
        min(k.fetched_at) AS fetched_at, arg_min(k.run_id, k.fetched_at) AS run_id
    FROM changes_keys AS k SEMI JOIN touched AS t
        ON t.site = k.site AND t.path = k.path AND t.item = k.item
    -- a page's rows are its versions as fetched (the same key again after another is a
    -- revert); a REST key is one version however often it is written
    GROUP BY k.site, k.path, k.item, k.version_key, CASE WHEN k.path = 'web' THEN k.fetched_at END
    QUALIFY k.path = 'rest' OR lag(k.version_key) OVER (
        PARTITION BY k.site, k.path, k.item ORDER BY min(k.fetched_at)) IS DISTINCT FROM k.version_key
)
SELECT k.*,
    row_number() OVER (PARTITION BY k.site, k.path, k.item
        ORDER BY k.modified_gmt NULLS FIRST, k.fetched_at) AS version,
    k.fetched_at > w.since AND k.fetched_at <= w.until AS inside,
    k.run_id IS NOT DISTINCT FROM f.run_id AS first_run
FROM k JOIN changes_window AS w ON w.site = k.site
LEFT JOIN changes_first AS f ON f.site = k.site;
