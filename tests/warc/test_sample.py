"""WARC capture of the sample site, in process: valid files, rows as their index, revisits."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mpcrawl.archive import writer
from mpcrawl.read import connect
from mpcrawl.read.report import build_report
from mpcrawl.read.wacz import write_wacz
from mpcrawl.read.warc import record_for
from mpcrawl.sample.server import SampleSite
from tests.shared import REPO
from tests.warc.support import (
    assert_rows_point_at_their_objects,
    check_all,
    crawl,
    published,
    records,
    wacz_validate,
)


def test_every_exchange_recorded_rows_index_it_and_a_quiet_night_adds_revisits(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    first = crawl(archive, sample_site.url)
    assert first["mpcrawl/site/ok"] == 1
    [warc] = check_all(archive)
    recs = records(warc)
    assert recs[0][0] == "warcinfo"
    info = recs[0][4].decode()
    assert "software: mpcrawl/" in info and "http-header-user-agent: mpcrawl/" in info
    assert "not-byte-exact:" in info and "ROBOTSTXT_OBEY=True" in info
    types = [r[0] for r in recs[1:]]
    # one request and one response record per exchange Scrapy downloaded
    assert types.count("request") == types.count("response") == first["downloader/response_count"]
    uris = {r[1] for r in recs if r[0] == "response"}
    assert any(u.endswith("/robots.txt") for u in uris)
    for kind, _uri, headers, _http, _payload in recs[1:]:
        assert headers["WARC-Date"] and headers["WARC-Block-Digest"].startswith("sha1:")
        if kind == "response":
            assert headers["WARC-Payload-Digest"].startswith("sha1:")
            assert headers["WARC-IP-Address"] == "127.0.0.1"

    for table in ("posts", "terms", "authors", "media"):
        assert assert_rows_point_at_their_objects(archive, table) > 0
    con = connect(str(archive))
    total = con.sql("SELECT count(*) FROM posts").fetchall()[0][0]
    captures = con.sql("SELECT count(*), count(DISTINCT warc_filename) FROM post_captures")
    assert captures.fetchall() == [(total, 1)]

    # The second run sweeps (new URLs, so new responses); the third asks the same URLs
    # again: a payload equal to the one archived for its URI is a revisit, and a response
    # record is written only for a payload that differs.
    crawl(archive, sample_site.url)
    third = crawl(archive, sample_site.url)
    assert third["mpcrawl/site/ok"] == 1 and "mpcrawl/posts/new" not in third
    files = check_all(archive)
    assert len(files) == 3
    before: dict[str, str] = {}  # URI -> payload digest of its newest response record
    for earlier in files[:-1]:
        for kind, uri, headers, _http, _payload in records(earlier):
            if kind == "response":
                before[uri] = headers["WARC-Payload-Digest"]
    last = [r for r in records(files[-1]) if r[0] != "warcinfo"]
    revisits = [r for r in last if r[0] == "revisit"]
    responses = [r for r in last if r[0] == "response"]
    assert {r[0] for r in last} <= {"revisit", "request", "response"}
    assert len(revisits) + len(responses) == third["downloader/response_count"]
    assert len(revisits) >= third["downloader/response_count"] - 1  # a quiet night
    assert third["mpcrawl/warc/revisits"] == len(revisits)
    for _kind, uri, headers, _http, _payload in revisits:
        assert headers["WARC-Profile"].endswith("/revisit/identical-payload-digest")
        assert headers["WARC-Refers-To-Target-URI"] == uri
        assert headers["WARC-Payload-Digest"] == before[uri]
    for _kind, uri, headers, _http, _payload in responses:
        assert headers["WARC-Payload-Digest"] != before.get(uri)
    assert files[-1].stat().st_size < 20_000  # kilobytes, not the first night's size
    assert published(archive) == files

    wacz = tmp_path / "all.wacz"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "wacz",
            "-o",
            str(wacz),
            "-s",
            f"MPCRAWL_ARCHIVE={archive}",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3 WARC files" in result.stdout
    assert wacz_validate(wacz)
    with zipfile.ZipFile(wacz) as package:
        names = set(package.namelist())
    assert {"datapackage.json", "pages/pages.jsonl", "indexes/index.cdx.gz"} <= names
    assert {f"archive/{f.name}" for f in files} <= names


def test_a_row_without_a_capture_and_an_archive_written_without_warc(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    stats = crawl(archive, sample_site.url, MPCRAWL_WARC=False)
    assert stats["mpcrawl/site/ok"] == 1 and not (archive / "warc").exists()
    con = connect(str(archive))
    assert con.sql("SELECT count(*) FROM posts WHERE warc_filename IS NULL").fetchall()[0][0] > 0
    assert con.sql("SELECT count(*) FROM post_captures").fetchall() == [(0,)]
    try:
        record_for(str(archive), {"warc_filename": None})
    except LookupError as exc:
        assert "no WARC pointer" in str(exc)
    else:
        raise AssertionError("a row without a pointer read back a record")


def test_captured_post_pages_are_bounded_listed_in_the_wacz_and_a_quiet_night_adds_none(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    archive = tmp_path / "archive"
    first = crawl(archive, sample_site.url, MPCRAWL_CAPTURE_PAGES=True, MPCRAWL_CAPTURE_MAX=12)
    assert first["mpcrawl/site/ok"] == 1
    [warc] = check_all(archive)
    con = connect(str(archive))
    links = dict(con.sql("SELECT link, title FROM posts").fetchall())
    pages = {r[1]: r[4] for r in records(warc) if r[0] == "response" and r[1] in links}
    assert len(pages) == first["mpcrawl/capture/pages"] == 12  # the run's bound
    assert first["mpcrawl/capture/over_run_bound"] == len(links) - 12 - first.get(
        "mpcrawl/capture/offsite", 0
    )
    for url, body in pages.items():
        assert links[url].split()[0].encode() in body  # the post's own page, as served
    assert con.sql("SELECT count(*) FROM posts").fetchall()[0][0] == len(links)  # no row

    second = crawl(archive, sample_site.url, MPCRAWL_CAPTURE_PAGES=True, MPCRAWL_CAPTURE_MAX=12)
    assert second["mpcrawl/site/ok"] == 1 and "mpcrawl/posts/new" not in second
    assert not [k for k in second if k.startswith("mpcrawl/capture/")]
    quiet = check_all(archive)[-1]
    assert not [r for r in records(quiet) if r[1] in links]  # no page captured, none asked

    wacz = tmp_path / "pages.wacz"
    summary = write_wacz(str(archive), str(wacz))
    assert summary.pages == 12
    assert wacz_validate(wacz)
    with zipfile.ZipFile(wacz) as package:
        listed = [json.loads(line) for line in package.read("pages/pages.jsonl").splitlines()]
    assert {p["url"] for p in listed[1:]} == set(pages)
    assert all(p["title"] == links[p["url"]] for p in listed[1:])

    # An edit: the new version's page is captured, and the report links the post to it.
    edited = next(p for p in sample_site.post_ids() if f"/?p={p}" in " ".join(pages))
    sample_site.edit_post(edited, title="Edited for the capture")
    third = crawl(archive, sample_site.url, MPCRAWL_CAPTURE_PAGES=True, MPCRAWL_CAPTURE_MAX=12)
    assert third["mpcrawl/posts/new"] == third["mpcrawl/capture/pages"] == 1
    [(url, body, date)] = [
        (r[1], r[4], r[2]["WARC-Date"])
        for r in records(check_all(archive)[-1])
        if r[0] == "response" and r[1] in links
    ]
    assert b"Edited for the capture" in body
    ts = "".join(ch for ch in date if ch.isdigit())[:14]
    cited = build_report(str(archive))
    assert f"{ts[:4]}-{ts[4:6]}-{ts[6:8]} {ts[8:10]}:{ts[10:12]}" in cited
    assert "<code>warc/site=" in cited
    replayed = build_report(str(archive), replay_url="http://127.0.0.1:8080/mpcrawl/")
    assert f'href="http://127.0.0.1:8080/mpcrawl/{ts}/{html.escape(url)}"' in replayed


writer_publish = writer.publish  # the WARCs' too, where mpcrawl.archive.warc is imported later


def test_no_part_file_becomes_visible_pointing_into_an_unpublished_warc(
    sample_site: SampleSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Part files rolled mid-site (``MPCRAWL_FILE_ROWS``): at the instant each becomes
    visible (where a kill would leave the archive), every WARC its rows point into is
    published already."""
    archive, seen = tmp_path / "archive", []

    def checked_publish(temp: str, final: str) -> None:
        table = pq.read_table(temp) if final.endswith(".parquet") else None
        if table is not None and "warc_filename" in table.column_names:
            names = {n for n in table.column("warc_filename").to_pylist() if n}
            missing = [n for n in names if not (archive / n).is_file()]
            assert not missing, f"{final} visible, pointing into unpublished {missing}"
            seen.append(len(names))
        writer_publish(temp, final)

    monkeypatch.setattr(writer, "publish", checked_publish)
    stats = crawl(archive, sample_site.url, MPCRAWL_FILE_ROWS=40, MPCRAWL_BATCH_ROWS=20)
    assert stats["mpcrawl/site/ok"] == 1
    assert len(check_all(archive)) > 2  # the WARC rolled with the parts
    assert sum(1 for n in seen if n) > 4  # parts whose rows point into WARCs
