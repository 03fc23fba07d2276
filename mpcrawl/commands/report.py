"""``scrapy report``: write the archive's report, one self-contained HTML file."""

from __future__ import annotations

import argparse
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from mpcrawl.commands.archive_arg import (
    archive_errors,
    archive_to_read,
    one_line_errors,
    output_file,
)


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[-s MPCRAWL_ARCHIVE=PATH] [-o report.html] [--runs N]"

    def short_desc(self) -> str:
        return "Write an HTML report of the archive and its runs"

    def long_desc(self) -> str:
        return (
            "Read the archive (setting MPCRAWL_ARCHIVE) through its DuckDB views and write "
            "one static HTML file, with inline CSS and SVG charts: runs per site, posts per "
            "month, video embeds, edits and deletions, Hansard speakers. Times are UTC."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "report")
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            default="report.html",
            help="the HTML file to write (default: report.html; replaced if it exists)",
        )
        parser.add_argument(
            "--runs",
            metavar="N",
            type=int,
            default=20,
            help="how many recent runs per site to show (default: 20)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Imported here: every ``scrapy`` start-up imports every command module, and the
        # report's duckdb, pyarrow and matplotlib should not slow ``scrapy list``.
        from mpcrawl.read.report import write_report

        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.runs < 1:
            raise UsageError("--runs must be at least 1", print_help=False)
        assert self.settings is not None
        archive = archive_to_read(self.settings)
        with archive_errors(self, archive):
            replay = self.settings.get("MPCRAWL_REPLAY_URL") or None
            path = write_report(
                archive, output_file(opts.output), runs=opts.runs, replay_url=replay
            )
            print(f"Report written to {path.resolve()}")
