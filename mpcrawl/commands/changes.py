"""``scrapy changes``: what changed in the archive, as text for cron mail, JSON or Atom."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
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

FORMATS = ("text", "json", "atom")
SPLITS = ("site", "member", "party", "constituency")
FEED_DAYS = 30  # what an Atom feed holds by default: any polling interval misses nothing


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
        return (
            "[--since TIME] [--until TIME | --days N] [--site SITE] [--member NAME] "
            "[--party PARTY] [--constituency NAME] [--format text|json|atom] [-o FILE] "
            "[--split-by site|member|party|constituency -o DIR] [--notify URL]"
        )

    def short_desc(self) -> str:
        return "Tell what changed in the archive (text for cron mail, JSON, Atom, push)"

    def long_desc(self) -> str:
        return (
            "Read the archive (setting MPCRAWL_ARCHIVE) and list, per site, what its runs "
            "found, whether read through the REST API or from sitemaps, feeds and pages: a "
            "first crawl, new publications, edits (title, a diff of the text, and which other "
            "fields changed), publications hidden, deleted, redirected and back again, new "
            "revisions, videos and speaker turns, new robots.txt Disallow lines that cover "
            "archived URLs, and changes of the site's outcome. Text and JSON: by default each "
            "site since its previous run; the text is empty when nothing changed, so cron "
            "sends no mail. Atom: by default the last 30 days, newest first, with stable ids. "
            "Times are UTC. See docs/changes.md."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "changes")
        parser.add_argument(
            "--since",
            type=parse_time,
            metavar="TIME",
            help="changes archived after TIME (default: each site since its previous run; "
            f"Atom: the last {FEED_DAYS} days)",
        )
        parser.add_argument(
            "--until", type=parse_time, metavar="TIME", help="changes archived up to TIME"
        )
        parser.add_argument(
            "--days",
            type=int,
            metavar="N",
            help=f"changes archived in the last N days (Atom's default: {FEED_DAYS})",
        )
        for name, what in (
            ("site", "this site (its archive name, e.g. www.example-mp.org.uk)"),
            ("member", "this member's sites (the site list's name, or member id)"),
            ("party", "sites of this party (as the site list names it)"),
            ("constituency", "sites of this constituency"),
        ):
            parser.add_argument(
                f"--{name}", action="append", metavar=name.upper(), help=f"only {what}; repeatable"
            )
        parser.add_argument("--format", choices=FORMATS, default="text")
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write to FILE (replaced) instead of stdout; with --split-by, a folder",
        )
        parser.add_argument(
            "--split-by",
            choices=SPLITS,
            help="write one Atom feed per site, member, party or constituency into the -o "
            "folder, and feeds.opml listing them",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=20,
            metavar="N",
            help="list at most N changes of each kind per site; count the rest (default: 20)",
        )
        parser.add_argument(
            "--feed-url",
            metavar="URL",
            help="Atom: the URL the feed (with --split-by: the folder) is served from",
        )
        parser.add_argument(
            "--notify",
            action="append",
            metavar="URL",
            help="also send each changed site's digest to URL through Apprise (mailto://, "
            "slack://, matrix://, json://…); repeatable",
        )

    def _check(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.limit < 1:
            raise UsageError("--limit must be at least 1", print_help=False)
        if opts.days is not None and (opts.days < 1 or opts.since):
            raise UsageError("--days takes N >= 1, and not with --since", print_help=False)
        if opts.since and opts.until and opts.since >= opts.until:
            raise UsageError("--since must be before --until", print_help=False)
        if opts.split_by and (opts.output is None or opts.format != "atom"):
            raise UsageError("--split-by writes Atom feeds: give --format atom -o DIR",
                             print_help=False)  # fmt: skip

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from mpcrawl.changes import read_changes, render_atom, render_json, render_text
        from mpcrawl.changes.digest import subjects
        from mpcrawl.changes.notify import notify
        from mpcrawl.changes.subjects import select_sites, write_split
        from mpcrawl.read import connect

        self._check(args, opts)
        now = datetime.now(UTC)
        since = opts.since
        if opts.days is not None or (since is None and opts.format == "atom"):
            since = now - timedelta(days=opts.days or FEED_DAYS)
        assert self.settings is not None
        archive = archive_to_read(self.settings)
        if opts.site:
            from mpcrawl.archive.compact import archived_sites
            from mpcrawl.archive.fs import ArchiveLocation

            check_sites(opts.site, archived_sites(ArchiveLocation.parse(archive)), archive)
        path = None if opts.output is None or opts.split_by else output_file(opts.output)
        with archive_errors(self, archive):
            con = connect(archive)
            try:
                about = subjects(con)
                sites = select_sites(
                    about, member=opts.member, party=opts.party, constituency=opts.constituency
                )
                if opts.site:
                    sites = [s for s in sites or opts.site if s in opts.site]
                digest = read_changes(
                    con, since=since, until=opts.until, sites=sites, limit=opts.limit
                )
            finally:
                con.close()
        if self.exitcode:
            return
        if opts.split_by:
            write_split(digest, about, opts.split_by, Path(opts.output), feed_base=opts.feed_url,
                        now=now)  # fmt: skip
        else:
            if opts.format == "atom":
                body = render_atom(digest, feed_url=opts.feed_url, now=now)
            else:
                text = render_json(digest) if opts.format == "json" else render_text(digest)
                body = text.encode()
            _write(body, path)
        failures = notify(digest, opts.notify) if opts.notify else []
        for line in failures:
            print(line, file=sys.stderr)
        if failures:
            self.exitcode = 1


def _write(body: bytes, path: Path | None) -> None:
    """To stdout, or to a file replaced whole."""
    from mpcrawl.changes.formats import replace_file

    if path is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        replace_file(path, body)
