"""Speaker labels as exchanges print them: Hansard's print and web styles, TheyWorkForYou's.

A label is a name ("Sir John Whittingdale"), an office ("The Prime Minister", "Mr Speaker"),
or both, with the seat and party where printed. Parsing here decides only what a string
*could* be; whether a bold string in a post *is* a label is for
:mod:`mpcrawl.extract.speakers`, which weighs the evidence around it.

>>> print_label("3. Paul Flynn (Newport West) (Lab)")
Label(speaker='Paul Flynn', party='Labour', constituency='Newport West', role=None, bare=False)
>>> line_label("Crispin Blunt Shadow Minister (Home Affairs)").role
'Shadow Minister (Home Affairs)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "BRACKETS_ONLY",
    "HONORIFICS",
    "LINE_PARTY",
    "NUMBER",
    "PARTIES",
    "Label",
    "is_name",
    "is_office",
    "label",
    "line_label",
    "party_name",
    "print_label",
    "surname",
]

# Printed party names and Hansard's abbreviations -> the spelling of uk-mps.csv.
PARTIES: dict[str, str] = {
    "Con": "Conservative", "Conservative": "Conservative", "Conservatives": "Conservative",
    "Lab": "Labour", "Labour": "Labour",
    "Lab/Co-op": "Labour (Co-op)", "Lab Co-op": "Labour (Co-op)",
    "Labour (Co-op)": "Labour (Co-op)", "Labour/Co-operative": "Labour (Co-op)",
    "Labour Co-op": "Labour (Co-op)", "Labour/Co-op": "Labour (Co-op)",
    "LD": "Liberal Democrat", "Lib Dem": "Liberal Democrat",
    "Liberal Democrat": "Liberal Democrat", "Liberal Democrats": "Liberal Democrat",
    "SNP": "Scottish National Party", "Scottish National Party": "Scottish National Party",
    "DUP": "Democratic Unionist Party", "Democratic Unionist Party": "Democratic Unionist Party",
    "PC": "Plaid Cymru", "Plaid Cymru": "Plaid Cymru",
    "Green": "Green Party", "Green Party": "Green Party",
    "SF": "Sinn Féin", "Sinn Féin": "Sinn Féin", "Sinn Fein": "Sinn Féin",
    "SDLP": "Social Democratic & Labour Party",
    "Social Democratic & Labour Party": "Social Democratic & Labour Party",
    "Social Democratic and Labour Party": "Social Democratic & Labour Party",
    "UUP": "Ulster Unionist Party", "Ulster Unionist Party": "Ulster Unionist Party",
    "Alliance": "Alliance", "APNI": "Alliance",
    "Reform": "Reform UK", "Reform UK": "Reform UK", "RUK": "Reform UK",
    "Ind": "Independent", "Independent": "Independent",
    "TUV": "Traditional Unionist Voice", "Traditional Unionist Voice": "Traditional Unionist Voice",
    "Your Party": "Your Party", "Restore Britain": "Restore Britain",
    "Alba": "Alba Party", "UKIP": "UK Independence Party",
}  # fmt: skip
# Longest first, so "Labour (Co-op)" wins over "Labour" where a party ends a name.
LINE_PARTY = re.compile(
    r"(?<!\S)(?P<party>"
    + "|".join(re.escape(p) for p in sorted(PARTIES, key=len, reverse=True) if len(p) > 3)
    + r")(?: MP)?(?:,\s*(?P<constituency>.+))?$"
)
# fmt: off
HONORIFICS = frozenset({
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Sir", "Dame", "Lord",
    "Lady", "Baroness", "Rt", "Hon", "Hon.",
})
_PARTICLES = frozenset({"de", "da", "di", "du", "van", "von", "der", "den", "le", "la", "ap"})
# Capitalised words that do not occur in names: they mark a title or a sentence.
_NOT_NAME = frozenset({
    "The", "A", "An", "And", "Or", "Of", "To", "For", "In", "On", "At", "By", "With", "From",
    "Our", "My", "Your", "Their", "His", "Her", "Its", "We", "I", "You", "Why", "How", "What",
    "When", "Where", "Who", "Please", "See", "Watch", "Read", "Click", "Here", "This", "That",
    "These", "Today", "Update", "News", "Question", "Questions", "Answer", "Answers", "Debate",
    "Statement", "MP", "MPs", "Minister", "Secretary", "Shadow",
})
# Words an office starts with: "Name The Minister of State…", "Name Shadow Secretary…".
_OFFICE_WORDS = frozenset({
    "Minister", "Secretary", "Parliamentary", "Solicitor", "Attorney", "Advocate", "Leader",
    "Chancellor", "Prime", "Deputy", "Shadow", "Lord", "Chief", "Financial", "Economic",
    "Exchequer", "Paymaster", "Comptroller", "Treasurer", "Vice-Chamberlain", "Chair",
    "Chairman", "First", "Second", "President", "Speaker",
})
_CONNECTIVES = frozenset({"of", "for", "and", "the", "to", "in", "on", "at", "without", "&"})
# fmt: on
_SPEAKER_OFFICE = re.compile(
    r"(?:Mr\.?|Madam) (?:Deputy )?(?:Speaker|Chairman|Chair)(?:-Elect)?|"
    r"The (?:Deputy )?(?:Speaker|Chairman|Chair)(?: of Ways and Means)?"
)
NUMBER = re.compile(r"[TQ]?\d{1,3}\.\s+")  # question numbers: "3.", "T1."
_LAST_BRACKET = re.compile(r"\s*\(([^()]{1,90})\)\s*$")
BRACKETS_ONLY = re.compile(r"(?:\s*\([^()]{1,90}\))+\s*")


@dataclass(slots=True)
class Label:
    """Who a label names: the speaker as printed, and the seat, party or office printed."""

    speaker: str
    party: str | None = None
    constituency: str | None = None
    role: str | None = None
    bare: bool = False  # a name with nothing to vouch for it


def party_name(printed: str) -> str | None:
    """The MPs list's spelling of a printed party name or Hansard abbreviation.

    >>> party_name("Lab/Co-op"), party_name("SNP"), party_name("Newport West")
    ('Labour (Co-op)', 'Scottish National Party', None)
    """
    return PARTIES.get(" ".join(printed.split()))


def label(s: str) -> Label | None:
    """The label ``s`` prints, in either style; None for anything else."""
    return print_label(s) or line_label(s)


def print_label(s: str) -> Label | None:
    """Hansard print style: "3. Name (Constituency) (Party)", "The Office (Name)"."""
    number = NUMBER.match(s)
    who = s[number.end() :] if number else s
    brackets: list[str] = []
    while (m := _LAST_BRACKET.search(who)) is not None:
        brackets.insert(0, " ".join(m.group(1).split()))
        who = who[: m.start()]
    who = who.strip()
    if not brackets or not who:
        return None
    if is_office(who):
        if len(brackets) == 1 and is_name(brackets[0]):
            return Label(brackets[0], role=who)
        return None
    if not is_name(who):
        return None
    party = party_name(brackets[-1])
    if party is not None:
        brackets.pop()
    if len(brackets) > 1 or not all(b[:1].isupper() for b in brackets):
        return None
    return Label(who, party, brackets[0] if brackets else None)


def line_label(s: str) -> Label | None:
    """TheyWorkForYou's header flattened: "Name Party, Seat", "Name The Office", "Office"."""
    if is_office(s):
        return Label(s, role=s) if s.startswith("The ") or _SPEAKER_OFFICE.fullmatch(s) else None
    m = LINE_PARTY.search(s)
    if m is not None and m.group("constituency") and is_name(s[: m.start()]):
        seat = m.group("constituency").strip()
        if seat[:1].isupper() and not any(c in seat for c in "?!:;()"):
            return Label(s[: m.start()].strip(), PARTIES[m.group("party")], seat)
        return None
    words = s.split()
    for i in range(1, min(len(words), 7)):
        head = " ".join(words[:i])
        role = " ".join(words[i:])
        if is_office(role) and is_name(head):
            return Label(head, role=role)
    return Label(s, bare=True) if is_name(s) else None


def is_office(s: str) -> bool:
    """An office as Hansard prints it: "The Prime Minister", "Mr Speaker", "Shadow Minister (…)"."""
    if _SPEAKER_OFFICE.match(s):
        return True
    words = s.split()
    if words and words[0] == "The":
        words = words[1:]
    if not words or words[0] not in _OFFICE_WORDS or (len(words) == 1 and s[:4] != "The "):
        return False
    return all(w[:1].isupper() or w[1:2].isupper() or w in _CONNECTIVES for w in words)


def is_name(s: str) -> bool:
    """A person's name as Hansard prints it: capitalised words, initials, honorifics."""
    words = s.split()
    if not 1 <= len(words) <= 6 or words[-1] in HONORIFICS:
        return False
    plain = 0
    for w in words:
        if w in HONORIFICS or w in _PARTICLES:
            continue
        if w in _NOT_NAME or not w[0].isupper() or any(c.isdigit() for c in w):
            return False
        if not all(c.isalpha() or c in ".'’-" for c in w):
            return False
        plain += 1
    return plain >= (1 if words[0] in HONORIFICS else 2)


def surname(name: str) -> str:
    """The last word of a name without honorifics, folded: "Mr. Hoon" -> "hoon"."""
    words = [w for w in name.split() if w not in HONORIFICS]
    return words[-1].casefold().strip(".") if words else ""
