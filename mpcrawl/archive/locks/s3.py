"""Per-site locks on object storage: S3 conditional writes in place of ``O_EXCL``.

pyarrow's filesystems have no exclusive create, so a lock is an object put with
``If-None-Match: *``, which S3 refuses (412) while the key exists. The holder of a lock
may run on another node, where its PID cannot be checked, so a lock older than
``stale_after`` seconds (or held by a dead PID on this host) is taken over by a put with
``If-Match`` on its ETag: of two runs taking over the same lock, one wins. A release
deletes the lock only if it is still ours (``If-Match`` again).

boto3 is imported lazily: only archives on object storage need it. The endpoint,
region and keys come from the archive URI's query (``endpoint_override``, ``scheme``,
``region``, ``access_key``, ``secret_key``, as pyarrow reads them) or boto3's usual
sources (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``).
"""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks.rules import (
    DEFAULT_STALE_AFTER,
    LOCKS_DIR,
    Holder,
    LockUnavailable,
    SiteLocked,
    describe,
    is_stale,
    lock_body,
    lock_name,
    parse_holder,
)

_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
_GONE = {"NoSuchKey", "404"}


def s3_client_options(uri: str) -> dict[str, str]:
    """boto3 client arguments for the endpoint and keys named in an ``s3://`` URI.

    >>> s3_client_options("s3://b/a?endpoint_override=127.0.0.1:9000&scheme=http&region=x")
    {'endpoint_url': 'http://127.0.0.1:9000', 'region_name': 'x'}
    """
    query = dict(parse_qsl(urlsplit(uri).query))
    options: dict[str, str] = {}
    endpoint = query.get("endpoint_override")
    if endpoint:
        scheme = query.get("scheme", "https")
        options["endpoint_url"] = endpoint if "://" in endpoint else f"{scheme}://{endpoint}"
    names = {"region": "region_name", "access_key": "aws_access_key_id"}
    names["secret_key"] = "aws_secret_access_key"
    for name, option in names.items():
        if query.get(name):
            options[option] = query[name]
    return options


def _code(exc: Exception) -> str:
    response: dict[str, Any] = getattr(exc, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", ""))


class S3SiteLocks:
    """Acquire and release site locks for one run, on an ``s3://`` archive."""

    def __init__(
        self, location: ArchiveLocation, run_id: str, *, stale_after: float = DEFAULT_STALE_AFTER
    ) -> None:
        import boto3
        from botocore.exceptions import ClientError

        self.client = boto3.client("s3", **s3_client_options(location.uri))
        self.client_error = ClientError
        self.bucket, _, prefix = location.root.partition("/")
        self.prefix = f"{prefix}/{LOCKS_DIR}/" if prefix else f"{LOCKS_DIR}/"
        self.run_id = run_id
        self.stale_after = stale_after
        self.host = socket.gethostname()
        self.held: set[str] = set()
        self._etags: dict[str, str] = {}

    def key(self, site: str) -> str:
        return f"{self.prefix}{lock_name(site)}"

    def _put(self, site: str, **condition: str) -> bool:
        """Put our lock under a condition; False when another run's write won."""
        try:
            response = self.client.put_object(
                Bucket=self.bucket,
                Key=self.key(site),
                Body=lock_body(self.run_id, self.host),
                **condition,
            )
        except self.client_error as exc:
            if _code(exc) in _LOST_RACE:
                return False
            raise LockUnavailable(f"{site}: cannot write {self.key(site)}: {exc}") from None
        self._etags[site] = response["ETag"]
        self.held.add(site)
        return True

    def acquire(self, site: str) -> None:
        """Take the site's lock, or raise :class:`SiteLocked` naming the holder."""
        for _ in range(2):
            if self._put(site, IfNoneMatch="*"):
                return
            found = self._holder(site)
            if found is None:  # released in between: try again
                continue
            holder, etag, since = found
            age = (datetime.now(UTC) - since).total_seconds()
            if is_stale(
                holder,
                age,
                host=self.host,
                unreadable_after=self.stale_after,
                stale_after=self.stale_after,
            ):
                if self._put(site, IfMatch=etag):
                    return
                raise SiteLocked(f"{site}: another run took over the stale lock first")
            raise SiteLocked(f"{site} is being crawled by {describe(holder)}")
        raise SiteLocked(f"{site}: the lock kept changing hands")

    def _holder(self, site: str) -> tuple[Holder | None, str, datetime] | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key(site))
        except self.client_error as exc:
            if _code(exc) in _GONE:
                return None
            raise LockUnavailable(f"{site}: cannot read {self.key(site)}: {exc}") from None
        holder = parse_holder(response["Body"].read())
        return holder, response["ETag"], response["LastModified"]

    def release(self, site: str) -> None:
        """Delete the lock if it is still ours (a stale takeover may have replaced it)."""
        if site not in self.held:
            return
        try:
            self.client.delete_object(
                Bucket=self.bucket, Key=self.key(site), IfMatch=self._etags[site]
            )
        except self.client_error as exc:
            if _code(exc) not in _LOST_RACE | _GONE:
                raise
        self.held.discard(site)
        self._etags.pop(site, None)

    def release_all(self) -> None:
        for site in list(self.held):
            self.release(site)
