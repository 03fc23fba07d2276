"""Run ids: sortable by time and unique across nodes, safe inside file names."""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime

_issued: dict[str, int] = {}  # run ids this process made, and how often


def new_run_id(now: datetime | None = None, host: str | None = None) -> str:
    """``<UTC time>-<host>-<pid>``: part files of two nodes never collide; a second run
    started by the same process in the same second (crawls run in process, as the tests
    do) gets ``-2``, ``-3``…, so two runs never share an id.

    >>> at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    >>> first, second = new_run_id(at, "Node_1.example"), new_run_id(at, "Node_1.example")
    >>> first[:32], second == f"{first}-2"
    ('20260102T030405Z-node-1-example-', True)
    """
    now = now or datetime.now(UTC)
    host = re.sub(r"[^a-z0-9]+", "-", (host or socket.gethostname()).lower()).strip("-")[:40]
    run_id = f"{now:%Y%m%dT%H%M%SZ}-{host or 'host'}-{os.getpid()}"
    seen = _issued[run_id] = _issued.get(run_id, 0) + 1
    return run_id if seen == 1 else f"{run_id}-{seen}"
