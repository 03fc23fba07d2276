"""A sitemap that lists some sections only: the others are crawled, on a real server.

The site serves the Drupal 7.105 pages captured in ``tests/web/pages/`` (the front page,
the second page of its pager, a tag listing, articles) over HTTP on 127.0.0.1, with the
sitemap Drupal's xmlsitemap writes when it is set to list basic pages only: the about
page. The articles under ``/news/`` are linked from the front page and its pager only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mpcrawl.web.page import page_links
from tests.crawl import read
from tests.inprocess import crawl

PAGES = Path(__file__).parent / "web" / "pages"
CAPTURED_AT = b"http://127.0.0.1:59043"


class SectionsSite:
    """The captured Drupal site; ``/sitemap.xml`` lists ``/about`` only."""

    def __init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, kind = site.route(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.listings = {
            "/": "drupal7-front.html",
            "/node?page=1": "drupal7-node-listing-page-2.html",
            "/taxonomy/term/1": "drupal7-taxonomy-term.html",
        }
        self.linked = {  # listing -> the articles it links
            listing: {
                path
                for url in page_links((PAGES / name).read_text(), "http://x")
                if (path := url.removeprefix("http://x")).startswith("/news/")
            }
            for listing, name in self.listings.items()
        }
        self.articles = set().union(*self.linked.values())

    def route(self, path: str) -> tuple[int, bytes, str]:
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, f"User-agent: *\nSitemap: {self.url}/sitemap.xml\n".encode(), "text/plain"
        if path == "/sitemap.xml":
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{self.url}/about</loc></url></urlset>"
            )
            return 200, xml.encode(), "application/xml"
        name = self.listings.get(path)
        if path == "/about":
            name = "drupal7-node-exchange.html"
        elif path in self.articles:
            name = "drupal7-node-video.html"
        if name is None:
            return 404, b"<html><body>Page not found</body></html>", html
        body = (PAGES / name).read_bytes().replace(CAPTURED_AT, self.url.encode())
        return 200, body, html


@pytest.fixture(scope="module")
def sections_site() -> Iterator[SectionsSite]:
    site = SectionsSite()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def test_the_sections_a_sitemap_leaves_out_are_crawled_and_archived(
    sections_site: SectionsSite, tmp_path: Path
) -> None:
    site = sections_site
    result = crawl(tmp_path, f"site={site.url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "the sitemap lists nothing under /news/; crawling those sections" in result.stderr
    con = read(tmp_path)
    rows = con.sql("SELECT url, source FROM web_pages").fetchall()
    found = {url.removeprefix(site.url): source for url, source in rows}
    # the front page's articles and its pager's; a tag listing is no section to crawl
    assert found.pop("/about") == "sitemap"
    assert found == dict.fromkeys(site.linked["/"] | site.linked["/node?page=1"], "crawl")
    assert len(found) == 20
    outcome, reason, source, complete, listed = con.sql(
        "SELECT outcome, reason, source, listing_complete, pages_listed FROM runs"
    ).fetchall()[0]
    assert (outcome, source, complete) == ("not_wordpress", "sitemap+crawl", True)
    assert listed == len(found) + 1
    assert "'mpcrawl/fallback/source/sitemap+crawl': 1" in result.stderr
    assert reason is None or "incomplete" not in reason
