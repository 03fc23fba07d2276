"""Safety: hostile site lists, credentials that stay home, odd JSON, big pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mpcrawl.sample.server import SampleSite
from tests.crawl import read, scalar
from tests.faultserver import FaultProxy, Rule
from tests.inprocess import crawl
from tests.shared import REPO


def test_hostile_site_list_rows_are_refused(sample_site: SampleSite, tmp_path: Path) -> None:
    listing = tmp_path / "sites.csv"
    hostile = [
        "https://../../etc/passwd",
        "http://exa\x00mple.org/",
        "https://" + "a" * 300 + ".org/",
        "file:///etc/passwd",
        "https://exa mple.org/",
    ]
    rows = ["url,name,party"] + [f'"{u}",Evil,None' for u in hostile]
    rows.append(f"{sample_site.url}/index.php/about/,Sarah Pennington,Labour")
    listing.write_text("\n".join(rows) + "\n")
    archive = tmp_path / "archive"
    result = crawl(archive, f"sites={listing}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr.count("skipped: ") == len(hostile)
    con = read(archive)
    assert con.sql("SELECT site, name, party FROM sites").fetchall() == [
        (f"127.0.0.1_{sample_site.port}", "Sarah Pennington", "Labour")
    ]
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(tmp_path.resolve()) for p in written)


def test_credentials_go_only_to_revisions_on_their_own_host(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    with SampleSite() as elsewhere:
        moved = Rule("/revisions", 302, b"", {"Location": elsewhere.url + "/steal"})
        with FaultProxy(sample_site.url, [moved]) as proxy:
            netrc = tmp_path / "netrc"
            host = proxy.url.removeprefix("http://")
            netrc.write_text(f"machine {host} login admin password s3cret-app-pass\n")
            result = crawl(tmp_path / "archive", f"site={proxy.url}", MPCRAWL_NETRC=str(netrc))
            with_auth = [p for p, _, headers in proxy.log if "Authorization" in headers]
        assert elsewhere.requests == []
    assert with_auth and all("/revisions" in p for p in with_auth)
    assert "s3cret-app-pass" not in result.stderr + result.stdout
    for path in (tmp_path / "archive").rglob("*.parquet"):
        assert b"s3cret-app-pass" not in path.read_bytes()


def _mangle(body: bytes) -> bytes:
    posts = json.loads(body)
    for post in posts[:10]:
        post["id"] = str(post["id"])
    posts[10]["date_gmt"] = "0000-00-00T00:00:00"
    posts[10]["date"] = "0000-00-00T00:00:00"
    del posts[11]["title"]
    posts[12]["categories"] = "4"
    posts[13]["author"] = None
    return json.dumps(posts).encode()


def test_odd_types_and_dates_are_archived_as_they_are(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    rule = Rule("rest_route=/wp/v2/posts&per_page=100&page=2", transform=_mangle)
    with FaultProxy(sample_site.url, [rule]) as proxy:
        result = crawl(tmp_path / "archive", f"site={proxy.url}")
    assert result.returncode == 0, result.stderr[-2000:]
    con = read(tmp_path / "archive")
    assert scalar(con, "SELECT count(*) FROM posts WHERE post_type='post'") == (
        sample_site.total_posts
    )
    assert scalar(con, "SELECT count(*) FROM posts WHERE date_gmt IS NULL") == 1
    assert scalar(con, "SELECT count(*) FROM posts WHERE title IS NULL") == 1


def test_a_50_mb_page_keeps_memory_bounded(tmp_path: Path) -> None:
    def huge(body: bytes) -> bytes:
        posts = json.loads(body)
        posts[0]["content"]["rendered"] = "<p>" + "x" * 50_000_000 + "</p>"
        return json.dumps(posts).encode()

    # the page is the point: a site of five posts around it (one page of posts)
    rule = Rule("rest_route=/wp/v2/posts&per_page=100&page=1", transform=huge)
    with SampleSite(posts=5) as site, FaultProxy(site.url, [rule]) as proxy:
        command = [
            sys.executable,
            "-c",
            "import resource, subprocess, sys;"
            "status = subprocess.call(sys.argv[1:]);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
            "sys.exit(status)",
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "wp",
            "-a",
            f"site={proxy.url}",
            "-s",
            f"MPCRAWL_ARCHIVE={tmp_path / 'archive'}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
    assert peak_mb < 1500, f"peak RSS {peak_mb:.0f} MB"
    con = read(tmp_path / "archive")
    assert scalar(con, "SELECT max(length(content_html)) FROM posts") >= 50_000_000
