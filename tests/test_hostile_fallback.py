"""Hostile and broken sites on the fallback path (issue 26): one bad value costs one value,
an incomplete listing tombstones nothing, a listing cut at a cap is named.

Each test runs ``scrapy crawl wp`` (in process) against a :class:`HostileSite` whose REST
API is closed, so the fallback reads its sitemaps, feeds and pages, and checks what a user
sees: the archive's rows, the run record, the exit status and the site's one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.crawl import read, scalar
from tests.hostileserver import (
    Hostile,
    HostileSite,
    atom,
    closed_site,
    urlset,
    wp_page,
)
from tests.inprocess import Run, crawl
from tests.test_hostile import finished_line, run_row

OUT_OF_RANGE = "outside years 1..9999 in UTC"


def closed(pages: int = 30, per_sitemap: int = 15) -> HostileSite:
    site = HostileSite(Hostile(rest=False))
    site.hostile.web.update(closed_site(site.url, pages, per_sitemap))
    return site


def pages(archive: Path) -> dict[str, tuple[Any, ...]]:
    """Archived page versions by path: (id, date_gmt, lastmod, bad_values)."""
    rows = (
        read(archive).sql("SELECT url, id, date_gmt, lastmod, bad_values FROM web_pages").fetchall()
    )
    return {str(r[0]).split("/", 3)[3]: r[1:] for r in rows}


def settled(result: Run, archive: Path) -> dict[str, Any]:
    """The run record, after checking the crawl printed no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return run_row(archive)


# --- one bad value costs that value ---------------------------------------------------


def test_an_id_beyond_int64_is_null_and_its_page_archived(archive: Path) -> None:
    with closed() as site:
        site.hostile.web["/post-7/"] = (200, wp_page(7, shortlink="99999999999999999999999"))
        site.hostile.web["/post-8/"] = (
            200,
            wp_page(8, shortlink="", body_id="18446744073709551616"),
        )
        result = crawl(archive, f"site={site.url}")
    run = settled(result, archive)
    got = pages(archive)
    assert len(got) == 30  # before: the 30 pages of the site/year partition were lost
    assert got["post-7/"][0] is None and got["post-8/"][0] is None
    assert got["post-7/"][3] == ["id: 99999999999999999999999 is beyond int64"]
    assert got["post-8/"][3] == ["id: 18446744073709551616 is beyond int64"]
    assert {p: r[0] for p, r in got.items() if r[3] is None} == {
        f"post-{i}/": i for i in range(1, 31) if i not in (7, 8)
    }
    assert result.returncode == 0 and run["errors"] == 0 and run["bad_objects"] == 2
    assert run["outcome"] in ("rest_closed", "not_wordpress")  # nothing was lost
    assert "2 with bad values (see bad_values)" in finished_line(result.stderr)


def test_a_lastmod_outside_years_1_to_9999_costs_only_that_lastmod(archive: Path) -> None:
    with closed() as site:
        url = site.url
        web = site.hostile.web
        first = [(f"{url}/post-{i}/", "2024-06-01T10:00:00+00:00") for i in range(1, 16)]
        first[4] = (f"{url}/post-5/", "9999-12-31T23:59:59-01:00")
        second = [(f"{url}/post-{i}/", "2024-06-01T10:00:00+00:00") for i in range(16, 31)]
        second[4] = (f"{url}/post-20/", "0001-01-01T00:00:00+01:00")
        web["/wp-sitemap-posts-post-1.xml"] = (200, urlset(*first))
        web["/wp-sitemap-posts-post-2.xml"] = (200, urlset(*second))
        result = crawl(archive, f"site={site.url}")
        rerun = crawl(archive, f"site={site.url}")
    run = settled(result, archive)
    got = pages(archive)
    assert len(got) == 30  # before: the whole sitemap dropped, 0 of 30, rest_closed
    assert got["post-5/"][2:] == (None, [f"lastmod: {OUT_OF_RANGE}: '9999-12-31T23:59:59-01:00'"])
    assert got["post-20/"][2:] == (None, [f"lastmod: {OUT_OF_RANGE}: '0001-01-01T00:00:00+01:00'"])
    assert all(r[2] is not None for p, r in got.items() if p not in ("post-5/", "post-20/"))
    assert result.returncode == 0 and run["errors"] == 0 and run["bad_objects"] == 2
    assert run["source"] == "sitemap" and run["pages_listed"] == 30
    assert "2 sitemap lastmod values no column holds" in result.stderr
    # the next night: the two pages without a lastmod are fetched again, nothing new
    again = settled(rerun, archive)
    assert rerun.returncode == 0 and again["posts_new"] == 0 and again["bad_objects"] == 2
    assert scalar(read(archive), "SELECT count(*) FROM web_tombstones") == 0


def test_a_feed_entry_dated_0001_or_9999_loses_only_its_date(archive: Path) -> None:
    with HostileSite(Hostile(rest=False)) as site:
        url = site.url
        entries = [(f"{url}/post-{i}/", f"2024-05-{i:02}T10:00:00+01:00") for i in range(1, 11)]
        entries[2] = (f"{url}/post-3/", "0001-01-01T00:00:00+01:00")
        entries[6] = (f"{url}/post-7/", "9999-12-31T23:59:59-01:00")
        site.hostile.web["/feed/"] = (200, atom(*entries))
        for i in range(1, 11):
            site.hostile.web[f"/post-{i}/"] = (200, wp_page(i))
        result = crawl(archive, f"site={site.url}")
    run = settled(result, archive)
    got = pages(archive)
    assert len(got) == 10  # before: the whole feed dropped, 0 of 10
    assert got["post-3/"][2:] == (
        None,
        [
            f"feed published: {OUT_OF_RANGE}: 0000-12-31T23:00:00",
            f"feed updated: {OUT_OF_RANGE}: 0000-12-31T23:00:00",
        ],
    )
    assert got["post-7/"][2] is None and len(got["post-7/"][3]) == 2
    assert sorted(p for p, r in got.items() if r[3]) == ["post-3/", "post-7/"]
    # the feed names the newest pages, then the crawl of listings reads the rest
    assert result.returncode == 0 and run["source"] == "crawl" and run["bad_objects"] == 2
    assert run["errors"] == 0


PAGE_DATES = {
    "meta": {
        "head": '<meta property="article:published_time" content="9999-12-31T23:59:59-01:00">'
    },
    "json-ld": {
        "head": '<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "Article", "datePublished": "0001-01-01T00:00:00+01:00"}</script>'
    },
    "time": {
        "head": "<meta name='x' content='y'>",
        "article": '<time class="entry-date" datetime="9999-12-31T23:59:59-01:00">'
        "31 December 9999</time>",
    },
}


def test_a_page_date_outside_years_1_to_9999_is_null_and_the_page_archived(
    archive: Path,
) -> None:
    with closed() as site:
        for n, parts in enumerate(PAGE_DATES.values(), start=3):
            site.hostile.web[f"/post-{n}/"] = (200, wp_page(n, **parts))
        result = crawl(archive, f"site={site.url}")
        rerun = crawl(archive, f"site={site.url}", "full=1")
    run = settled(result, archive)
    got = pages(archive)
    assert len(got) == 30  # before: these pages never archived, a traceback every run
    for n, where in enumerate(PAGE_DATES, start=3):
        date_gmt, _lastmod, bad = got[f"post-{n}/"][1:]
        assert date_gmt is None, where  # no day guessed from the printed "31 December 9999"
        assert bad and bad[0].startswith(f"date_gmt: {OUT_OF_RANGE}"), where
    assert all(r[1] is not None for p, r in got.items() if not r[3])
    assert result.returncode == 0 and run["errors"] == 0 and run["bad_objects"] == 3
    again = settled(rerun, archive)
    assert rerun.returncode == 0 and again["posts_new"] == 0 and again["bad_objects"] == 3


# --- a listing is complete only when it was read whole ---------------------------------

PHP_FATAL = (
    b"<br />\n<b>Fatal error</b>: Allowed memory size of 134217728 bytes exhausted (tried to"
    b" allocate 20480 bytes) in <b>/var/www/html/wp-includes/class-wpdb.php</b> on line "
    b"<b>2187</b><br />\n"
)


def broken(body: bytes) -> dict[str, bytes]:
    """The second child sitemap as a broken night serves it, three ways."""
    half = len(body) // 2
    syntax = body[:half] + body[half:].replace(b"</loc>", b"</lo>", 1)
    return {"php-fatal-error": PHP_FATAL, "cut-off": body[:half], "syntax-error-halfway": syntax}


@pytest.mark.parametrize("how", ["php-fatal-error", "cut-off", "syntax-error-halfway"])
def test_a_sitemap_not_read_whole_tombstones_nothing(archive: Path, how: str) -> None:
    with closed(pages=40, per_sitemap=20) as site:
        assert crawl(archive, f"site={site.url}").returncode == 0
        assert len(pages(archive)) == 40
        child = "/wp-sitemap-posts-post-2.xml"
        web = site.hostile.web
        web[child] = (200, broken(web[child][1])[how])
        for i in range(21, 41):  # the site is down behind its sitemap too
            web[f"/post-{i}/"] = (404, b"<html><body class='error404'>Not found</body></html>")
        result = crawl(archive, f"site={site.url}")
    run = settled(result, archive)
    # before: 20 of 40 pages got false `deleted` tombstones, and the run was ok
    assert scalar(read(archive), "SELECT count(*) FROM web_tombstones") == 0
    assert result.returncode == 1 and run["outcome"] == "partial"
    why = "not a sitemap" if how == "php-fatal-error" else "not read to its end"
    assert run["reason"].startswith(f"fallback: sitemap incomplete: {site.url}{child}: {why}")
    assert f"{site.url}{child}" in finished_line(result.stderr)


# --- a listing cut at a cap makes the site partial, the sitemap named ------------------


def test_a_sitemap_cut_at_the_url_cap_makes_the_site_partial(archive: Path) -> None:
    with closed(pages=30, per_sitemap=30) as site:
        result = crawl(archive, f"site={site.url}", MPCRAWL_SITEMAP_MAX_URLS="20")
    run = settled(result, archive)
    assert len(pages(archive)) == 20  # what was read before the cap is archived
    assert result.returncode == 1 and run["outcome"] == "partial"
    assert run["reason"] == (
        f"fallback: sitemap incomplete: {site.url}/wp-sitemap-posts-post-1.xml: "
        "cut at the cap of 20 URLs per site (MPCRAWL_SITEMAP_MAX_URLS)"
    )


def test_a_sitemap_over_the_download_size_cap_makes_the_site_partial(archive: Path) -> None:
    with closed(pages=30, per_sitemap=15) as site:
        child = "/wp-sitemap-posts-post-2.xml"
        padded = site.hostile.web[child][1].replace(b"<url>", b"<!--" + b" " * 4000 + b"--><url>")
        site.hostile.web[child] = (200, padded)
        assert len(padded) > 50_000
        result = crawl(archive, f"site={site.url}", DOWNLOAD_MAXSIZE="50000")
    run = settled(result, archive)
    assert len(pages(archive)) == 15  # the first child's pages
    assert result.returncode == 1 and run["outcome"] == "partial"
    assert f"sitemap incomplete: {site.url}{child}" in run["reason"]
    assert scalar(read(archive), "SELECT count(*) FROM web_tombstones") == 0


def test_a_well_known_sitemap_over_the_download_size_cap_is_named(archive: Path) -> None:
    with closed(pages=30, per_sitemap=15) as site:
        root = "/wp-sitemap.xml"  # found by trying the usual addresses, not listed anywhere
        padded = site.hostile.web[root][1].replace(b"<sitemap>", b"<!--" + b" " * 30000 + b"-->")
        site.hostile.web[root] = (200, padded)
        result = crawl(archive, f"site={site.url}", DOWNLOAD_MAXSIZE="50000")
    run = settled(result, archive)
    # no sitemap could be read: the crawl of listings from the home page serves, and the
    # site says what it lacks
    assert run["source"] == "crawl" and list(pages(archive)) == ["post-1/"]
    assert result.returncode == 1 and run["outcome"] == "partial"
    assert run["reason"].startswith(f"fallback: sitemap incomplete: {site.url}{root}: ")
