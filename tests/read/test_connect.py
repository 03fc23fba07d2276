"""``connect()`` on a local archive: each connection its own, reading the files of each query.

The views are bound once per process and shared read-only; what a user creates stays in
their connection.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.items import PostItem, RunItem
from mpcrawl.ledger import row_of
from mpcrawl.read import connect
from mpcrawl.schemas import TABLES

AT = datetime(2026, 1, 2, tzinfo=UTC)


def write_run(archive: Path, run_id: str, posts: tuple[int, ...] = ()) -> None:
    """One run of the site ``ex.org`` as the crawl leaves it: its record and its posts."""
    writer = ArchiveWriter(ArchiveLocation.parse(str(archive)), run_id)
    writer.write("runs", row_of(RunItem(run_id, "ex.org", AT, AT, "ok")))
    for post_id in posts:
        post = PostItem(
            "ex.org", "post", post_id, title=f"p{post_id}", modified_gmt=AT, fetched_at=AT
        )
        post.run_id = run_id
        writer.write("posts", row_of(post), year=AT.year)
    writer.close()


def test_a_connection_reads_what_later_runs_write(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    write_run(archive, "r1")
    con = connect(str(archive))
    assert con.sql("SELECT count(*) FROM posts_latest").fetchall() == [(0,)]
    write_run(archive, "r2", posts=(1, 2))
    assert con.sql("SELECT run_id FROM runs ORDER BY ALL").fetchall() == [("r1",), ("r2",)]
    assert con.sql("SELECT id, title FROM posts_latest ORDER BY id").fetchall() == [
        (1, "p1"),
        (2, "p2"),
    ]


def test_a_table_without_a_file_reads_as_empty_with_its_columns(tmp_path: Path) -> None:
    """As in an archive of mpcrawl 0.1, which made no folder for a table without rows."""
    archive = tmp_path / "archive"
    write_run(archive, "r1", posts=(1,))
    shutil.rmtree(archive / "posts")
    posts = connect(str(archive)).sql("SELECT * FROM posts_files")
    assert posts.columns == TABLES["posts"].read_schema.names
    assert posts.fetchall() == []
    assert connect(str(archive)).sql("SELECT run_id FROM runs").fetchall() == [("r1",)]


def test_connections_keep_their_own_tables_and_views(tmp_path: Path) -> None:
    archive, other_archive = tmp_path / "archive", tmp_path / "other"
    write_run(archive, "r1", posts=(1,))
    write_run(other_archive, "r9", posts=(7, 8, 9))
    mine, theirs, elsewhere = (
        connect(str(archive)),
        connect(str(archive)),
        connect(str(other_archive)),
    )
    mine.execute("CREATE TABLE runs AS SELECT 'mine' AS run_id")
    mine.execute("CREATE OR REPLACE VIEW posts AS SELECT 1 AS id WHERE false")
    assert mine.sql("SELECT run_id FROM runs").fetchall() == [("mine",)]
    assert mine.sql("SELECT count(*) FROM posts").fetchall() == [(0,)]
    # The archive's views read the archive's, in the same connection and in another.
    assert mine.sql("SELECT id FROM posts_latest").fetchall() == [(1,)]
    assert theirs.sql("SELECT run_id FROM runs").fetchall() == [("r1",)]
    assert theirs.sql("SELECT id FROM posts").fetchall() == [(1,)]
    assert elsewhere.sql("SELECT id FROM posts_latest ORDER BY id").fetchall() == [(7,), (8,), (9,)]
    mine.close()
    assert theirs.sql("SELECT id FROM posts_latest").fetchall() == [(1,)]
    theirs.execute("CREATE TABLE runs AS SELECT 'theirs' AS run_id")  # the name is free there
    assert connect(str(archive)).sql("SELECT run_id FROM runs").fetchall() == [("r1",)]


def test_a_database_file_of_ones_own_holds_the_views(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    write_run(archive, "r1", posts=(1,))
    con = connect(str(archive), database=str(tmp_path / "mine.duckdb"))
    assert con.sql("SELECT id FROM posts_latest").fetchall() == [(1,)]
    views = con.sql("SELECT count(*) FROM duckdb_views() WHERE database_name = 'mine'")
    assert views.fetchall()[0][0] > len(TABLES)


def test_a_forked_child_connects_on_its_own(tmp_path: Path) -> None:
    """The child makes its own views; the parent's, copied without DuckDB's threads, it
    must not close (that waited for ever)."""
    archive = tmp_path / "archive"
    write_run(archive, "r1", posts=(1,))
    assert connect(str(archive)).sql("SELECT id FROM posts_latest").fetchall() == [(1,)]
    answer, told = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            rows = connect(str(archive)).sql("SELECT id FROM posts_latest").fetchall()
            os.write(told, repr(rows).encode())
        finally:
            os._exit(0)
    os.close(told)
    deadline = time.monotonic() + 60
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("the forked child's connect() did not return")
        time.sleep(0.05)
    assert os.read(answer, 1000) == b"[(1,)]"
    assert connect(str(archive)).sql("SELECT id FROM posts_latest").fetchall() == [(1,)]
