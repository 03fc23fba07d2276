"""``scrapy wacz -o FILE.wacz``: the archive's WARC captures as one WACZ 1.1.1 package.

Exit status 0 when written, 1 when there is nothing to package (no WARC record for the
sites and window), a file of the archive is unreadable or py-wacz refuses, 2 for a bad
argument (a path that holds no archive, a site it does not hold): each one line, as
``scrapy report`` and ``scrapy changes`` print them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from mpcrawl.commands.archive_arg import (
    archive_errors,
    archive_to_read,
    check_sites,
    one_line_errors,
    output_file,
)
from mpcrawl.commands.changes import parse_time


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": True}

    def syntax(self) -> str:
        return "-o FILE.wacz [--site SITE] [--since TIME] [--until TIME]"

    def short_desc(self) -> str:
        return "Package the archive's WARC captures as a WACZ file (replayable in pywb)"

    def long_desc(self) -> str:
        return (
            "Write the WARC files of the archive (MPCRAWL_ARCHIVE), of every site or the "
            "SITEs named, with a record captured in [--since, --until), into one WACZ 1.1.1 "
            "package: the WARCs, a CDXJ index, pages/pages.jsonl (each captured post page) "
            "and datapackage.json with every file's hash."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "wacz")
        parser.add_argument("-o", "--output", metavar="FILE.wacz", help="the WACZ to write")
        parser.add_argument("--site", action="append", help="only this site (repeatable)")
        parser.add_argument("--since", type=parse_time, help="captures from TIME on")
        parser.add_argument("--until", type=parse_time, help="captures before TIME")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected argument {args[0]!r}", print_help=False)
        if not opts.output or not opts.output.endswith(".wacz"):
            raise UsageError("-o FILE.wacz is required", print_help=False)
        if opts.since and opts.until and opts.since >= opts.until:
            raise UsageError("--since must be before --until", print_help=False)
        assert self.settings is not None
        archive = archive_to_read(self.settings)
        from mpcrawl.archive.compact import archived_sites
        from mpcrawl.archive.fs import ArchiveLocation
        from mpcrawl.read.wacz import WaczError, write_wacz

        if opts.site:
            check_sites(opts.site, archived_sites(ArchiveLocation.parse(archive)), archive)
        output = str(output_file(opts.output))
        with archive_errors(self, archive):
            try:
                summary = write_wacz(
                    archive, output, sites=opts.site, since=opts.since, until=opts.until
                )
            except WaczError as exc:
                print(f"error: {exc}", file=sys.stderr)
                self.exitcode = 1
                return
            print(f"{summary.path}: {summary.warcs} WARC files, {summary.pages} pages")
