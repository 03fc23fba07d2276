"""The site as a browser sees it: sitemaps, feeds and pages, for sites the REST API cannot read.

Pure functions (no Scrapy, no pyarrow, no duckdb): the fallback request plan in
``mpcrawl.plans.fallback`` and the item pipelines call them on the bodies it fetched.
"""
