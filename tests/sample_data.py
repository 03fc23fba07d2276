"""The sample site's bundled REST objects (``mpcrawl/sample/data``), for in-process tests."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from mpcrawl.items import RestObject
from mpcrawl.sample.generate import DATA_DIR, SITE_FILE

SITE = "mp.example"
FETCHED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@cache
def bundle() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress((DATA_DIR / SITE_FILE).read_bytes()))
    return data


def rest(kind: str, data: dict[str, Any], post_type: str | None = None) -> RestObject:
    """A REST object of the sample site as the spider yields it."""
    return RestObject(kind, SITE, data, FETCHED, "run-1", post_type=post_type)
