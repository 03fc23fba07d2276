"""``scrapy changes``: what changed in the archive between two times, told per site.

:mod:`.digest` reads the changes (DuckDB over ``mpcrawl.archive.connect``'s views) into
dataclasses; :mod:`.formats` writes them as text, JSON or Atom. Nothing here imports the
crawl.
"""

from __future__ import annotations

from mpcrawl.changes.digest import Change, Digest, SiteChanges, read_changes
from mpcrawl.changes.formats import render_atom, render_json, render_text

__all__ = [
    "Change",
    "Digest",
    "SiteChanges",
    "read_changes",
    "render_atom",
    "render_json",
    "render_text",
]
