"""Per-site locks kept in the archive: two runs never crawl the same site at once.

A lock is a small JSON file created exclusively under ``<archive>/_locks/``. A lock
whose process is gone (same host, PID not alive) is taken over. Archives on object
storage use :class:`mpcrawl.archive.s3locks.S3SiteLocks`; :func:`site_locks` picks.
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.wp.sitename import check_safe_name

LOCKS_DIR = "_locks"
UNREADABLE_LOCK_GRACE = 60.0  # seconds an empty or broken lock file is respected
DEFAULT_STALE_AFTER = 6 * 3600.0  # seconds; object storage cannot check a PID on another node


class SiteLocked(RuntimeError):
    """Another live run holds this site."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(holder: dict[str, object] | None) -> str:
    if holder is None:
        return "another run"
    return f"run {holder.get('run_id')} (pid {holder.get('pid')} on {holder.get('host')})"


class SiteLocks:
    """Acquire and release site locks for one run."""

    def __init__(self, location: ArchiveLocation, run_id: str) -> None:
        if not location.is_local:
            raise NotImplementedError(
                "site locks on object storage need a conditional-write client"
            )
        self.folder = Path(location.path(LOCKS_DIR))
        self.run_id = run_id
        self.held: set[str] = set()
        self.host = socket.gethostname()

    def _path(self, site: str) -> Path:
        return self.folder / f"{check_safe_name(site)}.lock"

    def acquire(self, site: str) -> None:
        """Take the site's lock, or raise :class:`SiteLocked` naming the holder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(site)
        body = json.dumps(
            {
                "run_id": self.run_id,
                "pid": os.getpid(),
                "host": self.host,
                "since": datetime.now(UTC).isoformat(),
            }
        ).encode()
        for _ in range(2):
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = self._holder(path)
                if self._stale(holder, path):
                    path.unlink(missing_ok=True)
                    continue
                raise SiteLocked(f"{site} is being crawled by {_describe(holder)}") from None
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
            self.held.add(site)
            return
        raise SiteLocked(f"{site}: could not take over a stale lock")

    def _holder(self, path: Path) -> dict[str, object] | None:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _stale(self, holder: dict[str, object] | None, path: Path) -> bool:
        """A lock of a dead process on this host, or an unreadable one left for a while
        (a run killed between creating the file and writing it)."""
        if holder is None:
            try:
                return time.time() - path.stat().st_mtime > UNREADABLE_LOCK_GRACE
            except OSError:
                return False
        pid = holder.get("pid")
        return holder.get("host") == self.host and isinstance(pid, int) and not _alive(pid)

    def release(self, site: str) -> None:
        if site in self.held:
            self._path(site).unlink(missing_ok=True)
            self.held.discard(site)

    def release_all(self) -> None:
        for site in list(self.held):
            self.release(site)


class SiteLockSet(Protocol):
    """What a run needs of its locks, wherever the archive lives."""

    held: set[str]

    def acquire(self, site: str) -> None: ...

    def release(self, site: str) -> None: ...

    def release_all(self) -> None: ...


def site_locks(
    location: ArchiveLocation, run_id: str, *, stale_after: float = DEFAULT_STALE_AFTER
) -> SiteLockSet:
    """Lock files for a local archive, conditional writes for one on S3.

    ``stale_after`` (seconds) applies to object storage, where the holder of a lock may
    run on another node: a lock older than that is taken over.
    """
    if location.is_local:
        return SiteLocks(location, run_id)
    if location.uri.startswith("s3://"):
        from mpcrawl.archive.s3locks import S3SiteLocks

        return S3SiteLocks(location, run_id, stale_after=stale_after)
    raise NotImplementedError(f"{location.uri}: site locks need a local path or s3:// archive")
