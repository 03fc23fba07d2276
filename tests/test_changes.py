"""``scrapy changes`` on the sample site: what a cron user reads after each run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.sample.server import SampleSite
from tests.crawl import read
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import crawl
from tests.shared import REPO

VIDEO = (
    '<figure class="wp-block-embed is-type-video is-provider-youtube"><div class="wp-block-'
    'embed__wrapper"><iframe title="Budget" src="https://www.youtube.com/embed/dQw4w9WgXcQ'
    '?feature=oembed"></iframe></div></figure>'
)
CLOSED = (
    b'{"code":"rest_login_required","message":"REST API restricted to authenticated users.",'
    b'"data":{"status":401}}'
)


def changes(archive: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``scrapy changes ARGS -s MPCRAWL_ARCHIVE=archive`` as a user runs it."""
    command = [sys.executable, "-m", "scrapy", "changes", "-s", f"MPCRAWL_ARCHIVE={archive}"]
    return subprocess.run(
        [*command, *args], cwd=REPO, capture_output=True, timeout=120, check=False
    )


def digest_json(archive: Path, *args: str) -> list[dict[str, Any]]:
    result = changes(archive, "--format", "json", *args)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return [c for s in json.loads(result.stdout)["sites"] for c in s["changes"]]


def test_a_run_with_edits_deletions_and_a_new_post_is_told_in_every_format(
    sample_site: SampleSite, archive: Path, tmp_path: Path
) -> None:
    site = f"site={sample_site.url}"
    assert crawl(archive, site).returncode == 0
    first = digest_json(archive)
    live = read(archive).sql("SELECT post_type, count(*) FROM posts_latest GROUP BY 1").fetchall()
    assert [c["kind"] for c in first] == ["first_crawl"]
    assert {k: v for k, v in first[0]["counts"].items() if k in ("post", "page")} == dict(live)

    ids = sample_site.post_ids()
    edited, hidden, deleted = ids[10], ids[20], ids[30]
    old_title = sample_site.get_post(edited)["title"]["rendered"]  # type: ignore[index]
    sample_site.edit_post(
        edited, title="Figures corrected", content="<p>The figures were wrong.</p>"
    )
    sample_site.hide_post(hidden)
    sample_site.delete_post(deleted)
    new = sample_site.add_post(title="Budget questions", content=f"<p>Watch.</p>{VIDEO}")
    assert crawl(archive, site).returncode == 0

    found = digest_json(archive)
    assert sorted((c["kind"], c["post_id"]) for c in found) == sorted(
        [("edited", edited), ("hidden", hidden), ("deleted", deleted), ("new", new)]
    )
    by_kind = {c["kind"]: c for c in found}
    assert by_kind["edited"]["title"] == "Figures corrected"
    assert by_kind["edited"]["previous_title"] == old_title
    assert "+The figures were wrong." in by_kind["edited"]["diff"]
    assert [v["video_id"] for v in by_kind["new"]["videos"]] == ["dQw4w9WgXcQ"]
    assert by_kind["hidden"]["title"] and by_kind["deleted"]["link"]

    text = changes(archive)
    assert text.returncode == 0
    lines = text.stdout.decode().splitlines()
    assert lines[0].startswith(f"{read(archive).sql('SELECT site FROM runs').fetchall()[0][0]}: ")
    assert lines[0].split(": ")[1].startswith("4 changes since ")
    told = [line.split()[:3] for line in lines if line.startswith("  ") and line[2] != " "]
    assert sorted(told) == sorted(
        [
            ["edited", "post", f"{edited}:"],
            ["hidden", "post", f"{hidden}:"],
            ["deleted", "post", f"{deleted}:"],
            ["new", "post", f"{new}:"],
        ]
    )
    assert f"title was: {old_title}" in text.stdout.decode()

    feed_file = tmp_path / "changes.xml"
    for _ in range(2):
        assert changes(archive, "--format", "atom", "-o", str(feed_file)).returncode == 0
        feed = feedparser.parse(feed_file.read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert sorted(e.id for e in feed.entries) == sorted(c["entry_id"] for c in found)
    titles = {e.id: e.title for e in feed.entries}
    assert titles[by_kind["deleted"]["entry_id"]].endswith(
        f"deleted post {deleted}: {by_kind['deleted']['title']}"
    )

    # The next run finds nothing: the text is empty, so cron mails nothing.
    assert crawl(archive, site).returncode == 0
    quiet = changes(archive)
    assert quiet.returncode == 0 and quiet.stdout == b"" and quiet.stderr == b""
    assert digest_json(archive) == []
    # An explicit window still finds the run before.
    runs = read(archive).sql("SELECT finished_at FROM runs ORDER BY finished_at").fetchall()
    window = ("--since", runs[0][0].isoformat(), "--until", runs[1][0].isoformat())
    assert sorted(c["entry_id"] for c in digest_json(archive, *window)) == sorted(
        c["entry_id"] for c in found
    )


def test_a_site_that_closes_its_api_is_an_outcome_change(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with SampleSite() as site, FaultProxy(site.url) as proxy:
        assert crawl(archive, f"site={proxy.url}").returncode == 0
        proxy.rules.append(Rule("wp/v2/posts", status=401, body=CLOSED))
        assert crawl(archive, f"site={proxy.url}").returncode == 0
    found = digest_json(archive)
    assert [(c["kind"], c["previous_outcome"], c["outcome"]) for c in found] == [
        ("outcome", "ok", "rest_closed")
    ]
    assert "rest_login_required" in found[0]["reason"]
    text = changes(archive).stdout.decode()
    assert "  outcome     ok → rest_closed" in text.splitlines()


def test_more_changes_than_the_limit_are_counted(sample_site: SampleSite, archive: Path) -> None:
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    for pid in sample_site.post_ids()[:3]:
        sample_site.edit_post(pid, content=f"<p>Edited {pid}.</p>")
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    result = changes(archive, "--limit", "1", "--format", "json")
    (site,) = json.loads(result.stdout)["sites"]
    assert [c["kind"] for c in site["changes"]] == ["edited"] and site["omitted"] == {"edited": 2}
    text = changes(archive, "--limit", "1").stdout.decode()
    assert ": 3 changes since" in text.splitlines()[0]
    assert "  … and 2 more edits" in text.splitlines()
    assert changes(archive, "--limit", "1", "--site", site["site"]).stdout.decode() == text
    assert changes(archive, "--site", "another.example.org").stdout == b""


def test_bad_arguments_are_usage_errors(archive: Path, tmp_path: Path) -> None:
    assert changes(archive).returncode == 2  # no archive there
    tmp_path.joinpath("folder").mkdir()
    not_archive = changes(tmp_path / "folder")
    assert not_archive.returncode == 2 and b"holds no mpcrawl archive" in not_archive.stderr
    empty = tmp_path / "empty"
    ArchiveWriter(ArchiveLocation.parse(str(empty)), "r0").close()  # an archive, no rows yet
    assert changes(empty).returncode == 0 and changes(empty).stdout == b""
    bad = changes(empty, "--since", "last tuesday")
    assert bad.returncode == 2 and b"not an ISO 8601 date" in bad.stderr
    assert changes(empty, "--since", "2026-12-02", "--until", "2026-12-01").returncode == 2
