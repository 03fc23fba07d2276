"""SIGKILLs during a recording crawl leave only valid published WARCs; a rerun repairs."""

from __future__ import annotations

import signal
from functools import partial
from pathlib import Path

from mpcrawl.read import connect
from mpcrawl.read.warc import record_for
from mpcrawl.sample.server import SampleSite
from tests.inprocess import crawl
from tests.test_kills import Crawl, wait_for
from tests.warc.support import check, check_all, pointer_of, published

# Ten kills (issue 25), each placed by what the run has done, not by a clock (a loaded
# machine publishes later): as the run begins its first WARC, before it published anything;
# as soon as it has published 1, then 3 WARCs of its own (20 kB files, each rolled after a
# page of posts or sooner, so each of those kills lands mid-write of the next temporary WARC);
# the three phases in turn. A run that ended before its kill point is counted, not killed.
PUBLISHED_BEFORE_KILL = (0, 1, 3) * 3 + (0,)
SMALL_WARCS = {"MPCRAWL_WARC": "True", "MPCRAWL_WARC_FILE_BYTES": "20000"}  # small files
POSTS = 1500  # 15 pages of posts: a run is killed after its 3rd WARC, well before its end


def recording(archive: Path, before: set[Path], process: Crawl) -> bool:
    """The run has begun a WARC file of its own (or ended)."""
    return bool(set(temp_warcs(archive)) - before) or process.process.poll() is not None


def published_since(archive: Path, before: set[Path], count: int, process: Crawl) -> bool:
    """The run has published ``count`` WARC files of its own (or ended)."""
    files = set((archive / "warc").glob("site=*/*.warc.gz"))
    return len(files - before) >= count or process.process.poll() is not None


def temp_warcs(archive: Path) -> list[Path]:
    return list((archive / "warc").glob("site=*/.*.tmp"))


def test_ten_sigkills_leave_no_invalid_warc_and_a_rerun_repairs(archive: Path) -> None:
    killed = 0
    with SampleSite(posts=POSTS) as site:
        for count in PUBLISHED_BEFORE_KILL:
            before = set(temp_warcs(archive))  # a dead run's, removed by the next run
            done = set((archive / "warc").glob("site=*/*.warc.gz"))
            process = Crawl(archive, f"site={site.url}", **SMALL_WARCS)
            wait_for(partial(recording, archive, before, process))
            wait_for(partial(published_since, archive, done, count, process))
            killed += process.process.poll() is None
            process.send_signal(signal.SIGKILL)
            process.finish()
            if new := set((archive / "warc").glob("site=*/*.warc.gz")) - done:
                check(new)  # a published file is never written again: each is checked once
        assert published(archive), "no kill came after a WARC was published"
        assert killed >= 8, f"only {killed} of {len(PUBLISHED_BEFORE_KILL)} runs were killed"
        result = crawl(archive, f"site={site.url}", **SMALL_WARCS)  # in this process
        assert result.returncode == 0, result.stderr[-2000:]
    check_all(archive)
    assert not temp_warcs(archive), "the rerun removes a dead run's temporary WARCs"
    con = connect(str(archive))
    rows = con.sql(
        "SELECT warc_filename, warc_record_offset, warc_record_length FROM posts"
    ).fetchall()
    assert len(rows) == POSTS + sum(1 for _ in site.pages.visible())
    for pointer in set(rows):  # a page of posts shares one record: each record read once
        assert record_for(str(archive), pointer_of(pointer)).record_type == "response"
