"""The fallback path's state: read from the archive by the ledger, a bad file ends the site.

A file in ``web_pages`` that is not Parquet (dropped there by hand, a truncated copy) must
end its site ``error`` with a reason naming the file, as a bad file of the REST tables
does, and never look like a run cut short.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.state import ArchiveStateError
from mpcrawl.archive.web_state import load_web_state
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.ledger import row_of
from mpcrawl.read import connect
from mpcrawl.sitelist import SiteEntry
from mpcrawl.web.items import WebEntryItem, WebPageItem, WebTombstoneItem
from tests.hugo.site import HugoSite
from tests.inprocess import ledger, wp_crawler

SITE = "ex.org"
AT = datetime(2026, 1, 2, tzinfo=UTC)


def page(url: str, version: str, fetched_at: datetime) -> WebPageItem:
    return WebPageItem(
        SITE, "sitemap", url, version_sha256=version, fetched_at=fetched_at, run_id="r"
    )


def write(archive: Path, *rows: WebPageItem | WebTombstoneItem | WebEntryItem) -> ArchiveLocation:
    location = ArchiveLocation.parse(str(archive))
    writer = ArchiveWriter(location, "r")
    for row in rows:
        writer.write(row.table, row_of(row), 2026 if isinstance(row, WebPageItem) else None)
    writer.close()
    return location


def stray(archive: Path, table: str, site: str) -> Path:
    path = archive / table / f"site={site}" / "year=2024" / "part-x.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(64))
    return path


def test_the_newest_version_of_each_url_and_what_was_tombstoned_since(tmp_path: Path) -> None:
    later = datetime(2026, 3, 1, tzinfo=UTC)
    location = write(
        tmp_path / "archive",
        page("https://ex.org/a/", "a1", AT),
        page("https://ex.org/a/", "a2", later),
        page("https://ex.org/b/", "b1", AT),
        WebTombstoneItem(
            SITE, "https://ex.org/b/", None, None, "b1", later, "deleted", 404, None, "r"
        ),
    )
    state = load_web_state(location, SITE)
    assert {url: p.version for url, p in state.pages.items()} == {
        "https://ex.org/a/": "a2",
        "https://ex.org/b/": "b1",
    }
    assert list(state.live) == ["https://ex.org/a/"]


def test_each_pages_listing_entries_when_last_read(tmp_path: Path) -> None:
    later = datetime(2026, 3, 1, tzinfo=UTC)
    a = "https://ex.org/a/"
    location = write(
        tmp_path / "archive",
        page(a, "a1", AT),
        WebEntryItem(SITE, a, ["0123456789abcdef"], AT, "r"),
        WebEntryItem(SITE, a, ["fedcba9876543210", "0123456789abcdef"], later, "r2"),
    )
    checked = load_web_state(location, SITE).checked
    assert list(checked) == [a]
    assert (checked[a].at, checked[a].entries) == (
        later,
        frozenset({"fedcba9876543210", "0123456789abcdef"}),
    )
    # the view holds each row once
    assert connect(str(tmp_path / "archive")).sql(
        "SELECT count(*) FROM web_entries"
    ).fetchall() == [(2,)]


@pytest.mark.parametrize("table", ["web_pages", "web_entries"])
def test_a_file_that_is_not_parquet_is_named(tmp_path: Path, table: str) -> None:
    archive = tmp_path / "archive"
    location = write(archive, page("https://ex.org/a/", "a1", AT))
    bad = stray(archive, table, SITE)
    with pytest.raises(ArchiveStateError, match=f"{bad} is not a readable Parquet file"):
        load_web_state(location, SITE)


def test_the_ledger_ends_the_site_error_naming_the_file(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    bad = stray(archive, "web_tombstones", SITE)
    site_ledger = ledger(archive)
    run = site_ledger.open_site(SiteEntry(SITE, f"https://{SITE}/"))
    assert run is not None
    assert site_ledger.load_web_state(run) is None
    outcome, reason = run.verdict.final()
    assert outcome == "error" and reason is not None
    assert reason.startswith("archive: ") and str(bad) in reason


def test_a_stray_file_in_web_pages_ends_the_fallback_site_error(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with HugoSite(tmp_path / "site", pages=3) as site:
        name = site.url.removeprefix("http://").replace(":", "_")
        bad = stray(archive, "web_pages", name)
        crawler = wp_crawler(archive)
        asyncio.run(crawler.crawl_async(site=site.url))
    stats = crawler.stats.get_stats()
    assert stats["finish_reason"] == "finished"
    assert stats["mpcrawl/site/error"] == 1 and "mpcrawl/site/partial" not in stats
    bad.unlink()  # the runs row is readable once the stray file is moved away
    runs = connect(str(archive)).sql("SELECT outcome, reason, posts_new FROM runs").fetchall()
    assert len(runs) == 1
    outcome, reason, new = runs[0]
    print(reason)
    assert (outcome, new) == ("error", 0)
    assert reason.startswith(f"archive: {bad} is not a readable Parquet file: ")
    assert not list(archive.rglob("_locks/*.lock"))
