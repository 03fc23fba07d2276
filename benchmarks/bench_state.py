"""An archive of 1,000,000 versions: reading a site's state, and readers before/after compaction.

The archive is built directly with pyarrow as ``RUNS`` crawls would leave it: each run
adds a version of ``VERSIONS / RUNS`` posts, one part file per year partition per run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from benchmarks.bench_support import Row, ratio, run_timed
from mpcrawl.archive import connect
from mpcrawl.archive.compact import compact
from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.schemas import TABLES

SITE = "big.example"
VERSIONS = 1_000_000
RUNS = 100
YEARS = range(2019, 2027)
GROUP_BY = "SELECT site, count(*) FROM posts GROUP BY site"
_LOAD = """
import sys, time
from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.state import load_site_state
start = time.perf_counter()
state = load_site_state(ArchiveLocation.parse(sys.argv[1]), sys.argv[2])
print(time.perf_counter() - start, sum(1 for _ in state.versions()))
"""


def build(root: Path, versions: int = VERSIONS, runs: int = RUNS) -> int:
    """Write the archive; returns the number of part files."""
    schema = TABLES["posts"].schema
    per_run = versions // runs
    base = int(datetime(2019, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
    span = len(YEARS) * 365 * 86_400 * 1_000_000
    files = 0
    for run in range(runs):
        ids = pa.array(range(1, per_run + 1), pa.int64())
        date = pc.add(pc.multiply(ids, span // per_run), base)
        modified = pc.add(date, run * 3_600_000_000)
        n = len(ids)
        run_id = f"2026010{run // 60}T{run % 60:02d}0000Z-bench-{run}"
        columns = {
            "site": pa.array([SITE] * n),
            "post_type": pa.array(["post"] * n),
            "id": ids,
            "date_gmt": date.cast(pa.int64()).cast(schema.field("date_gmt").type),
            "modified_gmt": modified.cast(pa.int64()).cast(schema.field("modified_gmt").type),
            "title": pc.binary_join_element_wise("Post ", pc.cast(ids, pa.string()), ""),
            "content_text": pc.binary_join_element_wise(
                "A short archived body of post ", pc.cast(ids, pa.string()), f" edit {run}", ""
            ),
            "fetched_at": pa.array(
                [datetime(2026, 1, 1, tzinfo=UTC)] * n, schema.field("fetched_at").type
            ),
            "run_id": pa.array([run_id] * n),
        }
        table = pa.table(
            {f.name: columns.get(f.name, pa.nulls(n, f.type)) for f in schema}, schema=schema
        )
        years = pc.year(table["date_gmt"])
        for year in YEARS:
            part = table.filter(pc.equal(years, year))
            if not part.num_rows:
                continue
            folder = root / "posts" / f"site={SITE}" / f"year={year}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(part, folder / f"part-{run_id}-0.parquet", compression="zstd")
            files += 1
    return files


def query_seconds(root: Path, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        con = connect(str(root))
        start = time.perf_counter()
        con.sql(GROUP_BY).fetchall()
        best = min(best, time.perf_counter() - start)
        con.close()
    return best


def bench() -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="mpcrawl-bench-state-"))
    try:
        root = work / "archive"
        files = build(root)
        load = run_timed([sys.executable, "-c", _LOAD, str(root), SITE])
        seconds, loaded = (float(x) for x in load.stdout.split())
        imports = run_timed([sys.executable, "-c", "import mpcrawl.archive.state"])
        rows = [
            Row(
                f"start-up reading of the archive's state (load_site_state), "
                f"{VERSIONS:,} versions in {files} files",
                f"{seconds:.2f} s, peak RSS {load.max_rss_mb:.0f} MB "
                f"({load.max_rss_mb - imports.max_rss_mb:.0f} MB above its imports' "
                f"{imports.max_rss_mb:.0f} MB)",
                "—",
                "—",
                "≤ 2 s and ≤ 300 MB",
                load.returncode == 0
                and int(loaded) == VERSIONS
                and seconds <= 2
                and load.max_rss_mb <= 300,
                "peak RSS of the whole process that loads the state",
            )
        ]
        before = query_seconds(root)
        start = time.perf_counter()
        report = compact(ArchiveLocation.parse(str(root)))
        compact_s = time.perf_counter() - start
        after = query_seconds(root)
        rows.append(
            Row(
                f"DuckDB `{GROUP_BY}`, {VERSIONS:,} versions, after `scrapy compact`",
                f"{after * 1000:.0f} ms ({report.files_after} files)",
                f"before: {before * 1000:.0f} ms ({report.files_before} files)",
                ratio(after, before),
                "faster after (report)",
                after < before,
                f"compaction took {compact_s:.1f} s, {report.rows:,} rows kept",
            )
        )
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)
