"""Against a real WordPress 6.1 (Debian's) on 127.0.0.1: every claim about WordPress."""

from __future__ import annotations

import json
import re
import shutil
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.crawl import read, scalar
from tests.inprocess import crawl
from tests.wordpress.archives import CredentialedWordPress, EditedWordPress
from tests.wordpress.wpserver import Instance, WordPress


def wp_total(instance: Instance, route: str) -> int:
    with urllib.request.urlopen(instance.rest_url(route, "per_page=1")) as response:
        return int(response.headers["X-WP-Total"])


@pytest.fixture
def archives(wordpress_archives: dict[str, Path]) -> dict[str, Path]:
    """One crawl of each permalink form, shared by the read-only tests (once a session)."""
    return wordpress_archives


@pytest.mark.parametrize("form", ["pretty", "plain"])
def test_everything_public_is_archived(
    wordpress: WordPress, archives: dict[str, Path], form: str
) -> None:
    instance = getattr(wordpress, form)
    con = read(archives[form])
    assert scalar(con, "SELECT count(*) FROM posts WHERE post_type='post'") == wp_total(
        instance, "/wp/v2/posts"
    )
    assert scalar(con, "SELECT count(*) FROM posts WHERE post_type='page'") == wp_total(
        instance, "/wp/v2/pages"
    )
    manifest = instance.manifest
    hidden = [manifest[k] for k in ("draft", "private", "trashed", "deleted", "future")]
    hidden.append(manifest["pages"]["draft"])
    found = con.sql(f"SELECT id FROM posts WHERE id IN ({','.join(map(str, hidden))})").fetchall()
    assert found == []
    assert con.sql("SELECT url_form FROM sites").fetchall() == [(form,)]


def test_pretty_and_plain_give_the_same_archive(
    wordpress: WordPress, archives: dict[str, Path]
) -> None:
    def content(form: str) -> list[tuple[object, ...]]:
        base = getattr(wordpress, form).url
        rows = (
            read(archives[form])
            .sql(
                "SELECT post_type, id, title, date_gmt, modified_gmt, content_html FROM posts "
                "ORDER BY post_type, id"
            )
            .fetchall()
        )
        return [(*row[:5], (row[5] or "").replace(base, "BASE")) for row in rows]

    pretty, plain = content("pretty"), content("plain")
    assert len(pretty) > 250
    assert [r[:5] for r in pretty] == [r[:5] for r in plain]
    # Only URLs differ: permalinks inside content use each site's own link form.
    strip = re.compile(r"https?://[^\s\"'<>]+")
    assert [strip.sub("URL", r[5]) for r in pretty] == [strip.sub("URL", r[5]) for r in plain]


def test_protected_post_is_archived_without_content(
    wordpress: WordPress, archives: dict[str, Path]
) -> None:
    pid = wordpress.pretty.manifest["protected"]
    rows = (
        read(archives["pretty"])
        .sql(f"SELECT protected, content_html, content_text, title FROM posts WHERE id = {pid}")
        .fetchall()
    )
    assert len(rows) == 1
    protected, html, text, title = rows[0]
    assert protected is True and html is None and text is None and title


def test_names_are_joined_at_read_time(wordpress: WordPress, archives: dict[str, Path]) -> None:
    con = read(archives["pretty"])
    missing_author = scalar(con, "SELECT count(*) FROM posts_latest WHERE author_name IS NULL")
    assert missing_author == 0
    lost_names = scalar(
        con,
        "SELECT count(*) FROM posts_latest WHERE len(category_names) <> len(category_ids) "
        "OR len(tag_names) <> len(tag_ids)",
    )
    assert lost_names == 0
    manifest = wordpress.pretty.manifest
    featured = manifest["featured_posts"]
    urls = con.sql(
        f"SELECT DISTINCT featured_media_url FROM posts_latest WHERE id IN "
        f"({','.join(map(str, featured))})"
    ).fetchall()
    assert len(urls) == 1 and urls[0][0].startswith(wordpress.pretty.url)
    editor = con.sql(
        "SELECT count(*) FROM posts_latest WHERE author_name = 'Jane Caseworker'"
    ).fetchall()[0][0]
    assert editor > 0


def test_seed_post_comes_through_exactly(wordpress: WordPress, archives: dict[str, Path]) -> None:
    con = read(archives["pretty"])
    row = con.sql(
        "SELECT title, date, date_gmt, content_text, category_names, embed_count, turn_count, "
        "revision_count FROM posts_latest WHERE id = 4407"
    ).fetchall()[0]
    title, date, date_gmt, text, categories, embeds, turns, revisions = row
    assert title == "Live Facial Recognition"
    # Europe/London in summer: the local wall time is an hour ahead of UTC.
    assert date == datetime(2025, 3, 31, 9, 24, 19)
    assert date_gmt == datetime(2025, 3, 31, 8, 24, 19, tzinfo=UTC)
    assert text.startswith("John Whittingdale Conservative, Maldon\n\nWhat her policy is")
    assert categories == ["Speeches"]
    assert (embeds, turns, revisions) == (1, 4, 4)
    video = con.sql("SELECT video_id FROM embeds_latest WHERE post_id = 4407").fetchall()
    assert video == [("-RJcnOS7jzY",)]


def test_video_embeds_as_wordpress_renders_them(
    wordpress: WordPress, archives: dict[str, Path]
) -> None:
    videos = wordpress.pretty.manifest["video_posts"]
    con = read(archives["pretty"])
    found = dict(
        con.sql(
            "SELECT post_id, provider || ':' || kind FROM embeds_latest WHERE post_id IN "
            f"({','.join(str(v) for v in videos.values())})"
        ).fetchall()
    )
    assert found[videos["youtube_oembed"]] == "youtube:iframe"
    assert found[videos["youtube_bare_url"]] == "youtube:bare-url"
    assert found[videos["youtube_iframe"]] == "youtube:iframe"
    assert found[videos["video_shortcode"]] == "file:video"
    assert found[videos["video_block"]] == "file:video"
    assert found[videos["vimeo_oembed"]].startswith("vimeo:")


def test_revisions_without_credentials_cost_one_401(
    wordpress: WordPress, archives: dict[str, Path]
) -> None:
    con = read(archives["pretty"])
    assert con.sql("SELECT revisions_closed FROM runs").fetchall() == [(True,)]
    assert scalar(con, "SELECT count(*) FROM revisions") == 0


def test_revisions_with_an_application_password(
    credentialed_wordpress_archive: CredentialedWordPress,
) -> None:
    # the session's crawl with the password (its WARC is checked in tests/warc/)
    shared = credentialed_wordpress_archive
    instance, archive, result = shared.instance, shared.archive, shared.run
    _login, password = instance.auth
    con = read(archive)
    expected = scalar(con, "SELECT sum(revision_count) FROM posts WHERE revision_count > 0")
    assert scalar(con, "SELECT count(*) FROM revisions") == expected
    assert scalar(con, "SELECT count(DISTINCT revision_id) FROM revisions") == expected
    seed = con.sql(
        "SELECT revision_id FROM revisions WHERE post_id = 4407 ORDER BY revision_id DESC"
    ).fetchall()
    assert [r[0] for r in seed] == instance.manifest["revision_ids"]["seed_post"]
    # The application password is nowhere: not in the log, not in the archive.
    assert password not in result.stderr and password not in result.stdout
    for path in archive.rglob("*.parquet"):
        assert password.encode() not in path.read_bytes()


def test_edits_trash_and_deletes_on_the_real_wordpress(
    wordpress_edited_site: EditedWordPress, tmp_path: Path
) -> None:
    site = wordpress_edited_site
    con = read(site.archive)
    assert scalar(con, "SELECT count(*) FROM posts_files") == site.posts_files_before + 1
    stones = con.sql("SELECT id, reason FROM tombstones ORDER BY reason").fetchall()
    assert stones == [(site.deleted, "deleted"), (site.trashed, "hidden")]
    assert con.sql(
        f"SELECT content_text FROM posts_latest WHERE id = {site.edited}"
    ).fetchall() == [("Edited in the test.",)]
    snapshot = [scalar(con, f"SELECT count(*) FROM {t}_files") for t in ("posts", "tombstones")]
    archive = tmp_path / "archive"
    shutil.copytree(site.archive, archive)
    assert crawl(archive, f"site={site.instance.url}").returncode == 0
    con = read(archive)
    assert [scalar(con, f"SELECT count(*) FROM {t}_files") for t in ("posts", "tombstones")] == (
        snapshot
    )


def _crawl_then_edit_trash_delete(instance: Instance, archive: Path) -> tuple[int, int, int]:
    """Crawl once, then edit one post, trash one and delete one through the REST API."""
    assert crawl(archive, f"site={instance.url}").returncode == 0
    manifest = instance.manifest
    edited, trashed, deleted = manifest["revisions_1"], manifest["sticky"], manifest["seed_post"]
    _rest(instance, "POST", f"/wp/v2/posts/{edited}", {"content": "<p>Edited in the test.</p>"})
    _rest(instance, "DELETE", f"/wp/v2/posts/{trashed}")
    _rest(instance, "DELETE", f"/wp/v2/posts/{deleted}", query="force=true")
    return edited, trashed, deleted


def _rest(
    instance: Instance,
    method: str,
    route: str,
    body: dict[str, str] | None = None,
    query: str = "",
) -> None:
    import base64

    login, password = instance.auth
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    request = urllib.request.Request(
        instance.rest_url(route, query),
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200


def test_second_run_is_the_sweep_and_at_most_four_more(
    wordpress: WordPress, tmp_path: Path
) -> None:
    from tests.faultserver import FaultProxy

    archive = tmp_path / "archive"
    with FaultProxy(wordpress.pretty.url) as proxy:
        assert crawl(archive, f"site={proxy.url}").returncode == 0
        files = set(archive.rglob("*.parquet"))
        first = list(proxy.arrivals)
        proxy.arrivals.clear()
        assert crawl(archive, f"site={proxy.url}").returncode == 0
        second = list(proxy.arrivals)
    added = {p.relative_to(archive).parts[0] for p in set(archive.rglob("*.parquet")) - files}
    assert added <= {"runs", "sites"}
    api = [r for r in second if "/wp-json/wp/v2/" in r]
    sweep = [r for r in api if "_fields=id%2Cmodified_gmt" in r or "_fields=id,modified_gmt" in r]
    posts = wp_total(wordpress.pretty, "/wp/v2/posts")
    assert len([r for r in sweep if "/wp/v2/posts?" in r]) == -(-posts // 100)
    others = [r for r in api if r not in sweep]
    assert len(others) <= 4, others
    full_posts = [r for r in first if "/wp/v2/posts?" in r and "_fields" not in r]
    assert len(full_posts) == -(-posts // 100)
    # Without credentials, revisions cost one 401 per site, not one per post.
    assert len([r for r in first if "/revisions" in r]) == 1


def test_sigkill_on_the_real_wordpress_then_rerun(wordpress: WordPress, tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    from tests.crawl import crawl_command
    from tests.shared import REPO

    archive = tmp_path / "archive"
    small = {"MPCRAWL_FILE_ROWS": "40", "MPCRAWL_BATCH_ROWS": "20"}
    log = (tmp_path / "killed.log").open("w")
    process = subprocess.Popen(
        crawl_command(archive, f"site={wordpress.pretty.url}", **small),
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while len(list((archive / "posts").rglob("part-*.parquet"))) < 2:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    log.close()
    killed = scalar(read(archive), "SELECT count(*) FROM posts_files")
    result = crawl(archive, f"site={wordpress.pretty.url}", **small)
    assert result.returncode == 0, result.stderr[-3000:]
    con = read(archive)
    public = wp_total(wordpress.pretty, "/wp/v2/posts") + wp_total(wordpress.pretty, "/wp/v2/pages")
    assert 0 < killed < public
    assert scalar(con, "SELECT count(*) FROM posts_files") == public
    assert scalar(con, "SELECT count(DISTINCT (post_type, id)) FROM posts_files") == public


def test_report_of_the_real_wordpress_after_edits_and_deletions(
    wordpress_edited_site: EditedWordPress, tmp_path: Path
) -> None:
    from mpcrawl.read.report import write_report
    from tests.test_report import Page, number

    archive = wordpress_edited_site.archive
    page = Page(write_report(str(archive), tmp_path / "report.html").read_text())
    con = read(archive)
    con.execute("SET TimeZone = 'UTC'")
    stones = page.table("Latest tombstones")
    assert sorted((r[3], r[4]) for r in stones.rows) == sorted(
        (str(i), reason) for i, reason in con.sql("SELECT id, reason FROM tombstones").fetchall()
    )
    assert {r[4] for r in stones.rows} == {"deleted", "hidden"}
    edits = page.table("Edits and deletions per month")
    assert [sum(number(r[i]) for r in edits.rows) for i in (1, 2, 3)] == [1, 1, 1]
    per_month = dict(
        con.sql(
            "SELECT strftime(date_gmt, '%Y-%m'), count(*) FROM posts_latest "
            "WHERE post_type = 'post' GROUP BY 1"
        ).fetchall()
    )
    shown = {row[0]: number(row[1]) for row in page.table("Posts per month, all sites").rows}
    assert {m: n for m, n in shown.items() if n} == per_month
    # The seed post was deleted: its turns stay archived, but the report counts live posts.
    archived = {r[0] for r in con.sql("SELECT DISTINCT speaker FROM speech_turns").fetchall()}
    assert "John Whittingdale" in archived
    speakers = {r[0] for r in page.table("Most frequent speakers, by turns").rows}
    assert "John Whittingdale" not in speakers
