"""``make demo``: serve the sample site, crawl it with ``scrapy crawl``, show the archive.

``make demo-changes`` (``--change``): the site then edits a post, deletes one and
publishes one, as an MP's site does between two nights; the crawl runs again and
``scrapy changes`` prints what a cron mail would say.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from mpcrawl.read import connect
from mpcrawl.read.report import write_report
from mpcrawl.read.summary import summarise
from mpcrawl.sample.server import SampleSite

DEMO_PORT = 8407  # a fixed port keeps the site's name, so a second demo run is incremental


def _sample_site() -> SampleSite:
    try:
        return SampleSite(port=DEMO_PORT)
    except OSError:
        return SampleSite()


def _scrapy(*args: str) -> int:
    """Run one ``scrapy`` command as a user would type it, and show it first."""
    print("$ scrapy", " ".join(args), flush=True)
    return subprocess.run([sys.executable, "-m", "scrapy", *args], check=False).returncode


def _crawl(site: SampleSite, archive: Path) -> int:
    status = _scrapy(
        "crawl", "wp", "-a", f"site={site.url}", "-s", f"MPCRAWL_ARCHIVE={archive}",
        "-s", "LOG_LEVEL=WARNING",
    )  # fmt: skip
    print(f"scrapy crawl exited {status}\n")
    return status


def _change(site: SampleSite) -> None:
    """One night's changes on the site: an edit, a deletion, a new post."""
    first, second, *_ = site.post_ids()
    site.edit_post(first, title="An edited title", content="<p>The MP rewrote this post.</p>")
    site.delete_post(second)
    added = site.add_post(title="A post published tonight")
    print(f"The site edits post {first}, deletes post {second} and publishes post {added}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive", default="output", help="archive folder (default: output)")
    parser.add_argument(
        "--change",
        action="store_true",
        help="change the site (an edit, a deletion, a new post), crawl again, show the changes",
    )
    args = parser.parse_args(argv)
    archive = Path(args.archive)
    with _sample_site() as site:
        print(f"Sample site serving on {site.url} (plain permalinks, like the seed's site)")
        if args.change and not (archive / "runs").is_dir():
            print("First a crawl to compare with:")
            _crawl(site, archive)
        if args.change:
            _change(site)
        status = _crawl(site, archive)
    if args.change:
        print("What changed, as the nightly cron mail would say:")
        _scrapy("changes", "-s", f"MPCRAWL_ARCHIVE={archive}")
        return status
    if status not in (0, 1):
        return status  # a usage error or a crash: nothing to show
    print(f"Archive: {archive.resolve()}")
    print(summarise(connect(str(archive))))
    report = write_report(str(archive), archive / "report.html")
    print(f"\nReport: {report.resolve()}")
    print(next_steps(archive))
    return status


def next_steps(archive: Path) -> str:
    """What to try after the demo: each line runs as written from the project's folder."""
    query = (
        f"from mpcrawl.read import connect; connect({str(archive)!r}).sql("
        "'SELECT date, title FROM posts_latest ORDER BY date DESC LIMIT 5').show()"
    )
    return "\n".join(
        [
            "",
            "Try next:",
            f"  {archive / 'report.html'}   # the report: open it in a browser",
            f'  .venv/bin/python -c "{query}"',
            "  make demo-changes     # the site edits, deletes and adds a post; crawl again;"
            " scrapy changes",
            "  make test             # installs pytest and the rest, runs the checks",
            "  .venv/bin/scrapy crawl wp -a site=https://www.example-mp.org.uk   # a real site",
        ]
    )


if __name__ == "__main__":
    raise SystemExit(main())
