"""Per-site locks kept in the archive: two runs never crawl the same site at once.

:func:`site_locks` picks the store for an archive: lock files for a local or shared path
(:mod:`.local`), conditional writes for ``s3://`` (:mod:`.s3`, which alone needs boto3).
Both follow :mod:`.rules`: one lock name, one body, one staleness rule. A caller turns
:class:`SiteLocked` (another run holds the site) and :class:`LockUnavailable` (the
archive cannot hold a lock: read-only, full, unreachable) into the site's outcome; both
are :class:`LockError`.
"""

from __future__ import annotations

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks.local import SiteLocks
from mpcrawl.archive.locks.rules import (
    DEFAULT_STALE_AFTER,
    LOCKS_DIR,
    LockError,
    LockUnavailable,
    SiteLocked,
    SiteLockSet,
    lock_name,
)

__all__ = [
    "DEFAULT_STALE_AFTER",
    "LOCKS_DIR",
    "LockError",
    "LockUnavailable",
    "SiteLockSet",
    "SiteLocked",
    "SiteLocks",
    "lock_name",
    "site_locks",
]


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
        from mpcrawl.archive.locks.s3 import S3SiteLocks

        return S3SiteLocks(location, run_id, stale_after=stale_after)
    raise NotImplementedError(f"{location.uri}: site locks need a local path or s3:// archive")
