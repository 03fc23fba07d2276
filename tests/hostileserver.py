"""A misbehaving WordPress-shaped site on 127.0.0.x, for the hostile-site tests.

It answers what the ``wp`` spider asks (home page with the API ``Link`` header, robots.txt,
``/wp-json/``, ``/wp/v2/types``, collections with ``page``/``per_page``/``include``/
``_fields``, single posts, revisions behind Basic auth) the way a real WordPress does,
and each :class:`Hostile` knob makes it misbehave the way real sites do: lying totals,
pages that repeat, a ``per_page`` cap without totals, 429 to everything, a page nested
100,000 levels deep, a robots.txt that redirects elsewhere, a hostile ``rest_base``.
With ``rest=False`` its API is closed (no ``Link`` header, ``/wp-json/`` 404) and the
fallback path reads it from ``web``: pages, sitemaps and feeds as served, byte for byte
(:func:`closed_site` builds one with 30 post pages listed by a sitemap index).
Every request is logged with its path and ``Authorization`` header; paths are
normalised the way Apache and nginx do (``/a/../b`` is ``/b``) before routing.
"""

from __future__ import annotations

import base64
import json
import posixpath
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

END_OF_PAGES = {
    "code": "rest_post_invalid_page_number",
    "message": "The page number requested is larger than the number of pages available.",
    "data": {"status": 400},
}


def post(pid: int, *, year: int = 2024, revisions: int = 0, **changes: Any) -> dict[str, Any]:
    """An ordinary published post, dated in ``year``, as WordPress serves it."""
    when = datetime(year, 1, 1, tzinfo=UTC) + timedelta(hours=pid)
    stamp = when.replace(tzinfo=None).isoformat(timespec="seconds")
    obj: dict[str, Any] = {
        "id": pid,
        "date": stamp,
        "date_gmt": stamp,
        "modified": stamp,
        "modified_gmt": stamp,
        "slug": f"post-{pid}",
        "status": "publish",
        "type": "post",
        "link": f"http://example.invalid/?p={pid}",
        "title": {"rendered": f"Post {pid}"},
        "content": {"rendered": f"<p>Words of post {pid}.</p>", "protected": False},
        "excerpt": {"rendered": f"<p>Post {pid}</p>", "protected": False},
        "author": 1,
        "featured_media": 0,
        "categories": [1],
        "tags": [],
        "_links": {"version-history": [{"count": revisions}]},
    }
    obj.update(changes)
    return obj


def revision(parent: int, rid: int) -> dict[str, Any]:
    return {
        "id": rid,
        "parent": parent,
        "author": 1,
        "date_gmt": "2024-01-01T00:00:00",
        "modified_gmt": "2024-01-01T00:00:00",
        "title": {"rendered": f"Revision {rid}"},
        "content": {"rendered": f"<p>Revision {rid}</p>"},
    }


@dataclass
class Hostile:
    """How the site misbehaves; the defaults are an honest WordPress."""

    posts: list[dict[str, Any]] = field(default_factory=lambda: [post(i) for i in range(1, 31)])
    per_page_cap: int = 100  # the most a page holds, whatever per_page asks
    totals: bool = True  # send X-WP-Total and X-WP-TotalPages
    total_pages: int | None = None  # X-WP-TotalPages sent instead of the true count
    repeat_first_page: bool = False  # every page answers what page 1 holds
    deep_page: int | None = None  # this page of posts is nested 100,000 levels deep
    too_many: bool = False  # 429 with Retry-After to every request
    retry_after: str = "1"
    robots: str = "User-agent: *\nAllow: /\n"
    robots_location: str | None = None  # robots.txt answers a 302 to here
    redirects: dict[str, str] = field(default_factory=dict)  # path -> 302 Location
    types: dict[str, Any] | None = None  # /wp/v2/types; default: post and page
    collections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # path -> objects
    revisions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    revisions_total_pages: int | None = None  # X-WP-TotalPages sent on revisions routes
    auth: tuple[str, str] | None = None  # login, password the revisions route accepts
    hidden: set[int] = field(default_factory=set)  # post ids no longer listed (single: 401)
    delay: float = 0.0  # seconds before each answer (a slow host)
    rest: bool = True  # False: the API is closed, the home page announces none
    web: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # path?query -> answer


@dataclass(frozen=True)
class Logged:
    path: str  # normalised path and query
    raw: str  # the request target as sent
    authorization: str | None
    at: float  # time.monotonic() on arrival


class HostileSite:
    """``with HostileSite(Hostile(...)) as site: site.url``; ``site.log`` holds requests."""

    def __init__(self, hostile: Hostile | None = None, host: str = "127.0.0.1") -> None:
        self.hostile = hostile or Hostile()
        self.log: list[Logged] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site._handle(self)

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def __enter__(self) -> HostileSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, contains: str = "") -> list[Logged]:
        with self._lock:
            return [entry for entry in self.log if contains in entry.path]

    # --- answering ------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = posixpath.normpath(unquote(parts.path)) if parts.path else "/"
        path = path if path != "." else "/"
        full = f"{path}?{parts.query}" if parts.query else path
        with self._lock:
            self.log.append(
                Logged(full, handler.path, handler.headers.get("Authorization"), time.monotonic())
            )
        h = self.hostile
        if h.delay:
            time.sleep(h.delay)
        if h.too_many:
            self._send(handler, 429, b"{}", {"Retry-After": h.retry_after})
        elif path == "/robots.txt" and h.robots_location:
            self._send(handler, 302, b"", {"Location": h.robots_location})
        elif path in h.redirects:
            self._send(handler, 302, b"", {"Location": h.redirects[path]})
        elif path == "/robots.txt":
            self._send(handler, 200, h.robots.encode(), {"Content-Type": "text/plain"})
        elif (served := unquote(handler.path.split("#")[0])) in h.web:
            status, body = h.web[served]
            self._send(handler, status, body, {"Content-Type": _content_type(body)})
        elif not h.rest and (path == "/" or path.startswith("/wp-json")):
            self._send(handler, 200 if path == "/" else 404, HOME, {"Content-Type": "text/html"})
        elif path == "/":
            link = f'<{self.url}/wp-json/>; rel="https://api.w.org/"'
            body = b"<html><head><title>An MP</title></head><body>wp-content</body></html>"
            self._send(handler, 200, body, {"Content-Type": "text/html", "Link": link})
        elif path == "/wp-json":
            self._json(handler, {"namespaces": ["wp/v2"], "routes": {"/wp/v2": {}}})
        else:
            self._route(handler, path, dict(parse_qsl(parts.query, keep_blank_values=True)))

    def _route(self, handler: BaseHTTPRequestHandler, path: str, query: dict[str, str]) -> None:
        h = self.hostile
        segments = path.removeprefix("/wp-json/wp/v2/").split("/")
        if path in h.collections:
            self._collection(handler, h.collections[path], query, path)
        elif path == "/wp-json/wp/v2/types":
            default = {
                "post": {"slug": "post", "rest_base": "posts"},
                "page": {"slug": "page", "rest_base": "pages"},
            }
            self._json(handler, h.types if h.types is not None else default)
        elif path == "/wp-json/wp/v2/posts":
            listed = [p for p in h.posts if p.get("id") not in h.hidden]
            self._collection(handler, listed, query, path)
        elif path.startswith("/wp-json/wp/v2/") and len(segments) == 1:
            self._collection(handler, [], query, path)
        elif len(segments) == 3 and segments[2] == "revisions":
            self._revisions(handler, int(segments[1]), query)
        elif len(segments) == 2 and segments[0] == "posts" and segments[1].isdigit():
            self._single(handler, int(segments[1]))
        else:
            self._json(handler, {"code": "rest_no_route", "data": {"status": 404}}, 404)

    def _collection(
        self,
        handler: BaseHTTPRequestHandler,
        objects: list[dict[str, Any]],
        query: dict[str, str],
        path: str,
    ) -> None:
        h = self.hostile
        if "include" in query:
            wanted = {int(i) for i in query["include"].split(",") if i.isdigit()}
            objects = [o for o in objects if o.get("id") in wanted]
        size = min(int(query.get("per_page", "10")), h.per_page_cap)
        page = int(query.get("page", "1"))
        pages = max(1, -(-len(objects) // size))
        headers: dict[str, str] = {}
        if h.totals:
            headers["X-WP-Total"] = str(len(objects))
            headers["X-WP-TotalPages"] = str(pages)
        if h.total_pages is not None and path == "/wp-json/wp/v2/posts":
            headers["X-WP-TotalPages"] = str(h.total_pages)
        if h.repeat_first_page:
            page = 1
        if page > pages:
            self._json(handler, END_OF_PAGES, 400, headers)
            return
        if h.deep_page == page and path == "/wp-json/wp/v2/posts" and "include" not in query:
            self._send(handler, 200, b"[" * 100_000 + b"]" * 100_000, headers)
            return
        chosen = objects[(page - 1) * size : page * size]
        fields = [f for f in query.get("_fields", "").split(",") if f]
        if fields:
            chosen = [{k: o[k] for k in fields if k in o} for o in chosen]
        self._json(handler, chosen, 200, headers)

    def _single(self, handler: BaseHTTPRequestHandler, pid: int) -> None:
        h = self.hostile
        found = [p for p in h.posts if p.get("id") == pid]
        if pid in h.hidden:
            self._json(handler, {"code": "rest_forbidden", "data": {"status": 401}}, 401)
        elif found:
            self._json(handler, found[0])
        else:
            self._json(handler, {"code": "rest_post_invalid_id", "data": {"status": 404}}, 404)

    def _revisions(self, handler: BaseHTTPRequestHandler, pid: int, query: dict[str, str]) -> None:
        h = self.hostile
        sent = handler.headers.get("Authorization") or ""
        if (
            h.auth is None
            or sent != "Basic " + base64.b64encode(":".join(h.auth).encode()).decode()
        ):
            body = {"code": "rest_cannot_read", "data": {"status": 401}}
            self._json(handler, body, 401)
            return
        objects = h.revisions.get(pid, [])
        page, size = int(query.get("page", "1")), int(query.get("per_page", "10"))
        pages = max(1, -(-len(objects) // size))
        headers = {"X-WP-Total": str(len(objects)), "X-WP-TotalPages": str(pages)}
        if h.revisions_total_pages is not None:
            headers["X-WP-TotalPages"] = str(h.revisions_total_pages)
        if page > pages:
            self._json(handler, END_OF_PAGES, 400, headers)
            return
        self._json(handler, objects[(page - 1) * size : page * size], 200, headers)

    def _json(
        self,
        handler: BaseHTTPRequestHandler,
        data: Any,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._send(handler, status, json.dumps(data).encode(), headers or {})

    def _send(
        self, handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]
    ) -> None:
        handler.send_response(status)
        headers = {"Content-Type": "application/json; charset=UTF-8", **headers}
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


# --- the closed site the fallback path reads ------------------------------------------

HOME = (
    b'<!doctype html><html lang="en-GB"><head><title>An MP</title>'
    b'<meta name="generator" content="WordPress 6.5">'
    b'<link rel="alternate" type="application/rss+xml" href="/feed/"></head>'
    b'<body class="home blog"><a href="/post-1/">Post 1</a></body></html>'
)
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _content_type(body: bytes) -> str:
    head = body[:200].lstrip()
    if head.startswith((b"<?xml", b"<urlset", b"<sitemapindex", b"<rss", b"<feed")):
        return "application/xml; charset=UTF-8"
    return "text/html; charset=UTF-8"


def wp_page(
    pid: int, *, shortlink: str | None = None, body_id: str = "", head: str = "", article: str = ""
) -> bytes:
    """A WordPress post's page as a classic theme serves it. ``shortlink`` and ``body_id``
    replace the id it prints (``shortlink=""``: none), ``head`` its published time,
    ``article`` goes before the post's content."""
    when = (datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=pid)).isoformat()
    head = head or f'<meta property="article:published_time" content="{when}">'
    short = shortlink if shortlink is not None else str(pid)
    if short:
        head += f'<link rel="shortlink" href="/?p={short}">'
    return (
        f'<!doctype html><html lang="en-GB"><head><title>Post {pid} – An MP</title>{head}'
        f'</head><body class="single single-post postid-{body_id or pid}">'
        f"<article><h1>Post {pid}</h1>{article}"
        f'<div class="entry-content"><p>Words of post {pid}.</p></div></article></body></html>'
    ).encode()


def urlset(*entries: tuple[str, str | None]) -> bytes:
    """A sitemap of (loc, lastmod) entries."""
    rows = "".join(
        f"<url><loc>{loc}</loc>" + (f"<lastmod>{m}</lastmod>" if m else "") + "</url>"
        for loc, m in entries
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {SITEMAP_NS}>{rows}</urlset>'.encode()


def sitemap_index(*locs: str) -> bytes:
    rows = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?>\n<sitemapindex {SITEMAP_NS}>{rows}</sitemapindex>'.encode()


def atom(*entries: tuple[str, str]) -> bytes:
    """An Atom feed of (link, updated) entries."""
    rows = "".join(
        f"<entry><title>{link}</title><link href='{link}'/><id>{link}</id>"
        f"<updated>{when}</updated><published>{when}</published></entry>"
        for link, when in entries
    )
    return (
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>An MP</title>"
        f"<id>x</id><updated>2024-06-01T00:00:00Z</updated>{rows}</feed>"
    ).encode()


def closed_site(url: str, pages: int = 30, per_sitemap: int = 15) -> dict[str, tuple[int, bytes]]:
    """A closed WordPress site's ``web``: ``pages`` post pages at ``/post-N/``, listed by
    ``/wp-sitemap.xml``, an index of sitemaps of ``per_sitemap`` URLs each, with lastmod."""
    web: dict[str, tuple[int, bytes]] = {}
    children = []
    for first in range(1, pages + 1, per_sitemap):
        name = f"/wp-sitemap-posts-post-{len(children) + 1}.xml"
        ids = range(first, min(first + per_sitemap, pages + 1))
        when = "2024-06-01T10:00:00+00:00"
        web[name] = (200, urlset(*((f"{url}/post-{i}/", when) for i in ids)))
        children.append(url + name)
    web["/wp-sitemap.xml"] = (200, sitemap_index(*children))
    for i in range(1, pages + 1):
        web[f"/post-{i}/"] = (200, wp_page(i))
    return web
