-- scrapy changes, step 1: each site's window (site, since, until). By default a site's window
-- runs from its previous run's end; a `locked` run crawled nothing, so it is no boundary.
-- $since, $until: TIMESTAMPTZ or NULL; $sites: the sites asked for, or NULL for all.
CREATE OR REPLACE TEMP TABLE changes_window AS
WITH known AS (SELECT site FROM runs UNION SELECT site FROM sites),
ordered AS (
    SELECT site, finished_at, row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) AS n
    FROM runs WHERE outcome IS DISTINCT FROM 'locked'
)
SELECT k.site,
    coalesce(CAST($since AS TIMESTAMPTZ),
        (SELECT max(o.finished_at) FROM ordered AS o WHERE o.site = k.site AND o.n = 2),
        '-infinity'::TIMESTAMPTZ) AS since,
    coalesce(CAST($until AS TIMESTAMPTZ), 'infinity'::TIMESTAMPTZ) AS until
FROM known AS k
WHERE CAST($sites AS VARCHAR[]) IS NULL OR list_contains(CAST($sites AS VARCHAR[]), k.site);
