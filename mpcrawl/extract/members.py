"""Link a printed speaker name to a sitting MP's Parliament member id.

Hansard, TheyWorkForYou and the members list print the same MP differently ("Diana R.
Johnson", "Dame Diana Johnson"), so names are compared without honorifics ("Sir", "Dame",
"Dr", "Mr", "Mrs", "Ms", "Rt Hon"), honours ("KCB", "KC"), initials, accents or case. A
bare name ("Kemi Badenoch:") links like any other. A link is only made when it is
unambiguous: a wrong member id is worse than none. Only sitting MPs are listed
(``mpcrawl/data/uk-mps.csv``), so a former MP's quote keeps no member id.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

__all__ = ["Member", "match_member", "member_id_for", "members"]

_IGNORED = frozenset(  # honorifics, "the right hon. … MP" and honours: never part of the name
    {"sir", "dame", "dr", "mr", "mrs", "ms", "miss", "lord", "lady", "the", "right", "rt", "hon"}
    | {"honourable", "mp", "kc", "qc", "pc", "gcb", "kcb", "kbe", "dbe", "cbe", "obe", "mbe"}
    | {"kcmg", "cmg", "kcvo", "cvo", "bem", "frs"}
)
_OFFICE = re.compile(
    r"(?:the |mr |madam )*(?:deputy |shadow )*(?:speaker|chair|chairman|minister|secretary|"
    r"prime|chancellor|leader|solicitor|attorney|advocate|paymaster|parliamentary)\b"
)


@dataclass(frozen=True, slots=True)
class Member:
    """A row of ``mpcrawl/data/uk-mps.csv``."""

    member_id: int
    name: str
    party: str
    constituency: str


class _Speaking(Protocol):
    @property
    def speaker(self) -> str: ...
    @property
    def constituency(self) -> str | None: ...


@functools.cache
def members() -> tuple[Member, ...]:
    """The sitting MPs, read once from the packaged CSV."""
    raw = resources.files("mpcrawl").joinpath("data/uk-mps.csv").read_text(encoding="utf-8")
    return tuple(
        Member(int(r["member_id"]), r["name"], r["party"], r["constituency"])
        for r in csv.DictReader(io.StringIO(raw))
    )


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def _name_words(name: str) -> tuple[str, ...]:
    words = re.findall(r"[^\W\d_]+", _fold(name).replace("'", "").replace("’", ""))
    return tuple(w for w in words if w not in _IGNORED and len(w) > 1)


def _seat(constituency: str) -> str:
    return " ".join(re.findall(r"\w+", _fold(constituency).replace("&", " and ")))


@functools.cache
def _index() -> tuple[dict[tuple[str, ...], list[Member]], dict[str, Member]]:
    by_name: dict[tuple[str, ...], list[Member]] = {}
    by_seat: dict[str, Member] = {}
    for m in members():
        words = _name_words(m.name)
        for key in {words, (words[0], words[-1])}:
            by_name.setdefault(key, []).append(m)
        by_seat[_seat(m.constituency)] = m
    return by_name, by_seat


def match_member(speaker: str, constituency: str | None = None) -> int | None:
    """The member id of a sitting MP named ``speaker``, or None when not certain.

    The name decides; the constituency only settles a name that several MPs share, or a
    surname on its own ("Mr Jones").

    >>> match_member("John Whittingdale"), match_member("Diana R. Johnson")
    (39, 1533)
    >>> match_member("Mr Whittingdale", "Maldon"), match_member("The Prime Minister")
    (39, None)
    >>> match_member("Kemi Badenoch"), match_member("The Rt Hon Sir Keir Starmer KCB KC MP")
    (4597, 4514)
    """
    if _OFFICE.match(_fold(speaker).strip()):
        return None
    words = _name_words(speaker)
    if not words:
        return None
    by_name, by_seat = _index()
    seat = by_seat.get(_seat(constituency)) if constituency else None
    found = by_name.get(words) or by_name.get((words[0], words[-1]), [])
    if len(found) > 1 and seat is not None:
        found = [m for m in found if m is seat]
    if len(found) == 1:
        return found[0].member_id
    if not found and seat is not None and _name_words(seat.name)[-1] == words[-1]:
        return seat.member_id
    return None


def member_id_for(turn: _Speaking) -> int | None:
    """The member id for a speaker turn (anything with ``speaker`` and ``constituency``).

    >>> from mpcrawl.extract.speakers import Turn
    >>> member_id_for(Turn("Sir John Whittingdale", "Conservative", "Maldon", None, "…"))
    39
    """
    return match_member(turn.speaker, turn.constituency)
