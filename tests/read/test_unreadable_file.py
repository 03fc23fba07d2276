"""A file in any table of the archive that is not Parquet: one line naming it, never a traceback.

``connect()`` raises :class:`UnreadableArchiveError` naming the file; ``scrapy report`` and
``scrapy changes`` print that line and exit 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.items import RunItem
from mpcrawl.ledger import row_of
from mpcrawl.read import UnreadableArchiveError, connect
from tests.shared import REPO

AT = datetime(2026, 1, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of one site's run record (every table folder present, as a crawl leaves)."""
    archive = tmp_path_factory.mktemp("good") / "archive"
    writer = ArchiveWriter(ArchiveLocation.parse(str(archive)), "r1")
    writer.write("runs", row_of(RunItem("r1", "ex.org", AT, AT, "ok")))
    writer.close()
    return archive


def with_stray(good: Path, tmp_path: Path, table: str) -> tuple[Path, Path]:
    archive = tmp_path / "archive"
    subprocess.run(["cp", "-a", str(good), str(archive)], check=True)
    stray = archive / table / "site=ex.org" / "year=2024" / "part-x.parquet"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(os.urandom(64))
    return archive, stray


@pytest.mark.parametrize("table", ["posts", "web_pages", "web_tombstones", "runs"])
def test_connect_names_the_file(good: Path, tmp_path: Path, table: str) -> None:
    assert connect(str(good)).sql("SELECT outcome FROM runs").fetchall() == [("ok",)]
    archive, stray = with_stray(good, tmp_path, table)
    with pytest.raises(UnreadableArchiveError) as raised:
        connect(str(archive))
    assert str(raised.value).startswith(f"{stray} is not a readable Parquet file: ")
    assert "\n" not in str(raised.value)


COMMANDS = [["report", "-o", "{tmp}/report.html"], ["changes"]]


def reading_command(
    command: list[str], archive: str, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """``scrapy report`` or ``scrapy changes`` on ``archive`` (``{tmp}`` is ``tmp_path``)."""
    args = [a.format(tmp=tmp_path) for a in command]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"MPCRAWL_ARCHIVE={archive}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_report_and_changes_print_one_line_and_exit_1(
    good: Path, tmp_path: Path, command: list[str]
) -> None:
    archive, stray = with_stray(good, tmp_path, "web_pages")
    result = reading_command(command, str(archive), tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {stray} is not a readable Parquet file: Parquet magic bytes not found in "
        "footer. Either the file is corrupted or this is not a parquet file."
    ]
    assert result.stdout == ""
    assert not (tmp_path / "report.html").exists()
