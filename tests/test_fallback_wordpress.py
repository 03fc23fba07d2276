"""The real WordPress with its REST API closed or hidden: archived from its pages.

Every public post and page the REST archive of the same site holds must come through the
fallback with the same WordPress id, title and ``date_gmt`` (where the page shows a date),
clean text at least 0.95 similar to the REST ``content_text``, the same embeds and turns.
"""

from __future__ import annotations

import base64
import json
import statistics
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.crawl import read, scalar
from tests.inprocess import crawl
from tests.test_changes import digest_json
from tests.web.figures import similar
from tests.wordpress.archives import ClosedWordPressArchive
from tests.wordpress.wpserver import PLAIN, PRETTY, SMALL_POSTS, Instance, WordPress

# Each way of closing the API once and each permalink form once: the fallback reads the
# same pages whichever way discovery is refused (closed-plain, hidden-pretty add nothing).
VARIANTS = ["closed-pretty", "hidden-plain"]
EMBED_KEY = "list_transform(embeds, lambda e: [e.provider, e.video_id, e.kind])"


def rest_rows(archive: Path) -> dict[tuple[str, int], dict[str, Any]]:
    con = read(archive)
    rows = con.sql(
        "SELECT p.post_type, p.id, p.title, p.date_gmt, p.content_text, p.protected,"
        " (SELECT list([e.provider, e.video_id, e.kind] ORDER BY e.position) FROM embeds_latest e"
        "  WHERE e.site = p.site AND e.post_id = p.id AND e.post_type = p.post_type) AS embeds,"
        " (SELECT list([t.speaker, t.text] ORDER BY t.turn) FROM turns_latest t"
        "  WHERE t.site = p.site AND t.post_id = p.id AND t.post_type = p.post_type) AS turns"
        " FROM posts_latest p"
    ).fetchall()
    names = ["post_type", "id", "title", "date_gmt", "text", "protected", "embeds", "turns"]
    return {(r[0], r[1]): dict(zip(names, r, strict=True)) for r in rows}


def web_rows(archive: Path) -> dict[tuple[str, int], dict[str, Any]]:
    con = read(archive)
    rows = con.sql(
        f"SELECT post_type, id, title, date_gmt, content_text, protected, {EMBED_KEY},"
        " list_transform(turns, lambda t: [t.speaker, t.text]), source"
        " FROM web_pages_latest"
    ).fetchall()
    names = ["post_type", "id", "title", "date_gmt", "text", "protected", "embeds", "turns"]
    return {(r[0], r[1]): dict(zip(names, r[:8], strict=True)) | {"source": r[8]} for r in rows}


@pytest.fixture(params=VARIANTS)
def fallback_crawl(
    request: pytest.FixtureRequest, wordpress: WordPress, tmp_path: Path
) -> tuple[Instance, Path, int, Path]:
    """(site, archive, requests page capture added, REST archive of the same content) of
    one crawl of a variant.

    ``closed-pretty`` is the whole seeded site: the session's crawl the WARC tests read too
    (``tests/warc/``), made with WARC and page capture on (its pages are its captures, only
    their requisites are further requests, taken off the request count checked below),
    beside the session's REST crawl of the open pretty site. ``hidden-plain`` is the small
    fork (``SMALL_POSTS``), crawled through its pages and, opened, through its REST API:
    the second way of refusing discovery and the second permalink form need no 271 posts.
    """
    if request.param == "closed-pretty":
        shared: ClosedWordPressArchive = request.getfixturevalue("closed_wordpress_archive")
        archives: dict[str, Path] = request.getfixturevalue("wordpress_archives")
        return shared.instance, shared.archive, shared.capture_requests, archives["pretty"]
    rest, _, form = request.param.partition("-")
    permalinks = PRETTY if form == "pretty" else PLAIN
    crawled = []
    for name, api in (("open", "open"), (request.param, rest)):
        site = wordpress.fork(f"small_{name}".replace("-", "_"), permalinks, api, SMALL_POSTS)
        try:
            archive = tmp_path / name / "archive"
            result = crawl(archive, f"site={site.url}")
            assert result.returncode == 0, result.stderr[-3000:]
        finally:
            wordpress.stop_instance(site, drop=True)
        crawled.append(archive)
    return site, crawled[1], 0, crawled[0]


def test_closed_wordpress_is_archived_like_the_rest_archive(
    fallback_crawl: tuple[Instance, Path, int, Path],
) -> None:
    site, archive, captures, rest_archive = fallback_crawl
    variant = f"{site.rest}-{'pretty' if site.pretty else 'plain'}"
    rest, web = rest_rows(rest_archive), web_rows(archive)
    assert set(web) == set(rest)  # every public post and page, by WordPress id and type
    similarity = []
    for key, want in rest.items():
        got = web[key]
        assert got["source"] == "sitemap"
        assert got["title"] == want["title"]  # "Protected: " printed before it taken off
        if key[0] == "post":  # the theme prints a post's date; a page shows none
            assert got["date_gmt"] == want["date_gmt"], key
        else:
            assert got["date_gmt"] is None
        assert bool(got["protected"]) == bool(want["protected"])
        if not want["protected"]:
            similarity.append(similar(want["text"], got["text"]))
        assert (got["embeds"] or []) == (want["embeds"] or []), key
        assert (got["turns"] or []) == (want["turns"] or []), key
    assert min(similarity) >= 0.95
    con = read(archive)
    run = con.sql(
        "SELECT outcome, source, pages_listed, pages_found, posts_new, requests FROM runs"
    ).fetchall()
    outcome, source, listed, found, new, requests = run[0]
    assert (outcome, source, found, new) == ("rest_closed", "sitemap", len(rest), len(rest))
    assert listed == len(rest) + 1  # WordPress lists its home page too (a listing)
    # one request per page, plus discovery, sitemaps and the feed's pages (for the dates of
    # pages that print none: mpcrawl.plans.numbers); with plain permalinks robots.txt
    # redirects to the home page and the well-known sitemap names answer it before
    # ?sitemap=index does
    posts = sum(1 for key in rest if key[0] == "post")
    feed_pages = -(-posts // 10) + 2  # its pages for the dates (10 posts each), the 404 after
    assert requests - captures <= len(rest) + feed_pages + (12 if site.pretty else 20)
    print(
        f"{variant}: {found}/{len(rest)} found, similarity median "
        f"{statistics.median(similarity):.4f} min {min(similarity):.4f}, "
        f"{(requests - captures) / found:.3f} requests per post"
    )
    assert scalar(con, "SELECT count(*) FROM publications WHERE source = 'sitemap'") == len(rest)


def _rest(
    instance: Instance, method: str, route: str, body: dict[str, str] | None = None, query: str = ""
) -> None:
    """An authenticated REST call: the closed API still serves the site's own editors."""
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


def _files(archive: Path) -> tuple[object, object]:
    con = read(archive)
    return (
        scalar(con, "SELECT count(*) FROM web_pages_files"),
        scalar(con, "SELECT count(*) FROM web_tombstones_files"),
    )


def _last_run(archive: Path) -> tuple[Any, ...]:
    row: tuple[Any, ...] = (
        read(archive)
        .sql(
            "SELECT posts_new, posts_unchanged, tombstones_new, requests, pages_found"
            " FROM runs ORDER BY started_at DESC LIMIT 1"
        )
        .fetchall()[0]
    )
    return row


def test_edit_delete_and_rename_on_a_closed_wordpress(wordpress: WordPress, tmp_path: Path) -> None:
    instance = wordpress.fork("fallback_edits", rest="closed", posts=SMALL_POSTS)
    try:
        archive = tmp_path / "archive"
        assert crawl(archive, f"site={instance.url}").returncode == 0
        pages_before, stones_before = _files(archive)
        total = _last_run(archive)[4]
        manifest = instance.manifest
        edited, deleted, renamed = (
            manifest["revisions_1"],
            manifest["seed_post"],
            manifest["sticky"],
        )
        con = read(archive)
        url = dict(
            con.sql("SELECT id, url FROM web_pages_latest WHERE post_type = 'post'").fetchall()
        )
        _rest(instance, "POST", f"/wp/v2/posts/{edited}", {"content": "<p>Edited in the test.</p>"})
        _rest(instance, "DELETE", f"/wp/v2/posts/{deleted}", query="force=true")
        _rest(instance, "POST", f"/wp/v2/posts/{renamed}", {"slug": "renamed-in-the-test"})

        assert crawl(archive, f"site={instance.url}").returncode == 0
        new, unchanged, stones, after_edits, _ = _last_run(archive)
        # the edit and the renamed post's new URL are new versions; nothing else is fetched
        assert _files(archive) == (pages_before + 2, stones_before + 2)
        assert (new, unchanged, stones) == (2, total - 3, 2)
        con = read(archive)
        assert con.sql(
            f"SELECT content_text FROM web_pages_latest WHERE id = {edited}"
        ).fetchall() == [("Edited in the test.",)]
        gone = con.sql(
            "SELECT url, id, reason, status, redirect_to FROM web_tombstones ORDER BY reason"
        ).fetchall()
        assert gone == [
            (url[deleted], deleted, "deleted", 404, None),
            (url[renamed], renamed, "redirected", 301, instance.url + "/renamed-in-the-test/"),
        ]
        assert scalar(con, f"SELECT count(*) FROM publications WHERE id = {deleted}") == 0
        assert con.sql(f"SELECT url FROM publications WHERE id = {renamed}").fetchall() == [
            (instance.url + "/renamed-in-the-test/",)
        ]

        snapshot = _files(archive)
        assert crawl(archive, f"site={instance.url}").returncode == 0
        new, unchanged, stones, no_change, _ = _last_run(archive)
        assert _files(archive) == snapshot
        assert (new, unchanged, stones) == (0, total - 1, 0)  # one post was deleted
        # no post page is fetched: discovery, robots.txt, 3 sitemaps, the home page (a listing
        # without lastmod); the run after the edits cost exactly 2 pages and 2 probes more
        assert no_change < 15
        assert after_edits == no_change + 4
    finally:
        wordpress.stop_instance(instance, drop=True)


def test_a_site_read_by_rest_then_by_its_pages_shows_each_post_once(
    wordpress: WordPress, tmp_path: Path
) -> None:
    instance = wordpress.fork("rest_then_pages", posts=SMALL_POSTS)
    try:
        archive = tmp_path / "archive"
        assert crawl(archive, f"site={instance.url}").returncode == 0
        rest = scalar(read(archive), "SELECT count(*) FROM posts_latest")
        wordpress.set_rest(instance, "closed")  # the owner closes the API: same site, URL
        result = crawl(archive, f"site={instance.url}")
        assert result.returncode == 0, result.stderr[-3000:]
        con = read(archive)
        outcome, source = con.sql(
            "SELECT outcome, source FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchall()[0]
        assert (outcome, source) == ("rest_closed", "sitemap")
        assert scalar(con, "SELECT count(*) FROM web_pages_latest") == rest
        # each post and page once (both paths' rows before: twice as many)
        assert scalar(con, "SELECT count(*) FROM publications") == rest
        assert scalar(con, "SELECT count(DISTINCT (post_type, id)) FROM publications") == rest
        assert scalar(con, "SELECT count(*) FROM publications WHERE source = 'rest'") == 0
        assert scalar(con, "SELECT count(*) FROM web_tombstones_files") == 0  # none gone
        told = [c["kind"] for c in digest_json(archive)]
        assert told == ["outcome"]  # the API closed; no post is new for a change of path
    finally:
        wordpress.stop_instance(instance, drop=True)


def test_a_no_change_night_on_core_sitemaps_reads_the_home_page_not_every_post(
    wordpress: WordPress, tmp_path: Path
) -> None:
    """WordPress 6.1's core sitemaps (no ``lastmod``) and no ``ETag``: a night with nothing
    changed costs fewer requests than posts; an edit the home page shows is archived."""
    instance = wordpress.fork("recheck_core", rest="closed-core")
    try:
        # the newest 60 posts published, the rest drafts: the suite's time is one crawl's
        posts = int(
            wordpress.php(
                instance,
                'global $wpdb; $p = $wpdb->posts; $wpdb->query("UPDATE $p JOIN (SELECT ID'
                " FROM $p WHERE post_type = 'post' AND post_status = 'publish' ORDER BY"
                " post_date DESC LIMIT 100000 OFFSET 60) o USING (ID) SET post_status ="
                " 'draft'\"); echo wp_count_posts()->publish;",
            )
        )
        archive = tmp_path / "archive"
        assert crawl(archive, f"site={instance.url}").returncode == 0  # every page read
        con = read(archive)
        assert scalar(con, "SELECT count(*) FROM web_pages_latest WHERE lastmod IS NULL") > posts
        files = _files(archive)

        run = crawl(archive, f"site={instance.url}")  # nothing changed
        assert run.returncode == 0
        con = read(archive)
        requests, skipped = con.sql(
            "SELECT requests, pages_skipped FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchall()[0]
        assert requests < posts and skipped > posts / 2  # (every page read: over 70)
        assert _files(archive) == files  # no row written

        # an edit to a post the home page shows (its entry there: title, excerpt, date)
        shown = con.sql(
            "SELECT p.id FROM web_pages_latest p JOIN web_entries e ON e.url = p.url"
            " WHERE p.post_type = 'post' AND len(e.entries) > 0 ORDER BY p.id LIMIT 1"
        ).fetchall()[0][0]
        _rest(instance, "POST", f"/wp/v2/posts/{shown}", {"content": "<p>Edited tonight.</p>"})
        assert crawl(archive, f"site={instance.url}").returncode == 0
        assert read(archive).sql(
            f"SELECT content_text FROM web_pages_latest WHERE id = {shown}"
        ).fetchall() == [("Edited tonight.",)]
        assert _files(archive)[0] == files[0] + 1  # that one page's new version only
    finally:
        wordpress.stop_instance(instance, drop=True)
