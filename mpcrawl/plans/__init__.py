"""Request plans, one per crawl path, free of Scrapy's engine: the spider turns their
requests into Scrapy requests and hands them the answers (``docs/ARCHITECTURE.md``)."""
