"""What every mpcrawl command shares: one-line usage errors and the archive it is given."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

USAGE_ERROR = 2


def one_line_errors(parser: argparse.ArgumentParser, command: str) -> None:
    """Usage errors as one line naming the problem (``-h`` prints the full usage).

    argparse's ``error()`` (which Scrapy also calls for a :class:`UsageError`) prints the
    whole usage before the message.
    """

    def error(message: str) -> NoReturn:
        sys.stderr.write(f"scrapy {command}: error: {message}\n")
        sys.exit(USAGE_ERROR)

    setattr(parser, "error", error)  # noqa: B010  (replaces a method)


def archive_to_read(settings: BaseSettings) -> str:
    """``MPCRAWL_ARCHIVE``, checked: a bad setting, or a place that holds no archive, is a
    one-line usage error (exit 2) before anything is read or written.

    Only ``scrapy crawl`` creates an archive: a typo given to ``scrapy compact``, ``report``
    or ``changes`` must not leave an empty archive behind, nor read as one.
    Scrapy imports every module of the commands package at start-up, so the archive code is
    imported only when a command runs.
    """
    from mpcrawl.archive.fs import ArchiveLocation
    from mpcrawl.archive.locks import LOCKS_DIR
    from mpcrawl.config import Config, ConfigError
    from mpcrawl.schemas import TABLES

    try:
        archive = Config.from_settings(settings).archive
    except ConfigError as exc:
        raise UsageError(str(exc), print_help=False) from None
    location = ArchiveLocation.parse(archive)
    missing = location.is_local and not Path(location.root).is_dir()
    if missing or not {info.base_name for info in location.entries()} & {*TABLES, LOCKS_DIR}:
        raise UsageError(
            f"MPCRAWL_ARCHIVE={archive}: no archive there (no posts/, runs/ or other table "
            "folder); only scrapy crawl creates one",
            print_help=False,
        )
    return archive


@contextmanager
def archive_errors(command: ScrapyCommand, archive: str) -> Iterator[None]:
    """The read side's errors as the command's: a path holding no archive is a usage error
    (exit 2); a file of it that is not Parquet is one line naming it (exit 1), whether
    ``connect`` found it (a local archive) or a query did (object storage)."""
    import duckdb

    from mpcrawl.read import NoArchiveError, UnreadableArchiveError, unreadable_file

    try:
        yield
    except NoArchiveError as exc:
        raise UsageError(str(exc), print_help=False) from None
    except (UnreadableArchiveError, duckdb.Error) as exc:
        found = str(exc) if isinstance(exc, UnreadableArchiveError) else unreadable_file(archive)
        if found is None:
            raise
        print(f"error: {found}", file=sys.stderr)
        command.exitcode = 1


def output_file(option: str) -> Path:
    """The file ``-o`` names, its folder created as Scrapy's ``-o`` feeds do; a folder that
    cannot be made (a file in the way, no permission) is a one-line usage error."""
    path = Path(option)
    if path.is_dir():
        raise UsageError(f"-o {option}: a folder; name a file in it", print_help=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(
            f"-o {option}: cannot make its folder {path.parent}: {reason}", print_help=False
        ) from None
    return path


def check_sites(names: list[str], known: list[str], archive: str) -> None:
    """Every SITE must be a ``site=`` folder of the archive: a typo must not read as a site
    where nothing happened (an empty cron mail for ever) nor compact nothing."""
    unknown = [name for name in names if name not in known]
    if not unknown:
        return
    hint = (
        " (a site name such as www.example.org.uk, not a URL)"
        if any("/" in name for name in unknown)
        else ""
    )
    if len(known) <= 20:
        held = ", ".join(known) if known else "no site yet"
    else:
        close = {m for name in unknown for m in difflib.get_close_matches(name, known, n=3)}
        shown = ", ".join(sorted(close) or known[:5])
        held = f"{shown} and {len(known) - len(close or known[:5])} more"
    raise UsageError(
        f"unknown site {', '.join(unknown)}{hint}; {archive} holds: {held}", print_help=False
    )
