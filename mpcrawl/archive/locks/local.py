"""Site locks as files under ``<archive>/_locks/``, for an archive on a local or shared path.

A lock is taken by creating its file with ``O_EXCL``: of any number of runs, one creates
it. Taking over a stale lock (see :func:`~mpcrawl.archive.locks.rules.is_stale`) is the
hard part, since "is it stale?" and "replace it" are two steps: two takers that both saw
the same dead holder would both replace it, and both believe they hold the site.

So a takeover runs under an exclusive ``flock`` on ``_locks/takeover.guard``, a file that is
never deleted. Under it the taker reads the lock again and replaces it, by renaming a
fresh lock file over it, only if it is still the very file it judged stale (same inode,
same bytes). The second taker then finds the first one's live lock and is refused.
Why a kernel lock rather than a takeover marker file made with ``O_EXCL``: a marker left
by a taker that dies mid-takeover would itself go stale and need a takeover rule of its
own, while the kernel drops a ``flock`` when its process dies, however it dies. The
rename keeps the lock's name present throughout, so an ordinary ``O_EXCL`` acquire never
slips in between. ``flock`` conflicts between open files, so threads of one process are
told apart as well as processes. Linux's NFS client maps it to byte-range locks that the
server arbitrates between machines (those are per process, which is how runs take locks:
one lock set per process). A release unlinks the lock under the same ``flock`` and only while it
is still the file this run created.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks.rules import (
    LOCKS_DIR,
    UNREADABLE_LOCK_GRACE,
    LockUnavailable,
    SiteLocked,
    describe,
    is_stale,
    lock_body,
    lock_name,
    parse_holder,
)

TAKEOVER_GUARD = "takeover.guard"  # not dot-named: dot names are temporary files

# What one look at a lock file saw: its inode, modification time and bytes.
Seen = tuple[int, float, bytes]


class SiteLocks:
    """Acquire and release site locks for one run, on a local (or shared) path."""

    def __init__(self, location: ArchiveLocation, run_id: str) -> None:
        if not location.is_local:
            raise NotImplementedError(
                "site locks on object storage need a conditional-write client"
            )
        self.folder = Path(location.path(LOCKS_DIR))
        self.run_id = run_id
        self.held: set[str] = set()
        self.host = socket.gethostname()
        self._inodes: dict[str, int] = {}

    def path(self, site: str) -> Path:
        return self.folder / lock_name(site)

    def acquire(self, site: str) -> None:
        """Take the site's lock, or raise :class:`SiteLocked` naming the holder.

        :class:`LockUnavailable` when the archive cannot hold a lock file at all.
        """
        path = self.path(site)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LockUnavailable(f"{site}: cannot create {self.folder}: {exc}") from None
        body = lock_body(self.run_id, self.host)
        for _ in range(3):
            inode = self._create(site, path, body)
            if inode is None:
                seen = self._look(site, path)
                if seen is None:  # released in between: try again
                    continue
                holder = parse_holder(seen[2])
                age = time.time() - seen[1]
                if not is_stale(
                    holder, age, host=self.host, unreadable_after=UNREADABLE_LOCK_GRACE
                ):
                    raise SiteLocked(f"{site} is being crawled by {describe(holder)}")
                inode = self._take_over(site, path, seen, body)
                if inode is None:  # another taker won, or the holder wrote in between
                    continue
            self._inodes[site] = inode
            self.held.add(site)
            return
        raise SiteLocked(f"{site}: the lock kept changing hands")

    def _create(self, site: str, path: Path, body: bytes) -> int | None:
        """Create the lock with our body; its inode, or None when it exists already."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return None
        except OSError as exc:
            raise LockUnavailable(f"{site}: cannot create {path.name}: {exc}") from None
        try:
            os.write(fd, body)
            return os.fstat(fd).st_ino
        except OSError as exc:  # a full disk: leave no empty lock behind
            path.unlink(missing_ok=True)
            raise LockUnavailable(f"{site}: cannot write {path.name}: {exc}") from None
        finally:
            os.close(fd)

    def _look(self, site: str, path: Path) -> Seen | None:
        try:
            with path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                return stat.st_ino, stat.st_mtime, handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LockUnavailable(f"{site}: cannot read {path.name}: {exc}") from None

    @contextmanager
    def _guard(self, site: str) -> Iterator[None]:
        """Hold the folder's takeover ``flock``; the kernel drops it if we die."""
        try:
            handle = (self.folder / TAKEOVER_GUARD).open("ab")
        except OSError as exc:
            raise LockUnavailable(f"{site}: cannot open {TAKEOVER_GUARD}: {exc}") from None
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

    def _take_over(self, site: str, path: Path, seen: Seen, body: bytes) -> int | None:
        """Replace the stale lock ``seen`` with ours; our inode, or None if it changed."""
        fresh = self.folder / f".{uuid.uuid4().hex}.tmp"
        with self._guard(site):
            current = self._look(site, path)
            if current is None or (current[0], current[2]) != (seen[0], seen[2]):
                return None
            try:
                fresh.write_bytes(body)
                inode = fresh.stat().st_ino
                os.rename(fresh, path)
            except OSError as exc:
                fresh.unlink(missing_ok=True)
                raise LockUnavailable(f"{site}: cannot take over {path.name}: {exc}") from None
            return inode

    def release(self, site: str) -> None:
        """Delete the lock if it is still the one this run created."""
        if site not in self.held:
            return
        path = self.path(site)
        with self._guard(site):
            try:
                if path.stat().st_ino == self._inodes[site]:
                    path.unlink()
            except FileNotFoundError:
                pass
        self.held.discard(site)
        self._inodes.pop(site, None)

    def release_all(self) -> None:
        for site in list(self.held):
            self.release(site)
