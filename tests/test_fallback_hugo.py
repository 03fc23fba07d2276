"""A real static site built by Hugo: archived from its sitemap, its feed or its links."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import inprocess
from tests.crawl import crawl, read, scalar
from tests.hugo.site import HugoSite


def archived(archive: Path) -> dict[str, tuple[object, ...]]:
    rows = (
        read(archive)
        .sql("SELECT url, title, date_gmt, source, embed_count FROM publications")
        .fetchall()
    )
    return {str(r[0]): r[1:] for r in rows}


def test_every_hugo_page_is_archived_and_a_removed_page_is_tombstoned(tmp_path: Path) -> None:
    with HugoSite(tmp_path / "site", pages=30) as site:
        archive = tmp_path / "archive"
        result = crawl(archive, f"site={site.url}")
        assert result.returncode == 0, result.stderr[-3000:]
        got = archived(archive)
        want = {
            site.url + p.path: (p.title, p.date, "sitemap", 1 if p.video else 0)
            for p in site.pages.values()
        }
        assert got == want  # every content page; the home, section and tag lists are not
        con = read(archive)
        outcome, source, listed, found = con.sql(
            "SELECT outcome, source, pages_listed, pages_found FROM runs"
        ).fetchall()[0]
        assert (outcome, source, found) == ("not_wordpress", "sitemap", 30)
        assert "'mpcrawl/fallback/source/sitemap': 1" in result.stderr
        assert "'mpcrawl/fallback/pages_new': 30" in result.stderr
        print(f"hugo: {found} pages found / {len(site.pages)} built ({listed} URLs listed)")

        gone = site.remove("flood-defences-6")
        site.build()
        assert crawl(archive, f"site={site.url}").returncode == 0
        con = read(archive)
        assert con.sql("SELECT url, reason, status FROM web_tombstones").fetchall() == [
            (site.url + gone.path, "deleted", 404)
        ]
        assert set(archived(archive)) == set(want) - {site.url + gone.path}
        assert scalar(con, "SELECT posts_new FROM runs ORDER BY started_at DESC LIMIT 1") == 0


@pytest.mark.parametrize("rss", [True, False])
def test_without_a_sitemap_the_sites_lists_are_crawled(tmp_path: Path, rss: bool) -> None:
    with HugoSite(tmp_path / "site", pages=12, sitemap=False, rss=rss) as site:
        archive = tmp_path / "archive"
        result = inprocess.crawl(archive, f"site={site.url}")
        assert result.returncode == 0, result.stderr[-3000:]
        got = archived(archive)
        # the home page links the section list (/posts/), which links every page
        assert set(got) == {site.url + p.path for p in site.pages.values()}
        assert {s for *_, s, _ in got.values()} == {"crawl"}
        assert all(title and date for title, date, *_ in got.values())
        con = read(archive)
        assert con.sql("SELECT outcome, source, listing_complete FROM runs").fetchall() == [
            ("not_wordpress", "crawl", True)
        ]
        # a crawl that read every listing vouches for what it lists: a page missing from
        # it is asked for, and its 404 is a tombstone
        gone = site.remove(next(iter(site.pages)))
        site.build()
        assert inprocess.crawl(archive, f"site={site.url}").returncode == 0
        assert read(archive).sql("SELECT url, reason FROM web_tombstones").fetchall() == [
            (site.url + gone.path, "deleted")
        ]


@pytest.mark.parametrize(("rss", "source"), [(True, "feed"), (False, "links")])
def test_a_feed_or_the_home_pages_links_alone_are_no_complete_listing(
    tmp_path: Path, rss: bool, source: str
) -> None:
    with HugoSite(tmp_path / "site", pages=12, sitemap=False, rss=rss) as site:
        archive = tmp_path / "archive"
        # no crawl of listings; no page re-read in its turn either (a removed page's own
        # 404 would rightly tombstone it, on the night its turn comes: tests/plans/test_recheck.py)
        no_crawl = {"MPCRAWL_LISTING_PAGES": "0", "MPCRAWL_RECHECK_DAYS": "0"}
        result = inprocess.crawl(archive, f"site={site.url}", **no_crawl)
        got = archived(archive)
        assert got and set(got) <= {site.url + p.path for p in site.pages.values()}
        assert {s for *_, s, _ in got.values()} == {source}
        # the pages read are archived, but the site is not reported complete: exit 1
        [(outcome, reason, listed_by, complete)] = (
            read(archive)
            .sql("SELECT outcome, reason, source, listing_complete FROM runs")
            .fetchall()
        )
        assert (result.returncode, outcome, listed_by, complete) == (1, "partial", source, False)
        assert reason.startswith("listing incomplete: only ")
        assert ": partial; " in result.stderr and reason in result.stderr
        # and it tombstones nothing
        site.remove(next(iter(site.pages)))
        site.build()
        assert inprocess.crawl(archive, f"site={site.url}", **no_crawl).returncode == 1
        assert scalar(read(archive), "SELECT count(*) FROM web_tombstones") == 0


def test_discover_reports_the_source_and_fetches_no_page(tmp_path: Path) -> None:
    with HugoSite(tmp_path / "site", pages=5) as site:
        archive = tmp_path / "archive"
        result = crawl(archive, f"site={site.url}", "discover=1")
        assert result.returncode == 0, result.stderr[-3000:]
        con = read(archive)
        assert con.sql("SELECT outcome, source, pages_listed FROM runs").fetchall() == [
            ("not_wordpress", "sitemap", 9)  # 5 pages, home, section, tags, categories
        ]
        assert scalar(con, "SELECT count(*) FROM web_pages_files") == 0
