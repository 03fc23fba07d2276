"""A WordPress-shaped site whose posts change between nights, for the history tests.

Its posts are served as pages (``/post-N/``, classic-theme HTML with the ``postid-N`` body
class and the ``?p=N`` shortlink) and listed in ``/wp-sitemap.xml`` with ``lastmod``. Its
REST API is closed (``/wp-json/`` answers 404: the fallback path reads the site) unless
``rest_open``, when :class:`~tests.hostileserver.HostileSite` answers it with the same
posts. Each post can be edited, hidden (403), sent to the login page (302 to
``wp-login.php``), deleted (404) and restored; the sitemap can give way to a feed of
the newest posts (``feed_only``); the whole domain can be parked (a "for sale" page,
every old URL 404).
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Literal
from urllib.parse import quote, urlsplit

from tests.hostileserver import Hostile, HostileSite, Logged, post

State = Literal["live", "hidden", "login", "deleted"]


@dataclass
class Post:
    pid: int
    title: str
    text: str
    modified: datetime
    state: State = "live"
    listed: bool = True  # in the sitemap


PARKED = b"""<!DOCTYPE html><html><head><title>example.org is for sale</title></head>
<body><h1>This domain is for sale</h1><p>Make an offer today.</p>
<a href="/buy">Buy this domain</a> <a href="/contact">Contact the owner</a>
<a href="/privacy">Privacy</a></body></html>"""


class HistorySite(HostileSite):
    """``with HistorySite(6) as site``: posts 1..n, all live and listed."""

    def __init__(self, posts: int = 6) -> None:
        start = datetime(2024, 1, 1, tzinfo=UTC)
        self.posts = {
            pid: Post(pid, f"Post {pid}", f"Words of post {pid}.", start + timedelta(hours=pid))
            for pid in range(1, posts + 1)
        }
        self.rest_open = False
        self.parked = False
        self.feed_only = False  # no sitemap: /feed/ lists the newest 3 live posts
        super().__init__(Hostile(posts=[]))

    # --- changes between nights ------------------------------------------------------

    def edit(self, pid: int, text: str) -> None:
        """A new text, and a newer ``lastmod`` (a revert is an edit too)."""
        found = self.posts[pid]
        found.text = text
        found.modified += timedelta(days=1)

    def set(self, pid: int, state: State, *, listed: bool | None = None) -> None:
        found = self.posts[pid]
        found.state = state
        found.modified += timedelta(days=1)  # WordPress: a change of status is a change
        found.listed = state == "live" if listed is None else listed

    # --- answering -------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        if self.rest_open and not self.parked and path in ("/", "/robots.txt", "/wp-json/"):
            self.hostile.posts = [self._rest_post(p) for p in self.posts.values()]
            self.hostile.hidden = {p.pid for p in self.posts.values() if p.state != "live"}
            self.hostile.robots = self._robots()
        if self.rest_open and not self.parked and (path.startswith("/wp-json") or path == "/"):
            super()._handle(handler)
            return
        with self._lock:
            self.log.append(Logged(path, handler.path, None, time.monotonic()))
        if self.parked:  # another site: no robots.txt of the old one, no sitemap
            known = path in ("/", "/buy", "/contact", "/privacy")
            self._html(handler, 200 if known else 404, PARKED.decode())
        elif path == "/robots.txt":
            self._html(handler, 200, self._robots(), "text/plain")
        elif path.startswith("/wp-json"):
            self._send(handler, 404, b'{"code":"rest_no_route"}', {})
        elif path == "/feed/" and self.feed_only:
            self._html(handler, 200, self._feed(), "application/rss+xml")
        elif path == "/wp-sitemap.xml" and not self.feed_only:
            self._html(handler, 200, self._sitemap(), "application/xml")
        elif path == "/wp-login.php":
            self._html(handler, 200, self._page("Log In", "<form>Username</form>", "login"))
        elif path == "/":
            links = "".join(f'<a href="{self.url}/post-{p}/">Post {p}</a>' for p in self.posts)
            self._html(handler, 200, self._page("An MP", links, "home blog"))
        else:
            self._post(handler, path)

    def _post(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        pid = path.strip("/").removeprefix("post-")
        found = self.posts.get(int(pid)) if pid.isdigit() else None
        if found is None or found.state == "deleted":
            self._html(handler, 404, self._page("Page not found", "", "error404"))
        elif found.state == "hidden":
            self._html(handler, 403, self._page("Forbidden", "", "error403"))
        elif found.state == "login":
            login = f"{self.url}/wp-login.php?redirect_to={quote(self.url + path, safe='')}"
            self._send(handler, 302, b"", {"Location": login})
        else:
            body = (
                f'<article id="post-{found.pid}"><h1 class="entry-title">'
                f'{html.escape(found.title)}</h1><div class="entry-content"><p>'
                f"{html.escape(found.text)}</p></div></article>"
            )
            classes = f"post-template-default single single-post postid-{found.pid}"
            self._html(handler, 200, self._page(found.title, body, classes, found.pid))

    def _page(self, title: str, main: str, classes: str, pid: int | None = None) -> str:
        short = f"<link rel='shortlink' href='{self.url}/?p={pid}' />" if pid else ""
        return (
            f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="UTF-8" />'
            f"<title>{html.escape(title)} &#8211; An MP</title>"
            f'<meta name="generator" content="WordPress 6.4.2" />{short}</head>'
            f'<body class="{classes}"><main id="main">{main}</main>'
            "<footer><p>Promoted by An MP.</p></footer></body></html>"
        )

    def _sitemap(self) -> str:
        rows = "".join(
            f"<url><loc>{self.url}/post-{p.pid}/</loc>"
            f"<lastmod>{p.modified.isoformat(timespec='seconds')}</lastmod></url>"
            for p in self.posts.values()
            if p.listed
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
        )

    def _feed(self) -> str:
        live = [p for p in self.posts.values() if p.state == "live"][-3:]
        items = "".join(
            f"<item><title>{p.title}</title><link>{self.url}/post-{p.pid}/</link>"
            f"<pubDate>{p.modified.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
            for p in reversed(live)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>An MP</title><link>{self.url}/</link>{items}</channel></rss>"
        )

    def _robots(self) -> str:
        sitemap = "" if self.feed_only else f"Sitemap: {self.url}/wp-sitemap.xml\n"
        return f"User-agent: *\nAllow: /\n{sitemap}"

    def _rest_post(self, found: Post) -> dict[str, object]:
        stamp = found.modified.replace(tzinfo=None).isoformat(timespec="seconds")
        return post(
            found.pid,
            link=f"{self.url}/post-{found.pid}/",
            modified=stamp,
            modified_gmt=stamp,
            title={"rendered": found.title},
            content={"rendered": f"<p>{html.escape(found.text)}</p>", "protected": False},
        )

    def _html(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: str,
        kind: str = "text/html",
    ) -> None:
        self._send(handler, status, body.encode(), {"Content-Type": f"{kind}; charset=UTF-8"})
