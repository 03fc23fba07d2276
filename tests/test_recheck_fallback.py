"""Nights with nothing to go by (no sitemap ``lastmod``, no validators), against real crawls
of a site whose posts change between nights (``tests.historysite``, its sitemap gone: a
feed of the newest 3 and a home page linking every post): the listings first, then only
the pages whose entry changed or whose turn came (``mpcrawl.plans.recheck``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mpcrawl.defaults import RECHECK_DAYS
from mpcrawl.plans.recheck import due
from tests.crawl import read, scalar
from tests.historysite import HistorySite
from tests.inprocess import Run, crawl

POSTS = 40


def night(archive: Path, site: HistorySite, **settings: str) -> Run:
    run = crawl(archive, f"site={site.url}", **settings)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def posts_read(site: HistorySite, since: int) -> set[int]:
    """The posts whose page was requested after the first ``since`` requests."""
    paths = [e.path for e in site.requests("/post-")[since:]]
    return {int(p.strip("/").removeprefix("post-")) for p in paths}


def started(archive: Path) -> datetime:
    at = scalar(read(archive), "SELECT max(started_at) FROM runs")
    assert isinstance(at, datetime)
    return at


def in_turn(site: HistorySite, archive: Path) -> set[int]:
    """The posts whose turn the last night was (read the night before it)."""
    con = read(archive)
    read_at = dict(con.sql("SELECT url, fetched_at FROM web_pages_latest").fetchall())
    now = started(archive)
    return {
        p
        for p in site.posts
        if due(f"{site.url}/post-{p}/", read_at[f"{site.url}/post-{p}/"], now, RECHECK_DAYS)
    }


def test_a_night_reads_the_listings_then_only_changed_entries_and_pages_in_turn(
    archive: Path,
) -> None:
    with HistorySite(POSTS) as site:
        site.feed_only = True
        night(archive, site)  # the first night reads every post
        assert posts_read(site, 0) == set(site.posts)
        versions = scalar(read(archive), "SELECT count(*) FROM web_pages_files")

        # nothing changed: the listings, and the posts whose turn came, a seventh or so
        before = len(site.requests("/post-"))
        run = night(archive, site)
        turn = in_turn(site, archive)
        assert posts_read(site, before) == turn and len(turn) < POSTS / 2
        assert run.stats["downloader/request_count"] < POSTS  # fewer requests than pages
        con = read(archive)
        assert scalar(con, "SELECT count(*) FROM web_pages_files") == versions  # no row
        last = "SELECT pages_listed, pages_skipped FROM runs ORDER BY started_at DESC LIMIT 1"
        assert con.sql(last).fetchall() == [(POSTS, POSTS - len(turn))]

        # an edit the feed shows (the newest post's date) is archived the same night; one
        # no listing shows (an older post) waits for its turn
        shown, unseen = POSTS, next(p for p in range(1, POSTS - 3) if p not in turn)
        site.edit(shown, "A new text of the newest post.")
        site.edit(unseen, "A new text no listing shows.")
        before = len(site.requests("/post-"))
        night(archive, site)
        read_now = posts_read(site, before)
        assert shown in read_now
        texts = dict(read(archive).sql("SELECT id, content_text FROM publications").fetchall())
        assert texts[shown] == "A new text of the newest post."
        if unseen not in in_turn(site, archive):
            assert unseen not in read_now and texts[unseen] != "A new text no listing shows."

        # its turn comes (every page's, at one day): the edit is archived
        night(archive, site, MPCRAWL_RECHECK_DAYS="1")
        texts = dict(read(archive).sql("SELECT id, content_text FROM publications").fetchall())
        assert texts[unseen] == "A new text no listing shows."
