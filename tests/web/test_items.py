"""The fallback's rows carry exactly their tables' columns, and write and read back."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.web_state import load_web_state
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.ledger import row_of
from mpcrawl.read import connect
from mpcrawl.schemas import TABLES
from mpcrawl.web.items import (
    FetchedPage,
    WebPageItem,
    WebTombstoneItem,
    extract_page,
    page_row,
)
from mpcrawl.web.page import read_page

PAGE = (
    "<html><head><title>Bus – Site</title><link rel='shortlink' href='/?p=9'>"
    '<meta property="article:published_time" content="2024-05-01T10:00:00+01:00"></head>'
    '<body class="single single-post postid-9"><div class="entry-content">'
    "<p><strong>Jo Bloggs (Anytown) (Con)</strong></p><p>What about buses?</p>"
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe></div></body></html>'
)


@pytest.mark.parametrize("cls", [WebPageItem, WebTombstoneItem])
def test_fields_are_the_tables_columns_in_order(cls: type) -> None:
    columns = TABLES[cls.table].schema.names
    names = [f.name for f in dataclasses.fields(cls)]
    assert names[: len(columns)] == columns
    assert names[len(columns) :] == (["media_html"] if cls is WebPageItem else [])


def test_a_page_version_and_a_tombstone_round_trip(tmp_path: Path) -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    raw = PAGE.encode() + b"\xff not utf-8"
    fetched = FetchedPage(
        "ex.org", "sitemap", "https://ex.org/bus/", "https://ex.org/bus/", PAGE, raw, now,
        '"abc"', None, now, "r1",
    )  # fmt: skip
    item = page_row(read_page(PAGE, fetched.final_url), fetched)
    extract_page(item)
    assert item.id == 9 and item.embed_count == 1 and item.embeds[0]["video_id"] == "dQw4w9WgXcQ"
    stone = WebTombstoneItem(
        "ex.org", "https://ex.org/old/", "post", 8, "v", now, "redirected", 301,
        "https://ex.org/new/", "r1",
    )  # fmt: skip
    location = ArchiveLocation.parse(str(tmp_path / "archive"))
    writer = ArchiveWriter(location, "r1")
    writer.write("web_pages", row_of(item), 2024)
    writer.write("web_tombstones", row_of(stone))
    writer.close()
    con = connect(str(tmp_path / "archive"))
    got = con.sql("SELECT raw_html, embeds[1].provider, etag FROM web_pages").fetchall()
    assert got == [(raw, "youtube", '"abc"')]  # the raw page byte for byte
    state = load_web_state(location, "ex.org")
    assert state.pages["https://ex.org/bus/"].version == item.version_sha256
    assert state.pages["https://ex.org/bus/"].lastmod == now
    assert con.sql("SELECT url, source FROM publications").fetchall() == [
        ("https://ex.org/bus/", "sitemap")
    ]
