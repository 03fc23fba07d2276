"""A small non-WordPress site for politeness tests: robots.txt, a sitemap, N article pages,
and a log of every request with the time the server received it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True, slots=True)
class Hit:
    """One request as the server saw it: monotonic seconds and path."""

    at: float
    path: str
    headers: dict[str, str]


def article(n: int, edit: int = 0) -> bytes:
    return (
        f'<!doctype html><html lang="en-GB"><head><title>Article {n}</title>'
        f'<meta property="article:published_time" content="2026-0{1 + n % 9}-1{n % 9}T10:00:00Z">'
        f"</head><body><main><article><h1>Article {n}</h1>"
        f"<p>Body of article {n}, edit {edit}. " + "Words of the article. " * 20 + "</p>"
        "</article></main></body></html>"
    ).encode()


class PoliteSite:
    """``/robots.txt`` (``robots`` text plus a ``Sitemap:`` line), ``/sitemap.xml`` listing
    ``pages`` articles (with ``lastmod`` if given), ``/`` and ``/news/N`` (with an ``ETag``
    that changes with each edit, ``304`` to ``If-None-Match``); 404 elsewhere."""

    def __init__(
        self,
        pages: int,
        robots: str = "User-agent: *\n",
        lastmod: str = "",
        sitemap: bool = True,
        padding: int = 0,
    ) -> None:
        self.pages, self.robots, self.lastmod, self.sitemap = pages, robots, lastmod, sitemap
        self.padding = padding  # bytes of script around each article, as a theme adds
        self.edits: dict[int, int] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> PoliteSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def hits(self, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if path is None or h.path == path]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.log.append(Hit(time.monotonic(), handler.path, dict(handler.headers.items())))
        status, body, kind = self._route(handler.path)
        etag = None
        if handler.path.startswith("/news/") and status == 200:
            etag = f'"{handler.path[6:]}-{self.edits.get(int(handler.path[6:]), 0)}"'
            if handler.headers.get("If-None-Match") == etag:
                status, body = 304, b""
        handler.send_response(status)
        if etag:
            handler.send_header("ETag", etag)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _route(self, path: str) -> tuple[int, bytes, str]:
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            line = f"Sitemap: {self.url}/sitemap.xml\n" if self.sitemap else ""
            return 200, f"{self.robots}\n{line}".encode(), "text/plain"
        if path == "/sitemap.xml" and self.sitemap:
            lastmod = f"<lastmod>{self.lastmod}</lastmod>" if self.lastmod else ""
            urls = "".join(
                f"<url><loc>{self.url}/news/{n}</loc>{lastmod}</url>" for n in range(self.pages)
            )
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            )
            return 200, xml.encode(), "application/xml"
        if path == "/":
            links = "".join(f'<a href="/news/{n}">{n}</a>' for n in range(min(self.pages, 50)))
            return (
                200,
                f"<!doctype html><html><body><h1>Home</h1>{links}</body></html>".encode(),
                html,
            )
        if path.startswith("/news/") and path[6:].isdigit() and int(path[6:]) < self.pages:
            n = int(path[6:])
            pad = f"<script>/*{'x' * self.padding}*/</script>".encode() if self.padding else b""
            return 200, article(n, self.edits.get(n, 0)).replace(b"</body>", pad + b"</body>"), html
        return 404, b"not found", "text/plain"
