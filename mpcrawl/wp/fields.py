"""Field values of REST objects: ids coerced, JSON and hashes written, bad values noted.

Kept apart from the row builders of :mod:`mpcrawl.wp.records` so the plans and the ledger,
which need only ``as_int``, and the rows, which need every reader, share one set of rules.
Real sites send ids as strings, zero dates, missing fields and wrong types: each reader
returns a value or None, never raises. A :class:`FieldReader` notes, per object, what no
typed column could hold (a date outside years 1..9999 in UTC, a count beyond int32, a
broken URL, text with a lone UTF-16 surrogate) for the row's ``bad_values``.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import orjson
from w3lib.html import remove_tags, replace_entities

from mpcrawl.wp.dates import read_gmt, read_local

_INT64 = range(-(2**63), 2**63)
_INT32 = range(-(2**31), 2**31)
_DIGITS = re.compile(r"^\s*-?[0-9]{1,19}\s*$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def as_int(value: Any) -> int | None:
    """An integer id from an int or a numeric string; None otherwise (or out of int64).

    >>> as_int("4407"), as_int(12), as_int(True), as_int("x"), as_int(1.5), as_int(2**64)
    (4407, 12, None, None, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _DIGITS.match(value):
        value = int(value.strip())
    if isinstance(value, int) and value in _INT64:
        return value
    return None


def as_ids(value: Any) -> list[int]:
    """A list of integer ids, dropping what is not one.

    >>> as_ids([4, "5", None, "x"])
    [4, 5]
    """
    if not isinstance(value, list):
        return []
    return [i for i in (as_int(v) for v in value) if i is not None]


def as_str(value: Any) -> str | None:
    """A string field, or the ``rendered`` form of a ``{"rendered": ...}`` field."""
    if isinstance(value, dict):
        value = value.get("rendered")
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def plain(value: Any) -> str | None:
    """Rendered HTML of a title or caption as text, entities decoded.

    >>> plain({"rendered": "Fish &#038; Chips &#8211; <em>now</em>"})
    'Fish & Chips – now'
    """
    text = as_str(value)
    if text is None:
        return None
    return replace_entities(remove_tags(text)).strip()


def dumps(data: Any) -> str:
    """Compact JSON text: ``json.loads(dumps(x)) == x``.

    orjson writes a post three times faster than ``json``. What it refuses (integers
    beyond 64 bits, non-str keys, lone surrogates) goes through ``json``, and so does any
    text with a ``null`` in it, since orjson also writes NaN and ±Infinity as null (WordPress
    posts rarely hold a null).

    A lone surrogate (``"\\ud800"`` in the JSON a site sent) cannot be stored as UTF-8, so
    it is written as the same ``\\ud800`` escape: the text is valid UTF-8 and reads back
    to the very same string. An object nested too deep for ``json`` raises ``Unarchivable``.

    >>> dumps({"n": 2**70, "t": "é", 1: [float("inf"), None]})
    '{"n":1180591620717411303424,"t":"é","1":[Infinity,null]}'
    >>> dumps({"title": "a\\ud800b"})
    '{"title":"a\\\\ud800b"}'
    """
    try:
        text = orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError
        pass
    else:
        if b"null" not in text:
            return text.decode("utf-8")
    try:
        written = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except RecursionError:
        raise Unarchivable("nested too deep to write as JSON") from None
    if written.isascii() or not _SURROGATE.search(written):
        return written
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", written)


def sha256(text: str | None) -> str | None:
    """Hash of text as sent; a lone surrogate is hashed as itself, not as an error."""
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def object_sha256(data: dict[str, Any]) -> str:
    """Hash of a REST object without ``_links``, so link churn is not a change."""
    stable = {k: v for k, v in data.items() if k != "_links"}
    return hashlib.sha256(json.dumps(stable, sort_keys=True).encode("utf-8")).hexdigest()


def link_of(data: dict[str, Any], rel: str) -> dict[str, Any] | None:
    """The first ``_links`` entry of ``rel``, or None if the object has none usable."""
    links = data.get("_links")
    if not isinstance(links, dict):
        return None
    entries = links.get(rel)
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        return entries[0]
    return None


def revision_links(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """``version-history`` count and ``predecessor-version`` id, which anyone can see.

    >>> revision_links({"_links": {"version-history": [{"count": 4}],
    ...                            "predecessor-version": [{"id": 5776}]}})
    (4, 5776)
    """
    history = link_of(data, "version-history")
    predecessor = link_of(data, "predecessor-version")
    count = as_int(history.get("count")) if history else None
    return count, as_int(predecessor.get("id")) if predecessor else None


class Unarchivable(ValueError):
    """An object no row of its table can hold; it goes whole to ``rejects``."""


class FieldReader:
    """Reads the fields of one object; a value that fits no column is None, and noted.

    >>> r = FieldReader()
    >>> r.int32("revision_count", 3_000_000_000), r.text("title", "a\\ud800")
    (None, 'a\ufffd')
    >>> r.bad
    ['revision_count: 3000000000 is beyond int32', 'title: lone surrogate replaced by U+FFFD']
    """

    __slots__ = ("bad",)

    def __init__(self) -> None:
        self.bad: list[str] = []

    def note(self, name: str, reason: str) -> None:
        self.bad.append(f"{name}: {reason}")

    def _int(self, name: str, value: Any, bounds: range, label: str) -> int | None:
        number = as_int(value)
        if number is None:
            if isinstance(value, int) and not isinstance(value, bool):
                self.note(name, f"{value} is beyond {label}")
            elif value not in (None, "", False):
                self.note(name, f"not an integer: {str(value)[:40]!r}")
            return None
        if number not in bounds:
            self.note(name, f"{number} is beyond {label}")
            return None
        return number

    def int64(self, name: str, value: Any) -> int | None:
        return self._int(name, value, _INT64, "int64")

    def int32(self, name: str, value: Any) -> int | None:
        return self._int(name, value, _INT32, "int32")

    def ids(self, name: str, value: Any) -> list[int]:
        if value is not None and not isinstance(value, list):
            self.note(name, f"not a list of ids ({type(value).__name__})")
        ids = as_ids(value)
        if isinstance(value, list) and len(ids) < len(value):
            self.note(name, f"{len(value) - len(ids)} entries are not ids")
        return ids

    def text(self, name: str, value: str | None) -> str | None:
        if value is None or value.isascii() or not _SURROGATE.search(value):
            return value
        self.note(name, "lone surrogate replaced by U+FFFD")
        return _SURROGATE.sub("\ufffd", value)

    def url(self, name: str, value: Any) -> str | None:
        text = self.text(name, as_str(value))
        if text is None:
            return None
        try:
            urlsplit(text).port  # noqa: B018  (raises for a broken host or port)
        except ValueError as exc:
            self.note(name, f"not a URL ({exc})")
            return None
        return text

    def local(self, name: str, value: Any) -> datetime | None:
        parsed, problem = read_local(value)
        if problem:
            self.note(name, problem)
        return parsed

    def gmt(self, name: str, value: Any) -> datetime | None:
        parsed, problem = read_gmt(value)
        if problem:
            self.note(name, problem)
        return parsed

    @property
    def bad_values(self) -> list[str] | None:
        return self.bad or None


def year_of(*candidates: datetime | None) -> int | None:
    """The partition year: the first usable timestamp's year."""
    for value in candidates:
        if value is not None:
            return value.year
    return None
