"""WARC capture of the real WordPress (REST, with an application password) and of the same
site with its REST API closed (the fallback's pages)."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest

from mpcrawl.plans.capture import requisites
from mpcrawl.read import connect
from mpcrawl.read.wacz import write_wacz
from mpcrawl.read.warc import record_for
from mpcrawl.wp.sitename import host_key, site_host_keys
from tests.test_real_wordpress import _rest
from tests.test_report import browse
from tests.warc.pywb import replay
from tests.warc.support import (
    assert_rows_point_at_their_objects,
    check_all,
    crawl,
    pointer_of,
    records,
    wacz_validate,
)
from tests.wordpress.archives import ClosedWordPressArchive, CredentialedWordPress
from tests.wordpress.wpserver import Instance


def test_rest_crawl_with_credentials_records_no_secret(
    credentialed_wordpress_archive: CredentialedWordPress,
) -> None:
    # the session's crawl with the password (its revisions are checked in
    # tests/test_real_wordpress.py)
    shared = credentialed_wordpress_archive
    archive, (_login, password) = shared.archive, shared.instance.auth
    assert shared.run.stats["mpcrawl/site/ok"] == 1
    files = check_all(archive)
    for table in ("posts", "terms", "authors", "media"):
        assert_rows_point_at_their_objects(archive, table)
    assert assert_rows_point_at_their_objects(archive, "revisions", key="revision_id") > 0

    revision_requests = [
        r for f in files for r in records(f) if r[0] == "request" and "/revisions" in r[1]
    ]
    assert revision_requests
    for _kind, _uri, headers, http, _payload in revision_requests:
        assert headers["WARC-Mpcrawl-Removed-Headers"] == "Authorization"
        assert not any(name.lower() == "authorization" for name, _ in http)
    raw = b"".join(gzip.decompress(f.read_bytes()) for f in files)
    assert password.encode() not in raw and password.replace(" ", "").encode() not in raw
    assert b"Basic " not in raw


@pytest.fixture
def fallback_archive(closed_wordpress_archive: ClosedWordPressArchive) -> Path:
    """The seeded site with its REST API closed, crawled once a session through the
    fallback with its pages' requisites captured (``tests/test_fallback_wordpress.py``
    reads the same crawl)."""
    stats = closed_wordpress_archive.stats
    assert stats["mpcrawl/site/rest_closed"] == 1
    assert stats["mpcrawl/capture/pages"] > 10 and stats["mpcrawl/capture/requisites"] > 0
    return closed_wordpress_archive.archive


def test_fallback_pages_point_at_the_page_they_were_read_from(fallback_archive: Path) -> None:
    archive = fallback_archive
    check_all(archive)
    con = connect(str(archive))
    rows = con.sql(
        "SELECT url, title, raw_html, warc_filename, warc_record_offset, warc_record_length "
        "FROM web_pages"
    ).fetchall()
    assert len(rows) > 10
    for url, title, raw_html, *pointer in rows:
        capture = record_for(str(archive), pointer_of(pointer))
        assert capture.record_type == "response" and capture.status == 200, url
        assert capture.payload == raw_html
        assert all(w in capture.text() for w in (title or "").split()[:1])
    kinds = con.sql("SELECT DISTINCT kind FROM post_captures").fetchall()
    assert kinds == [("web_page",)]  # the requisites captured are no publications

    # a fallback page is its own capture; the requisites on the site's hosts it loads too
    responses = {r[1] for f in check_all(archive) for r in records(f) if r[0] == "response"}
    url, _title, raw_html, *_ = rows[0]
    hosts = site_host_keys(url)
    wanted = [u for u, _kind in requisites(raw_html, url) if host_key(u) in hosts]
    assert wanted and set(wanted) <= responses


def test_the_wacz_validates_and_pywb_replays_a_post_in_chromium(
    fallback_archive: Path, chromium: str, tmp_path: Path
) -> None:
    wacz = tmp_path / "site.wacz"
    summary = write_wacz(str(fallback_archive), str(wacz))
    assert summary.pages > 10
    assert wacz_validate(wacz)
    con = connect(str(fallback_archive))
    title, text, *pointer = con.sql(
        "SELECT title, content_text, warc_filename, warc_record_offset, warc_record_length "
        "FROM web_pages WHERE post_type = 'post' AND word_count > 50 ORDER BY id LIMIT 1"
    ).fetchall()[0]
    capture = record_for(str(fallback_archive), pointer_of(pointer))
    ts = "".join(ch for ch in capture.date if ch.isdigit())[:14]
    with replay(wacz, tmp_path / "pywb") as base:
        dom = browse(chromium, tmp_path, "--dump-dom", f"{base}/{ts}/{capture.uri}")
    assert dom.returncode == 0, dom.stderr[-2000:]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom.stdout)).split())
    assert title in shown
    assert " ".join(text.split()[:12]) in shown


def test_a_new_versions_page_and_requisites_are_captured_and_replay_with_its_stylesheet(
    small_wordpress_fork: Instance, chromium: str, tmp_path: Path
) -> None:
    instance, archive = small_wordpress_fork, tmp_path / "archive"
    stats = crawl(archive, instance.url, MPCRAWL_CAPTURE_PAGES=True)
    assert stats["mpcrawl/site/ok"] == 1
    responses = {r[1]: r for f in check_all(archive) for r in records(f) if r[0] == "response"}
    con = connect(str(archive))
    pid, title, text, link = con.sql(
        "SELECT id, title, content_text, link FROM posts WHERE post_type = 'post' "
        "AND word_count > 50 ORDER BY id LIMIT 1"
    ).fetchall()[0]
    page = responses[link][4]  # the post's own page, as served that night
    assert html.escape(title).encode() in page or title.encode() in page
    hosts = site_host_keys(instance.url)
    wanted = [(u, k) for u, k in requisites(page, link) if host_key(u) in hosts]
    stylesheets = [u for u, kind in wanted if kind == "stylesheet"]
    assert stylesheets and all(u in responses for u, _ in wanted)
    assert responses[stylesheets[0]][4].strip()  # a stylesheet, not an empty answer
    assert stats["mpcrawl/capture/requisites"] >= len(wanted)
    print(
        f"captured {stats['mpcrawl/capture/pages']} pages, "
        f"{stats['mpcrawl/capture/requisites']} requisites; this page loads {len(wanted)}"
    )

    second = crawl(archive, instance.url, MPCRAWL_CAPTURE_PAGES=True)
    assert second["mpcrawl/site/ok"] == 1 and "mpcrawl/posts/new" not in second
    assert not [k for k in second if k.startswith("mpcrawl/capture/")]
    quiet = check_all(archive)[-1]
    assert not [r for r in records(quiet) if r[1] == link or r[1] in stylesheets]

    # An edit: the new version's page is captured again; its stylesheets, asked for again
    # with it, are unchanged, so each is a revisit of the payload archived the first night.
    _rest(instance, "POST", f"/wp/v2/posts/{pid}", {"title": "Edited for the capture"})
    third = crawl(archive, instance.url, MPCRAWL_CAPTURE_PAGES=True)
    assert third["mpcrawl/posts/new"] == third["mpcrawl/capture/pages"] == 1
    last = {r[1]: r for r in records(check_all(archive)[-1]) if r[0] in ("response", "revisit")}
    assert last[link][0] == "response" and b"Edited for the capture" in last[link][4]
    assert all(last[u][0] == "revisit" for u in stylesheets)

    wacz = tmp_path / "site.wacz"
    summary = write_wacz(str(archive), str(wacz))
    assert wacz_validate(wacz)
    assert summary.pages == stats["mpcrawl/capture/pages"] + third["mpcrawl/capture/pages"]
    ts = "".join(ch for ch in responses[link][2]["WARC-Date"] if ch.isdigit())[:14]
    with replay(wacz, tmp_path / "pywb") as base:
        dom = browse(chromium, tmp_path, "--dump-dom", f"{base}/{ts}/{link}")
    assert dom.returncode == 0, dom.stderr[-2000:]
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom.stdout)).split())
    assert title in shown and " ".join(text.split()[:12]) in shown
    served = (tmp_path / "pywb" / "wayback.log").read_text()
    assert re.search(rf"GET /mpcrawl/{ts}\w*_/{re.escape(stylesheets[0])} \S+ 200", served)
