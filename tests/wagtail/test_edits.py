"""Every second edit on the small real Wagtail site archived (issue 23, done when).

Wagtail's sitemap gives a bare day as ``lastmod`` (``wagtail.contrib.sitemaps``). A second
edit published the same day leaves it as it was after the first: the page is looked at
again all the same (conditionally: the site sends an ETag), and both versions are
archived. Edits are published through Wagtail's API on a site of the test's own
(``writable_wagtail``); each night is ``scrapy crawl wp``, in process.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from mpcrawl.extract.text import html_to_text
from tests.crawl import read, scalar
from tests.inprocess import Run, crawl
from tests.test_changes import digest_json
from tests.wagtail.wagtailserver import Wagtail

pytestmark = pytest.mark.slow

FIRST = "Update: the council has agreed to repave the high street."
SECOND = "Correction: the work starts in March, not in May."


def night(archive: Path, site: Wagtail) -> Run:
    run = crawl(archive, f"site={site.url}")
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def versions(archive: Path, url: str) -> list[str]:
    rows = (
        read(archive)
        .sql(
            "SELECT content_text FROM web_pages_files WHERE url = ? ORDER BY fetched_at",
            params=[url],
        )
        .fetchall()
    )
    return [r[0] for r in rows]


def told(archive: Path) -> list[tuple[str, str | None, str]]:
    """What ``scrapy changes`` tells of the last night: kind, link, added lines of text."""
    return [
        (c["kind"], c.get("link"), " ".join(d for d in c.get("diff", []) if d.startswith("+")))
        for c in digest_json(archive)
    ]


def test_a_second_edit_the_same_day_is_archived(writable_wagtail: Wagtail, tmp_path: Path) -> None:
    site, archive = writable_wagtail, tmp_path / "archive"
    post = next(p for p in site.manifest["pages"] if p["path"] == "/news/visit-3/")
    url = site.url + post["path"]
    night(archive, site)
    rows = scalar(read(archive), "SELECT count(*) FROM web_pages_files")
    assert rows == 20 and versions(archive, url) == [html_to_text(post["body"])]

    first = site.publish("visit-3", FIRST)
    night(archive, site)
    second = site.publish("visit-3", SECOND)  # the same day: the sitemap's lastmod stays
    night(archive, site)
    got = versions(archive, url)
    assert len(got) == 3 and got[1].startswith(FIRST) and got[2].startswith(SECOND)
    for text, body in zip(got[1:], (first["body"], second["body"]), strict=True):
        assert difflib.SequenceMatcher(None, html_to_text(body), text).ratio() >= 0.99
    assert scalar(read(archive), "SELECT count(*) FROM web_pages_files") == rows + 2
    [(kind, link, added)] = told(archive)
    assert (kind, link) == ("edited", url) and SECOND in added and FIRST not in added

    # the same day again, nothing changed: asked conditionally, answered 304, nothing written
    quiet = night(archive, site)
    assert quiet.stats.get("downloader/response_status_count/304", 0) >= 1
    assert scalar(read(archive), "SELECT count(*) FROM web_pages_files") == rows + 2
    assert told(archive) == []
