"""A file that is not Parquet in an archive on object storage: one line naming it.

On S3 the views are made without opening the files, so the bad file is met by the first
query that reads it; ``scrapy report`` and ``scrapy changes`` still print one line
naming it and exit 1.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.items import RunItem
from mpcrawl.ledger import row_of
from tests.distributed.conftest import S3
from tests.read.test_unreadable_file import COMMANDS, reading_command

AT = datetime(2026, 1, 2, tzinfo=UTC)
STRAY = "archive/runs/site=ex.org/year=2024/part-x.parquet"


@pytest.mark.parametrize("command", COMMANDS)
def test_report_and_changes_name_the_file(s3: S3, tmp_path: Path, command: list[str]) -> None:
    bucket = s3.new_bucket()
    uri = s3.archive(bucket)
    writer = ArchiveWriter(ArchiveLocation.parse(uri), "r1")
    writer.write("runs", row_of(RunItem("r1", "ex.org", AT, AT, "ok")))
    writer.close()
    s3.client().put_object(Bucket=bucket, Key=STRAY, Body=os.urandom(64))
    result = reading_command(command, uri, tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bucket}/{STRAY} is not a readable")
