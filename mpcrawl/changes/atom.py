"""The digest as an Atom feed, valid XML whatever the archived text holds.

The feed is written by feedgen (well kept, lxml-based, escapes and orders the elements
RFC 4287 asks for); entry ids are the changes' tag URIs, so a feed reader sees a rerun or
a later window as the same entries. Archived titles and texts may hold characters XML 1.0
cannot carry (C0 controls such as U+0001, lone surrogates, U+FFFE): lxml refuses them, so
each is replaced by U+FFFD and the entry says how many were.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from mpcrawl.changes.formats import LABELS, details, headline, site_title
from mpcrawl.changes.model import TAG, Digest

# What XML 1.0 cannot carry (its Char production, section 2.2), as one character class.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


def xml_safe(text: str) -> tuple[str, int]:
    """``text`` with every character XML cannot carry replaced, and how many were.

    >>> xml_safe("budget\\x01 of \\x0b2026")
    ('budget\\ufffd of \\ufffd2026', 2)
    >>> xml_safe("tab\\tand newline\\n")
    ('tab\\tand newline\\n', 0)
    """
    return NOT_XML.subn(REPLACEMENT, text)


def render_atom(
    digest: Digest,
    *,
    title: str = "mpcrawl: what changed",
    feed_url: str | None = None,
    feed_id: str = "changes",
    now: datetime | None = None,
) -> bytes:
    """An Atom feed with one entry per listed change, newest first."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(TAG + feed_id)
    feed.title(xml_safe(title)[0])
    feed.author({"name": "mpcrawl"})
    feed.generator("mpcrawl")
    if feed_url:
        feed.link(href=feed_url, rel="self", type="application/atom+xml")
    sites = {s.site: s for s in digest.sites}
    changes = sorted(digest.changes(), key=lambda c: (c.at, c.entry_id), reverse=True)
    feed.updated(changes[0].at if changes else (now or datetime.now(UTC)))
    for change in changes:
        entry = feed.add_entry(order="append")
        entry.id(change.entry_id)
        heading, bad_title = xml_safe(f"{change.site}: {headline(change)}")
        body, bad_body = xml_safe("\n".join(details(change) or [headline(change)]))
        if bad_title or bad_body:
            body += (
                f"\n({bad_title + bad_body} characters XML cannot carry were replaced by "
                f"{REPLACEMENT}; the archive holds them as the site sent them)"
            )
        entry.title(heading)
        entry.updated(change.at)
        entry.author({"name": xml_safe(site_title(sites[change.site]))[0]})
        entry.category(term=change.kind, label=LABELS[change.kind])
        if change.link:
            entry.link(href=xml_safe(change.link)[0], rel="alternate", type="text/html")
        entry.content("<pre>" + html.escape(body) + "</pre>", type="html")
    xml: bytes = feed.atom_str(pretty=True)
    return xml
