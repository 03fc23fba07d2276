"""Video URLs by provider: what a URL names (provider, ids, one canonical URL, start).

The provider rules of :mod:`mpcrawl.extract.embeds`, kept apart from its markup walk: each
known host has a function that reads its URL shapes (``watch?v=``, ``/embed/``, short links,
players) into a :class:`VideoRef`; anything else is not a known video URL. Pure and typed;
no markup is parsed here.

>>> classify_url("https://www.youtube.com/watch?v=-RJcnOS7jzY&t=4m14s").start_seconds
254
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final, Literal
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.html import replace_entities

Provider = Literal[
    "youtube",
    "vimeo",
    "dailymotion",
    "facebook",
    "tiktok",
    "twitter",
    "instagram",
    "wistia",
    "videopress",
    "ted",
    "wordpress-tv",
    "parliamentlive",
    "file",
    "other",
]


@dataclass(frozen=True, slots=True)
class VideoRef:
    """What a URL names: the provider's id(s), one canonical URL and a start offset (seconds)."""

    provider: Provider
    video_id: str | None = None
    playlist_id: str | None = None
    canonical_url: str | None = None
    start_seconds: int | None = None


_DURATION: Final = re.compile(r"(?:(\d{1,4})h)?(?:(\d{1,5})m)?(?:(\d{1,7})s?)?", re.IGNORECASE)
_YT_ID: Final = re.compile(r"[A-Za-z0-9_-]{11}")
_LIST_ID: Final = re.compile(r"[A-Za-z0-9_-]{2,64}")
_DM_ID: Final = re.compile(r"[A-Za-z0-9]{5,12}")
_GUID: Final = re.compile(
    r"/(?:Event|Player)/(?:Index|Live)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})",
    re.IGNORECASE,
)
_TWEET: Final = re.compile(r"^/([A-Za-z0-9_]{1,30})/status(?:es)?/(\d{5,25})")
_INSTA: Final = re.compile(r"^/(?:[A-Za-z0-9_.]+/)?(p|reels?|tv)/([A-Za-z0-9_-]{5,40})")
_TIKTOK: Final = re.compile(r"^/(?:@([^/]+)/video|embed(?:/v2)?|player/v1)/(\d{8,25})")
_WISTIA: Final = re.compile(r"/(?:embed/iframe|embed/medias|medias)/([A-Za-z0-9]{6,16})")
_VIDEOPRESS: Final = re.compile(r"^/(?:embed|v)/([A-Za-z0-9]{8})(?:[/?#.]|$)")
_VP_SHORT: Final = re.compile(r"^/([A-Za-z0-9]{8})(?:[/?#.]|$)")
_TED: Final = re.compile(r"^/talks/(?:lang/[^/]+/)?([A-Za-z0-9_]+?)(?:\.html)?/?$")
_FB_VIDEO: Final = re.compile(r"^/([^/]+)/videos/(?:[^/]+/)*?(\d{6,25})/?$")
_FILE_EXT: Final = re.compile(r"\.(?:mp4|m4v|webm|ogv|flv|mov|wmv)$", re.IGNORECASE)
_WP_TV: Final = re.compile(r"^/\d{4}/\d{2}/\d{2}/[^/]+")
_VIMEO_RESERVED: Final = frozenset((
    "album", "blog", "categories", "channels", "features", "groups", "help", "manage",
    "ondemand", "search", "showcase", "upgrade", "user", "watch",
))  # fmt: skip
# Hosts that only ever serve a video player: an iframe from one is a video of provider "other".
PLAYER_HOSTS: Final = (
    "players.brightcove.net", "player.twitch.tv", "clips.twitch.tv", "rumble.com",
    "bitchute.com", "streamable.com", "jwplayer.com", "jwplatform.com", "kaltura.com",
    "videodelivery.net", "cloudflarestream.com", "vidyard.com", "mediadelivery.net",
    "player.bilibili.com", "rutube.ru",
)  # fmt: skip
# Never video, even inside a wrapper some theme marked as video.
NOT_VIDEO_HOSTS: Final = ("spotify.com", "soundcloud.com", "codepen.io", "mixcloud.com")


def classify_url(url: str, base_url: str | None = None) -> VideoRef | None:
    """Name the video a URL points at, or None when it is not a known video URL.

    >>> ref = classify_url("https://player.vimeo.com/video/76979871?h=8272103f6e#t=1m2s")
    >>> ref.provider, ref.video_id, ref.canonical_url, ref.start_seconds
    ('vimeo', '76979871', 'https://vimeo.com/76979871', 62)
    >>> classify_url("https://www.youtube.com/@UKParliament") is None
    True
    """
    absolute = absolute_url(decode_entities(url), base_url)
    try:
        parts = urlsplit(absolute)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    for prefix in ("www.", "m.", "mobile.", "web."):
        host = host.removeprefix(prefix)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    fragment = {k: v[0] for k, v in parse_qs(parts.fragment).items()}
    for suffix, handler in _HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return handler(host, parts.path, query, fragment, absolute)
    if _FILE_EXT.search(parts.path):
        return file_ref(absolute)
    return None


def _youtube(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    segs = [s for s in path.split("/") if s]
    vid: str | None = None
    if host == "youtu.be":
        vid = segs[0][:11] if segs else None
    elif segs and segs[0] in ("embed", "v", "e", "shorts", "live") and len(segs) > 1:
        vid = None if segs[1] == "videoseries" else segs[1][:11]
    elif segs[:1] == ["watch"]:
        vid = q.get("v")
    elif segs not in (["playlist"], ["embed"], ["view_play_list"]):
        return None
    vid = vid if vid and _YT_ID.fullmatch(vid) else None
    lst = q.get("list") or q.get("p")
    if not lst or not _LIST_ID.fullmatch(lst) or q.get("listType", "playlist") != "playlist":
        lst = None
    if vid is None and lst is None:
        return None
    start = parse_seconds(q.get("start") or q.get("t") or q.get("time_continue") or frag.get("t"))
    canonical = (
        f"https://www.youtube.com/watch?v={vid}"
        if vid
        else f"https://www.youtube.com/playlist?list={lst}"
    )
    return VideoRef("youtube", vid, lst, canonical, start)


def _vimeo(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    segs = [s for s in path.split("/") if s]
    vid: str | None = None
    if host == "player.vimeo.com":
        vid = segs[1] if segs[:1] == ["video"] and len(segs) > 1 else None
    elif segs and segs[0].isdigit():
        vid = segs[0]
    elif len(segs) >= 2 and segs[-1].isdigit() and segs[0] in _VIMEO_RESERVED:
        vid = segs[-1]
    elif len(segs) == 2 and segs[0] not in _VIMEO_RESERVED:
        # A custom URL (vimeo.com/<user>/<slug>) names a video but carries no id.
        return VideoRef("vimeo", None, None, f"https://vimeo.com/{segs[0]}/{segs[1]}")
    if not vid or not vid.isdigit():
        return None
    return VideoRef("vimeo", vid, None, f"https://vimeo.com/{vid}", parse_seconds(frag.get("t")))


def _dailymotion(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    segs = [s for s in path.split("/") if s]
    vid = playlist = None
    if host == "geo.dailymotion.com":
        vid, playlist = q.get("video"), q.get("playlist")
    elif host == "dai.ly":
        vid = segs[0] if segs else None
    elif segs[:2] == ["embed", "video"] and len(segs) > 2:
        vid = segs[2]
    elif segs[:1] == ["video"] and len(segs) > 1:
        vid = segs[1].split("_")[0]
    elif segs[:2] == ["embed", "playlist"] and len(segs) > 2:
        playlist = segs[2]
    elif segs[:1] == ["playlist"] and len(segs) > 1:
        playlist = segs[1].split("_")[0]
    vid = vid if vid and _DM_ID.fullmatch(vid) else None
    playlist = playlist if playlist and _DM_ID.fullmatch(playlist) else None
    if vid:
        canonical = f"https://www.dailymotion.com/video/{vid}"
    elif playlist:
        canonical = f"https://www.dailymotion.com/playlist/{playlist}"
    else:
        return None
    return VideoRef("dailymotion", vid, playlist, canonical, parse_seconds(q.get("start")))


def _facebook(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if host == "fb.watch":
        code = path.strip("/")
        return VideoRef("facebook", None, None, f"https://fb.watch/{code}/") if code else None
    if path.startswith("/plugins/") and q.get("href"):
        inner = classify_url(q["href"])
        if inner is None or inner.provider != "facebook":
            return None
        return replace(inner, start_seconds=parse_seconds(q.get("t")) or inner.start_seconds)
    if m := _FB_VIDEO.match(path):
        page, vid = m.groups()
        return VideoRef("facebook", vid, None, f"https://www.facebook.com/{page}/videos/{vid}/")
    vid = q.get("v") if path.rstrip("/") in ("/watch", "/video.php", "/video/video.php") else None
    if vid is None and (m := re.match(r"^/reel/(\d{6,25})", path)):
        vid = m.group(1)
    if not vid or not vid.isdigit():
        return None
    return VideoRef("facebook", vid, None, f"https://www.facebook.com/watch/?v={vid}")


def _twitter(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if not (m := _TWEET.match(path)):
        return None
    user, status = m.groups()
    return VideoRef("twitter", status, None, f"https://twitter.com/{user}/status/{status}")


def _instagram(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if not (m := _INSTA.match(path)):
        return None
    form, code = m.groups()
    form = "reel" if form.startswith("reel") else form
    return VideoRef("instagram", code, None, f"https://www.instagram.com/{form}/{code}/")


def _tiktok(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if host in ("vm.tiktok.com", "vt.tiktok.com"):
        code = path.strip("/")
        return VideoRef("tiktok", None, None, f"https://{host}/{code}/") if code else None
    if not (m := _TIKTOK.match(path)):
        return None
    user, vid = m.groups()
    canonical = (
        f"https://www.tiktok.com/@{user}/video/{vid}"
        if user
        else f"https://www.tiktok.com/embed/v2/{vid}"
    )
    return VideoRef("tiktok", vid, None, canonical)


def _wistia(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if not (m := _WISTIA.search(path)):
        return None
    return wistia_ref(m.group(1))


def wistia_ref(media: str) -> VideoRef:
    return VideoRef("wistia", media, None, f"https://fast.wistia.com/medias/{media}")


def _videopress(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    bare_guid = host in ("v.wordpress.com", "videos.files.wordpress.com")
    if not (m := (_VP_SHORT if bare_guid else _VIDEOPRESS).match(path)):
        return None
    guid = m.group(1)
    start = parse_seconds(q.get("at") or q.get("t"))
    return VideoRef("videopress", guid, None, f"https://videopress.com/v/{guid}", start)


def _wordpress_tv(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if not (m := _WP_TV.match(path)):
        return None
    return VideoRef("wordpress-tv", None, None, f"https://wordpress.tv{m.group(0)}/")


def _ted(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    if not (m := _TED.match(path)):
        return None
    slug = m.group(1)
    return VideoRef("ted", slug, None, f"https://www.ted.com/talks/{slug}")


def _parliament(
    host: str, path: str, q: dict[str, str], frag: dict[str, str], url: str
) -> VideoRef | None:
    # Its ``in=`` is a wall-clock time in the sitting, not an offset: no start_seconds.
    if not (m := _GUID.match(path)):
        return None
    guid = m.group(1).lower()
    return VideoRef("parliamentlive", guid, None, f"https://parliamentlive.tv/Event/Index/{guid}")


def file_ref(url: str) -> VideoRef:
    """A self-hosted file, without MediaElement's cache-busting ``?_=N``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return VideoRef("file", None, None, url)
    kept = [(k, v) for k, vs in parse_qs(parts.query, keep_blank_values=True).items() for v in vs]
    query = urlencode([(k, v) for k, v in kept if k != "_"])
    return VideoRef("file", None, None, urlunsplit((*parts[:3], query, "")))


_HOSTS: Final = (
    ("youtube.com", _youtube),
    ("youtube-nocookie.com", _youtube),
    ("youtu.be", _youtube),
    ("vimeo.com", _vimeo),
    ("dailymotion.com", _dailymotion),
    ("dai.ly", _dailymotion),
    ("facebook.com", _facebook),
    ("fb.watch", _facebook),
    ("twitter.com", _twitter),
    ("x.com", _twitter),
    ("instagram.com", _instagram),
    ("tiktok.com", _tiktok),
    ("wistia.com", _wistia),
    ("wistia.net", _wistia),
    ("wi.st", _wistia),
    ("videopress.com", _videopress),
    ("video.wordpress.com", _videopress),
    ("v.wordpress.com", _videopress),
    ("videos.files.wordpress.com", _videopress),
    ("wordpress.tv", _wordpress_tv),
    ("ted.com", _ted),
    ("parliamentlive.tv", _parliament),
)


# --- URL helpers ----------------------------------------------------------------------------------


def decode_entities(value: str) -> str:
    """Undo the entity escaping WordPress may apply twice (``&amp;#038;`` → ``&``)."""
    value = value.strip()
    for _ in range(3):
        if "&" not in value:
            break
        decoded = replace_entities(value)
        if decoded == value:
            break
        value = decoded
    return value


def absolute_url(url: str, base: str | None) -> str:
    url = url.strip()
    try:
        if url.startswith("//"):
            return urljoin(base, url) if base else "https:" + url
        if base and "://" not in url[:12] and not url.startswith("data:"):
            return urljoin(base, url)
    except ValueError:  # a malformed host ("//[::1") stays as found
        pass
    return url


def parse_seconds(value: str | None) -> int | None:
    """``254``, ``"4m14s"``, ``"1h2m3s"`` → seconds; 0 and nonsense → None.

    >>> parse_seconds("4m14s"), parse_seconds("75"), parse_seconds("0"), parse_seconds("soon")
    (254, 75, None, None)
    """
    if not value or not (m := _DURATION.fullmatch(value.strip())) or not any(m.groups()):
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in m.groups())
    return hours * 3600 + minutes * 60 + seconds or None
