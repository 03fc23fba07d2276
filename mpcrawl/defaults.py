"""Defaults that a setting and a library function share, each spelled once.

Imports nothing, so the settings, the archive writer, the locks and the read side can
all name them without loading one another.
"""

from __future__ import annotations

from typing import Final

ARCHIVE: Final = "output"
"""Where the archive is when ``MPCRAWL_ARCHIVE`` is not given (and ``connect()``'s path)."""

BATCH_ROWS: Final = 1000
"""Rows buffered per partition before a row group is written."""

BATCH_BYTES: Final = 4 * 1024 * 1024
"""Text and bytes buffered per partition before a row group is written (a page's HTML
counts). Measured on a 5,000-page fallback crawl of ~60 kB pages: 16 MB peaked at 301 MB,
a ~3 MB bound at 239 MB (the Arrow copy and Parquet encoding of a batch add to the rows)."""

FILE_ROWS: Final = 100_000
"""Rows per part file before every open file of the site is finished and new ones begun."""

SITEMAP_MAX_URLS: Final = 100_000
"""Page URLs one site's sitemaps may list before the walk stops (incomplete, ``partial``)."""

LOCK_STALE_AFTER: Final = 6 * 3600.0
"""Seconds after which a lock on object storage is taken over (a PID on another node
cannot be checked); also a site's longest run (``MPCRAWL_SITE_MAX_SECONDS``)."""

LISTING_PAGES: Final = 1000
"""Listing pages a site's crawl reads beyond its home page when no complete sitemap lists it
(pagers, sections, archives, tags); ``0`` reads the home page's links only."""

LISTING_DEPTH: Final = 3
"""How many listing-to-listing hops from the home page a crawl follows (a pager's next page
is the same listing: no hop)."""

LISTING_SECONDS: Final = 3600.0
"""Seconds a site's crawl of its listings may take before it reads no further listing."""

MAX_CRAWL_DELAY: Final = 10.0
"""Seconds: the longest robots.txt ``Crawl-delay`` obeyed (a longer one is cut to this).
Drupal 7's stock robots.txt asks 10 s: a 300-page site then costs ~52 min, well within
``MPCRAWL_SITE_MAX_SECONDS`` (6 h, which holds ~2,100 requests at 10 s)."""

FEED_PAGES: Final = 300
"""Pages of a WordPress feed read per site for the dates of pages that print none
(``MPCRAWL_FEED_PAGES``; 3,000 posts at WordPress's 10 a page)."""

ID_WALK_MAX: Final = 5000
"""Ids asked for per site by the id walk (``MPCRAWL_ID_WALK_MAX``)."""

ID_WALK_MISSES: Final = 250
"""Ids in a row answering no page after which the id walk stops (``MPCRAWL_ID_WALK_MISSES``)."""

RECHECK_DAYS: Final = 7
"""Days within which every archived live page a site's listing cannot vouch for (no
``lastmod``, no validators) is re-read at least once (``MPCRAWL_RECHECK_DAYS``), a seventh
of them a night; ``0`` re-reads every such page every night. A week: an edit that changes
no listing entry (the body below a teaser) is archived within a week, and a no-change night
costs the listings and a seventh of the pages (Drupal 7, 300 articles: docs/crawling.md)."""
