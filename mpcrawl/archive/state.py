"""What the archive already holds for a site: the state every run starts from.

There is no watermark. A run reads, by column projection, the version keys it holds
(post type, id, ``modified_gmt``), the ids tombstoned since their newest version, and
the hashes of terms, authors and media, and fetches only what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.dataset as ds

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.wp.sitename import check_safe_name

VersionKey = tuple[str, int, int | None]  # post_type, id, modified_gmt in µs


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(value: datetime | None) -> int | None:
    """A timestamp as integer microseconds since the epoch, the state's key unit.

    >>> micros(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
    1000000
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // timedelta(microseconds=1)


def from_micros(value: int | None) -> datetime | None:
    """The inverse of :func:`micros`, as an aware UTC datetime."""
    return None if value is None else _EPOCH + timedelta(microseconds=value)


@dataclass(slots=True)
class SiteState:
    """Keys of what is archived for one site."""

    versions: set[VersionKey] = field(default_factory=set)
    latest: dict[tuple[str, int], int | None] = field(default_factory=dict)
    tombstoned: set[tuple[str, int]] = field(default_factory=set)
    terms: set[tuple[str, int, str]] = field(default_factory=set)
    authors: set[tuple[int, str]] = field(default_factory=set)
    media: set[tuple[int, int | None]] = field(default_factory=set)
    revisions: set[tuple[str, int, int]] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not self.versions

    def ids(self, post_type: str) -> set[int]:
        """Ids of a post type with at least one archived version."""
        return {pid for (ptype, pid) in self.latest if ptype == post_type}


def _read(location: ArchiveLocation, name: str, site: str, columns: list[str]) -> pa.Table:
    folder = location.path(name, f"site={check_safe_name(site)}")
    files = [
        info.path
        for info in location.files(name, f"site={site}")
        if info.base_name.endswith(".parquet") and not info.base_name.startswith((".", "_"))
    ]
    if not files:
        return pa.table({c: [] for c in columns})
    dataset = ds.dataset(
        files, format="parquet", filesystem=location.filesystem, partition_base_dir=folder
    )
    present = [c for c in columns if c in dataset.schema.names]
    table: pa.Table = dataset.to_table(columns=present)
    for column in columns:
        if column not in present:
            table = table.append_column(column, pa.nulls(table.num_rows))
    return table


def _as_micros(column: pa.ChunkedArray) -> list[int | None]:
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("us", tz=column.type.tz)).cast(pa.int64())
    return column.to_pylist()  # type: ignore[no-any-return]


def load_site_state(location: ArchiveLocation, site: str) -> SiteState:
    """Read one site's archived keys (only the key columns are read)."""
    state = SiteState()
    posts = _read(location, "posts", site, ["post_type", "id", "modified_gmt", "fetched_at"])
    seen_at: dict[tuple[str, int], int] = {}
    if posts.num_rows:
        types = posts["post_type"].to_pylist()
        ids = posts["id"].to_pylist()
        modified = _as_micros(posts["modified_gmt"])
        fetched = _as_micros(posts["fetched_at"])
        latest = state.latest
        for ptype, pid, mod, got in zip(types, ids, modified, fetched, strict=True):
            state.versions.add((ptype, pid, mod))
            key = (ptype, pid)
            if key not in latest or (mod or 0) > (latest[key] or 0):
                latest[key] = mod
            seen_at[key] = max(seen_at.get(key, 0), got or 0)
    stones = _read(location, "tombstones", site, ["post_type", "id", "detected_at"])
    stone_at: dict[tuple[str, int], int] = defaultdict(int)
    for ptype, pid, at in zip(
        stones["post_type"].to_pylist(),
        stones["id"].to_pylist(),
        _as_micros(stones["detected_at"]),
        strict=True,
    ):
        stone_at[(ptype, pid)] = max(stone_at[(ptype, pid)], at or 0)
    state.tombstoned = {key for key, at in stone_at.items() if at >= seen_at.get(key, 0)}
    terms = _read(location, "terms", site, ["taxonomy", "id", "content_sha256"])
    state.terms = set(
        zip(
            terms["taxonomy"].to_pylist(),
            terms["id"].to_pylist(),
            terms["content_sha256"].to_pylist(),
            strict=True,
        )
    )
    authors = _read(location, "authors", site, ["id", "content_sha256"])
    state.authors = set(
        zip(authors["id"].to_pylist(), authors["content_sha256"].to_pylist(), strict=True)
    )
    media = _read(location, "media", site, ["id", "modified_gmt"])
    state.media = set(zip(media["id"].to_pylist(), _as_micros(media["modified_gmt"]), strict=True))
    revisions = _read(location, "revisions", site, ["post_type", "post_id", "revision_id"])
    state.revisions = set(
        zip(
            revisions["post_type"].to_pylist(),
            revisions["post_id"].to_pylist(),
            revisions["revision_id"].to_pylist(),
            strict=True,
        )
    )
    return state
