"""The archive a reading command (``scrapy report``, ``scrapy changes``) is pointed at."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings


def archive_to_read(settings: BaseSettings) -> str:
    """``MPCRAWL_ARCHIVE``, checked: a bad setting or a local path that is no folder is a
    one-line usage error (exit 2) before any reading starts.

    Scrapy imports every module of the commands package at start-up, so the archive code is
    imported only when a command runs.
    """
    from mpcrawl.archive.fs import ArchiveLocation
    from mpcrawl.config import Config, ConfigError

    try:
        archive = Config.from_settings(settings).archive
    except ConfigError as exc:
        raise UsageError(str(exc), print_help=False) from None
    location = ArchiveLocation.parse(archive)
    if location.is_local and not Path(location.root).is_dir():
        raise UsageError(f"MPCRAWL_ARCHIVE={archive}: no archive there", print_help=False)
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
