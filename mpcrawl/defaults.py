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

FILE_ROWS: Final = 100_000
"""Rows per part file before every open file of the site is finished and new ones begun."""

LOCK_STALE_AFTER: Final = 6 * 3600.0
"""Seconds after which a lock on object storage is taken over (a PID on another node
cannot be checked); also a site's longest run (``MPCRAWL_SITE_MAX_SECONDS``)."""

FEED_PAGES: Final = 300
"""Pages of a WordPress feed read per site for the dates of pages that print none
(``MPCRAWL_FEED_PAGES``; 3,000 posts at WordPress's 10 a page)."""

ID_WALK_MAX: Final = 5000
"""Ids asked for per site by the id walk (``MPCRAWL_ID_WALK_MAX``)."""

ID_WALK_MISSES: Final = 250
"""Ids in a row answering no page after which the id walk stops (``MPCRAWL_ID_WALK_MISSES``)."""
