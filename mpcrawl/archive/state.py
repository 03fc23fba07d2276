"""What the archive already holds for a site: the state every run starts from.

There is no watermark. A run reads, by column projection, the version keys it holds
(post type, id, ``modified_gmt``), the ids tombstoned since their newest version, and
the hashes of terms, authors and media, and fetches only what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.wp.sitename import check_safe_name

VersionKey = tuple[str, int, int | None]  # post_type, id, modified_gmt in µs


class ArchiveStateError(RuntimeError):
    """A file of the site's archive cannot be read (not Parquet, truncated, unreadable)."""


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


# Packed version keys: ``id * 2**64 + modified_µs + 2**63``, exact for every int64 id and
# µs (a datetime's µs since the epoch fit in 59 bits); a missing modified_gmt packs as 0.
_SHIFT = 2**64
_OFFSET = 2**63
_NO_TIME = -(2**63)  # stands for a missing modified_gmt inside Arrow; no datetime reaches it


def _pack(pid: int, modified: int | None) -> int:
    return pid * _SHIFT + (0 if modified is None else modified + _OFFSET)


@dataclass(slots=True)
class SiteState:
    """Keys of what is archived for one site.

    Post versions take ~100 bytes each rather than ~280 as ``(type, id, µs)`` tuples plus a
    dict of the newest: per post type, each id's newest ``modified_gmt`` in ``latest`` and
    every other version as one exact packed int in ``older``.
    """

    latest: dict[str, dict[int, int | None]] = field(default_factory=dict)
    older: dict[str, set[int]] = field(default_factory=dict)
    tombstoned: set[tuple[str, int]] = field(default_factory=set)
    terms: set[tuple[str, int, str]] = field(default_factory=set)
    authors: set[tuple[int, str]] = field(default_factory=set)
    media: set[tuple[int, int | None]] = field(default_factory=set)
    revisions: set[tuple[str, int, int]] = field(default_factory=set)
    # Posts whose newest archived version counts more revisions than are archived (read
    # only when asked, for a run that has credentials for the site).
    revisions_due: set[tuple[str, int]] = field(default_factory=set)

    @classmethod
    def of(cls, *versions: VersionKey, tombstoned: set[tuple[str, int]] | None = None) -> SiteState:
        """A state holding ``versions``, as a run would have archived them.

        >>> s = SiteState.of(("post", 1, 10), ("post", 1, 30), ("post", 2, None))
        >>> s.has_version("post", 1, 10), s.has_version("post", 1, 20), s.newest("post", 1)
        (True, False, 30)
        >>> s.has_version("post", 2, None), s.has_version("page", 2, None), sorted(s.versions())
        (True, False, [('post', 1, 10), ('post', 1, 30), ('post', 2, None)])
        """
        state = cls(tombstoned=tombstoned or set())
        for key in versions:
            state.add_version(*key)
        return state

    @property
    def empty(self) -> bool:
        return not any(self.latest.values())

    def has_version(self, post_type: str, pid: int, modified: int | None) -> bool:
        """Whether this exact version is archived (never a false yes: keys are exact)."""
        ids = self.latest.get(post_type)
        if ids is None or pid not in ids:
            return False
        return ids[pid] == modified or _pack(pid, modified) in self.older.get(post_type, ())

    def add_version(self, post_type: str, pid: int, modified: int | None) -> None:
        """Record a version; the newest ``modified_gmt`` of its id stays in ``latest``."""
        ids = self.latest.setdefault(post_type, {})
        if pid not in ids:
            ids[pid] = modified
            return
        newest = ids[pid]
        if newest == modified:
            return
        older = self.older.setdefault(post_type, set())
        if (modified or 0) > (newest or 0):
            older.add(_pack(pid, newest))
            ids[pid] = modified
        else:
            older.add(_pack(pid, modified))

    def newest(self, post_type: str, pid: int) -> int | None:
        """The newest archived ``modified_gmt`` of an id (None if none or unknown)."""
        return self.latest.get(post_type, {}).get(pid)

    def ids(self, post_type: str) -> set[int]:
        """Ids of a post type with at least one archived version."""
        return set(self.latest.get(post_type, ()))

    def versions(self) -> Iterator[VersionKey]:
        """Every archived version key (for tests and counts; the crawl never lists them)."""
        for post_type, ids in self.latest.items():
            yield from ((post_type, pid, modified) for pid, modified in ids.items())
        for post_type, packed in self.older.items():
            for key in packed:
                pid, low = divmod(key, _SHIFT)
                yield post_type, pid, (low - _OFFSET if low else None)


def _files(location: ArchiveLocation, name: str, site: str) -> list[str]:
    """The Parquet files of a site in table ``name`` (not temporary or hidden ones)."""
    return [
        info.path
        for info in location.files(name, f"site={check_safe_name(site)}")
        if info.base_name.endswith(".parquet") and not info.base_name.startswith((".", "_"))
    ]


def _with_columns(table: pa.Table, columns: list[str]) -> pa.Table:
    """``table`` with ``columns`` in order, a missing one (older files) as nulls."""
    return pa.table(
        {c: table[c] if c in table.column_names else pa.nulls(table.num_rows) for c in columns}
    )


def _read(
    location: ArchiveLocation,
    name: str,
    site: str,
    columns: list[str],
    ids: pa.Array | None = None,
) -> pa.Table:
    """The columns of a site's files as one table, only the rows whose ``id`` is in ``ids``
    when given; read file by file, for the memory :func:`column_batches` tells of."""
    parts = [
        part if ids is None else part.filter(pc.is_in(part["id"], value_set=ids))
        for part in column_batches(location, name, site, columns)
    ]
    if not parts:
        return pa.table({c: [] for c in columns})
    return pa.concat_tables(parts, promote_options="permissive")


def column_batches(
    location: ArchiveLocation, name: str, site: str, columns: list[str]
) -> Iterator[pa.Table]:
    """The columns of a site's files, a file and a batch at a time; a missing column (an
    older file) as nulls, a file that is not Parquet an :class:`ArchiveStateError` naming it.

    A dataset scan of 1,000,000 rows in 800 files peaked ~75 MB above what it returned,
    whatever its read-ahead; reading file after file adds ~10 MB.
    """
    for path in _files(location, name, site):
        try:
            with location.filesystem.open_input_file(path) as handle:
                parquet = pq.ParquetFile(handle)
                present = [c for c in columns if c in parquet.schema_arrow.names]
                for batch in parquet.iter_batches(columns=present, use_threads=False):
                    if batch.num_rows:
                        yield _with_columns(pa.Table.from_batches([batch]), columns)
        except (OSError, pa.ArrowException) as exc:
            raise ArchiveStateError(f"{path} is not a readable Parquet file: {exc}") from exc


def last_robots(location: ArchiveLocation, site: str, url: str) -> tuple[int, bytes] | None:
    """The status and body of the robots.txt at ``url`` archived last for the site, or None:
    a robots.txt is archived only when it changed, so nights that change nothing add
    nothing."""
    newest: tuple[int, int, bytes] | None = None
    columns = ["url", "fetched_at", "status", "body"]
    for table in column_batches(location, "robots", site, columns):
        for at_url, at, status, body in zip(
            table.column("url").to_pylist(),
            _as_micros(table.column("fetched_at")),
            table.column("status").to_pylist(),
            table.column("body").to_pylist(),
            strict=True,
        ):
            if at_url == url and at is not None and (newest is None or at > newest[0]):
                newest = (at, status, body)
    return None if newest is None else (newest[1], newest[2])


def _as_micros(column: pa.ChunkedArray) -> list[int | None]:
    return _micros_array(column).to_pylist()  # type: ignore[no-any-return]


def _micros_array(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A timestamp column as int64 µs, nulls kept."""
    if pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("us", tz=column.type.tz))
    return column.cast(pa.int64())


def _load_versions(state: SiteState, batches: Iterator[pa.Table]) -> None:
    """Fill ``latest`` and ``older`` from the posts' key columns, batch by batch.

    Python lists of the whole table (four 1M-row ``to_pylist``) and 1M tuples took 530 MB
    and 2 s for 1,000,000 versions. Here each batch's versions are packed into ints
    straight away, the newest per id comes from Arrow group-bys, and the newest are then
    taken out of ``older``.
    """
    newest_parts = []
    for batch in batches:
        keys = pa.table(
            {
                "t": batch["post_type"],
                "id": batch["id"],
                "m": pc.fill_null(_micros_array(batch["modified_gmt"]), _NO_TIME),
            }
        )
        newest_parts.append(keys.group_by(["t", "id"], use_threads=False).aggregate([("m", "max")]))
        types = pc.unique(keys["t"]).to_pylist()
        for post_type in types:
            mine = keys if len(types) == 1 else keys.filter(pc.equal(keys["t"], post_type))
            state.older.setdefault(post_type, set()).update(
                pid * _SHIFT + mod + _OFFSET  # _NO_TIME + _OFFSET == 0, as _pack(pid, None)
                for pid, mod in zip(mine["id"].to_pylist(), mine["m"].to_pylist(), strict=True)
            )
    if not newest_parts:
        return
    parts = pa.concat_tables(newest_parts)
    newest = parts.group_by(["t", "id"], use_threads=False).aggregate([("m_max", "max")])
    del parts, newest_parts
    for post_type in pc.unique(newest["t"]).to_pylist():
        mine = newest.filter(pc.equal(newest["t"], post_type))
        ids, mods = mine["id"].to_pylist(), mine["m_max_max"].to_pylist()
        state.older[post_type].difference_update(
            pid * _SHIFT + mod + _OFFSET for pid, mod in zip(ids, mods, strict=True)
        )
        if not state.older[post_type]:
            del state.older[post_type]
        state.latest[post_type] = {
            pid: (None if mod == _NO_TIME else mod) for pid, mod in zip(ids, mods, strict=True)
        }


def _newest_counts(batches: Iterator[pa.Table]) -> dict[tuple[str, int], tuple[int, int]]:
    """``(post_type, id) -> (modified µs, revision_count)`` of each post's newest version
    that counts revisions; one entry per post, whatever the number of versions."""
    newest: dict[tuple[str, int], tuple[int, int]] = {}
    for batch in batches:
        has = batch.filter(pc.greater(pc.fill_null(batch["revision_count"], 0), 0))
        for ptype, pid, mod, count in zip(
            has["post_type"].to_pylist(),
            has["id"].to_pylist(),
            _as_micros(has["modified_gmt"]),
            has["revision_count"].to_pylist(),
            strict=True,
        ):
            key, mod = (ptype, pid), mod if mod is not None else _NO_TIME
            if key not in newest or mod >= newest[key][0]:
                newest[key] = (mod, count)
    return newest


def _revisions_due(
    state: SiteState, newest: dict[tuple[str, int], tuple[int, int]]
) -> set[tuple[str, int]]:
    """Posts whose newest version's ``version-history`` count exceeds what is archived.

    >>> s = SiteState.of(("post", 1, 10), ("post", 2, 10), ("post", 3, 20))
    >>> s.revisions = {("post", 1, 101), ("post", 2, 201), ("post", 2, 202)}
    >>> sorted(_revisions_due(s, {("post", 1): (10, 2), ("post", 2): (10, 2), ("post", 3): (5, 1)}))
    [('post', 1)]
    """
    archived: dict[tuple[str, int], int] = defaultdict(int)
    for ptype, pid, _ in state.revisions:
        archived[(ptype, pid)] += 1
    return {
        key
        for key, (mod, count) in newest.items()
        if mod == (state.newest(*key) if state.newest(*key) is not None else _NO_TIME)
        and count > archived.get(key, 0)
    }


def load_site_state(
    location: ArchiveLocation, site: str, *, revisions_due: bool = False
) -> SiteState:
    """Read one site's archived keys (only the key columns are read).

    ``revisions_due=True`` also finds the posts whose revisions are not all archived yet
    (``revisions_due``), from the ``revision_count`` of each post's newest version: the
    sweep has just confirmed that version is current, so the count costs no request.
    Any file that cannot be read raises :class:`ArchiveStateError` naming it.
    """
    try:
        return _load_site_state(location, site, revisions_due)
    except (OSError, pa.ArrowException) as exc:
        raise ArchiveStateError(f"cannot read the site's archive: {exc}") from exc


def _load_site_state(location: ArchiveLocation, site: str, revisions_due: bool) -> SiteState:
    state = SiteState()
    keys = ["post_type", "id", "modified_gmt"]
    _load_versions(state, column_batches(location, "posts", site, keys))
    stones = _read(location, "tombstones", site, ["post_type", "id", "detected_at", "reason"])
    stone_at: dict[tuple[str, int], int] = defaultdict(int)
    back_at: dict[tuple[str, int], int] = defaultdict(int)
    for ptype, pid, at, reason in zip(
        stones["post_type"].to_pylist(),
        stones["id"].to_pylist(),
        _as_micros(stones["detected_at"]),
        stones["reason"].to_pylist(),
        strict=True,
    ):
        # A `returned` row says the id was listed again after it was found gone.
        events = back_at if reason == "returned" else stone_at
        events[(ptype, pid)] = max(events[(ptype, pid)], at or 0)
    stone_at = defaultdict(
        int, {key: at for key, at in stone_at.items() if at > back_at.get(key, 0)}
    )
    # When each tombstoned id was last fetched: a tombstone older than that is stale.
    seen_at: dict[tuple[str, int], int] = defaultdict(int)
    if stone_at and not state.empty:
        stoned = pa.array({pid for _, pid in stone_at}, pa.int64())
        fetched = _read(location, "posts", site, ["post_type", "id", "fetched_at"], stoned)
        for ptype, pid, got in zip(
            fetched["post_type"].to_pylist(),
            fetched["id"].to_pylist(),
            _as_micros(fetched["fetched_at"]),
            strict=True,
        ):
            seen_at[(ptype, pid)] = max(seen_at[(ptype, pid)], got or 0)
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
    if revisions_due:
        columns = ["post_type", "id", "modified_gmt", "revision_count"]
        state.revisions_due = _revisions_due(
            state, _newest_counts(column_batches(location, "posts", site, columns))
        )
    return state
