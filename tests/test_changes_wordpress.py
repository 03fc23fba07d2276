"""``scrapy changes`` against the real WordPress: an edit, a trash and a delete, told once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser

from tests.crawl import read
from tests.inprocess import crawl
from tests.test_changes import changes, digest_json
from tests.wordpress.archives import EditedWordPress


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
        assert len(feed.entries) == 3
        ids.append([e.id for e in feed.entries])
    assert ids[0] == ids[1] and sorted(ids[0]) == sorted(c["entry_id"] for c in found)
    assert {e.link for e in feed.entries} == {c["link"] for c in found}

    # A run that finds nothing new: no output at all, in text; no change in JSON.
    assert crawl(archive, f"site={shared.instance.url}").returncode == 0
    assert changes(archive).stdout == b""
    assert json.loads(changes(archive, "--format", "json").stdout)["sites"] == []
