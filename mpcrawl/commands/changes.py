"""``scrapy changes``: what changed in the archive, as text for cron mail, JSON or Atom."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from mpcrawl.commands.archive_arg import archive_to_read, check_sites, one_line_errors, output_file

FORMATS = ("text", "json", "atom")


def parse_time(value: str) -> datetime:
    """An ISO 8601 date or time; without an offset it is UTC.

    >>> parse_time("2026-12-01")
    datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.timezone.utc)
    >>> parse_time("2026-12-01T03:04:05+01:00").isoformat()
    '2026-12-01T02:04:05+00:00'
    """
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date or time (e.g. 2026-12-01 or 2026-12-01T03:00Z)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Command(ScrapyCommand):
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--since TIME] [--until TIME] [--site SITE] [--format text|json|atom] [-o FILE]"

    def short_desc(self) -> str:
        return "Tell what changed in the archive (text for cron mail, JSON, Atom)"

    def long_desc(self) -> str:
        return (
            "Read the archive (setting MPCRAWL_ARCHIVE) and list, per site, what its runs "
            "found: new posts, edits (title and a diff of the text), posts hidden, deleted "
            "and back again, new revisions, videos and speaker turns, and changes of the "
            "site's outcome. By default each site since its previous run. The text output "
            "is empty when nothing changed, so cron sends no mail. Times are UTC."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "changes")
        parser.add_argument(
            "--since",
            type=parse_time,
            metavar="TIME",
            help="changes archived after TIME (default: each site since its previous run)",
        )
        parser.add_argument(
            "--until", type=parse_time, metavar="TIME", help="changes archived up to TIME"
        )
        parser.add_argument(
            "--site",
            action="append",
            metavar="SITE",
            help="only this site (its archive name, e.g. www.example-mp.org.uk); repeatable",
        )
        parser.add_argument("--format", choices=FORMATS, default="text")
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write to FILE (replaced) instead of stdout"
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=20,
            metavar="N",
            help="list at most N changes of each kind per site; count the rest (default: 20)",
        )
        parser.add_argument(
            "--feed-url", metavar="URL", help="Atom: the URL the feed is served from (self link)"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from mpcrawl.changes import read_changes, render_atom, render_json, render_text
        from mpcrawl.read import NoArchiveError, connect

        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.limit < 1:
            raise UsageError("--limit must be at least 1", print_help=False)
        if opts.since and opts.until and opts.since >= opts.until:
            raise UsageError("--since must be before --until", print_help=False)
        assert self.settings is not None
        archive = archive_to_read(self.settings)
        if opts.site:
            from mpcrawl.archive.compact import archived_sites
            from mpcrawl.archive.fs import ArchiveLocation

            check_sites(opts.site, archived_sites(ArchiveLocation.parse(archive)), archive)
        path = None if opts.output is None else output_file(opts.output)
        try:
            con = connect(archive)
        except NoArchiveError as exc:
            raise UsageError(str(exc), print_help=False) from None
        try:
            digest = read_changes(
                con, since=opts.since, until=opts.until, sites=opts.site, limit=opts.limit
            )
        finally:
            con.close()
        if opts.format == "atom":
            body = render_atom(digest, feed_url=opts.feed_url)
        else:
            body = (render_json(digest) if opts.format == "json" else render_text(digest)).encode()
        if path is None:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
            return
        temp = path.with_name(f".{path.name}.tmp")
        temp.write_bytes(body)
        temp.replace(path)
