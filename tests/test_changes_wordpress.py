"""``scrapy changes`` against the real WordPress: an edit, a trash and a delete, told once,
read through its REST API and, with the API closed to anonymous readers, from its sitemaps
and pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser

from tests.crawl import read
from tests.inprocess import crawl
from tests.test_changes import changes, digest_json
from tests.test_real_wordpress import _crawl_then_edit_trash_delete
from tests.wordpress.archives import EditedWordPress
from tests.wordpress.wpserver import PRETTY, WordPress


def test_edit_trash_and_delete_are_exactly_the_digest(
    wordpress_edited_site: EditedWordPress, tmp_path: Path
) -> None:
    shared, archive = wordpress_edited_site, tmp_path / "archive"
    shutil.copytree(shared.archive, archive)  # crawled again below
    edited, trashed, deleted = shared.edited, shared.trashed, shared.deleted
    expected = sorted([("edited", edited), ("hidden", trashed), ("deleted", deleted)])

    found = digest_json(archive)
    assert sorted((c["kind"], c["post_id"]) for c in found) == expected
    edit = next(c for c in found if c["kind"] == "edited")
    assert "+Edited in the test." in edit["diff"] and edit["previous_title"] is None
    seed = next(c for c in found if c["kind"] == "deleted")
    assert seed["title"] == "Live Facial Recognition"

    text = changes(archive).stdout.decode()
    site = read(archive).sql("SELECT DISTINCT site FROM runs").fetchall()[0][0]
    heads = [line.split()[:3] for line in text.splitlines() if line[:3].strip() and line[0] == " "]
    assert text.splitlines()[0].startswith(f"{site}: 3 changes since ")
    assert sorted((h[0], int(h[2].rstrip(":"))) for h in heads) == expected

    feed_file = tmp_path / "changes.xml"
    ids = []
    for _ in range(2):
        assert changes(archive, "--format", "atom", "-o", str(feed_file)).returncode == 0
        feed = feedparser.parse(feed_file.read_bytes())
        assert not feed.bozo and feed.version == "atom10"
        ids.append([e.id for e in feed.entries])
    # the feed holds the last 30 days: these 3 changes and the site's first crawl
    kinds = {e.id: e.tags[0].term for e in feed.entries}
    assert sorted(kinds.values()) == ["deleted", "edited", "first_crawl", "hidden"]
    assert ids[0] == ids[1] and set(ids[0]) >= {c["entry_id"] for c in found}
    told = {e.link for e in feed.entries if kinds[e.id] != "first_crawl"}
    assert told == {c["link"] for c in found}

    # A run that finds nothing new: no output at all, in text; no change in JSON.
    assert crawl(archive, f"site={shared.instance.url}").returncode == 0
    assert changes(archive).stdout == b""
    assert json.loads(changes(archive, "--format", "json").stdout)["sites"] == []


def test_with_the_api_closed_edit_trash_and_delete_are_told_from_the_pages(
    wordpress: WordPress, tmp_path: Path
) -> None:
    from mpcrawl.read.report import build_report
    from tests.test_report import Page, number

    inst = wordpress.fork("changes_closed", PRETTY, rest="closed")
    try:
        archive = tmp_path / "archive"
        edited, trashed, deleted = _crawl_then_edit_trash_delete(inst, archive)
        result = crawl(archive, f"site={inst.url}")
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        wordpress.stop_instance(inst, drop=True)
    found = digest_json(archive)
    assert {c["path"] for c in found} == {"web"}
    told = sorted((c["kind"], c["post_id"]) for c in found)
    assert told == sorted([("edited", edited), ("deleted", trashed), ("deleted", deleted)])
    edit = next(c for c in found if c["kind"] == "edited")
    assert "+Edited in the test." in edit["diff"]

    feed = feedparser.parse(changes(archive, "--format", "atom").stdout)
    assert not feed.bozo and {c["entry_id"] for c in found} <= {e.id for e in feed.entries}
    con = read(archive)
    live = con.sql("SELECT count(*) FROM publications WHERE post_type = 'post'").fetchall()[0][0]
    page = Page(build_report(str(archive)))
    (row,) = page.table("Most active sites").rows
    assert row[1] == "sitemap" and number(row[2]) == live > 0
