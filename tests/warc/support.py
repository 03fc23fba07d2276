"""What the WARC tests read: the archive's published WARCs, checked and listed by warcio."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from mpcrawl.read import connect
from mpcrawl.read.warc import record_for
from mpcrawl.schemas import WARC_COLUMNS
from tests.inprocess import wp_crawler


def crawl(archive: Path, url: str, **settings: Any) -> dict[str, Any]:
    """One in-process crawl of ``url`` into ``archive``, recording WARC; Scrapy's stats."""
    crawler = wp_crawler(archive, **{"MPCRAWL_WARC": True, **settings})
    asyncio.run(crawler.crawl_async(site=url))
    return crawler.stats.get_stats()


def published(archive: Path) -> list[Path]:
    """The published WARCs in the order they were begun (their ``warcinfo`` WARC-Date):
    names alone do not sort so when two runs of one process start within a second."""
    return sorted((archive / "warc").glob("site=*/*.warc.gz"), key=lambda p: (begun(p), p.name))


def begun(path: Path) -> str:
    with path.open("rb") as handle:
        first = next(iter(ArchiveIterator(handle)))
        return str(first.rec_headers.get_header("WARC-Date"))


def check(files: Iterable[Path]) -> None:
    """``warcio check`` (digests verified) passes on each file: the command's own checker,
    run in this process rather than in a new one each time."""
    printed = io.StringIO()
    checker = Checker(argparse.Namespace(inputs=[str(f) for f in sorted(files)], verbose=False))
    with contextlib.redirect_stdout(printed):
        failed = checker.process_all()
    assert not failed, printed.getvalue()[-3000:]


def check_all(archive: Path) -> list[Path]:
    """Every published WARC passes ``warcio check`` (digests verified); the files."""
    files = published(archive)
    assert files, "no WARC was published"
    check(files)
    return files


def records(path: Path) -> list[Any]:
    """(type, target URI, WARC headers, HTTP headers, payload) of each record of a file."""
    out = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            http = record.http_headers
            out.append(
                (
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    dict(record.rec_headers.headers),
                    list(http.headers) if http is not None else [],
                    record.content_stream().read(),
                )
            )
    return out


def pointer_of(values: Any) -> dict[str, Any]:
    """The three ``warc_*`` values of a row as the mapping ``record_for`` takes."""
    return dict(zip(WARC_COLUMNS, values, strict=True))


def objects_of(payload: bytes) -> list[dict[str, Any]]:
    data = json.loads(payload)
    return data if isinstance(data, list) else [data]


def assert_rows_point_at_their_objects(archive: Path, table: str, key: str = "id") -> int:
    """Each row of ``table`` reads back a ``response`` record whose JSON holds the object."""
    con = connect(str(archive))
    rows = con.sql(
        f"SELECT {key} AS key, warc_filename, warc_record_offset, warc_record_length FROM {table}"
    ).fetchall()
    assert rows
    ids: dict[tuple[Any, ...], set[Any]] = {}  # by record: a page of 100 posts is read once
    for value, *pointer in rows:
        assert pointer[0] is not None, f"{table} {value}: no WARC pointer"
        if tuple(pointer) not in ids:
            capture = record_for(
                str(archive),
                dict(
                    zip(
                        ("warc_filename", "warc_record_offset", "warc_record_length"),
                        pointer,
                        strict=True,
                    )
                ),
            )
            assert capture.record_type == "response" and capture.status == 200
            ids[tuple(pointer)] = {o.get("id") for o in objects_of(capture.payload)}
        assert value in ids[tuple(pointer)], (table, value)
    return len(rows)


def wacz_validate(path: Path) -> bool:
    """``wacz validate`` (py-wacz's own checks: contents, frictionless, hashes)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("wacz")), "validate", "-f", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Validation succeeded" in result.stdout, result.stdout[-2000:]
    return result.returncode == 0
