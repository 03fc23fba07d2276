"""``scrapy compact``: merge each partition's part files into one file for readers.

Exit status 0 when every site was compacted, 1 when a site was skipped because a crawl
holds its lock (run it again later) or its files could not be read or rewritten (each
such site is named with the reason; the other sites are still compacted), 2 for a bad
argument (a SITE the archive does not hold, a URL instead of a site name).
"""

from __future__ import annotations

import argparse
import logging
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from mpcrawl.commands.archive_arg import archive_to_read, check_sites, one_line_errors

logger = logging.getLogger(__name__)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": True}

    def syntax(self) -> str:
        return "[options] [SITE ...]"

    def short_desc(self) -> str:
        return "Rewrite the archive's part files into one sorted file per partition"

    def long_desc(self) -> str:
        return (
            "Merge each partition's part files (all sites, or the SITEs named, e.g. "
            "www.example.org.uk) into one file sorted by the table's key, under the site "
            "locks. No row is dropped; a killed compaction leaves a readable archive. "
            "The archive is MPCRAWL_ARCHIVE (-s MPCRAWL_ARCHIVE=PATH)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "compact")
        parser.add_argument(
            "--table",
            action="append",
            dest="tables",
            metavar="TABLE",
            help="only this table (repeatable), e.g. posts",
        )
        parser.add_argument(
            "--row-group-rows",
            type=int,
            default=None,
            help="rows per row group (default 100,000)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        # Imported here: every ``scrapy`` start-up imports every command module, and
        # pyarrow's ~0.5 s import should not slow ``scrapy list`` or ``scrapy version``.
        from mpcrawl.archive.compact import ROW_GROUP_ROWS, archived_sites, compact
        from mpcrawl.archive.fs import ArchiveLocation
        from mpcrawl.schemas import TABLES

        assert self.settings is not None
        tables = opts.tables or list(TABLES)
        unknown = [t for t in tables if t not in TABLES]
        if unknown:
            raise UsageError(f"unknown table {', '.join(unknown)}", print_help=False)
        row_group_rows = ROW_GROUP_ROWS if opts.row_group_rows is None else opts.row_group_rows
        if row_group_rows < 1:
            raise UsageError("--row-group-rows must be positive", print_help=False)
        archive = archive_to_read(self.settings)
        try:
            location = ArchiveLocation.parse(str(archive))
            if args:
                check_sites(args, archived_sites(location), archive)
            report = compact(
                location,
                args or None,
                tables=tables,
                row_group_rows=row_group_rows,
            )
        except (OSError, NotImplementedError, ValueError) as exc:
            logger.error("compaction failed: %s", exc)
            print(f"compaction failed: {exc}")
            self.exitcode = 1
            return
        print(report.line())
        self.exitcode = 1 if report.locked or report.failed else 0
