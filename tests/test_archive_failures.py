"""The archive's own trouble and bad inputs, as an operator meets them.

Each case asserts what the operator sees: the exit status, the site's ``site finished:``
line (outcome and reason), no traceback, no lock or temporary file left, and every row
archived before still there. Full and read-only disks are real tmpfs mounts (root only,
as in CI); a file-size limit (``RLIMIT_FSIZE``) gives the same failure as ``EFBIG``.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mpcrawl.sample.server import SampleSite
from tests.crawl import crawl_command, read, scalar
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import Crawled, command, crawl
from tests.shared import REPO
from tests.test_kills import SMALL_FILES, Crawl, assert_readable, final_files, wait_for

VERSIONS = "SELECT site, post_type, id, modified_gmt FROM posts_files"
BIG = 1000  # posts of the site that fills a disk or a file (ten pages of posts)


def finished(stderr: str) -> dict[str, str]:
    """Each site's ``site finished:`` line, without the site's name."""
    lines = re.findall(r"site finished: (\S+): (.*)", stderr)
    return dict(lines)


def versions(archive: Path) -> list[tuple[object, ...]]:
    return sorted(read(archive).sql(VERSIONS).fetchall())


def assert_left_clean(archive: Path, output: str) -> None:
    assert "Traceback" not in output
    assert not list(archive.rglob("_locks/*.lock")), "a lock was left behind"
    assert not list(archive.rglob(".part-*.tmp")), "a temporary file was left behind"


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A real small filesystem (``mount -t tmpfs``), unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here (CI runs as root): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True)


def site_list(path: Path, *urls: str) -> Path:
    path.write_text("url\n" + "".join(f"{url}\n" for url in urls))
    return path


def test_a_pinned_run_id_never_replaces_an_earlier_runs_files(
    sample_site: SampleSite, archive: Path
) -> None:
    first = crawl(archive, f"site={sample_site.url}", MPCRAWL_RUN_ID="nightly")
    assert first.returncode == 0, first.stderr[-2000:]
    before = versions(archive)
    terms = scalar(read(archive), "SELECT count(*) FROM terms_files")
    for pid in sample_site.post_ids()[:30]:
        sample_site.edit_post(pid, content="<p>Edited for the second run.</p>")
    second = crawl(archive, f"site={sample_site.url}", MPCRAWL_RUN_ID="nightly")
    assert second.returncode == 0, second.stderr[-2000:]
    after = versions(archive)
    assert set(before) <= set(after)
    assert len(after) == len(set(after)) == len(before) + 30
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM runs_files WHERE run_id = 'nightly'") == 2
    assert scalar(con, "SELECT count(*) FROM terms_files") == terms


def test_a_read_only_archive_ends_each_site_error_and_keeps_what_it_holds(
    crawled_sample: Crawled, tmp_path: Path
) -> None:
    sample_site = crawled_sample.site
    with tmpfs(tmp_path / "disk", "64m") as disk, SampleSite() as other:
        archive = crawled_sample.copy(disk / "archive")
        before = versions(archive)
        remount(disk, "ro")
        sample_site.reset_requests()
        listing = site_list(tmp_path / "sites.csv", sample_site.url, other.url)
        result = crawl(archive, f"sites={listing}")
        assert versions(archive) == before
        assert_left_clean(archive, result.stderr)
    assert result.returncode == 1
    lines = finished(result.stderr)
    assert sorted(lines) == sorted([f"127.0.0.1_{sample_site.port}", f"127.0.0.1_{other.port}"])
    for line in lines.values():
        assert line.startswith("error; 0 new / 0 unchanged posts, 0 requests")
        assert "(archive: cannot take the site's lock: cannot create " in line
        assert "[Errno 30] Read-only file system" in line
    assert sample_site.requests == [] and other.requests == []


def test_a_full_disk_ends_the_site_error_and_a_rerun_completes_it(
    crawled_sample: Crawled, tmp_path: Path
) -> None:
    sample_site = crawled_sample.site
    # the sample site's archive (about 450 kB) fits; the big site's (about 700 kB) does not
    with tmpfs(tmp_path / "disk", "700k") as disk, SampleSite(posts=BIG) as big:
        archive = crawled_sample.copy(disk / "archive")
        small = versions(archive)
        full = crawl(archive, f"site={big.url}", **SMALL_FILES)
        assert full.returncode == 1
        line = finished(full.stderr)[f"127.0.0.1_{big.port}"]
        assert line.startswith("error;")
        assert "(archive: cannot " in line and "No space left on device" in line
        assert_left_clean(archive, full.stderr)
        assert_readable(archive)
        kept = versions(archive)
        assert set(small) <= set(kept) and len(kept) == len(set(kept))
        remount(disk, "size=64m")
        again = crawl(archive, f"site={big.url}", **SMALL_FILES)
        assert again.returncode == 0, again.stderr[-2000:]
        after = versions(archive)
        con = read(archive)
        big_posts = scalar(
            con, f"SELECT count(*) FROM posts_files WHERE site = '127.0.0.1_{big.port}'"
        )
        assert big_posts == len([k for k in after if k[0] == f"127.0.0.1_{big.port}"])
        assert scalar(con, "SELECT count(*) FROM posts_latest WHERE post_type = 'post'") == (
            sample_site.total_posts + big.total_posts
        )
        assert set(kept) <= set(after) and len(after) == len(set(after))
        assert_left_clean(archive, again.stderr)


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))


def test_a_file_size_limit_ends_the_site_error_not_the_run(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    with SampleSite(posts=BIG) as big:
        result = subprocess.run(
            crawl_command(archive, f"site={big.url}", **SMALL_FILES),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
            preexec_fn=_limit_file_size,
        )
    assert result.returncode == 1
    line = finished(result.stderr)[f"127.0.0.1_{big.port}"]
    assert line.startswith("error;") and "File too large" in line
    assert_left_clean(archive, result.stderr)
    assert_readable(archive)
    assert all(path.stat().st_size <= 150_000 for path in final_files(archive))


def test_a_stray_file_that_is_not_parquet_ends_its_site_and_compact_goes_on(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    with SampleSite(posts=5) as sample_site, SampleSite(posts=5) as other:
        listing = site_list(tmp_path / "sites.csv", sample_site.url, other.url)
        assert crawl(archive, f"sites={listing}").returncode == 0
        bad_site, good_site = f"127.0.0.1_{sample_site.port}", f"127.0.0.1_{other.port}"
        before = versions(archive)
        sample_site.edit_post(sample_site.post_ids()[0], content="<p>New.</p>")
        other.edit_post(other.post_ids()[0], content="<p>New.</p>")
        year = next((archive / "posts" / f"site={bad_site}").glob("year=*"))
        stray = year / "part-x.parquet"
        stray.write_text("not a Parquet file, dropped here by hand\n")
        result = crawl(archive, f"sites={listing}")
    assert result.returncode == 1
    lines = finished(result.stderr)
    assert lines[good_site].startswith("ok; 1 new /")
    assert lines[bad_site].startswith("error; 0 new / 0 unchanged posts")
    assert f"(archive: {stray} is not a readable Parquet file: " in lines[bad_site]
    assert_left_clean(archive, result.stderr)

    from tests.test_compact import compact

    compacted = compact(archive)
    assert compacted.returncode == 1
    assert f"not compacted: {bad_site} (" in compacted.stdout and str(stray) in compacted.stdout
    assert "Traceback" not in compacted.stderr
    good_files = list((archive / "posts" / f"site={good_site}").rglob("*.parquet"))
    assert len(good_files) == len({p.parent for p in good_files})  # one file per partition
    stray.unlink()
    after = versions(archive)
    assert set(before) <= set(after) and len(after) == len(before) + 1
    assert not list(archive.rglob("_locks/*.lock"))


def test_a_253_character_host_ends_that_site_and_the_others_are_crawled(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    long_host = ".".join(["a" * 63] * 3 + ["b" * 61])
    assert len(long_host) == 253
    listing = site_list(tmp_path / "sites.csv", f"https://{long_host}/", sample_site.url)
    archive = tmp_path / "archive"
    result = crawl(archive, f"sites={listing}")
    assert result.returncode == 1
    lines = finished(result.stderr)
    assert lines[f"127.0.0.1_{sample_site.port}"].startswith("ok;")
    assert (
        lines[long_host]
        == (
            "error; 0 new / 0 unchanged posts, 0 requests, 0 errors, "
            + re.search(r"errors, ([0-9.]+s)", lines[long_host]).group(1)  # type: ignore[union-attr]
            + " (archive: site name of 253 characters is too long for a partition folder"
            " (at most 250))"
        )
    )
    assert_left_clean(archive, result.stderr)
    assert scalar(read(archive), "SELECT count(DISTINCT site) FROM runs") == 1


def test_an_archive_path_with_glob_characters_crawls_and_reads(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    archive = tmp_path / "arch[1]"
    result = crawl(archive, f"site={sample_site.url}")
    assert result.returncode == 0, result.stderr[-2000:]
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM posts WHERE post_type = 'post'") == (
        sample_site.total_posts
    )
    assert scalar(con, "SELECT outcome FROM runs") == "ok"


def test_a_second_sigterm_exits_3_and_records_the_site_partial(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    stuck = Rule("&page=9", delay=60)
    with SampleSite(posts=BIG) as site, FaultProxy(site.url, [stuck]) as proxy:
        process = Crawl(archive, f"site={proxy.url}", **SMALL_FILES)
        wait_for(lambda: len(final_files(archive)) >= 1 and bool(proxy.arrived("&page=9")))
        process.send_signal(signal.SIGTERM)
        wait_for(lambda: "shutting down gracefully" in process.output)
        process.send_signal(signal.SIGTERM)
        status = process.finish(timeout=60)
    output = process.output
    assert status == 3, output[-2000:]
    assert "forcing unclean shutdown" in output
    assert "site finished: 127.0.0.1_" in output and "stopped by force" in output
    assert_left_clean(archive, output)
    assert_readable(archive)
    outcome, reason = read(archive).sql("SELECT outcome, reason FROM runs").fetchall()[0]
    assert outcome == "partial" and reason.startswith("run stopped by force")
    keys = versions(archive)
    assert 0 < len(keys) == len(set(keys))


def test_a_duplicate_row_is_logged_and_a_broken_list_is_one_line(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    listing = tmp_path / "sites.csv"
    upper = sample_site.url.upper()
    listing.write_text(f"url,name\n{sample_site.url},First\n{upper}/about,Again\n")
    result = crawl(tmp_path / "archive", f"sites={listing}")
    assert result.returncode == 0, result.stderr[-2000:]
    (line,) = [x for x in result.stderr.splitlines() if "skipped duplicate: " in x]
    assert line.endswith(
        f"skipped duplicate: {listing} line 3: {upper}/about is 127.0.0.1_{sample_site.port} "
        "again (first listed on line 2); skipped"
    )
    broken = tmp_path / "broken.csv"
    broken.write_text('url,name\nhttps://a.org,"' + "x" * 200_000 + '"\n')
    archive2 = f"MPCRAWL_ARCHIVE={tmp_path / 'archive2'}"
    refused = command("crawl", "wp", "-s", archive2, "-a", f"sites={broken}")  # a usage error
    assert refused.returncode == 2
    stderr = refused.stderr.decode()
    assert stderr.splitlines()[-1].startswith(
        f"scrapy crawl: error: {broken}: not a readable CSV site list after line"
    )
    assert "Traceback" not in stderr and "Spider opened" not in stderr
    assert not (tmp_path / "archive2").exists()


def test_no_lock_is_left_when_the_state_cannot_be_read(
    crawled_sample: Crawled, tmp_path: Path
) -> None:
    sample_site = crawled_sample.site
    archive = crawled_sample.copy(tmp_path / "archive")
    site = f"127.0.0.1_{sample_site.port}"
    stray = archive / "terms" / f"site={site}" / "part-x.parquet"
    stray.write_bytes(os.urandom(64))
    result = crawl(archive, f"site={sample_site.url}")
    assert result.returncode == 1
    assert finished(result.stderr)[site].startswith("error;")
    assert str(stray) in finished(result.stderr)[site]
    assert_left_clean(archive, result.stderr)
