"""``scrapy wacz`` mistakes and broken archives: one line and the exit status, as ``scrapy
report`` gives them (a path with no archive, an unknown site: 2; a file that is not
Parquet, nothing to package: 1)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.cmdline import execute
from warcio.statusandheaders import StatusAndHeaders

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.warc import SiteWarcs
from mpcrawl.archive.writer import ArchiveWriter
from tests.shared import REPO

SITE = "www.example-mp.org.uk"


def command(*argv: str) -> tuple[int, str, str]:
    """``scrapy ARGV``: Scrapy's own command line in this process (exit status, stdout,
    stderr as a user sees them), sparing a Python start per call."""
    out, err = io.StringIO(), io.StringIO()
    status: object = 0
    with contextlib.chdir(REPO), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            execute(["scrapy", *argv])
        except SystemExit as exc:
            status = exc.code
    return int(status or 0), out.getvalue(), err.getvalue()  # type: ignore[call-overload]


def archive_with_a_warc(root: Path) -> Path:
    """An archive holding one site and one WARC record of its home page."""
    location = ArchiveLocation.parse(str(root))
    writer = ArchiveWriter(location, "r0")
    writer.write("sites", {"site": SITE, "url": f"https://{SITE}/"})
    writer.close()
    warcs = SiteWarcs(location, SITE, "r0", {"software": "tests"}, max_bytes=10**9)
    record = warcs.builder().create_warc_record(
        f"https://{SITE}/",
        "response",
        payload=io.BytesIO(b"<html><body>Home</body></html>"),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1"),
    )
    warcs.write([record])
    warcs.end()
    return root


@pytest.fixture
def broken(tmp_path: Path) -> tuple[Path, Path]:
    """An archive with a WARC to package and a ``runs`` file that is not Parquet."""
    archive = archive_with_a_warc(tmp_path / "archive")
    bad = archive / "runs" / f"site={SITE}" / "part-r1-00000000-0.parquet"
    bad.parent.mkdir(parents=True)
    bad.write_text("not parquet")
    return archive, bad


def test_a_path_with_no_archive_is_one_line_and_exit_2_as_for_report(tmp_path: Path) -> None:
    typo = tmp_path / "archve"
    line = (
        f"error: MPCRAWL_ARCHIVE={typo}: no archive there (no posts/, runs/ or other table "
        "folder); only scrapy crawl creates one\n"
    )
    out = tmp_path / "out.wacz"
    wacz = command("wacz", "-s", f"MPCRAWL_ARCHIVE={typo}", "-o", str(out))
    report = command("report", "-s", f"MPCRAWL_ARCHIVE={typo}", "-o", str(tmp_path / "r.html"))
    assert wacz == (2, "", f"scrapy wacz: {line}")
    assert report == (2, "", f"scrapy report: {line}")
    assert sorted(tmp_path.iterdir()) == []  # nothing written, no archive made


def test_an_unreadable_file_is_one_line_and_exit_1_as_for_report(
    tmp_path: Path, broken: tuple[Path, Path]
) -> None:
    archive, bad = broken
    wacz = command("wacz", "-s", f"MPCRAWL_ARCHIVE={archive}", "-o", str(tmp_path / "a.wacz"))
    report = command("report", "-s", f"MPCRAWL_ARCHIVE={archive}", "-o", str(tmp_path / "r.html"))
    line = f"error: {bad} is not a readable Parquet file: "
    assert wacz[:2] == (1, "") and wacz[2].startswith(line) and wacz[2].count("\n") == 1
    assert wacz == report
    assert not (tmp_path / "a.wacz").exists()


def test_as_a_user_runs_it_the_unreadable_file_is_the_only_line(
    tmp_path: Path, broken: tuple[Path, Path]
) -> None:
    archive, bad = broken
    out = str(tmp_path / "x.wacz")
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "wacz", "-s", f"MPCRAWL_ARCHIVE={archive}", "-o", out],
        cwd=REPO,
        env={k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    [line] = result.stderr.splitlines()  # no library warning above it, no traceback
    assert (result.returncode, result.stdout) == (1, "")
    assert line.startswith(f"error: {bad} is not a readable Parquet file: ")


def test_an_unknown_site_a_missing_output_and_nothing_to_package(tmp_path: Path) -> None:
    archive = archive_with_a_warc(tmp_path / "archive")
    to = ["-s", f"MPCRAWL_ARCHIVE={archive}"]
    out = str(tmp_path / "out" / "a.wacz")
    assert command("wacz", *to, "-o", out, "--site", "www.exmaple-mp.org.uk") == (
        2,
        "",
        f"scrapy wacz: error: unknown site www.exmaple-mp.org.uk; {archive} holds: {SITE}\n",
    )
    assert command("wacz", *to) == (2, "", "scrapy wacz: error: -o FILE.wacz is required\n")
    window = ["--until", "2000-01-01"]  # the record was captured today
    assert command("wacz", *to, "-o", out, *window) == (
        1,
        "",
        f"error: no WARC record in {archive} for that window and those sites\n",
    )
    status, printed, errors = command("wacz", *to, "-o", out)  # the folder is made
    assert (status, errors) == (0, "") and printed == f"{out}: 1 WARC files, 0 pages\n"
