"""The Scrapyd fan-out of ``scrapy fanout``: :mod:`.plan` cuts the site list into shard
jobs, :mod:`.client` speaks Scrapyd's API, :mod:`.egg` packages the project for it."""
