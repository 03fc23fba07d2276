"""The forms a video takes in WordPress markup, each recognised by its own handler.

The per-form half of :mod:`mpcrawl.extract.embeds`, kept apart from its walk over the markup:
a handler reads one element (an iframe, a ``<video>``, an AMP or lite tag, a player
placeholder, a scripted blockquote, a line holding only a URL) and returns the videos it shows,
and whether the walk should skip the element's descendants (a ``<noscript>`` copy of the same
player, say). The provider rules of URLs are in :mod:`mpcrawl.extract.providers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final, Literal
from urllib.parse import urlsplit

from lxml import etree

from mpcrawl.extract.providers import (
    NOT_VIDEO_HOSTS,
    PLAYER_HOSTS,
    VideoRef,
    absolute_url,
    classify_url,
    decode_entities,
    file_ref,
    wistia_ref,
)

Kind = Literal["iframe", "blockquote", "video", "object", "bare-url"]

_LONE_URL: Final = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_WISTIA_CLASS: Final = re.compile(r"wistia_async_([A-Za-z0-9]{6,16})")
# Blockquotes a provider's script replaces with its player (or WordPress with a post card).
_SCRIPTED_QUOTES: Final = frozenset(
    ("tiktok-embed", "instagram-media", "twitter-video", "twitter-tweet", "wp-embedded-content")
)
# Inline elements that may wrap a lone URL without breaking its line.
_INLINE: Final = frozenset((
    "a", "abbr", "b", "bdi", "cite", "code", "em", "font", "i", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup", "u",
))  # fmt: skip
# The elements the walk visits, each one read by its handler in HANDLERS below.
TAGS: Final = (
    "iframe", "video", "object", "embed", "blockquote", "div", "p", "amp-youtube", "amp-vimeo",
    "amp-dailymotion", "amp-video", "amp-iframe", "amp-facebook", "amp-instagram",
    "lite-youtube", "lite-vimeo", "wistia-player",
)  # fmt: skip
# Where lazy loaders (a3 Lazy Load, WP Rocket, LiteSpeed, Ezoic) park the real iframe URL.
_LAZY_SRC: Final = (
    "data-src", "data-lazy-src", "data-rocket-src", "data-litespeed-src", "data-ezsrc", "src",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hit:
    """One video a handler found: what it is, the URL it was found by, its title and form."""

    ref: VideoRef
    src: str
    title: str | None
    kind: Kind


def _iframe(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    src = _attr(el, *_LAZY_SRC)
    if src is None or "wp-embedded-content" in (el.get("class") or ""):
        return [], True
    url = absolute_url(src, base)
    ref = classify_url(url)
    if ref is None:
        ref = _other(url, el)
    elif ref.provider == "videopress" and _wrapper_provider(el) == "wordpress-tv":
        ref = replace(ref, provider="wordpress-tv", video_id=None)
    if ref is None:
        return [], True
    return [Hit(ref, url, _title(el, "title", "data-title", "aria-label"), "iframe")], True


def _video(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    src = _attr(el, "src", "data-src")
    if src is None:
        src = next((s for s in (_attr(c, "src") for c in el.iter("source")) if s), None)
    if src is None:
        return [], True
    if src.lower().startswith("data:"):
        # An inline (base64) video has no URL to name; keep only its media type.
        head = src.split(",", 1)[0] + ","
        ref = VideoRef("file")
        return [Hit(ref, head, _title(el, "title", "aria-label"), "video")], True
    url = absolute_url(src, base)
    ref = classify_url(url) or file_ref(url)
    return [Hit(ref, url, _title(el, "title", "aria-label"), "video")], True


def _object(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    src = _attr(el, "data", "src")
    if src is None:
        for param in el.iter("param"):
            if (param.get("name") or "").lower() in ("movie", "src", "filename"):
                src = _attr(param, "value")
                break
    if src is None and (inner := el.find(".//embed")) is not None:
        src = _attr(inner, "src")
    if src is None:
        return [], True
    url = absolute_url(src, base)
    ref = classify_url(url) or _other(url, el)
    return ([Hit(ref, url, _title(el, "title"), "object")] if ref else []), True


def _amp(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    tag = str(el.tag)
    vid = _attr(el, "data-videoid", "videoid", "video-id", "data-shortcode")
    url: str | None
    if tag in ("amp-youtube", "lite-youtube"):
        url = f"https://www.youtube.com/embed/{vid}" if vid else None
        if url and (params := _attr(el, "params")):
            url += "?" + params
    elif tag in ("amp-vimeo", "lite-vimeo"):
        url = f"https://player.vimeo.com/video/{vid}" if vid else None
    elif tag == "amp-dailymotion":
        url = f"https://www.dailymotion.com/embed/video/{vid}" if vid else None
    elif tag == "amp-instagram":
        url = f"https://www.instagram.com/p/{vid}/" if vid else None
    elif tag == "wistia-player":
        media = _attr(el, "media-id")
        url = f"https://fast.wistia.net/embed/iframe/{media}" if media else None
    elif tag == "amp-video":
        return _video(el, base)
    else:  # amp-iframe, amp-facebook
        return _iframe(el, base) if tag == "amp-iframe" else _fb_div(el, base)
    if url is None:
        return [], True
    ref = classify_url(url)
    return ([Hit(ref, url, _title(el, "title", "data-title"), "iframe")] if ref else []), True


def _fb_div(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    href = _attr(el, "data-href")
    ref = classify_url(href) if href else None
    if href is None or ref is None or ref.provider != "facebook":
        return [], True
    return [Hit(ref, href, _title(el, "data-title"), "iframe")], True


def _div(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    cls = el.get("class") or ""
    if not cls:
        return [], False
    if (lyte := el.get("id") or "").startswith("WYL_"):  # WP YouTube Lyte's placeholder
        url = f"https://www.youtube.com/embed/{lyte[4:]}"
        ref = classify_url(url)
        return ([Hit(ref, url, _title(el, "title"), "iframe")] if ref else []), True
    if "rll-youtube-player" in cls:  # WP Rocket: placeholder now, the <noscript> iframe later
        src, query = _attr(el, "data-src"), _attr(el, "data-query")
        vid = _attr(el, "data-id")
        if src is None and vid:
            src = f"https://www.youtube.com/embed/{vid}"
        if src is None:
            return [], False
        url = absolute_url(src + ("?" + query if query and "?" not in src else ""), base)
        ref = classify_url(url)
        return ([Hit(ref, url, _title(el, "data-alt", "title"), "iframe")] if ref else []), True
    if "fb-video" in cls.split():
        return _fb_div(el, base)
    if "wistia_embed" in cls and (m := _WISTIA_CLASS.search(cls)):
        url = f"https://fast.wistia.net/embed/iframe/{m.group(1)}"
        return [Hit(wistia_ref(m.group(1)), url, _title(el, "title"), "iframe")], True
    if "wp-block-embed__wrapper" in cls:
        return _bare(el, base, wrapper=True)
    return [], False


def _paragraph(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    return _bare(el, base, wrapper=False)


def _bare(el: etree._Element, base: str | None, *, wrapper: bool) -> tuple[list[Hit], bool]:
    """URLs alone on a line, where WordPress would auto-embed them (or an oEmbed failed)."""
    if not any("http" in text for text in el.itertext()):
        return [], False
    hits = []
    for url in _lone_urls(el):
        absolute = absolute_url(url, base)
        ref = classify_url(absolute)
        in_video = wrapper and _in_video_wrapper(el)
        if ref is None and in_video:
            ref = _other(absolute, el, force=True)
        if ref is None or (ref.provider == "twitter" and not in_video):
            continue  # a tweet is shown as a video only where WordPress says it is one
        if ref.provider == "videopress" and _wrapper_provider(el) == "wordpress-tv":
            ref = replace(ref, provider="wordpress-tv", video_id=None)
        hits.append(Hit(ref, absolute, _figcaption(el) if wrapper else None, "bare-url"))
    return hits, False


def _blockquote(el: etree._Element, base: str | None) -> tuple[list[Hit], bool]:
    cls = set((el.get("class") or "").split())
    if not cls & _SCRIPTED_QUOTES:
        return [], False  # a quotation: its paragraphs may still hold lone URLs
    url: str | None = None
    if "tiktok-embed" in cls:
        url = _attr(el, "cite")
        if url is None and (vid := _attr(el, "data-video-id")):
            url = f"https://www.tiktok.com/embed/v2/{vid}"
    elif "instagram-media" in cls:
        url = _attr(el, "data-instgrm-permalink") or _first_link(el, "instagram.com/")
    elif "twitter-video" in cls or ("twitter-tweet" in cls and _in_video_wrapper(el)):
        url = _first_link(el, "/status", last=True)
    ref = classify_url(url) if url else None
    return ([Hit(ref, url, None, "blockquote")] if ref and url else []), True


# A handler: an element and the base URL to the videos it shows, and whether to skip its inside.
Handler = Callable[[etree._Element, str | None], tuple[list[Hit], bool]]

# The handler of each tag in TAGS, which the walk in :mod:`mpcrawl.extract.embeds` visits.
HANDLERS: Final[dict[str, Handler]] = {
    "iframe": _iframe,
    "video": _video,
    "object": _object,
    "embed": _object,
    "blockquote": _blockquote,
    "div": _div,
    "p": _paragraph,
    **dict.fromkeys(
        (t for t in TAGS if t.startswith(("amp-", "lite-")) or t == "wistia-player"), _amp
    ),
}


# --- helpers --------------------------------------------------------------------------------


def _attr(el: etree._Element, *names: str) -> str | None:
    for name in names:
        value = el.get(name)
        if not value or not (value := decode_entities(value)):
            continue
        if not value.startswith(("about:", "javascript:")):
            return value
    return None


def _title(el: etree._Element, *names: str) -> str | None:
    return _attr(el, *names) or _figcaption(el)


def _figcaption(el: etree._Element) -> str | None:
    for depth, ancestor in enumerate(el.iterancestors()):
        if ancestor.tag == "figure":
            caption = ancestor.find("figcaption")
            text = " ".join(caption.itertext()).split() if caption is not None else []
            return " ".join(text) or None
        if depth >= 3:
            break
    return None


def _wrapper_classes(el: etree._Element) -> str:
    classes = []
    for depth, ancestor in enumerate(el.iterancestors()):
        classes.append(ancestor.get("class") or "")
        if depth >= 3:
            break
    return " ".join(classes)


def _in_video_wrapper(el: etree._Element) -> bool:
    return "is-type-video" in _wrapper_classes(el)


def _wrapper_provider(el: etree._Element) -> str | None:
    m = re.search(r"is-provider-([a-z0-9-]+)", _wrapper_classes(el))
    return m.group(1) if m else None


def _other(url: str, el: etree._Element, *, force: bool = False) -> VideoRef | None:
    """An unknown provider counts only when it is clearly a video player."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if not host or "google." in host or host.endswith(NOT_VIDEO_HOSTS):
        return None
    if force or host.endswith(PLAYER_HOSTS) or _in_video_wrapper(el):
        return VideoRef("other", None, None, url)
    return None


def _first_link(el: etree._Element, needle: str, *, last: bool = False) -> str | None:
    links = [h for a in el.iter("a") if (h := _attr(a, "href")) and needle in h]
    return (links[-1] if last else links[0]) if links else None


def _lone_urls(el: etree._Element) -> list[str]:
    """URLs standing alone on a line of ``el`` (between <br>s or newlines), as text or a link."""
    lines: list[list[tuple[str, str | None]]] = [[]]
    broken: set[int] = set()

    def add_text(text: str | None) -> None:
        for i, chunk in enumerate((text or "").split("\n")):
            if i:
                lines.append([])
            if chunk.strip():
                lines[-1].append((chunk, None))

    add_text(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            lines.append([])
        elif tag in _INLINE:
            href = next((h for a in child.iter("a") if (h := _attr(a, "href"))), None)
            lines[-1].append((" ".join(child.itertext()), href))
        elif tag:
            broken.add(len(lines) - 1)
            lines.append([])
        add_text(child.tail)
    urls = []
    for i, line in enumerate(lines):
        text = "".join(t for t, _ in line).strip()
        hrefs = [h for _, h in line if h]
        if i in broken or not _LONE_URL.fullmatch(text) or len(hrefs) > 1:
            continue
        urls.append(hrefs[0] if hrefs else text)
    return urls
