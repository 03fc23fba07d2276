"""mpcrawl's own signal, sent through the crawler's signal manager.

``site_finished(run, site_item, run_item)`` is sent once per site, after every item the
site yielded has left the item pipelines: the archive pipeline then writes the site's
``sites`` and ``runs`` rows, finishes its files and releases its lock. Waiting for the
items matters: Scrapy processes a callback's items concurrently (``CONCURRENT_ITEMS``),
so an item yielded last may be processed before those yielded before it.
"""

site_finished = object()
