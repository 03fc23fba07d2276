"""History on the real Drupal 7, night by night, in both variants (issue 23, done when):
edit -> one new version, unpublish -> one ``hidden`` tombstone, delete -> one ``deleted``
tombstone, no change -> no new row; ``scrapy changes`` tells the same.

Each test changes a small seeded site of its own (``writable_drupal``: 35 published
articles; ``MPCRAWL_DRUPAL_NODES=305`` for the 300 of issue 23) through Drupal's
own API (``node_save``, ``node_delete``; with xmlsitemap, the module's cron and
regeneration after), and crawls it as ``scrapy crawl wp`` would, in process. The core
variant has no sitemap: it is listed by the crawl of its listings, where an edit shows in
the article's teaser and an unpublished or deleted article leaves them.
"""

from __future__ import annotations

import difflib
import urllib.request
from typing import Any

import pytest

from mpcrawl.extract.text import html_to_text
from tests.crawl import read, scalar
from tests.drupal.drupalserver import Site
from tests.inprocess import Run, crawl
from tests.test_changes import digest_json

pytestmark = pytest.mark.slow

EDIT = "Update: the council has agreed to meet residents in Maldon next week."


def listing(site: Site) -> str:
    """The front page's listing, every page of its pager (10 teasers a page)."""
    pages = []
    for n in range(-(-len(site.published()) // 10)):
        with urllib.request.urlopen(f"{site.url}/node?page={n}") as response:
            pages.append(response.read().decode())
    return "".join(pages)


def night(archive: Any, site: Site) -> Run:
    run = crawl(archive, f"site={site.url}")
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def written(archive: Any) -> tuple[int, int]:
    """Rows in the archive's page versions and page tombstones, as written."""
    con = read(archive)
    pages = scalar(con, "SELECT count(*) FROM web_pages_files")
    stones = scalar(con, "SELECT count(*) FROM web_tombstones_files")
    return int(pages), int(stones)  # type: ignore[call-overload]


def last_run(archive: Any) -> tuple[Any, ...]:
    row: tuple[Any, ...] = (
        read(archive)
        .sql(
            "SELECT outcome, source, listing_complete, posts_new, tombstones_new FROM runs"
            " ORDER BY started_at DESC LIMIT 1"
        )
        .fetchall()[0]
    )
    return row


def publications(archive: Any) -> dict[int, str]:
    rows = read(archive).sql("SELECT id, content_text FROM publications").fetchall()
    assert len(rows) == len({r[0] for r in rows}), rows  # each node once
    return dict(rows)


def told(archive: Any) -> list[tuple[str, int | None]]:
    """What ``scrapy changes`` tells of the last night: kind and node id."""
    return sorted((c["kind"], c.get("post_id")) for c in digest_json(archive))


def test_edit_unpublish_and_delete_on_real_drupal(writable_drupal: Site, tmp_path: Any) -> None:
    site, archive = writable_drupal, tmp_path / "archive"
    source = "sitemap" if site.variant == "xmlsitemap" else "crawl"
    nodes = {n["nid"]: n for n in site.published()}
    published = len(nodes)  # 35; 300 with MPCRAWL_DRUPAL_NODES=305

    # night 1: every published article, once
    night(archive, site)
    assert set(publications(archive)) == set(nodes)
    assert last_run(archive) == ("not_wordpress", source, True, published, 0)
    first = written(archive)
    assert first == (published, 0)

    # night 2, nothing changed: nothing written, nothing told
    night(archive, site)
    assert written(archive) == first
    assert last_run(archive)[3:] == (0, 0)
    assert told(archive) == []

    # an editor's day: one article edited, one unpublished (403 to visitors), one deleted
    edited, hidden, deleted = sorted(nodes)[3], sorted(nodes)[12], sorted(nodes)[21]
    body = site.change("edit", edited, EDIT)["body"]
    site.change("unpublish", hidden)
    site.change("delete", deleted)
    # what the crawl of listings sees: the edit in the teaser, the other two gone from it
    shown = listing(site)
    assert EDIT in shown
    linked = [f'href="/{nodes[n]["alias"]}"' in shown for n in (edited, hidden, deleted)]
    assert linked == [True, False, False]

    # night 3: one new version (the new body), one `hidden`, one `deleted`, nothing else
    night(archive, site)
    assert written(archive) == (first[0] + 1, 2)
    assert last_run(archive) == ("not_wordpress", source, True, 1, 2)
    con = read(archive)
    [(nid, text)] = con.sql(
        "SELECT id, content_text FROM web_pages_files WHERE run_id = ?",
        params=[read(archive).sql("SELECT max(run_id) FROM runs").fetchall()[0][0]],
    ).fetchall()
    assert nid == edited and text.startswith(EDIT)
    ratio = difflib.SequenceMatcher(None, html_to_text(body), text, autojunk=False).ratio()
    assert ratio >= 0.99, (ratio, text)
    stones = con.sql("SELECT id, reason, status FROM web_tombstones ORDER BY id").fetchall()
    assert stones == [(hidden, "hidden", 403), (deleted, "deleted", 404)]
    now = publications(archive)
    assert set(now) == set(nodes) - {hidden, deleted} and now[edited] == text
    assert told(archive) == [("deleted", deleted), ("edited", edited), ("hidden", hidden)]

    # night 4, nothing changed: the tombstones stand, nothing is written again
    night(archive, site)
    assert written(archive) == (first[0] + 1, 2)
    assert last_run(archive)[3:] == (0, 0)
    assert told(archive) == []
