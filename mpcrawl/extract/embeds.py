"""Video embeds in a post's rendered HTML: one row per video, in the order the post shows them.

WordPress, its plugins and its themes render one video in many shapes (oEmbed iframes, lazy-load
placeholders with a ``<noscript>`` copy, AMP tags, blockquotes that a script turns into players,
``[video]`` shortcodes, bare URLs whose oEmbed failed). Analysts want "which videos does this
post show", so every shape is reduced to a provider, an id and one canonical URL, and the same
video met twice in a post is one row (the first place it appears; a later copy may only supply
a missing title). Links to videos inside running text are outbound links, not embeds.

>>> [e.video_id for e in find_embeds('<iframe src="https://youtu.be/-RJcnOS7jzY"></iframe>')]
['-RJcnOS7jzY']
>>> classify_url("https://www.youtube.com/watch?v=-RJcnOS7jzY&t=4m14s").start_seconds
254
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Final

from lxml import etree

from mpcrawl.extract.embed_forms import HANDLERS, TAGS, Kind
from mpcrawl.extract.providers import Provider, VideoRef, classify_url

__all__ = ["Embed", "Kind", "Provider", "VideoRef", "classify_url", "find_embeds"]


@dataclass(frozen=True, slots=True)
class Embed:
    """One video shown by a post; ``position`` is its 0-based order among the post's videos.

    ``canonical_url`` is None only for an inline ``data:`` video (a cover block's background),
    whose ``embed_src`` keeps just the media type rather than megabytes of base64.
    """

    provider: Provider
    video_id: str | None
    playlist_id: str | None
    canonical_url: str | None
    start_seconds: int | None
    embed_src: str
    title: str | None
    kind: Kind
    position: int


# Cheap gate: markup holding none of these cannot hold an embed, so it is never parsed.
# Plain substring tests on the lower-cased text beat one big case-insensitive regex tenfold.
_MARKERS: Final = (
    "iframe", "video", "embed", "object", "blockquote", "amp-", "lite-", "wistia", "youtu",
    "vimeo", "dai.ly", "dailymotion", "facebook", "fb.watch", "tiktok", "twitter", "x.com",
    "instagram", "videopress", "ted.com", "wordpress.tv", "parliamentlive", ".mp4", ".m4v",
    ".webm", ".ogv", ".flv", ".mov", ".wmv",
)  # fmt: skip
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_local = threading.local()


def find_embeds(html: str, base_url: str | None = None) -> list[Embed]:
    """Every video ``html`` shows, deduplicated, positions 0..n-1; never raises.

    ``base_url`` (the post's link) resolves relative ``<video>`` sources.

    >>> e, = find_embeds('<figure class="wp-block-video"><video controls '
    ...     'src="/wp-content/uploads/clip.mp4?_=1"></video></figure>', "https://mp.example/p/1")
    >>> (e.provider, e.canonical_url, e.kind)
    ('file', 'https://mp.example/wp-content/uploads/clip.mp4', 'video')
    >>> find_embeds('<p>Watch <a href="https://youtu.be/-RJcnOS7jzY">the debate</a>.</p>')
    []
    """
    try:
        if not html:
            return []
        lowered = html.lower()
        if not any(marker in lowered for marker in _MARKERS):
            return []
        root = _parse(html)
        if root is None:
            return []
        return _collect(root, base_url)
    except RecursionError:  # pathological nesting; a post without rows beats a crashed crawl
        return []


# --- markup ---------------------------------------------------------------------------------


def _parse(html: str) -> etree._Element | None:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
        )
        _local.parser = parser
    try:
        root: etree._Element | None = etree.fromstring(
            _CONTROL.sub(" ", html).encode("utf-8"), parser
        )
    except (etree.LxmlError, ValueError):
        return None
    return root


def _collect(root: etree._Element, base_url: str | None) -> list[Embed]:
    _wrap_loose_text(root)
    consumed: set[etree._Element] = set()
    out: list[Embed] = []
    seen: dict[tuple[str, str], int] = {}
    for el in root.iter(*TAGS):
        if el in consumed:
            continue
        hits, consume = HANDLERS[str(el.tag)](el, base_url)
        if consume:
            consumed.update(el.iter())
        for hit in hits:
            ref = hit.ref
            key = (ref.provider, ref.video_id or ref.playlist_id or ref.canonical_url or hit.src)
            if key in seen:
                first = out[seen[key]]
                if first.title is None and hit.title:
                    out[seen[key]] = replace(first, title=hit.title)
                continue
            seen[key] = len(out)
            out.append(Embed(*_ref_fields(ref), hit.src, hit.title, hit.kind, len(out)))
    return out


def _ref_fields(ref: VideoRef) -> tuple[Provider, str | None, str | None, str | None, int | None]:
    return ref.provider, ref.video_id, ref.playlist_id, ref.canonical_url, ref.start_seconds


def _wrap_loose_text(root: etree._Element) -> None:
    """Put text lying directly in <body> into <p>s, so lone URL lines there are found in order."""
    body = root.find("body")
    if body is None:
        return
    if body.text and "http" in body.text:
        p = etree.Element("p")
        p.text, body.text = body.text, None
        body.insert(0, p)
    for child in list(body):
        if child.tail and "http" in child.tail:
            p = etree.Element("p")
            p.text, child.tail = child.tail, None
            child.addnext(p)
