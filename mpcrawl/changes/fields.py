"""Which fields of a WordPress REST object changed between two versions, told in words.

The archive keeps each version's whole REST object (``posts.raw_json``). An RFC 6902 patch
between two of them (``jsonpatch``, well kept, the reference Python implementation) names
every path that changed; the top-level fields it touches are then told as a reader says
them: ``status: publish → private``, ``date: back-dated by 12 days``, ``categories
removed: Local news``. The text itself is told by the paragraph diff, so ``content`` is
not repeated here; fields that change on every save are noise, not changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import jsonpatch

from mpcrawl.changes.model import FieldChange

# Change on every save (or mirror another field): never a change by themselves.
NOISE = frozenset(
    {"_links", "_embedded", "guid", "modified", "modified_gmt", "content", "date", "yoast_head",
     "yoast_head_json", "version-history"}
)  # fmt: skip
# The order fields are told in.
ORDER = ("title", "slug", "status", "date_gmt", "author", "categories", "tags")
LABELS = {"date_gmt": "date", "featured_media": "featured image"}
TAXONOMIES = {"categories": "category", "tags": "post_tag"}

Names = Mapping[tuple[str, int], str]  # ("category" | "post_tag" | "author" | "media", id) -> name


def _rendered(value: Any) -> Any:
    """``{"rendered": "x"}`` (title, excerpt, guid) as ``"x"``."""
    return value.get("rendered") if isinstance(value, dict) and "rendered" in value else value


def _short(value: Any, width: int = 80) -> str:
    """A value as one short line.

    >>> _short("a" * 100, 10)
    'aaaaaaaaa…'
    >>> _short(None), _short(True), _short([1, 2])
    ('(none)', 'true', '[1, 2]')
    """
    if value is None or value == "":
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _date(before: Any, after: Any) -> str:
    """``date: back-dated by 12 days (2026-01-20 → 2026-01-08)``.

    >>> _date("2026-01-20T10:00:00", "2026-01-08T10:00:00")
    'date: back-dated by 12 days (2026-01-20T10:00:00 → 2026-01-08T10:00:00)'
    >>> _date("2026-01-20T10:00:00", "2026-01-20T12:00:00")
    'date: moved later by 2 hours (2026-01-20T10:00:00 → 2026-01-20T12:00:00)'
    """
    old, new = _when(before), _when(after)
    span = f"({_short(before)} → {_short(after)})"
    if old is None or new is None:
        return f"date: {span[1:-1]}"
    seconds = abs((new - old).total_seconds())
    days, hours = int(seconds // 86400), int(seconds // 3600)
    amount = f"{days} day" + ("s" if days != 1 else "") if days else f"{hours} hours"
    way = "back-dated" if new < old else "moved later"
    return f"date: {way} by {amount} {span}"


def _named(kind: str, names: Names) -> Callable[[Any], str]:
    def name(value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            found = names.get((kind, value))
            return found if found else f"#{value}"
        return _short(value)

    return name


def _lists(field: str, before: Any, after: Any, names: Names) -> list[str]:
    """Terms (or any list) added and removed, by name where the archive has one."""
    name = _named(TAXONOMIES.get(field, field), names)
    old = before if isinstance(before, list) else []
    new = after if isinstance(after, list) else []
    out = []
    added = [name(v) for v in new if v not in old]
    removed = [name(v) for v in old if v not in new]
    if added:
        out.append(f"{field} added: {', '.join(added)}")
    if removed:
        out.append(f"{field} removed: {', '.join(removed)}")
    return out


def _tell(field: str, before: Any, after: Any, names: Names) -> list[str]:
    """The words for one changed top-level field."""
    label = LABELS.get(field, field)
    if field == "date_gmt":
        return [_date(before, after)]
    if field in TAXONOMIES or (isinstance(before, list) and isinstance(after, list)):
        return _lists(field, before, after, names)
    if field == "author":
        name = _named("author", names)
        return [f"author: {name(before)} → {name(after)}"]
    if field == "featured_media":
        name = _named("media", names)
        if not before:
            return [f"featured image added: {name(after)}"]
        if not after:
            return [f"featured image removed: {name(before)}"]
        return [f"featured image replaced: {name(before)} → {name(after)}"]
    if field == "excerpt":
        return [f"excerpt: {_short(_rendered(before), 60)} → {_short(_rendered(after), 60)}"]
    return [f"{label}: {_short(_rendered(before))} → {_short(_rendered(after))}"]


def _object(raw: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def field_changes(before: str | None, after: str | None, names: Names) -> tuple[FieldChange, ...]:
    """What changed between two REST objects (``raw_json`` texts) besides the text.

    >>> old = '{"status": "publish", "categories": [3, 4], "modified": "x", "slug": "a"}'
    >>> new = '{"status": "private", "categories": [4], "modified": "y", "slug": "a"}'
    >>> [f.text for f in field_changes(old, new, {("category", 3): "Local news"})]
    ['status: publish → private', 'categories removed: Local news']
    """
    old, new = _object(before), _object(after)
    if old is None or new is None:
        return ()
    touched: list[str] = []
    for op in jsonpatch.make_patch(old, new).patch:
        top = str(op["path"]).split("/")[1].replace("~1", "/").replace("~0", "~")
        if top not in NOISE and top not in touched:
            touched.append(top)
    order = {f: i for i, f in enumerate(ORDER)}
    touched.sort(key=lambda f: (order.get(f, len(order)), f))
    out = []
    for top in touched:
        was, now = old.get(top), new.get(top)
        for text in _tell(top, was, now, names):
            out.append(
                FieldChange(
                    field=LABELS.get(top, top),
                    before=None if was is None else _short(_rendered(was), 200),
                    after=None if now is None else _short(_rendered(now), 200),
                    text=text,
                )
            )
    return tuple(out)
