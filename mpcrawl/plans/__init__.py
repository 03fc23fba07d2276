"""Request plans of a site, one per crawl path, free of Scrapy's engine."""
