-- scrapy changes: revisions archived in the window for REST posts that had no new version
-- in the same run (a backfill), at most $limit per site; `n` counts them all.
WITH r AS (
    SELECT r.site, r.post_type, r.post_id, r.run_id, count(*) AS revisions, max(r.fetched_at) AS seen
    FROM revisions_files AS r JOIN changes_window AS w
        ON w.site = r.site AND r.fetched_at > w.since AND r.fetched_at <= w.until
    GROUP BY ALL
)
SELECT site, post_type, post_id, run_id, revisions, seen, count(*) OVER (PARTITION BY site) AS n
FROM r
WHERE NOT EXISTS (
    SELECT 1 FROM changes_versions AS v WHERE v.inside AND v.path = 'rest' AND v.site = r.site
        AND v.post_type = r.post_type AND v.id = r.post_id AND v.run_id = r.run_id)
  AND NOT EXISTS (SELECT 1 FROM changes_first AS f WHERE f.site = r.site AND f.run_id = r.run_id)
QUALIFY row_number() OVER (PARTITION BY site ORDER BY seen DESC, post_type, post_id) <= $limit;
