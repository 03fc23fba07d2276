"""Incremental runs on the sample site: versions kept, deletions noticed, nothing twice."""

from __future__ import annotations

from pathlib import Path

from mpcrawl.sample.server import SampleSite
from tests.crawl import read, scalar
from tests.inprocess import Crawled, crawl


def rows(archive: Path, table: str) -> int:
    return int(scalar(read(archive), f"SELECT count(*) FROM {table}_files"))


def test_edit_hide_delete_then_nothing(sample_site: SampleSite, archive: Path) -> None:
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    ids = sample_site.post_ids()
    edited, hidden, deleted = ids[10], ids[20], ids[30]
    sample_site.edit_post(edited, content="<p>Corrected: the figures were wrong.</p>")
    sample_site.hide_post(hidden)
    sample_site.delete_post(deleted)
    before = {t: rows(archive, t) for t in ("posts", "tombstones")}
    result = crawl(archive, f"site={sample_site.url}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert rows(archive, "posts") == before["posts"] + 1
    con = read(archive)
    stones = con.sql("SELECT id, reason FROM tombstones ORDER BY id").fetchall()
    assert stones == sorted([(hidden, "hidden"), (deleted, "deleted")])
    versions = con.sql(
        f"SELECT version, content_text FROM post_versions WHERE id = {edited} ORDER BY version"
    ).fetchall()
    assert len(versions) == 2 and versions[1][1] == "Corrected: the figures were wrong."
    gone = con.sql("SELECT id, title FROM deleted_posts ORDER BY id").fetchall()
    assert [g[0] for g in gone] == sorted([hidden, deleted]) and all(g[1] for g in gone)
    live = {r[0] for r in con.sql("SELECT id FROM posts_latest WHERE post_type='post'").fetchall()}
    assert hidden not in live and deleted not in live and edited in live
    # A further run adds nothing but its run record.
    snapshot = {t: rows(archive, t) for t in ("posts", "tombstones", "embeds", "terms")}
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    assert {t: rows(archive, t) for t in snapshot} == snapshot


def test_no_change_run_costs_the_sweep_and_at_most_four_more(
    crawled_sample: Crawled, archive: Path
) -> None:
    sample_site = crawled_sample.site
    crawled_sample.copy(archive)
    sample_site.reset_requests()
    assert crawl(archive, f"site={sample_site.url}").returncode == 0
    api = [r for r in sample_site.requests if "rest_route=" in r]
    posts_pages = -(-sample_site.total_posts // 100)
    sweep = [r for r in api if "_fields=id,modified_gmt" in r]
    assert len([r for r in sweep if "wp/v2/posts" in r]) == posts_pages
    assert all("_fields=" in r for r in api if "/wp/v2/posts" in r or "/wp/v2/pages" in r)
    others = [r for r in api if r not in sweep and "rest_route=/&" not in r]
    assert len(others) <= 4, others
    runs = read(archive).sql("SELECT requests FROM runs ORDER BY finished_at").fetchall()
    assert runs[1][0] == len(sample_site.requests)


def test_full_rerun_writes_no_version_twice(crawled_sample: Crawled, archive: Path) -> None:
    crawled_sample.copy(archive)
    before = rows(archive, "posts")
    assert crawl(archive, f"site={crawled_sample.site.url}", "full=1").returncode == 0
    assert rows(archive, "posts") == before


def test_discover_only_records_sites_and_fetches_no_content(
    sample_site: SampleSite, archive: Path
) -> None:
    result = crawl(archive, f"site={sample_site.url}", "discover=1")
    assert result.returncode == 0
    con = read(archive)
    assert con.sql("SELECT outcome, url_form FROM sites").fetchall() == [("ok", "plain")]
    assert rows(archive, "posts") == 0
    assert not [r for r in sample_site.requests if "wp/v2" in r]
