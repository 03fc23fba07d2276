"""Listing entries: what a listing page says of each page it links.

A site with no ``lastmod`` and no validators gives nothing to ask conditionally, but its
listings print an *entry* for each publication (title, teaser, date): the request plan
(:mod:`mpcrawl.plans.recheck`) reads a page again only where its entry changed or its
turn came. Evidence: Drupal 7's front page (``div.node-teaser``), WordPress's Query Loop
(``li.wp-block-post``), Hugo's and Wagtail's index pages, as the tests serve them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from mpcrawl.web.listings import followable
from mpcrawl.web.page import link_target

__all__ = ["entry_fingerprints"]

_STATE_CLASSES = frozenset(
    ("first", "last", "odd", "even", "active", "active-trail", "current", "selected", "sticky")
)


def entry_fingerprints(body: str, url: str) -> dict[str, frozenset[str]]:
    """Per page a listing links, the fingerprints of its *entries* there: the block of
    the listing that is that link's own (title, teaser, date, tags), as a short hash of its
    text and its machine-readable dates (``datetime``, ``content`` attributes).

    An entry is found by repetition, as a listing prints it: links with the same path
    of tags and first classes (every teaser's title, every "Read more") are one group; the
    entry of each is the child of the group's lowest common ancestor that holds it (a
    Drupal ``div.node-teaser``, a WordPress ``li.wp-block-post``, a Hugo ``article``).
    A link of no group, or whose block holds other pages' links of its group too, is its
    own entry (its text). Position classes (``first``, ``odd``, ``views-row-3``...) are
    no part of a path, so a page that moves down the listing keeps its fingerprint; an
    edit that changes what the listing shows of a page changes it.

    >>> html = ('<ul><li class="post"><a href="/a">A</a> <time datetime="2026-01-02">2 Jan'
    ...         '</time></li><li class="post"><a href="/b">B</a></li></ul>')
    >>> before = entry_fingerprints(html, "https://ex.org/")
    >>> after = entry_fingerprints(html.replace(">B<", ">B, edited<"), "https://ex.org/")
    >>> sorted(before), before["https://ex.org/a"] == after["https://ex.org/a"]
    (['https://ex.org/a', 'https://ex.org/b'], True)
    >>> before["https://ex.org/b"] == after["https://ex.org/b"]
    False
    """
    try:
        doc = lxml_html.document_fromstring(body.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return {}
    groups: dict[tuple[str, ...], list[tuple[Any, str]]] = {}
    for a in doc.iter("a"):
        target = link_target(a.get("href"), url)
        if target is not None and followable(target):
            groups.setdefault(_tag_path(a), []).append((a, target))
    found: dict[str, set[str]] = {}
    for members in groups.values():
        for target, entry in _entries(members):
            found.setdefault(target, set()).add(_fingerprint(entry))
    return {target: frozenset(prints) for target, prints in found.items()}


def _tag_path(el: Any) -> tuple[str, ...]:
    """The element's tags from the root, each with its first class that names no position."""
    path = []
    while el is not None:
        classes = [
            c
            for c in (el.get("class") or "").split()
            if c not in _STATE_CLASSES and not any(ch.isdigit() for ch in c)
        ]
        path.append(f"{el.tag}.{classes[0]}" if classes else str(el.tag))
        el = el.getparent()
    return tuple(reversed(path))


def _entries(members: list[tuple[Any, str]]) -> Iterator[tuple[str, Any]]:
    """Each link of one group with its entry element (see :func:`entry_fingerprints`)."""
    if len({target for _a, target in members}) < 2:
        yield from ((target, a) for a, target in members)
        return
    chains = [list(a.iterancestors())[::-1] for a, _t in members]
    depth = 0
    while all(len(c) > depth for c in chains) and len({id(c[depth]) for c in chains}) == 1:
        depth += 1
    blocks: dict[int, set[str]] = {}
    for (a, target), chain in zip(members, chains, strict=True):
        block = chain[depth] if len(chain) > depth else a
        blocks.setdefault(id(block), set()).add(target)
    for (a, target), chain in zip(members, chains, strict=True):
        block = chain[depth] if len(chain) > depth else a
        yield target, block if len(blocks[id(block)]) == 1 else a


def _fingerprint(el: Any) -> str:
    """A short hash of an entry's text and its machine-readable dates."""
    words = " ".join(el.text_content().split())
    stamps = [v for e in el.iter() for k in ("datetime", "content") if (v := e.get(k))]
    digest = hashlib.sha256("\x1f".join([words, *stamps]).encode("utf-8", "replace"))
    return digest.hexdigest()[:16]
