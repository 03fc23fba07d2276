"""``scrapy changes`` against the real WordPress: an edit, a trash and a delete, told once,
read through its REST API and, with the API closed to anonymous readers or hidden (404 even
to the administrator, so edited through WordPress's PHP API), from its sitemaps and pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from tests.crawl import read
from tests.inprocess import crawl
from tests.test_changes import changes, digest_json
from tests.test_real_wordpress import _crawl_then_edit_trash_delete
from tests.wordpress.archives import EditedWordPress
from tests.wordpress.wpserver import PRETTY, SMALL_POSTS, Instance, WordPress


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


def _edit_trash_delete_in_php(wordpress: WordPress, inst: Instance) -> tuple[int, int, int]:
    """The edit, trash and delete of ``_crawl_then_edit_trash_delete`` through WordPress's
    own PHP API (as ``wp eval`` would): a hidden REST API 404s authenticated requests too."""
    manifest = inst.manifest
    edited, trashed, deleted = manifest["revisions_1"], manifest["sticky"], manifest["seed_post"]
    content = "'<p>Edited in the test.</p>'"
    code = f"""
    $e = wp_update_post(wp_slash(['ID' => {edited}, 'post_content' => {content}]), true);
    if (is_wp_error($e) || !$e) {{ fwrite(STDERR, 'edit failed'); exit(1); }}
    if (!wp_trash_post({trashed})) {{ fwrite(STDERR, 'trash failed'); exit(1); }}
    if (!wp_delete_post({deleted}, true)) {{ fwrite(STDERR, 'delete failed'); exit(1); }}
    echo get_post_status({edited}), ' ', get_post_status({trashed}), ' ',
        var_export(get_post({deleted}), true);
    """
    assert wordpress.php(inst, code) == "publish trash NULL"
    return edited, trashed, deleted


@pytest.mark.parametrize("rest", ["closed", "hidden"])
def test_with_the_api_closed_edit_trash_and_delete_are_told_from_the_pages(
    wordpress: WordPress, tmp_path: Path, rest: str
) -> None:
    from mpcrawl.read.report import build_report
    from tests.test_report import Page, number

    inst = wordpress.fork(f"changes_{rest}", PRETTY, rest=rest, posts=SMALL_POSTS)
    try:
        archive = tmp_path / "archive"
        if rest == "closed":  # the administrator's application password still opens it
            edited, trashed, deleted = _crawl_then_edit_trash_delete(inst, archive)
        else:
            assert crawl(archive, f"site={inst.url}").returncode == 0
            edited, trashed, deleted = _edit_trash_delete_in_php(wordpress, inst)
        result = crawl(archive, f"site={inst.url}")
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        wordpress.stop_instance(inst, drop=True)
    # a trashed post's page answers 404 like a deleted one: from outside both are deleted
    expected = sorted([("edited", edited), ("deleted", trashed), ("deleted", deleted)])
    found = digest_json(archive)
    assert {c["path"] for c in found} == {"web"}
    told = sorted((c["kind"], c["post_id"]) for c in found)
    assert told == expected
    edit = next(c for c in found if c["kind"] == "edited")
    assert "+Edited in the test." in edit["diff"]

    # the text digest names a page by its path: "  edited  post /slug/: Title", then its URL
    text = changes(archive).stdout.decode()
    site = read(archive).sql("SELECT DISTINCT site FROM runs").fetchall()[0][0]
    lines = text.splitlines()
    assert lines[0].startswith(f"{site}: 3 changes since "), text
    heads = [line.split()[:3] for line in lines if line[:3].strip() and line[0] == " "]
    assert sorted((h[0], h[2].rstrip(":")) for h in heads) == sorted(
        (c["kind"], urlsplit(c["link"]).path) for c in found
    ), text
    assert {c["link"] for c in found} <= {line.strip() for line in lines}, text
    assert "+Edited in the test." in text

    feed = feedparser.parse(changes(archive, "--format", "atom").stdout)
    assert not feed.bozo and feed.version == "atom10"
    kinds = {e.id: e.tags[0].term for e in feed.entries}
    assert {c["entry_id"] for c in found} <= set(kinds)
    assert sorted(kinds[c["entry_id"]] for c in found) == ["deleted", "deleted", "edited"]
    # the window also holds the site's first crawl and its outcome (no usable REST API)
    assert sorted(kinds.values()) == ["deleted", "deleted", "edited", "first_crawl", "outcome"]
    assert {e.link for e in feed.entries if kinds[e.id] in ("edited", "deleted")} == {
        c["link"] for c in found
    }
    con = read(archive)
    live = con.sql("SELECT count(*) FROM publications WHERE post_type = 'post'").fetchall()[0][0]
    page = Page(build_report(str(archive)))
    (row,) = page.table("Most active sites").rows
    assert row[1] == "sitemap" and number(row[2]) == live > 0
