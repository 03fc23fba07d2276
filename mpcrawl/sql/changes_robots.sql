-- scrapy changes: each robots.txt archived in a site's window with the one archived before
-- it (none: the site's first), and the site's archived publication URLs, both paths.
WITH r AS (
    SELECT site, url, status, body, fetched_at, run_id,
        lag(body) OVER (PARTITION BY site ORDER BY fetched_at) AS previous,
        lag(status) OVER (PARTITION BY site ORDER BY fetched_at) AS previous_status
    FROM robots
)
SELECT r.site, r.url, r.body, r.previous, r.fetched_at, r.run_id,
    (SELECT list(DISTINCT u ORDER BY u) FROM (
        SELECT link AS u FROM posts_files AS p WHERE p.site = r.site AND link IS NOT NULL
        UNION ALL SELECT url FROM web_pages_files AS w WHERE w.site = r.site)) AS archived
FROM r JOIN changes_window AS w ON w.site = r.site AND r.fetched_at > w.since AND r.fetched_at <= w.until
WHERE r.status BETWEEN 200 AND 299 AND r.previous IS NOT NULL AND r.previous_status BETWEEN 200 AND 299
  AND r.body IS DISTINCT FROM r.previous
ORDER BY r.site, r.fetched_at;
