"""robots.txt changes: new Disallow lines that cover URLs the archive holds.

A site that newly disallows paths (as a party did in 2013 with its old speeches, after
which the Internet Archive hid its copies) is told, with the archived URLs the new rules
cover. The archive keeps what it holds: nothing is hidden or removed because of them.
Coverage is decided by Protego (Scrapy's own robots.txt parser) for any crawler (``*``)
and for mpcrawl's user agent: a URL counts when the new file refuses it and the old one
did not.
"""

from __future__ import annotations

import duckdb
from protego import Protego

from mpcrawl.changes import queries
from mpcrawl.changes.model import Change, entry_id, iso

AGENTS = ("*", "mpcrawl")
SAMPLE = 10  # archived URLs named per change; the rest are counted


def disallow_lines(body: str) -> list[str]:
    """The ``Disallow:`` values of a robots.txt, in order, without duplicates.

    >>> disallow_lines("User-agent: *\\nDisallow: /a  # old\\ndisallow:/b\\nDisallow:\\n")
    ['/a', '/b']
    """
    out: list[str] = []
    for line in body.splitlines():
        name, _, value = line.split("#", 1)[0].partition(":")
        value = value.strip()
        if name.strip().lower() == "disallow" and value and value not in out:
            out.append(value)
    return out


def _refused(parser: Protego, url: str) -> bool:
    return any(not parser.can_fetch(url, agent) for agent in AGENTS)


def robots_changes(con: duckdb.DuckDBPyConnection) -> list[Change]:
    """One ``robots`` change per new robots.txt whose new Disallow lines cover archived URLs."""
    out = []
    for site, url, body, previous, at, run_id, archived in queries.rows(con, "robots"):
        new_text, old_text = body.decode("utf-8", "replace"), previous.decode("utf-8", "replace")
        added = [d for d in disallow_lines(new_text) if d not in disallow_lines(old_text)]
        if not added:
            continue
        new, old = Protego.parse(new_text), Protego.parse(old_text)
        covered = [u for u in archived or [] if _refused(new, u) and not _refused(old, u)]
        if not covered:
            continue
        out.append(
            Change(
                kind="robots",
                site=site,
                at=at,
                entry_id=entry_id(site, "robots", iso(at)),
                link=url,
                disallowed=tuple(added),
                covered=tuple(covered[:SAMPLE]),
                covered_count=len(covered),
                run_id=run_id,
            )
        )
    return out
