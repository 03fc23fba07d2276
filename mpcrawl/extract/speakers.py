"""Speaker turns in a post that quotes a Commons exchange.

MPs paste exchanges in a few shapes: TheyWorkForYou's speaker header (kept as markup, or
flattened into a bold line "Name Party, Constituency" / "Name Office"), Hansard's print
style "Name (Constituency) (Party): text", and Hansard's web layout (a bold name, then
"(Constituency) (Party)", then the speech). A label must parse as one of these; bold
text that does not (headings, emphasis, "Please see the link below:") starts no turn.

>>> [(t.speaker, t.party, t.constituency, t.text) for t in find_turns(
...     "<p><strong>Sir John Whittingdale (Maldon) (Con):</strong> What steps…</p>"
...     "<p>[Interruption.]</p><p>And more.</p>"
...     "<p>Mr Speaker: Order.</p>")]
[('Sir John Whittingdale', 'Conservative', 'Maldon', \
'What steps…\\n\\n[Interruption.]\\n\\nAnd more.'), ('Mr Speaker', None, None, 'Order.')]

An interjection ("[Interruption.]", "—[Laughter.]", "[Hon. Members: …]") is part of what
was printed: it stays in the turn's text verbatim, and never starts a turn. Hansard's
question reference numbers ("[261324]") and "Hon. Members rose—" lines are not speech and
are left out.

A label that is only a name ("Kemi Badenoch", no seat, party or office) is what news
prose prints too, so each such shape needs evidence from the post itself:

- *Bare name and colon* (``bare_colon``): a bold "Name:" starts a turn when the same
  exchange (the blocks between two headings) also prints an office label with a colon
  ("The Prime Minister:", "Mr Speaker:"). "Mr Jones:" needs the same, or an open turn.

  >>> [(t.speaker, t.role, t.text) for t in find_turns(
  ...     "<p><b>Kemi Badenoch:</b> Can he tell the House why?</p>"
  ...     "<p><b>The Prime Minister:</b> My own MPs are very proud.</p>")]
  [('Kemi Badenoch', None, 'Can he tell the House why?'), \
('The Prime Minister', 'The Prime Minister', 'My own MPs are very proud.')]
  >>> find_turns("<p><b>Kemi Badenoch:</b> “We will vote against it.”</p>")
  []

- *Bold name alone on its line* (``bare_line``): it answers the open turn when that
  turn's label printed both a constituency and a party, the name is someone else, and a
  plain paragraph (the speech) follows.

  >>> [(t.speaker, t.text) for t in find_turns(
  ...     "<p><b>Ian Lavery (Blyth and Ashington) (Lab)</b></p><p>Q1. If he will list…</p>"
  ...     "<p><b>Keir Starmer</b></p><p>Our Budget took important measures.</p>")]
  [('Ian Lavery', 'Q1. If he will list…'), ('Keir Starmer', 'Our Budget took important measures.')]
  >>> find_turns("<p><b>Keir Starmer</b></p><p>Keir Starmer visited Maldon.</p>")
  []

- *Bold name then the speech, no colon* (``bare_run_on``): the speech starts a sentence
  (prose goes on in lower case: "<b>Sir John</b> has welcomed…"), and the exchange opens
  with one question in the Order Paper's indirect form ("What steps…", "If he will list…",
  a first sentence ending in "." where prose would ask "What next?"), numbered ("Q1.",
  "3.", or Hansard's reference "[261705]") or asked by a sitting MP
  (``mpcrawl/data/uk-mps.csv``). The next bold label, a different speaker with no list
  number ("1. Name", "2. Name" is a ranking), answers it. Later labels of that exchange
  are an office or a name already seen.

  >>> [(t.speaker, t.text) for t in find_turns(
  ...     "<p><b>John Whittingdale</b> What her policy is on live facial recognition.</p>"
  ...     "<p><b>Diana Johnson</b> I thank the right hon. Member.</p>")]
  [('John Whittingdale', 'What her policy is on live facial recognition.'), \
('Diana Johnson', 'I thank the right hon. Member.')]
  >>> find_turns("<p><b>Sir John Whittingdale</b> has welcomed the news.</p>"
  ...            "<p><b>Diana Johnson</b> The Minister visited Hull.</p>")
  []

An office label is strong evidence on its own ("The Prime Minister", "Mr Speaker", "Madam
Deputy Speaker", "The Minister of State, …", "The Secretary of State for …"), but a
bold office on its own line is also how posts print a subheading, so:

- *Office alone on its line* (``office_open``, ``speaker_alone``): it opens a turn when
  the next label printed is a full one ("Name (Seat) (Party)"), or when the speech below
  it reads as said in the Chamber: it addresses the House ("hon. Friend", "Mr Speaker",
  "this House", "Members", "Order.", "I call …"). Failing that, when the name alone on
  the next bold line speaks so. Once an office has spoken, a bold name alone on its line
  with a speech below answers it (as in ``bare_line``).

  >>> [(t.speaker, t.text) for t in find_turns(
  ...     "<p><b>Mr Speaker</b></p><p>I am grateful to the hon. Gentleman.</p>")]
  [('Mr Speaker', 'I am grateful to the hon. Gentleman.')]
  >>> find_turns("<p><b>The Prime Minister</b></p><p>The Prime Minister visited Hull.</p>")
  []

  A name with only a seat, "Mrs. Angela Browning (Tiverton and Honiton)", alone on its
  line, is how feeds print a post's author too: it needs the same Chamber speech below it.

- *One quoted question* (``single_question``): a bold name running into the text with no
  colon starts a turn with no answer when the name is a sitting MP's
  (``mpcrawl/data/uk-mps.csv``) and the paragraph asks a question as Members ask one: a
  sentence of at least ten words ending in "?", not in quotation marks, and not naming
  the asker (prose goes on "Starmer questioned"). The turn is that paragraph: with no
  answer, what follows is the post's own prose. A question so asked also opens a
  ``bare_run_on`` exchange as the Order Paper's form does.

  >>> [(t.speaker, t.text[:31]) for t in find_turns(
  ...     "<p><b>Sarah Champion</b> The Government are set to close the support fund,"
  ...     " so how does the Prime Minister justify taking food from children?</p>"
  ...     "<p>Watch it here.</p>")]
  [('Sarah Champion', 'The Government are set to close')]
  >>> find_turns("<p><b>Sarah Champion</b> What next for Rotherham? She has written.</p>")
  []
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from mpcrawl.extract.speaker_blocks import Block, blocks
from mpcrawl.extract.speaker_evidence import (
    QUESTION_IDS,
    answers,
    next_bold,
    run_on,
    stands_alone,
)
from mpcrawl.extract.speaker_labels import (
    BRACKETS_ONLY,
    HONORIFICS,
    PARTIES,
    Label,
    label,
    line_label,
    party_name,
    print_label,
    surname,
)
from mpcrawl.extract.text import parse_fragment

__all__ = ["PARTIES", "Turn", "find_turns", "party_name"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker's contribution, as printed in the post."""

    speaker: str
    party: str | None
    constituency: str | None
    role: str | None
    text: str


_COLON_LABEL = re.compile(r"(.{2,260}?)\s*:\s+(?=\S)")
_ALL_BRACKETED = re.compile(r"[—–-]?\s*\[[^\[\]]*\]\s*")
_QUESTION_ID = re.compile(r"\s*\[\d{3,7}\]\s+(?=\S)")
_ROSE = re.compile(r"(?:Several )?[Hh]on\. Members rose\W*$")


def find_turns(html: str, *, tree: etree._Element | None = None) -> list[Turn]:
    """Speaker turns in document order; [] for a post that quotes no exchange.

    ``tree``, the :func:`parse_fragment` of ``html``, saves a parse; it is only read.
    """
    if not html or not (
        "<b" in html or "<B" in html or "<strong" in html or "<STRONG" in html
        or "):" in html or "debate-speech" in html
    ):  # fmt: skip
        return []
    root = tree if tree is not None else parse_fragment(html)
    if root is None:
        return []
    return _turns(blocks(root, twfy="debate-speech" in html))


def _turns(found_blocks: list[Block]) -> list[Turn]:
    turns: list[Turn] = []
    seen: set[str] = set()  # surnames of labels so far: "Mr Jones:" may follow
    label: Label | None = None
    opener: Label | None = None  # a question printed "Name Speech" that opened the exchange
    text: list[str] = []

    def close() -> None:
        body = QUESTION_IDS.sub("", "\n\n".join(text)).strip()
        if label is not None and body:
            turns.append(Turn(label.speaker, label.party, label.constituency, label.role, body))
        text.clear()

    bs = [part for block in found_blocks for part in _split_at_question_ids(block)]
    offices = _offices_by_exchange(bs)
    i = 0
    while i < len(bs):
        block, at = bs[i], i
        following = bs[i + 1].text if i + 1 < len(bs) else ""
        i += 1
        if _ALL_BRACKETED.fullmatch(block.text):
            if label is not None:  # an interjection is part of what was printed
                text.append(block.text)
            continue
        if _ROSE.match(block.text):
            continue  # a stage direction between speeches, not speech
        found, rest = (
            (block.label, "") if block.label else _block_label(block, seen, label, offices[at])
        )
        merged = None
        if found is not None and not rest and BRACKETS_ONLY.fullmatch(following):
            merged = print_label(f"{block.text.rstrip(':')} {following}")
            if merged is not None:  # web layout: the name, then "(Seat) (Party)" below
                found, i = merged, i + 1
        alone = merged is None and block.label is None and block.bold == block.text
        if found is not None and alone and not stands_alone(found, label, bs, i):
            found = None
        if (
            found is not None
            and found.bare
            and not _vouched(found.speaker, seen, label)
            and not answers(found, label, opener, bs[i] if i < len(bs) else None)
        ):
            found = None
        single = False
        if found is None and block.bold and not block.heading:
            found, single = run_on(block, next_bold(bs, i), seen, label, opener)
            rest = block.text[len(block.bold) :].strip() if found is not None else ""
            if found is not None and opener is None and not single:
                opener = found
        if found is not None:
            close()
            label = found
            seen.add(surname(found.speaker))
            if rest:
                text.append(rest)
            if single:  # one quoted question, no answer: the post's own prose follows
                close()
                label = None
        elif block.heading or (block.bold and block.bold == block.text):
            close()  # a heading or a bold line ends the exchange
            label = opener = None
        elif label is not None:
            text.append(block.text)
    close()
    return turns


def _offices_by_exchange(bs: list[Block]) -> list[bool]:
    """Per block: does its exchange (the blocks between headings) print an office label?

    "The Prime Minister:" vouches for the bare "Kemi Badenoch:" it alternates with.
    """
    exchange, n = [], 0
    for block in bs:
        n += block.heading
        exchange.append(n)
    with_office = {e for e, block in zip(exchange, bs, strict=True) if _colon_office(block)}
    return [e in with_office for e in exchange]


def _colon_office(block: Block) -> bool:
    m = _COLON_LABEL.match(block.text)
    found = label(m.group(1)) if m is not None else None
    return found is not None and found.role is not None


def _split_at_question_ids(block: Block) -> list[Block]:
    """Split "…in Wales. [261324] The Secretary of State (Name): …" where a quote runs on."""
    if block.label or "[" not in block.text or block.bold == block.text:
        return [block]
    parts = _QUESTION_ID.split(block.text)
    out = [Block(parts[0], block.bold, block.heading)]
    for part in parts[1:]:
        m = _COLON_LABEL.match(part)
        found = label(m.group(1)) if m else None
        if found is None or found.bare:
            out[-1].text += " " + part
        else:
            out.append(Block(part, "", block.heading))
    return out


def _vouched(name: str, seen: set[str], current: Label | None) -> bool:
    """A bare bold name is a label once the post names it, or mid-exchange as "Mr Jones"."""
    return surname(name) in seen or (current is not None and name.split()[0] in HONORIFICS)


def _block_label(
    block: Block, seen: set[str], current: Label | None, offices: bool
) -> tuple[Label | None, str]:
    """The label a block starts with, and the speech that follows it in the block.

    A bare bold "Name:" needs ``offices`` (its exchange prints an office label, "The Prime
    Minister:"); "Mr Jones:" needs that or an open turn; a name seen in a label needs neither.
    """
    text, bold = block.text, block.bold
    if bold == text:  # a bold line on its own
        return label(text.rstrip(":").rstrip()), ""
    m = _COLON_LABEL.match(text)
    if m is not None:
        found = label(m.group(1))
        printed = m.group(1).strip()
        if found is not None and (
            not found.bare
            or surname(found.speaker) in seen
            or ((current is not None or offices) and found.speaker.split()[0] in HONORIFICS)
            or (offices and bold.rstrip(":").strip() == printed)
        ):
            found.bare = False  # "Mr Jones:", a name seen before, or "Name:" beside offices
            return found, text[m.end() :]
    if bold and not bold.endswith(":"):
        rest = text[len(bold) :].strip()
        if BRACKETS_ONLY.fullmatch(rest):  # web layout on one line
            return print_label(text), ""
        found = line_label(text)
        if found is not None and found.party:  # a position printed after a bold name
            return found, ""
    return None, ""
