-- scrapy changes: runs whose outcome differs from the site's run before (a first run: unless
-- `ok`), with the source that served the site.
WITH r AS (
    SELECT site, run_id, finished_at, outcome, reason, source,
        lag(outcome) OVER (PARTITION BY site ORDER BY finished_at) AS previous
    FROM runs WHERE outcome IS DISTINCT FROM 'locked'
)
SELECT r.site, r.run_id, r.finished_at, r.outcome, r.previous, r.reason
FROM r JOIN changes_window AS w
    ON w.site = r.site AND r.finished_at > w.since AND r.finished_at <= w.until
WHERE r.outcome IS DISTINCT FROM coalesce(r.previous, 'ok')
ORDER BY r.site, r.finished_at;
