"""``make demo``: serve the sample site, crawl it with ``scrapy crawl``, show the archive."""

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--archive", default="output", help="archive folder (default: output)")
    args = parser.parse_args(argv)
    archive = Path(args.archive)
    with _sample_site() as site:
        print(f"Sample site serving on {site.url} (plain permalinks, like the seed's site)")
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "wp",
            "-a",
            f"site={site.url}",
            "-s",
            f"MPCRAWL_ARCHIVE={archive}",
            "-s",
            "LOG_LEVEL=WARNING",
        ]
        print("$", " ".join(command[2:]))
        status = subprocess.run(command, check=False).returncode
    print(f"scrapy crawl exited {status}\n")
    print(f"Archive: {archive.resolve()}")
    print(summarise(connect(str(archive))))
    report = write_report(str(archive), archive / "report.html")
    print(f"\nReport: {report.resolve()}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
