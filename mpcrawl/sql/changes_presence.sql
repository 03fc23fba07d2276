-- scrapy changes: publications found gone or back in the window, from both paths' tombstones
-- (REST: `deleted`, `hidden`, `returned`; fallback: `deleted`, `redirected`, `returned`),
-- at most $limit of each kind per site, newest first; `n` counts them all.
WITH events AS (
    SELECT site, 'rest' AS path, post_type, CAST(id AS VARCHAR) AS item, id, detected_at,
        reason, last_seen_modified_gmt AS last_seen, NULL AS redirect_to, run_id
    FROM tombstones
    UNION ALL
    SELECT site, 'web', post_type, url, id, detected_at, reason, NULL, redirect_to, run_id
    FROM web_tombstones
),
t AS (
    SELECT e.*, CASE e.reason WHEN 'returned' THEN 'back' ELSE coalesce(e.reason, 'deleted') END AS kind
    FROM events AS e JOIN changes_window AS w
        ON w.site = e.site AND e.detected_at > w.since AND e.detected_at <= w.until
)
SELECT site, kind, path, post_type, item, id, detected_at, last_seen, redirect_to, run_id,
    count(*) OVER (PARTITION BY site, kind) AS n
FROM t
QUALIFY row_number() OVER (PARTITION BY site, kind ORDER BY detected_at DESC, path, post_type, item) <= $limit;
