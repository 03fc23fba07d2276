"""The archive: where it lives (:mod:`.fs`), its writer, its state, compaction, locks.

``from mpcrawl.archive import connect`` still works for readers: it is looked up lazily
in :mod:`mpcrawl.read`, so a crawl that writes the archive never imports DuckDB.
"""

from __future__ import annotations

from typing import Any

__all__ = ["connect", "views_sql"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import mpcrawl.read

        return getattr(mpcrawl.read, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
