"""What ``connect()`` costs on a local archive, against binding the views in each connection.

The reference is what ``connect()`` did before its views were bound once per process: a
new DuckDB connection running ``mpcrawl/sql/views.sql``, every view binding the views
below it. Archives: a tiny one (one run record), the sample site after two runs, and one
of about 80 Parquet files (35 sites' runs and posts).

The last row is the CPU of a whole process that connects once (``scrapy report``,
``changes`` and ``wacz`` do), against the same process when the empty files of the views
are built by ``Schema.empty_table()`` (as before): pyarrow's first conversion of Python
values imports pandas, where it is installed.

``python -m benchmarks.bench_connect`` (or ``python -m benchmarks.run connect``).
"""

from __future__ import annotations

import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.bench_support import Row, ratio, run_timed, sample_server, scrapy_crawl
from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.items import PostItem, RunItem
from mpcrawl.ledger import row_of
from mpcrawl.read import connect, views_sql

AT = datetime(2026, 1, 2, tzinfo=UTC)
TARGET = 10.0  # connect() ten times cheaper than binding every view


def written(archive: Path, sites: int, posts: bool) -> Path:
    """An archive of one run over ``sites`` sites: their run records, and a post each."""
    writer = ArchiveWriter(ArchiveLocation.parse(str(archive)), "r1")
    for n in range(sites):
        site = f"site{n}.example.org"
        writer.write("runs", row_of(RunItem("r1", site, AT, AT, "ok")))
        if posts:
            post = PostItem(site, "post", 1, title="t", modified_gmt=AT, fetched_at=AT)
            writer.write("posts", row_of(post), year=AT.year)
    writer.close()
    return archive


def sample_after_two_runs(archive: Path) -> Path:
    with sample_server(posts=20) as url:
        for _ in range(2):
            done = run_timed(scrapy_crawl(archive, url))
            if done.returncode != 0:
                raise RuntimeError(done.stderr[-2000:])
    return archive


def bind_every_view(archive: Path) -> None:
    con = duckdb.connect()
    con.execute("SET VARIABLE archive = ?", [str(archive)])
    con.execute(views_sql())
    con.close()


def median_ms(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2] * 1000


# A process that connects once and counts the posts; {before} runs first (the reference).
_ONE_CONNECT = (
    "import sys\n"
    "import pyarrow as pa\n"
    "from mpcrawl.read import connect\n"
    "{before}\n"
    "connect(sys.argv[1]).sql('SELECT count(*) FROM posts').fetchall()\n"
)


def process_cpu(archive: Path, before: str, runs: int) -> float:
    """Median CPU seconds (user + sys) of a process that connects to ``archive`` once."""
    times = []
    for _ in range(runs):
        start = resource.getrusage(resource.RUSAGE_CHILDREN)
        code = _ONE_CONNECT.format(before=before)
        subprocess.run([sys.executable, "-c", code, str(archive)], check=True)
        end = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(end.ru_utime - start.ru_utime + end.ru_stime - start.ru_stime)
    return sorted(times)[len(times) // 2]


def bench_process(archive: Path, runs: int = 5) -> Row:
    after = process_cpu(archive, "", runs)
    before = process_cpu(archive, "pa.schema([('a', pa.int64())]).empty_table()", runs)
    return Row(
        "a process's one connect(), tiny archive",
        f"{after:.2f} CPU-s",
        f"{before:.2f} CPU-s (Schema.empty_table(): pandas imported)",
        ratio(before, after),
        "cheaper",
        after < before,
        f"median of {runs} processes; pandas installed: {_has_pandas()}",
    )


def _has_pandas() -> bool:
    return importlib.util.find_spec("pandas") is not None


def bench(runs: int = 15) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-connect-") as work:
        archives = {
            "tiny archive (one run record)": written(Path(work, "tiny"), 1, posts=False),
            "sample site after 2 runs": sample_after_two_runs(Path(work, "sample")),
            "archive of ~80 Parquet files": written(Path(work, "eighty"), 35, posts=True),
        }
        connect(str(archives["tiny archive (one run record)"])).close()  # the process's views
        for name, archive in archives.items():
            files = len(list(archive.rglob("*.parquet")))
            before = median_ms(lambda a=archive: bind_every_view(a), runs)
            after = median_ms(lambda a=archive: connect(str(a)).close(), runs)
            rows.append(
                Row(
                    f"connect(), {name}",
                    f"{after:.1f} ms",
                    f"{before:.1f} ms (every view bound)",
                    ratio(before, after),
                    f"≥ {TARGET:.0f}× cheaper",
                    before / after >= TARGET,
                    f"{files} Parquet files; median of {runs}",
                )
            )
        rows.append(bench_process(archives["tiny archive (one run record)"]))
    return rows


if __name__ == "__main__":
    for row in bench():
        print(f"{row.measure}: {row.value} against {row.reference}: {row.ratio} {row.note}")
    sys.exit(0)
