"""Per platform, the figures issue 23 asks of ``make bench``: publications found against
published, requests per publication, a first run and a no-change night (requests and
time), and peak memory, each crawl a real ``scrapy crawl`` process (its peak RSS from the
launcher) against the test fixtures' own servers on 127.0.0.1.

A platform whose server cannot start here (PHP, MariaDB, Hugo or Wagtail missing, shared
tarballs absent) gives one "not run" line saying why; the others still run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from benchmarks.bench_support import STATE_DIR, Row, Timed, run_timed, sample_server, scrapy_crawl
from mpcrawl.read import connect

Site = tuple[str, int | None]  # URL, publications published (None: not known here)


@contextmanager
def _sample() -> Iterator[Site]:
    from mpcrawl.sample.server import load_bundle

    with sample_server(300) as url:
        yield url, 300 + len(load_bundle()["pages"])  # its posts and its bundled pages


@contextmanager
def _wordpress_closed(rest: str = "closed") -> Iterator[Site]:
    """Debian's WordPress 6.1, its API closed; ``closed-core``: its core sitemaps as they are,
    with no ``lastmod`` (``closed`` adds one, as SEO plugins do)."""
    from tests.wordpress.wpserver import DEFAULT_POSTS, WordPress

    state = STATE_DIR / f"wp-fallback-{DEFAULT_POSTS}"
    state.mkdir(parents=True, exist_ok=True)
    with WordPress(state, posts=DEFAULT_POSTS) as wp:
        yield wp.fork(f"bench_platform_{rest.replace('-', '_')}", rest=rest).url, None


@contextmanager
def _wordpress71() -> Iterator[Site]:
    from tests.wordpress.wpserver import DEFAULT_POSTS, WordPress
    from tests.wordpress71.wp71server import WordPress71

    state = STATE_DIR / f"wp-fallback-{DEFAULT_POSTS}"
    state.mkdir(parents=True, exist_ok=True)
    with WordPress(state, posts=DEFAULT_POSTS) as wp, tempfile.TemporaryDirectory() as tmp:
        site = WordPress71(wp, Path(tmp), posts=300).start()  # the scale issue 23 was found at
        try:
            yield site.url, len(site.manifest["posts"])
        finally:
            site.stop()


@contextmanager
def _drupal(variant: str) -> Iterator[Site]:
    from tests.drupal.drupalserver import Drupal, missing_requirements

    missing = missing_requirements()
    if missing:
        raise RuntimeError(f"Drupal needs {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as tmp:
        drupal = Drupal(Path(tmp))
        drupal.start()
        try:
            site = drupal.sites[variant]  # type: ignore[index]
            yield site.url, len(site.published())
        finally:
            drupal.stop()


@contextmanager
def _wagtail() -> Iterator[Site]:
    from tests.wagtail.wagtailserver import Wagtail, wagtail_version

    if wagtail_version() is None:
        raise RuntimeError("wagtail is not installed (pip install -e '.[test]')")
    with tempfile.TemporaryDirectory() as tmp, Wagtail(Path(tmp)) as site:
        yield site.url, sum(1 for p in site.manifest["pages"] if not p["listing"])


@contextmanager
def _hugo() -> Iterator[Site]:
    from tests.hugo.site import HugoSite

    with tempfile.TemporaryDirectory() as tmp, HugoSite(Path(tmp), pages=30) as site:
        yield site.url, 30


PLATFORMS: dict[str, Callable[[], AbstractContextManager[Site]]] = {
    "sample WordPress (REST)": _sample,
    "WordPress 6.1, REST closed (fallback)": _wordpress_closed,
    "WordPress 6.1, REST closed, core sitemaps (no lastmod)": lambda: _wordpress_closed(
        "closed-core"
    ),
    "WordPress 7.1, REST closed (fallback)": _wordpress71,
    "Drupal 7 core (no sitemap)": lambda: _drupal("core"),
    "Drupal 7 + xmlsitemap": lambda: _drupal("xmlsitemap"),
    "Wagtail (sitemap)": _wagtail,
    "Hugo (sitemap)": _hugo,
}


def _night(archive: Path, url: str) -> tuple[Timed, int, int, str]:
    """One crawl: the process, its requests (run record), the publications archived, and
    the run record's outcome, errors and pages left unread (``pages_skipped``)."""
    timed = run_timed(scrapy_crawl(archive, url, LOG_LEVEL="INFO"))
    con = connect(str(archive))
    latest = (
        "SELECT requests, outcome, errors, pages_skipped FROM runs ORDER BY started_at DESC LIMIT 1"
    )
    requests, outcome, errors, skipped = con.sql(latest).fetchall()[0]
    (found,) = con.sql("SELECT count(*) FROM publications").fetchall()[0]
    unread = f", {skipped} pages left unread" if skipped else ""
    return timed, int(requests), int(found), f"{outcome}, {errors} errors{unread}"


def _row(name: str, make: Callable[[], AbstractContextManager[Site]]) -> Row:
    try:
        with tempfile.TemporaryDirectory() as tmp, make() as (url, published):
            first, requests, found, said = _night(Path(tmp) / "archive", url)
            again, quiet, _, said_again = _night(Path(tmp) / "archive", url)
    except Exception as exc:  # one platform that cannot start costs its own line
        return Row(f"{name}: platform", "not run", "—", "—", "—", None, f"{exc}"[:200])
    line = (
        f"{name}: {found}/{published if published is not None else '?'} publications, "
        f"{requests / max(found, 1):.2f} requests each; first run {requests} requests "
        f"{first.seconds:.0f} s {first.max_rss_mb:.0f} MB; no-change night {quiet} requests "
        f"{again.seconds:.0f} s {again.max_rss_mb:.0f} MB; {said} / {said_again}"
    )
    print(line)
    exits = f"exit {first.returncode}/{again.returncode}; {said} / {said_again}"
    shown = published if published is not None else "—"
    return Row(
        f"{name}: found / published; requests per publication; first run",
        f"{found} / {shown}; {requests / max(found, 1):.2f}; {requests} requests, "
        f"{first.seconds:.0f} s, {first.max_rss_mb:.0f} MB peak",
        f"no-change night: {quiet} requests, {again.seconds:.0f} s, {again.max_rss_mb:.0f} MB",
        f"{quiet / max(requests, 1):.2f}× requests",
        "recorded",
        first.returncode == 0 and again.returncode == 0,
        exits,
    )


def bench(only: tuple[str, ...] = ()) -> list[Row]:
    return [_row(name, make) for name, make in PLATFORMS.items() if not only or name in only]


if __name__ == "__main__":
    import sys

    for row in bench(tuple(sys.argv[1:])):
        print(row)
