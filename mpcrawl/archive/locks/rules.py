"""What a site lock is, wherever it is kept: its name, its body, and when it is stale.

Both lock stores (files beside a local archive, objects beside one on S3) use these rules,
so a lock written by one run reads the same to every other, and the dead-process rule is
written once.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from typing import Protocol

from mpcrawl import defaults
from mpcrawl.wp.sitename import check_safe_name

LOCKS_DIR = "_locks"
UNREADABLE_LOCK_GRACE = 60.0  # seconds an empty or broken local lock file is respected
DEFAULT_STALE_AFTER = defaults.LOCK_STALE_AFTER
MAX_LOCK_STEM = 120  # characters: with the suffix and a temporary prefix, far below 255 bytes

Holder = dict[str, object]


class LockError(RuntimeError):
    """A site's lock could not be taken; the site is skipped with this reason."""


class SiteLocked(LockError):
    """Another live run holds this site."""


class LockUnavailable(LockError):
    """The archive refuses lock files (read-only, full, unreachable): nothing can be held."""


class SiteLockSet(Protocol):
    """What a run needs of its locks, wherever the archive lives."""

    held: set[str]

    def acquire(self, site: str) -> None: ...

    def release(self, site: str) -> None: ...

    def release_all(self) -> None: ...


def lock_name(site: str) -> str:
    """The lock's file or object name: the site itself, or a bounded prefix and a hash.

    A valid host may be 253 characters long, and file systems refuse names over 255
    bytes, so a long site name keeps its first characters (for people listing the
    folder) and a hash of the whole name (so two long names never share a lock).

    >>> lock_name("example.org")
    'example.org.lock'
    >>> name = lock_name("a" * 240 + ".org")
    >>> len(name), name[:8], name == lock_name("a" * 240 + ".org")
    (125, 'aaaaaaaa', True)
    >>> lock_name("a" * 240 + ".org") == lock_name("a" * 240 + ".net")
    False
    """
    stem = check_safe_name(site)
    if len(stem) > MAX_LOCK_STEM:
        digest = hashlib.sha256(stem.encode()).hexdigest()[:16]
        stem = f"{stem[: MAX_LOCK_STEM - len(digest) - 1]}-{digest}"
    return f"{stem}.lock"


def lock_body(run_id: str, host: str) -> bytes:
    """Who holds the lock, as JSON: the run, its process and host, and since when."""
    holder = {
        "run_id": run_id,
        "pid": os.getpid(),
        "host": host,
        "since": datetime.now(UTC).isoformat(),
    }
    return json.dumps(holder).encode()


def parse_holder(body: bytes) -> Holder | None:
    """The holder named in a lock's body; None when it is empty or broken.

    >>> parse_holder(b'{"run_id": "r", "pid": 7}')
    {'run_id': 'r', 'pid': 7}
    >>> parse_holder(b"") is None, parse_holder(b"[1]") is None, parse_holder(b"\\xff") is None
    (True, True, True)
    """
    try:
        data = json.loads(body)
    except ValueError:  # UnicodeDecodeError is a ValueError too
        return None
    return data if isinstance(data, dict) else None


def describe(holder: Holder | None) -> str:
    """The holder as a skipped site's reason names it.

    >>> describe({"run_id": "r1", "pid": 7, "host": "h"})
    'run r1 (pid 7 on h)'
    >>> describe(None)
    'another run'
    """
    if holder is None:
        return "another run"
    return f"run {holder.get('run_id')} (pid {holder.get('pid')} on {holder.get('host')})"


def process_alive(pid: int) -> bool:
    """Whether a process of this host is running (one of another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale(
    holder: Holder | None,
    age: float,
    *,
    host: str,
    unreadable_after: float,
    stale_after: float | None = None,
) -> bool:
    """Whether a lock may be taken over.

    A lock is stale when its process, on this host, is gone; when it is older than
    ``stale_after`` seconds (object storage, where the holder may run on another node);
    or when its body cannot be read and it is older than ``unreadable_after`` seconds (a
    run killed between creating the lock and writing it). A lock of another host is
    otherwise always respected: its PID means nothing here.

    >>> is_stale({"host": "far", "pid": 1}, 10**6, host="here", unreadable_after=60)
    False
    >>> is_stale(None, 61, host="here", unreadable_after=60)
    True
    >>> is_stale({"host": "far", "pid": 1}, 7, host="here", unreadable_after=60, stale_after=5)
    True
    """
    if stale_after is not None and age > stale_after:
        return True
    if holder is None:
        return age > unreadable_after
    pid = holder.get("pid")
    return holder.get("host") == host and isinstance(pid, int) and not process_alive(pid)
