"""The fallback path against the REST path on the same real WordPress.

The seeded site (260 generated posts, its pages and special posts) is served twice from
one database copy each: as is, and with its REST API closed the way security plugins close
it (``tests/wordpress/rest-closed.php``). The REST crawl of the open site is the reference
for the fallback crawl of the closed one: wall time and requests, first run and a run with
no change.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.bench_support import STATE_DIR, Row, ratio, run_timed, scrapy_crawl
from mpcrawl.read import connect
from tests.wordpress.wpserver import DEFAULT_POSTS, WordPress


def _crawl(archive: Path, url: str) -> tuple[float, int, int]:
    """Seconds, requests and publications of one crawl (its run record)."""
    timed = run_timed(scrapy_crawl(archive, url))
    if timed.returncode != 0:
        raise RuntimeError(f"crawl of {url} exited {timed.returncode}: {timed.stderr[-2000:]}")
    con = connect(str(archive))
    requests, new = con.sql(
        "SELECT requests, posts_new FROM runs ORDER BY started_at DESC LIMIT 1"
    ).fetchall()[0]
    return timed.seconds, int(requests), int(new)


def bench() -> list[Row]:
    state = STATE_DIR / f"wp-fallback-{DEFAULT_POSTS}"
    state.mkdir(parents=True, exist_ok=True)
    with WordPress(state, posts=DEFAULT_POSTS) as wp, tempfile.TemporaryDirectory() as tmp:
        closed = wp.fork("bench_closed", rest="closed")
        rest_s, rest_requests, rest_posts = _crawl(Path(tmp) / "rest", wp.pretty.url)
        web_s, web_requests, web_posts = _crawl(Path(tmp) / "web", closed.url)
        rest_again_s, rest_again, _ = _crawl(Path(tmp) / "rest", wp.pretty.url)
        web_again_s, web_again, _ = _crawl(Path(tmp) / "web", closed.url)
    per_post = web_requests / max(web_posts, 1)
    return [
        Row(
            f"fallback crawl of the closed WordPress ({web_posts} posts and pages): wall time",
            f"{web_s:.1f} s",
            f"REST crawl of the same site ({rest_posts}): {rest_s:.1f} s",
            ratio(web_s, rest_s),
            "recorded",
            True,
            "one page per post against 100 posts per REST page; start-up included in both",
        ),
        Row(
            "fallback crawl of the closed WordPress: requests",
            f"{web_requests} ({per_post:.2f} per post)",
            f"REST crawl: {rest_requests}",
            ratio(web_requests, rest_requests),
            "≤ 1.1 requests per post",
            per_post <= 1.1,
            "discovery, robots.txt, 3 sitemaps, then one request per page",
        ),
        Row(
            "no-change fallback run of the closed WordPress: requests",
            f"{web_again} in {web_again_s:.1f} s",
            f"no-change REST run: {rest_again} in {rest_again_s:.1f} s",
            ratio(web_again, rest_again),
            "no post page fetched (≤ 15 requests)",
            web_again <= 15,
            "sitemap lastmod unchanged: only discovery, sitemaps and the home page",
        ),
    ]
