"""Run ids: sortable by time and unique across nodes, safe inside file names."""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime


def new_run_id(now: datetime | None = None, host: str | None = None) -> str:
    """``<UTC time>-<host>-<pid>``: part files of two nodes never collide.

    >>> new_run_id(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "Node_1.example")[:32]
    '20260102T030405Z-node-1-example-'
    """
    now = now or datetime.now(UTC)
    host = re.sub(r"[^a-z0-9]+", "-", (host or socket.gethostname()).lower()).strip("-")[:40]
    return f"{now:%Y%m%dT%H%M%SZ}-{host or 'host'}-{os.getpid()}"
