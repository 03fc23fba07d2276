-- scrapy changes: one row per site whose first archiving run falls in its window: what it
-- archived per type (REST posts and fallback pages alike; a page whose type is not printed
-- counts as a post, as in scrapy report), its videos, turns and revisions,
-- and the run's outcome and source.
WITH per_type AS (
    SELECT site, any_value(run_id) AS run_id, coalesce(post_type, 'post') AS post_type,
        count(*) AS n, max(fetched_at) AS last_at
    FROM changes_versions WHERE inside AND first_run AND version = 1 GROUP BY ALL
),
per_site AS (
    SELECT site, any_value(run_id) AS run_id, max(last_at) AS last_at, map(list(post_type), list(n)) AS counts
    FROM per_type GROUP BY site
),
extras AS (
    SELECT r.site, 'revisions' AS what, count(*) AS n FROM revisions_files AS r
        SEMI JOIN per_site AS f ON f.site = r.site AND f.run_id = r.run_id GROUP BY ALL
    UNION ALL
    SELECT e.site, 'videos', count(*) FROM embeds_files AS e
        SEMI JOIN per_site AS f ON f.site = e.site AND f.run_id = e.run_id GROUP BY ALL
    UNION ALL
    SELECT s.site, 'speaker turns', count(*) FROM speech_turns_files AS s
        SEMI JOIN per_site AS f ON f.site = s.site AND f.run_id = s.run_id GROUP BY ALL
    UNION ALL
    SELECT w.site, 'videos', sum(len(w.embeds)) FROM web_pages_files AS w
        SEMI JOIN per_site AS f ON f.site = w.site AND f.run_id = w.run_id GROUP BY ALL
    UNION ALL
    SELECT w.site, 'speaker turns', sum(len(w.turns)) FROM web_pages_files AS w
        SEMI JOIN per_site AS f ON f.site = w.site AND f.run_id = w.run_id GROUP BY ALL
),
extra_map AS (
    SELECT site, map(list(what), list(n)) AS extras
    FROM (SELECT site, what, sum(n) AS n FROM extras GROUP BY ALL HAVING sum(n) > 0) GROUP BY site
)
SELECT p.site, p.run_id, p.last_at, p.counts, x.extras, r.outcome, r.source
FROM per_site AS p
LEFT JOIN extra_map AS x ON x.site = p.site
LEFT JOIN runs AS r ON r.site = p.site AND r.run_id = p.run_id;
