-- scrapy changes: the names field changes are told with, for the sites given ($sites):
-- categories and tags (terms), authors and featured images (media) by id.
SELECT site, taxonomy AS kind, id, name FROM terms_latest WHERE list_contains($sites, site)
UNION ALL
SELECT site, 'author', id, name FROM authors_latest WHERE list_contains($sites, site)
UNION ALL
SELECT site, 'media', id, source_url FROM media_latest WHERE list_contains($sites, site);
