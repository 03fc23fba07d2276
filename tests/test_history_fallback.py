"""History on the fallback path, as on the REST path, against real crawls of a site whose
posts change between nights (``tests.historysite``): hidden, login-only, deleted and back;
an edit reverted; a site read by REST then by its pages; a parked domain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.crawl import read, scalar
from tests.historysite import HistorySite
from tests.inprocess import Run, crawl
from tests.test_changes import digest_json


def night(archive: Path, site: HistorySite, *args: str) -> Run:
    return crawl(archive, f"site={site.url}", *args)


def last_run(archive: Path) -> tuple[Any, ...]:
    row: tuple[Any, ...] = (
        read(archive)
        .sql(
            "SELECT outcome, reason, posts_new, tombstones_new FROM runs"
            " ORDER BY started_at DESC LIMIT 1"
        )
        .fetchall()[0]
    )
    return row


def published(archive: Path) -> dict[int, str]:
    rows = read(archive).sql("SELECT id, content_text FROM publications").fetchall()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), rows  # each publication once
    return dict(rows)


def told(archive: Path) -> list[tuple[str, int | None]]:
    """What ``scrapy changes`` tells of the last night: kind and WordPress id."""
    return [(c["kind"], c.get("post_id")) for c in digest_json(archive)]


def events(archive: Path) -> list[tuple[Any, ...]]:
    return (
        read(archive)
        .sql(
            "SELECT id, reason, status, redirect_to LIKE '%/wp-login.php?%' FROM web_tombstones"
            " ORDER BY detected_at, id"
        )
        .fetchall()
    )


def test_hidden_login_deleted_and_back_on_the_fallback(archive: Path) -> None:
    with HistorySite(6) as site:
        first = night(archive, site)
        assert first.returncode == 0, first.stderr[-3000:]
        assert set(published(archive)) == {1, 2, 3, 4, 5, 6}
        # gone from the sitemap: 1 hidden (403), 2 sent to the login page, 3 deleted;
        # still listed: 4 answers 403, 5 sends to the login page
        site.set(1, "hidden")
        site.set(2, "login")
        site.set(3, "deleted")
        site.set(4, "hidden", listed=True)
        site.set(5, "login", listed=True)
        second = night(archive, site)
        assert second.returncode == 0, second.stderr[-3000:]
        outcome, _, new, stones = last_run(archive)
        assert (outcome, new, stones) == ("rest_closed", 0, 5)
        assert sorted(events(archive)) == [
            (1, "hidden", 403, None),
            (2, "hidden", 302, True),
            (3, "deleted", 404, None),
            (4, "hidden", 403, None),
            (5, "hidden", 302, True),
        ]
        assert set(published(archive)) == {6}
        assert sorted(told(archive)) == [("deleted", 3)] + [("hidden", p) for p in (1, 2, 4, 5)]
        con = read(archive)
        assert scalar(con, "SELECT count(*) FROM web_pages_files") == 6  # no login page
        gone = con.sql("SELECT id, reason FROM gone_publications ORDER BY id").fetchall()
        assert gone == [(1, "hidden"), (2, "hidden"), (3, "deleted"), (4, "hidden"), (5, "hidden")]

        # 1-3 back unchanged: a `returned` row each, live again, no new version
        for pid in (1, 2, 3):
            site.set(pid, "live")
        third = night(archive, site)
        assert third.returncode == 0, third.stderr[-3000:]
        assert last_run(archive)[2:] == (0, 0)
        assert set(published(archive)) == {1, 2, 3, 6}
        back = read(archive).sql(
            "SELECT id, status FROM web_tombstones WHERE reason = 'returned' ORDER BY id"
        )
        assert back.fetchall() == [(1, 200), (2, 200), (3, 200)]
        assert sorted(told(archive)) == [("back", 1), ("back", 2), ("back", 3)]
        # 4 and 5 back unchanged, read with -a full=1
        site.set(4, "live")
        site.set(5, "live")
        fourth = night(archive, site, "full=1")
        assert fourth.returncode == 0, fourth.stderr[-3000:]
        assert published(archive) == {p: f"Words of post {p}." for p in range(1, 7)}
        con = read(archive)
        assert scalar(con, "SELECT count(*) FROM web_pages_files") == 6
        assert scalar(con, "SELECT count(*) FROM web_tombstones WHERE reason = 'returned'") == 5
        assert con.sql(
            "SELECT id, returned_at IS NOT NULL FROM gone_publications ORDER BY id"
        ).fetchall() == [(p, True) for p in range(1, 6)]

        # seen again, still there: nothing more is written
        before = scalar(con, "SELECT count(*) FROM web_tombstones_files")
        assert night(archive, site).returncode == 0
        assert scalar(read(archive), "SELECT count(*) FROM web_tombstones_files") == before


def test_a_page_missing_from_a_feed_is_never_tombstoned(archive: Path) -> None:
    with HistorySite(6) as site:
        assert night(archive, site).returncode == 0
        site.feed_only = True  # the sitemap is gone; the feed lists 4-6
        site.set(1, "deleted")
        # no crawl of listings after the feed: the feed is the whole listing, incomplete;
        # no turn to re-read an unlisted page either (its own 404 would rightly tombstone it)
        result = crawl(archive, f"site={site.url}", MPCRAWL_LISTING_PAGES=0, MPCRAWL_RECHECK_DAYS=0)
        assert result.returncode == 1, result.stderr[-3000:]
        outcome, reason, new, stones = last_run(archive)
        assert (outcome, new, stones) == ("partial", 0, 0)
        assert reason.startswith("listing incomplete: only a feed")
        con = read(archive)
        last = "SELECT source, pages_listed FROM runs ORDER BY started_at DESC LIMIT 1"
        assert con.sql(last).fetchall() == [("feed", 3)]
        assert scalar(con, "SELECT count(*) FROM web_tombstones_files") == 0
        assert set(published(archive)) == {1, 2, 3, 4, 5, 6}  # 1: last seen, not guessed
        assert not site.requests("/post-1/")[1:]  # fetched on the first night only


def test_a_revert_shows_the_text_served_last(archive: Path) -> None:
    with HistorySite(3) as site:
        assert night(archive, site).returncode == 0
        site.edit(1, "An edit the site took back.")
        assert night(archive, site).returncode == 0
        assert published(archive)[1] == "An edit the site took back."
        site.edit(1, "Words of post 1.")  # reverted byte for byte
        assert night(archive, site).returncode == 0
        assert last_run(archive)[2] == 1  # the revert is written again: a newer fetch
        assert published(archive)[1] == "Words of post 1."
        assert told(archive) == [("edited", 1)]  # the digest tells the revert
        con = read(archive)
        latest = con.sql("SELECT content_text FROM web_pages_latest WHERE id = 1").fetchall()
        assert latest == [("Words of post 1.",)]
        assert scalar(con, "SELECT count(*) FROM web_pages WHERE id = 1") == 2  # two keys
        assert scalar(con, "SELECT count(*) FROM web_pages_files WHERE id = 1") == 3


def test_a_site_read_by_rest_then_by_its_pages_shows_each_post_once(archive: Path) -> None:
    with HistorySite(6) as site:
        site.rest_open = True
        first = night(archive, site)
        assert first.returncode == 0, first.stderr[-3000:]
        assert last_run(archive)[:3] == ("ok", None, 6)
        site.rest_open = False  # the API closed: the fallback reads the pages
        site.set(6, "deleted")  # and a post REST archived is deleted the same day
        second = night(archive, site)
        assert second.returncode == 0, second.stderr[-3000:]
        outcome, _, new, stones = last_run(archive)
        assert (outcome, new, stones) == ("rest_closed", 5, 1)  # each page's first web row
        con = read(archive)
        assert scalar(con, "SELECT count(*) FROM posts_latest") == 6
        assert scalar(con, "SELECT count(*) FROM web_pages_latest") == 5
        assert set(published(archive)) == {1, 2, 3, 4, 5}  # 11 rows before, 6 among them
        sources = con.sql("SELECT DISTINCT source FROM publications").fetchall()
        assert sources == [("sitemap",)]
        gone = con.sql("SELECT id, reason, status FROM web_tombstones").fetchall()
        assert gone == [(6, "deleted", 404)]  # REST's link, probed: the sitemap misses it
        gone_title = "SELECT title FROM gone_publications WHERE id = 6"
        assert con.sql(gone_title).fetchall() == [("Post 6",)]  # REST's title
        # the digest: the API closed and post 6 deleted; no post is new for a change of path
        assert told(archive) == [("outcome", None), ("deleted", 6)]

        site.edit(2, "Edited while the API was closed.")
        site.set(3, "deleted")
        assert night(archive, site).returncode == 0
        now = published(archive)
        assert set(now) == {1, 2, 4, 5}  # the REST row of 3 ends with its page
        assert now[2] == "Edited while the API was closed."

        site.rest_open = True  # and open again: REST rows are the newest
        site.set(3, "live")
        assert night(archive, site).returncode == 0
        con = read(archive)
        rows = con.sql("SELECT id, source FROM publications ORDER BY id").fetchall()
        # 2 and 3 changed since their pages were read: REST's new versions stand; the
        # others' newest fetch is still their page (the REST sweep found them unchanged);
        # 6, deleted, is REST-tombstoned too
        assert rows == [(1, "sitemap"), (2, "rest"), (3, "rest"), (4, "sitemap"), (5, "sitemap")]


@pytest.mark.parametrize("path", ["fallback", "rest"])
def test_a_parked_domain_archives_nothing_and_tombstones_nothing(archive: Path, path: str) -> None:
    with HistorySite(6) as site:
        site.rest_open = path == "rest"
        assert night(archive, site).returncode == 0
        con = read(archive)
        pages_before = scalar(con, "SELECT count(*) FROM web_pages_files")
        site.parked = True
        result = night(archive, site)
        assert result.returncode == 1
        outcome, reason, new, stones = last_run(archive)
        assert outcome == "partial" and (new, stones) == (0, 0)
        assert reason.startswith("fallback: site replaced: 6 of 6 archived pages probed are gone")
        con = read(archive)
        assert scalar(con, "SELECT count(*) FROM web_pages_files") == pages_before
        assert scalar(con, "SELECT count(*) FROM web_tombstones_files") == 0
        assert set(published(archive)) == {1, 2, 3, 4, 5, 6}  # last seen, never guessed gone
        assert not site.requests("/buy")  # the new site's links are never fetched
