"""A real static site built by Hugo: archived from its sitemap, its feed or its links."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.mark.parametrize(
    ("sitemap", "rss", "source"), [(False, True, "feed"), (False, False, "links")]
)
def test_without_a_sitemap_the_feed_then_the_links_serve(
    tmp_path: Path, sitemap: bool, rss: bool, source: str
) -> None:
    with HugoSite(tmp_path / "site", pages=12, sitemap=sitemap, rss=rss) as site:
        archive = tmp_path / "archive"
        assert crawl(archive, f"site={site.url}").returncode == 0
        got = archived(archive)
        assert {s for *_, s, _ in got.values()} == {source}
        # the feed and the home page's links name the newest pages; all of them are titled
        assert got and set(got) <= {site.url + p.path for p in site.pages.values()}
        assert all(title and date for title, date, *_ in got.values())
        # neither a feed nor a page of links is a complete listing: nothing is ever tombstoned
        site.remove(next(iter(site.pages)))
        site.build()
        assert crawl(archive, f"site={site.url}").returncode == 0
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
