"""The evidence a label needs where the post itself must vouch for it.

Rules for the name-only and office-alone shapes described in
:mod:`mpcrawl.extract.speakers`: each function says what it accepts and why.
"""

from __future__ import annotations

import re

from mpcrawl.extract.members import match_member
from mpcrawl.extract.speaker_blocks import Block
from mpcrawl.extract.speaker_labels import (
    BRACKETS_ONLY,
    NUMBER,
    Label,
    is_name,
    is_office,
    label,
    surname,
)

__all__ = ["QUESTION_IDS", "answers", "bold_label", "next_bold", "run_on", "stands_alone"]

QUESTION_IDS = re.compile(r"\s*\[\d{3,7}\]")  # "[261324]": the question's number, not speech
# An Order Paper question, as Hansard prints it: indirect, so its first sentence ends in "."
# ("What steps his Department is taking…", "If he will list his official engagements…").
_ORDER_PAPER = re.compile(r"(?:What|Whether|If|How|When|Which|Why|To ask)\b[^?]*?\.(?:\s|$)")
# Speech said in the Chamber addresses it: Members, the Chair, the House.
_IN_HOUSE = re.compile(
    r"\bhon\. |\b(?:Mr\.?|Madam) (?:Deputy )?Speaker\b|\b(?:this|the) House\b(?! of)"
    r"|^Order\b|\bI call\b|\bMembers?\b(?! of Parliament)"
)
# A question as Members ask one: ten words or more, ending in "?" (not a headline's "What next?").
_QUESTION = re.compile(r"(?:^|(?<=[.?!]\s))[A-Z][^.?!]*(?:\s+[^.?!\s]+){9,}\?(?:\s|$)")
_QUOTES = "“”\"‘'«"


def stands_alone(found: Label, current: Label | None, bs: list[Block], at: int) -> bool:
    """May a label printed alone on its line start a turn here?

    An office ("The Prime Minister") or a name with only a seat ("Mr. Tim Boswell
    (Daventry)") opening an exchange is also how posts print subheadings and authors: it
    needs a full label next, or Chamber speech below it or below the bare name next.
    """
    office = found.speaker == found.role
    seat_only = found.constituency is not None and found.party is None and found.role is None
    if not ((office and current is None) or seat_only):
        return True
    if _in_house(_speech(bs, at)):
        return True
    n = next((k for k in range(at, len(bs)) if bs[k].bold), None)
    after = bold_label(bs[n]) if n is not None else None
    if not office or after is None or n is None:
        return False
    return not after.bare or (bs[n].bold == bs[n].text and _in_house(_speech(bs, n + 1)))


def _speech(bs: list[Block], start: int) -> str:
    """The plain paragraphs from ``start`` up to the next bold line or heading."""
    out = []
    for block in bs[start:]:
        if block.bold or block.heading or block.label:
            break
        out.append(block.text)
    return "\n".join(out)


def _in_house(speech: str) -> bool:
    """Speech that addresses the Chamber: "hon. Friend", "Mr Speaker", "this House"…"""
    return any(_IN_HOUSE.search(line) for line in speech.splitlines())


def answers(found: Label, current: Label | None, opener: Label | None, after: Block | None) -> bool:
    """A bold name alone on its line answering the open turn.

    That turn's label printed a seat and party, or an office, or it is the question that
    opened an exchange printed "Name Speech".
    """
    return (
        current is not None
        and (
            current is opener
            or current.role is not None
            or (current.party is not None and current.constituency is not None)
        )
        and surname(found.speaker) != surname(current.speaker)
        and after is not None
        and _is_speech(after)
    )


def _is_speech(block: Block) -> bool:
    return not block.bold and not block.heading and not BRACKETS_ONLY.fullmatch(block.text)


def next_bold(bs: list[Block], start: int) -> Block | None:
    """The next block from ``start`` that begins in bold (or is a speaker header)."""
    return next((bs[n] for n in range(start, len(bs)) if bs[n].bold), None)


def bold_label(block: Block | None) -> Label | None:
    """The label a block's bold start prints, if it prints one."""
    if block is None or block.label is not None:
        return block.label if block is not None else None
    return label(NUMBER.sub("", block.bold, count=1).rstrip(":").strip())


def _asks(name: str, rest: str) -> bool:
    """A question as a Member asks it, from a sitting MP (see the module's docstring)."""
    return (
        rest[:1] not in _QUOTES
        and _QUESTION.search(rest) is not None
        and surname(name) not in rest.casefold()
        and match_member(name) is not None
    )


def run_on(
    block: Block,
    reply: Block | None,
    seen: set[str],
    current: Label | None,
    opener: Label | None,
) -> tuple[Label | None, bool]:
    """A bold name (or office) followed directly by the speech, with no colon.

    Prose does this too ("<b>Sir John</b> has welcomed…"), so the speech must start a
    sentence, and the exchange must open with a question: in the Order Paper's form
    (indirect: "What steps…", "If he will…", its first sentence ending in "."), numbered
    or from a sitting MP, or asked as Members ask (:func:`_asks`). The next bold label, with
    no number ("1. Name", "2. Name" is a list), answers it; with no answer, a question
    asked as Members ask stands alone (the second value: a single quoted question). Later
    labels of that exchange are the answer, an office, or a speaker already seen.
    """
    name = NUMBER.sub("", block.bold, count=1).strip()
    rest = block.text[len(block.bold) :].strip()
    if not (rest[:1].isupper() or NUMBER.match(rest)) or not (is_name(name) or is_office(name)):
        return None, False
    found = label(name)
    if found is None or found.party is not None:
        return None, False
    if opener is not None:
        ok = current is opener or found.role or surname(name) in seen
        return (found if ok else None), False
    if found.role:
        return None, False
    numbered = NUMBER.match(block.bold) or NUMBER.match(rest) or QUESTION_IDS.search(rest)
    order_paper = _ORDER_PAPER.match(NUMBER.sub("", rest, count=1)) and (
        numbered or match_member(name) is not None
    )
    asked = _asks(name, rest)
    answer = None if reply is None or NUMBER.match(reply.bold) else bold_label(reply)
    if (order_paper or asked) and answer is not None and surname(answer.speaker) != surname(name):
        return found, False
    return (found, True) if asked and current is None else (None, False)
