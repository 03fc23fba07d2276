"""``scrapy report`` over an archive whose posts are dated anywhere from 0001 to 9999.

Before the month axis was bounded, such an archive made the report build a bar per month
for ten thousand years: 2.2 GB and no end. Now it draws the busiest 50 years
(``MAX_MONTHS``) and counts the rest as outside the chart.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from mpcrawl.read.report.queries import MAX_MONTHS
from tests.crawl import read, scalar
from tests.hostileserver import Hostile, HostileSite, post
from tests.inprocess import crawl
from tests.shared import REPO

YEARS = [1, 2, 3, 100, 1000, 1999, *range(2010, 2026), 3000, 5000, 9000, 9998, 9999]


def test_report_of_posts_dated_0001_to_9999_is_bounded(archive: Path) -> None:
    posts = [post(i + 1, year=year) for i, year in enumerate(YEARS)]
    with HostileSite(Hostile(posts=posts)) as site:
        result = crawl(archive, f"site={site.url}")
    assert result.returncode == 0, result.stderr[-2000:]
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM posts") == len(YEARS)
    assert scalar(con, "SELECT min(year(date_gmt)) FROM posts") == 1
    assert scalar(con, "SELECT max(year(date_gmt)) FROM posts") == 9999
    # Before the bound the report never finished: a timeout here is that failure.
    output = archive.parent / "report.html"
    command = [sys.executable, "-m", "scrapy", "report", "-o", str(output)]
    report = subprocess.run(
        [*command, "-s", f"MPCRAWL_ARCHIVE={archive}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert report.returncode == 0, report.stderr[-2000:]
    page = output.read_text(encoding="utf-8")
    assert len(page) < 2_000_000
    # the monthly tables list the busiest span's months, not ten thousand years of them
    months = set(re.findall(r">(\d{4}-\d\d)<", page))
    assert {"1999-01", "2010-01", "2025-01"} <= months
    assert len(months) <= MAX_MONTHS and not months & {"0001-01", "9999-01"}
