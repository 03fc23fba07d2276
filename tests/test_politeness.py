"""Politeness a site asks for: robots.txt ``Crawl-delay`` obeyed up to a cap, robots.txt
and the home page fetched once per run, a budget that drops a site's queue in one step."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

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
    assert len(spaced) >= 8  # the home page, 2 probes, the sitemap, 4 articles, ...
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
