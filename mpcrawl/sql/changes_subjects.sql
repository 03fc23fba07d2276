-- scrapy changes: each site's subject from its newest `sites` row (the site list's metadata):
-- the member's name, party, constituency and member id, for filters, feeds and messages.
SELECT site, name, party, constituency, member_id FROM sites_latest;
