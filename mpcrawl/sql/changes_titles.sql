-- scrapy changes: the newest archived title and link of each publication named ($keys: a
-- (DISTINCT over the subquery: DuckDB 1.x applies `SELECT DISTINCT unnest(...)` to the first row only.)
-- list of {site, path, item}), for changes that carry no version of their own.
WITH want AS (SELECT DISTINCT * FROM (SELECT unnest($keys, recursive := true)))
SELECT p.site, 'rest' AS path, CAST(p.id AS VARCHAR) AS item, p.title, p.link
FROM posts_files AS p SEMI JOIN want AS w ON w.site = p.site AND w.path = 'rest' AND w.item = CAST(p.id AS VARCHAR)
QUALIFY row_number() OVER (PARTITION BY p.site, p.id ORDER BY p.modified_gmt DESC NULLS LAST, p.fetched_at DESC) = 1
UNION ALL
SELECT p.site, 'web', p.url, p.title, coalesce(p.final_url, p.url)
FROM web_pages_files AS p SEMI JOIN want AS w ON w.site = p.site AND w.path = 'web' AND w.item = p.url
QUALIFY row_number() OVER (PARTITION BY p.site, p.url ORDER BY p.fetched_at DESC) = 1;
