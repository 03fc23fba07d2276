"""``scrapy report``: the page's numbers against DuckDB, and the page in a real browser.

The archive is made the way users make one: ``scrapy crawl wp`` against the sample site
(and a dead port, to see a site failing three runs in a row), with an edit (a hostile title),
a deletion and a hidden post between runs.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.read import connect
from mpcrawl.read.report import build_report, charts, write_report
from mpcrawl.read.report.queries import Monthly
from mpcrawl.sample.server import SampleSite
from tests.inprocess import command, crawl
from tests.shared import REPO

HOSTILE = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script> costs $5 $"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
]


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    links: list[list[str | None]] = field(default_factory=list)


class Page(HTMLParser):
    """The tables of a report, each under the heading or chart caption before it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.heading = ""
        self._text: list[str] | None = None
        self._href: str | None = None
        self._cells: list[str] = []
        self._links: list[str | None] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3", "figcaption", "th", "td"):
            self._text = []
            self._href = None
        if tag == "table":
            self.tables.append(Table(self.heading, []))
        if tag == "a" and self._text is not None:
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            if self._cells:
                self.tables[-1].rows.append(self._cells)
                self.tables[-1].links.append(self._links)
            self._cells, self._links = [], []
            return
        if self._text is None:
            return
        text = " ".join("".join(self._text).split())
        if tag in ("h2", "h3", "figcaption"):
            self.heading, self._text = text, None
        elif tag == "th":
            self.tables[-1].headers.append(text)
            self._text = None
        elif tag == "td":
            self._cells.append(text)
            self._links.append(self._href)
            self._text = None

    def table(self, title: str) -> Table:
        found = [t for t in self.tables if t.title == title]
        assert len(found) == 1, (title, [t.title for t in self.tables])
        return found[0]

    def column(self, title: str, header: str) -> list[str]:
        table = self.table(title)
        index = table.headers.index(header)
        return [row[index] for row in table.rows]


def number(text: str) -> int:
    return int(text.replace(",", ""))


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class History:
    archive: Path
    site: SampleSite
    edited: int
    deleted: int
    hidden: int
    dead_site: str


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    """Three runs over the sample site and a dead one; an edit, a deletion, a hide between."""
    archive = tmp_path_factory.mktemp("report") / "archive"
    port = dead_port()
    with SampleSite() as site:
        sites = f"url,name\n{site.url},Sarah Pennington\nhttp://127.0.0.1:{port},Gone Away\n"
        first = crawl(archive, f"sites_csv={sites}")
        assert first.returncode == 1, first.stderr[-2000:]  # one site failed
        ids = site.post_ids()
        edited, deleted, hidden = ids[5], ids[6], ids[7]
        site.edit_post(edited, title=html.escape(HOSTILE))  # the title's text is HOSTILE
        site.delete_post(deleted)
        site.hide_post(hidden)
        for _ in range(2):
            result = crawl(archive, f"sites_csv={sites}")
            assert result.returncode == 1, result.stderr[-2000:]
        yield History(archive, site, edited, deleted, hidden, f"127.0.0.1_{port}")


@pytest.fixture(scope="module")
def report(history: History, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``scrapy report`` run as a user runs it."""
    output = tmp_path_factory.mktemp("html") / "report.html"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "report",
            "-s",
            f"MPCRAWL_ARCHIVE={history.archive}",
            "-o",
            str(output),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"Report written to {output.resolve()}"
    return output


def test_runs_table_puts_the_failing_site_first_and_matches_the_runs_table(
    history: History, report: Path
) -> None:
    page = Page(report.read_text(encoding="utf-8"))
    runs = page.table("Runs")
    con = connect(str(history.archive))
    last = {
        site: (outcome, requests, errors)
        for site, outcome, requests, errors in con.sql(
            "SELECT site, outcome, requests, errors FROM runs "
            "QUALIFY row_number() OVER (PARTITION BY site ORDER BY finished_at DESC) = 1"
        ).fetchall()
    }
    assert len(runs.rows) == len(last) == 2
    first = runs.rows[0]
    assert first[0].startswith("Gone Away") and history.dead_site in first[0]
    assert "failing 3 runs" in first[0]
    assert first[1] == "UUU"  # three runs, each shown by its letter
    for row in runs.rows:
        site = next(s for s in last if s in row[0])
        outcome, requests, errors = last[site]
        cells = dict(zip(runs.headers, row, strict=True))
        assert (cells["last outcome"], number(cells["requests"]), number(cells["errors"])) == (
            outcome,
            requests,
            errors,
        )
    ok = runs.rows[1]
    assert ok[1] == "✓✓✓" and ok[4] != "–"  # last success shown
    assert first[4] == "–"  # never succeeded


def test_content_video_history_and_hansard_tables_match_duckdb(
    history: History, report: Path
) -> None:
    page = Page(report.read_text(encoding="utf-8"))
    con = connect(str(history.archive))
    con.execute("SET TimeZone = 'UTC'")

    per_month = dict(
        con.sql(
            "SELECT strftime(date_gmt, '%Y-%m'), count(*) FROM posts_latest "
            "WHERE post_type = 'post' GROUP BY 1"
        ).fetchall()
    )
    table = page.table("Posts per month, all sites")
    shown = {row[0]: number(row[1]) for row in table.rows}
    assert {m: n for m, n in shown.items() if n} == per_month
    assert sum(shown.values()) == history.site.total_posts

    active = page.table("Most active sites")
    posts, pages, words = con.sql(
        "SELECT count(*) FILTER (post_type = 'post'), count(*) FILTER (post_type = 'page'), "
        "sum(word_count) FILTER (post_type = 'post') FROM posts_latest"
    ).fetchall()[0]
    row = dict(zip(active.headers, active.rows[0], strict=True))
    assert row["site"].startswith("Sarah Pennington")
    assert (number(row["posts"]), number(row["pages"]), number(row["words in posts"])) == (
        posts,
        pages,
        words,
    )
    bins = page.table("Words per post")
    assert sum(number(r[1]) for r in bins.rows) == posts

    embeds = dict(
        con.sql(
            "SELECT e.provider, count(*) FROM embeds_latest e JOIN posts_latest p "
            "ON p.site = e.site AND p.post_type = e.post_type AND p.id = e.post_id GROUP BY 1"
        ).fetchall()
    )
    video = page.table("Video embeds per month, by provider")
    assert video.headers[: len(embeds) + 1] == [
        "month (UTC)",
        *sorted(embeds, key=lambda p: (-embeds[p], p)),
    ]
    for provider, count in embeds.items():
        assert sum(number(n) for n in page.column(video.title, provider)) == count
    latest = page.table("Latest videos")
    assert latest.rows and all(
        href is None or href.startswith(("http://", "https://"))
        for links in latest.links
        for href in links
    )

    edits = page.table("Edits and deletions per month")
    assert edits.headers == ["month (UTC)", "edits", "deleted", "hidden"]
    assert [sum(number(r[i]) for r in edits.rows) for i in (1, 2, 3)] == [1, 1, 1]
    versions = page.table("Versions per post")
    assert [[number(c) for c in r] for r in versions.rows] == [
        list(r)
        for r in con.sql(
            "SELECT versions, count(*) FROM (SELECT count(*) AS versions FROM posts "
            "GROUP BY site, post_type, id) GROUP BY 1 ORDER BY 1"
        ).fetchall()
    ]
    edited = page.table("Most edited")
    assert con.sql(f"SELECT title FROM posts_latest WHERE id = {history.edited}").fetchall() == [
        (HOSTILE,)
    ]
    assert len(edited.rows) == 1 and edited.rows[0][2] == HOSTILE
    stones = page.table("Latest tombstones")
    gone = {
        (str(i), reason, title)
        for i, reason, title in con.sql("SELECT id, reason, title FROM deleted_posts").fetchall()
    }
    assert {(r[3], r[4], r[5]) for r in stones.rows} == gone
    assert {r[3] for r in stones.rows} == {str(history.deleted), str(history.hidden)}
    assert all(
        href and href.startswith("http://127.0.0.1:")
        for href in (links[5] for links in stones.links)
    )

    speakers = page.table("Most frequent speakers, by turns")
    top = con.sql(
        "SELECT t.speaker, count(*) AS n FROM turns_latest t JOIN posts_latest p "
        "ON p.site = t.site AND p.post_type = t.post_type AND p.id = t.post_id "
        "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 15"
    ).fetchall()
    assert [(r[0], number(r[3])) for r in speakers.rows] == top
    posts_with_turns, turns = con.sql(
        "SELECT count(DISTINCT (t.site, t.post_id)), count(*) FROM turns_latest t "
        "JOIN posts_latest p ON p.site = t.site AND p.post_type = t.post_type AND p.id = t.post_id"
    ).fetchall()[0]
    exchanges = page.table("Exchanges and speaker turns per month")
    assert exchanges.headers == ["month (UTC)", "exchanges", "turns"]
    assert [sum(number(r[i]) for r in exchanges.rows) for i in (1, 2)] == [posts_with_turns, turns]


def test_hostile_title_is_text_and_the_page_needs_no_network(report: Path) -> None:
    text = report.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    assert "&lt;img src=x onerror=&quot;document.title=&#x27;pwned&#x27;&quot;&gt;" in text
    # Nothing is fetched when the page is viewed: no src attributes, links only to sections
    # (and chart-internal references) or to http(s) pages the reader may follow.
    assert not re.search(r"<[^>]*\bsrc=", text)
    hrefs = re.findall(r'\bhref="([^"]*)"', text)
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", text)
    assert "default-src 'none'" in text
    assert len(text.encode()) < 400_000


def test_element_ids_are_unique_across_charts(report: Path) -> None:
    ids = re.findall(r'\bid="([^"]+)"', report.read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)) > 20


def test_heatmap_rows_are_named_in_text(tmp_path: Path) -> None:
    data = Monthly(("2025-11", "2025-12"), ((HOSTILE, (1, 0)), ("b.org", (2, 3))))
    svg = charts.heatmap(data, "chart-t", "Heat map")
    assert svg.startswith('<svg xmlns:xlink="http://www.w3.org/1999/xlink" id="chart-t"')
    assert "&lt;img src=x" in svg and "<img" not in svg and "<script" not in svg
    assert ">b.org</text>" in svg and "<metadata>" not in svg


def test_same_archive_same_bytes(history: History) -> None:
    now = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    first = build_report(str(history.archive), now=now)
    assert build_report(str(history.archive), now=now) == first


def test_empty_archive_gives_a_page_that_says_so(tmp_path: Path) -> None:
    ArchiveWriter(ArchiveLocation.parse(str(tmp_path / "archive")), "r0").close()  # no rows
    path = write_report(str(tmp_path / "archive"), tmp_path / "out" / "r.html")
    text = path.read_text(encoding="utf-8")
    assert "No crawl run is recorded in this archive yet." in text
    assert "No post is archived yet." in text
    assert "<svg" not in text


def test_missing_archive_is_a_usage_error(tmp_path: Path) -> None:
    result = command("report", "-s", f"MPCRAWL_ARCHIVE={tmp_path / 'no'}")  # in this process
    assert result.returncode == 2
    assert b"no archive there" in result.stderr


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed by ``tests/install_debian.sh`` when missing (as root)."""
    found = shutil.which("chromium")
    if found is None:
        script = REPO / "tests" / "install_debian.sh"
        result = subprocess.run(
            ["bash", str(script), "chromium", "chromium", "the report's browser checks"],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        found = shutil.which("chromium")
        if found is None:
            pytest.skip(f"chromium is missing: {(result.stdout + result.stderr).strip()}")
    return found


def browse(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )


def test_report_in_headless_chromium(chromium: str, report: Path, tmp_path: Path) -> None:
    url = report.resolve().as_uri()
    dom = browse(chromium, tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    console = [line for line in dom.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
    assert "<title>mpcrawl archive report</title>" in dom.stdout  # no script renamed it
    assert "<img" not in dom.stdout and "&lt;img src=x" in dom.stdout
    assert dom.stdout.count("<svg") == 6
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in (("report.png", "1280,2600"), ("report-phone.png", "390,844")):
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        result = browse(chromium, tmp_path, f"--window-size={size}", f"--screenshot={shot}", url)
        assert result.returncode == 0, result.stderr[-2000:]
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(header[16:20]), int.from_bytes(header[20:24])
        assert f"{width},{height}" == size
