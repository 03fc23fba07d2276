"""Politeness a site asks for: robots.txt ``Crawl-delay`` obeyed up to a cap, robots.txt
and the home page fetched once per run, a budget that drops a site's queue in one step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from tests.crawl import read
from tests.inprocess import crawl
from tests.politeserver import PoliteSite


def gaps(site: PoliteSite) -> list[float]:
    """Seconds between the starts of consecutive requests, as the server logged them."""
    times = [h.at for h in site.hits()]
    return [b - a for a, b in pairwise(times)]


def test_crawl_delay_spaces_every_request_of_the_site(tmp_path: Path) -> None:
    with PoliteSite(4, robots="User-agent: *\nCrawl-delay: 1\n") as site:
        result = crawl(tmp_path / "archive", f"site={site.url}", MPCRAWL_MAX_CRAWL_DELAY="10")
        spaced = gaps(site)[1:]  # robots.txt comes before the delay is known
    assert result.returncode == 0, result.stderr[-2000:]
    assert "robots.txt asks Crawl-delay: 1; requests spaced 1 s" in result.stderr
    assert len(spaced) == 7  # robots.txt, then the home page, 2 probes, the sitemap, 4 articles
    print("spacing (s):", " ".join(f"{g:.2f}" for g in spaced))
    assert min(spaced) >= 0.95, spaced
    assert read(tmp_path / "archive").sql("SELECT count(*) FROM web_pages").fetchall() == [(4,)]


def test_a_crawl_delay_above_the_cap_is_capped(tmp_path: Path) -> None:
    with PoliteSite(3, robots="User-agent: *\nCrawl-delay: 30\n") as site:
        result = crawl(tmp_path / "archive", f"site={site.url}", MPCRAWL_MAX_CRAWL_DELAY="0.5")
        spaced = gaps(site)[1:]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Crawl-delay: 30; requests spaced 0.5 s (capped by MPCRAWL_MAX_CRAWL_DELAY=0.5)" in (
        result.stderr
    )
    assert min(spaced) >= 0.45 and max(spaced) < 5, spaced


def test_a_site_over_its_budget_drops_its_queue_in_one_step(tmp_path: Path) -> None:
    with PoliteSite(50_000) as site:
        result = crawl(tmp_path / "archive", f"site={site.url}", MPCRAWL_SITE_MAX_REQUESTS="40")
        served = len(site.hits())
    assert result.returncode == 1, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if "] WARNING: " in line]
    warnings = [line for line in lines if "site finished: " not in line]
    print(f"{len(warnings)} warning lines")
    assert len(warnings) == 1, warnings[:5]
    assert "MPCRAWL_SITE_MAX_REQUESTS=40 requests reached" in warnings[0]
    assert served <= 40
    (record,) = (
        read(tmp_path / "archive")
        .sql("SELECT outcome, reason, requests, pages_listed FROM runs")
        .fetchall()
    )
    assert record[0] == "partial" and "MPCRAWL_SITE_MAX_REQUESTS=40" in record[1]
    assert "listed pages not requested" in record[1]
    assert record[2] == 40 and record[3] == 50_000


def test_a_date_only_lastmod_of_the_fetch_day_looks_again(tmp_path: Path) -> None:
    """Wagtail's sitemap says only the day: a second edit that day keeps the same lastmod."""
    today = datetime.now(UTC).date().isoformat()
    archive = tmp_path / "archive"
    with PoliteSite(3, lastmod=today) as site:
        assert crawl(archive, f"site={site.url}").returncode == 0
        site.edits[1] = 1
        before = len(site.hits())
        again = crawl(archive, f"site={site.url}")
        pages = [h for h in site.hits()[before:] if h.path.startswith("/news/")]
    assert again.returncode == 0, again.stderr[-2000:]
    assert sorted(h.path for h in pages) == ["/news/0", "/news/1", "/news/2"]
    assert all(h.headers.get("If-None-Match") for h in pages)  # asked conditionally
    versions = read(archive).sql("SELECT url, count(*) FROM web_pages GROUP BY url ORDER BY url")
    assert [n for _, n in versions.fetchall()] == [1, 2, 1]


def test_a_date_only_lastmod_before_the_fetch_day_still_skips(tmp_path: Path) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    archive = tmp_path / "archive"
    with PoliteSite(3, lastmod=yesterday) as site:
        assert crawl(archive, f"site={site.url}").returncode == 0
        before = len(site.hits())
        again = crawl(archive, f"site={site.url}")
        pages = [h for h in site.hits()[before:] if h.path.startswith("/news/")]
    assert again.returncode == 0, again.stderr[-2000:]
    assert pages == []


@pytest.mark.parametrize("sitemap", [True, False])
def test_robots_txt_and_the_home_page_are_fetched_once(tmp_path: Path, sitemap: bool) -> None:
    with PoliteSite(3, sitemap=sitemap) as site:
        result = crawl(tmp_path / "archive", f"site={site.url}")
        asked = [h.path for h in site.hits()]
    assert result.returncode == 0, result.stderr[-2000:]
    assert (asked.count("/robots.txt"), asked.count("/")) == (1, 1), asked
    (record,) = read(tmp_path / "archive").sql("SELECT errors, pages_found FROM runs").fetchall()
    assert record == (0, 3)
