"""``scrapy changes``: what changed in the archive between two times, told per site.

:mod:`.digest` reads the changes (DuckDB over ``mpcrawl.read.connect``'s views and the
``mpcrawl/sql/changes_*.sql`` files, :mod:`.queries`) into :mod:`.model`'s dataclasses,
with :mod:`.textdiff`, :mod:`.fields` (which REST field changed) and :mod:`.robots`;
:mod:`.formats` writes them as text or JSON, :mod:`.atom` as Atom, :mod:`.subjects` as a
feed per site, member, party or constituency with an OPML list, and :mod:`.notify` pushes
each site's digest through Apprise. Nothing here imports the crawl.
"""

from __future__ import annotations

from mpcrawl.changes.atom import render_atom
from mpcrawl.changes.digest import read_changes
from mpcrawl.changes.formats import render_json, render_text
from mpcrawl.changes.model import Change, Digest, SiteChanges

__all__ = [
    "Change",
    "Digest",
    "SiteChanges",
    "read_changes",
    "render_atom",
    "render_json",
    "render_text",
]
