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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from mpcrawl.extract.members import match_member
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
_LINE_PARTY = re.compile(
    r"(?<!\S)(?P<party>"
    + "|".join(re.escape(p) for p in sorted(PARTIES, key=len, reverse=True) if len(p) > 3)
    + r")(?: MP)?(?:,\s*(?P<constituency>.+))?$"
)
# fmt: off
_HONORIFICS = frozenset({
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
    "Statement", "MP", "MPs",
})
# Words an office starts with: "Name The Minister of State…", "Name Shadow Secretary…".
_OFFICE_WORDS = frozenset({
    "Minister", "Secretary", "Parliamentary", "Solicitor", "Attorney", "Advocate", "Leader",
    "Chancellor", "Prime", "Deputy", "Shadow", "Lord", "Chief", "Financial", "Economic",
    "Exchequer", "Paymaster", "Comptroller", "Treasurer", "Vice-Chamberlain", "Chair",
    "Chairman", "First", "Second", "President", "Speaker",
})
_CONNECTIVES = frozenset({"of", "for", "and", "the", "to", "in", "on", "at", "without", "&"})
_BLOCKS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "td", "th", "ul",
    "ol", "table", "section", "article", "header", "footer", "aside", "dd", "dt", "pre",
    "figcaption", "address", "hr", "br",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BOLD = frozenset({"strong", "b"})
_SKIP = frozenset({
    "script", "style", "noscript", "template", "head", "iframe", "object", "svg", "figure",
    "video", "audio",
})
# fmt: on
_SPEAKER_OFFICE = re.compile(
    r"(?:Mr\.?|Madam) (?:Deputy )?(?:Speaker|Chairman|Chair)(?:-Elect)?|"
    r"The (?:Deputy )?(?:Speaker|Chairman|Chair)(?: of Ways and Means)?"
)
_NUMBER = re.compile(r"[TQ]?\d{1,3}\.\s+")  # question numbers: "3.", "T1."
_LAST_BRACKET = re.compile(r"\s*\(([^()]{1,90})\)\s*$")
_BRACKETS_ONLY = re.compile(r"(?:\s*\([^()]{1,90}\))+\s*")
_COLON_LABEL = re.compile(r"(.{2,260}?)\s*:\s+(?=\S)")
_ALL_BRACKETED = re.compile(r"[—–-]?\s*\[[^\[\]]*\]\s*")
_QUESTION_IDS = re.compile(r"\s*\[\d{3,7}\]")  # "[261324]": the question's number, not speech
# An Order Paper question, as Hansard prints it: indirect, so its first sentence ends in "."
# ("What steps his Department is taking…", "If he will list his official engagements…").
_ORDER_PAPER = re.compile(r"(?:What|Whether|If|How|When|Which|Why|To ask)\b[^?]*?\.(?:\s|$)")
_QUESTION_ID = re.compile(r"\s*\[\d{3,7}\]\s+(?=\S)")
_ROSE = re.compile(r"(?:Several )?[Hh]on\. Members rose\W*$")


@dataclass(slots=True)
class _Label:
    speaker: str
    party: str | None = None
    constituency: str | None = None
    role: str | None = None
    bare: bool = False  # a name with nothing to vouch for it


@dataclass(slots=True)
class _Block:
    text: str
    bold: str  # the bold text the block starts with
    heading: bool = False
    label: _Label | None = None  # set for TheyWorkForYou's speaker header


def party_name(printed: str) -> str | None:
    """The MPs list's spelling of a printed party name or Hansard abbreviation.

    >>> party_name("Lab/Co-op"), party_name("SNP"), party_name("Newport West")
    ('Labour (Co-op)', 'Scottish National Party', None)
    """
    return PARTIES.get(" ".join(printed.split()))


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
    return _turns(_blocks(root, twfy="debate-speech" in html))


def _turns(blocks: list[_Block]) -> list[Turn]:
    turns: list[Turn] = []
    seen: set[str] = set()  # surnames of labels so far: "Mr Jones:" may follow
    label: _Label | None = None
    opener: _Label | None = None  # a question printed "Name Speech" that opened the exchange
    text: list[str] = []

    def close() -> None:
        body = _QUESTION_IDS.sub("", "\n\n".join(text)).strip()
        if label is not None and body:
            turns.append(Turn(label.speaker, label.party, label.constituency, label.role, body))
        text.clear()

    blocks = [part for block in blocks for part in _split_at_question_ids(block)]
    offices = _offices_by_exchange(blocks)
    i = 0
    while i < len(blocks):
        block, at = blocks[i], i
        following = blocks[i + 1].text if i + 1 < len(blocks) else ""
        i += 1
        if _ALL_BRACKETED.fullmatch(block.text):
            if label is not None:  # an interjection is part of what was printed
                text.append(block.text)
            continue
        if _ROSE.match(block.text):
            continue  # a stage direction between speeches, not speech
        found, rest = (
            (block.label, "")
            if block.label
            else _block_label(block, seen, label is not None, offices[at])
        )
        merged = None
        if found is not None and not rest and _BRACKETS_ONLY.fullmatch(following):
            merged = _print_label(f"{block.text.rstrip(':')} {following}")
            if merged is not None:  # web layout: the name, then "(Seat) (Party)" below
                found, i = merged, i + 1
        if (
            found is not None
            and found.speaker == found.role
            and label is None
            and merged is None
            and block.bold == block.text
            and ((after := _bold_label(_next_bold(blocks, i))) is None or after.bare)
        ):
            found = None  # "The Prime Minister" alone opens an exchange only if a label follows
        if (
            found is not None
            and found.bare
            and not _vouched(found.speaker, seen, label)
            and not _answers(found, label, opener, blocks[i] if i < len(blocks) else None)
        ):
            found = None
        if found is None and block.bold and not block.heading:
            found = _run_on(block, _next_bold(blocks, i), seen, label, opener)
            rest = block.text[len(block.bold) :].strip() if found is not None else ""
            if found is not None and opener is None:
                opener = found
        if found is not None:
            close()
            label = found
            seen.add(_surname(found.speaker))
            if rest:
                text.append(rest)
        elif block.heading or (block.bold and block.bold == block.text):
            close()  # a heading or a bold line ends the exchange
            label = opener = None
        elif label is not None:
            text.append(block.text)
    close()
    return turns


def _offices_by_exchange(blocks: list[_Block]) -> list[bool]:
    """Per block: does its exchange (the blocks between headings) print an office label?

    "The Prime Minister:" vouches for the bare "Kemi Badenoch:" it alternates with.
    """
    exchange, n = [], 0
    for block in blocks:
        n += block.heading
        exchange.append(n)
    with_office = {e for e, block in zip(exchange, blocks, strict=True) if _colon_office(block)}
    return [e in with_office for e in exchange]


def _colon_office(block: _Block) -> bool:
    m = _COLON_LABEL.match(block.text)
    label = _label(m.group(1)) if m is not None else None
    return label is not None and label.role is not None


def _answers(
    found: _Label, current: _Label | None, opener: _Label | None, after: _Block | None
) -> bool:
    """A bold name alone on its line answering a question labelled with seat and party.

    Or answering the question that opened an exchange printed "Name Speech".
    """
    return (
        current is not None
        and (current is opener or (current.party is not None and current.constituency is not None))
        and _surname(found.speaker) != _surname(current.speaker)
        and after is not None
        and _is_speech(after)
    )


def _is_speech(block: _Block) -> bool:
    return not block.bold and not block.heading and not _BRACKETS_ONLY.fullmatch(block.text)


def _next_bold(blocks: list[_Block], start: int) -> _Block | None:
    """The next block from ``start`` that begins in bold (or is a speaker header)."""
    return next((blocks[n] for n in range(start, len(blocks)) if blocks[n].bold), None)


def _bold_label(block: _Block | None) -> _Label | None:
    """The label a block's bold start prints, if it prints one."""
    if block is None or block.label is not None:
        return block.label if block is not None else None
    return _label(_NUMBER.sub("", block.bold, count=1).rstrip(":").strip())


def _run_on(
    block: _Block,
    reply: _Block | None,
    seen: set[str],
    current: _Label | None,
    opener: _Label | None,
) -> _Label | None:
    """A bold name (or office) followed directly by the speech, with no colon.

    Prose does this too ("<b>Sir John</b> has welcomed…"), so the speech must start a
    sentence, and the exchange must open with an Order Paper question (indirect: "What
    steps…", "If he will…", its first sentence ending in "."), numbered or from a sitting
    MP, that the next bold label answers; that label has no number ("1. Name", "2. Name"
    is a list). Later labels of that exchange are the answer, an office, or a speaker
    already seen.
    """
    name = _NUMBER.sub("", block.bold, count=1).strip()
    rest = block.text[len(block.bold) :].strip()
    if not (rest[:1].isupper() or _NUMBER.match(rest)) or not (_is_name(name) or _is_office(name)):
        return None
    label = _label(name)
    if label is None or label.party is not None:
        return None
    if opener is not None:
        return label if current is opener or label.role or _surname(name) in seen else None
    numbered = _NUMBER.match(block.bold) or _NUMBER.match(rest) or _QUESTION_IDS.search(rest)
    asks = _ORDER_PAPER.match(_NUMBER.sub("", rest, count=1)) and (
        numbered or match_member(name) is not None
    )
    if not asks or label.role or reply is None or _NUMBER.match(reply.bold):
        return None
    answer = _bold_label(reply)
    return label if answer is not None and _surname(answer.speaker) != _surname(name) else None


def _split_at_question_ids(block: _Block) -> list[_Block]:
    """Split "…in Wales. [261324] The Secretary of State (Name): …" where a quote runs on."""
    if block.label or "[" not in block.text or block.bold == block.text:
        return [block]
    parts = _QUESTION_ID.split(block.text)
    blocks = [_Block(parts[0], block.bold, block.heading)]
    for part in parts[1:]:
        m = _COLON_LABEL.match(part)
        label = _label(m.group(1)) if m else None
        if label is None or label.bare:
            blocks[-1].text += " " + part
        else:
            blocks.append(_Block(part, "", block.heading))
    return blocks


def _vouched(name: str, seen: set[str], current: _Label | None) -> bool:
    """A bare bold name is a label once the post names it, or mid-exchange as "Mr Jones"."""
    return _surname(name) in seen or (current is not None and name.split()[0] in _HONORIFICS)


def _block_label(
    block: _Block, seen: set[str], open_turn: bool, offices: bool
) -> tuple[_Label | None, str]:
    """The label a block starts with, and the speech that follows it in the block.

    A bare bold "Name:" needs ``offices`` (its exchange prints an office label, "The Prime
    Minister:"); "Mr Jones:" needs that or an open turn; a name seen in a label needs neither.
    """
    text, bold = block.text, block.bold
    if bold == text:  # a bold line on its own
        return _label(text.rstrip(":").rstrip()), ""
    m = _COLON_LABEL.match(text)
    if m is not None:
        label = _label(m.group(1))
        printed = m.group(1).strip()
        if label is not None and (
            not label.bare
            or _surname(label.speaker) in seen
            or ((open_turn or offices) and label.speaker.split()[0] in _HONORIFICS)
            or (offices and bold.rstrip(":").strip() == printed)
        ):
            label.bare = False  # "Mr Jones:", a name seen before, or "Name:" beside offices
            return label, text[m.end() :]
    if bold and not bold.endswith(":"):
        rest = text[len(bold) :].strip()
        if _BRACKETS_ONLY.fullmatch(rest):  # web layout on one line
            return _print_label(text), ""
        label = _line_label(text)
        if label is not None and label.party:  # a position printed after a bold name
            return label, ""
    return None, ""


def _label(s: str) -> _Label | None:
    return _print_label(s) or _line_label(s)


def _print_label(s: str) -> _Label | None:
    """Hansard print style: "3. Name (Constituency) (Party)", "The Office (Name)"."""
    number = _NUMBER.match(s)
    who = s[number.end() :] if number else s
    brackets: list[str] = []
    while (m := _LAST_BRACKET.search(who)) is not None:
        brackets.insert(0, " ".join(m.group(1).split()))
        who = who[: m.start()]
    who = who.strip()
    if not brackets or not who:
        return None
    if _is_office(who):
        if len(brackets) == 1 and _is_name(brackets[0]):
            return _Label(brackets[0], role=who)
        return None
    if not _is_name(who):
        return None
    party = party_name(brackets[-1])
    if party is not None:
        brackets.pop()
    if len(brackets) > 1 or not all(b[:1].isupper() for b in brackets):
        return None
    return _Label(who, party, brackets[0] if brackets else None)


def _line_label(s: str) -> _Label | None:
    """TheyWorkForYou's header flattened: "Name Party, Seat", "Name The Office", "Office"."""
    if _is_office(s):
        return _Label(s, role=s) if s.startswith("The ") or _SPEAKER_OFFICE.fullmatch(s) else None
    m = _LINE_PARTY.search(s)
    if m is not None and m.group("constituency") and _is_name(s[: m.start()]):
        seat = m.group("constituency").strip()
        if seat[:1].isupper() and not any(c in seat for c in "?!:;()"):
            return _Label(s[: m.start()].strip(), PARTIES[m.group("party")], seat)
        return None
    words = s.split()
    for i in range(1, min(len(words), 7)):
        head = " ".join(words[:i])
        role = " ".join(words[i:])
        if _is_office(role) and _is_name(head):
            return _Label(head, role=role)
    return _Label(s, bare=True) if _is_name(s) else None


def _is_office(s: str) -> bool:
    if _SPEAKER_OFFICE.match(s):
        return True
    words = s.split()
    if words and words[0] == "The":
        words = words[1:]
    if not words or words[0] not in _OFFICE_WORDS or (len(words) == 1 and s[:4] != "The "):
        return False
    return all(w[:1].isupper() or w[1:2].isupper() or w in _CONNECTIVES for w in words)


def _is_name(s: str) -> bool:
    """A person's name as Hansard prints it: capitalised words, initials, honorifics."""
    words = s.split()
    if not 1 <= len(words) <= 6 or words[-1] in _HONORIFICS:
        return False
    plain = 0
    for w in words:
        if w in _HONORIFICS or w in _PARTICLES:
            continue
        if w in _NOT_NAME or not w[0].isupper() or any(c.isdigit() for c in w):
            return False
        if not all(c.isalpha() or c in ".'’-" for c in w):
            return False
        plain += 1
    return plain >= (1 if words[0] in _HONORIFICS else 2)


def _surname(name: str) -> str:
    words = [w for w in name.split() if w not in _HONORIFICS]
    return words[-1].casefold().strip(".") if words else ""


def _blocks(root: etree._Element, *, twfy: bool) -> list[_Block]:
    """Paragraph-level blocks, each with the bold text it starts with."""
    blocks: list[_Block] = []
    runs: list[tuple[str, bool]] = []
    bold = heading = 0
    in_heading = False

    def add(s: str | None) -> None:
        nonlocal in_heading
        if s:
            runs.append((s, bold > 0))
            in_heading = in_heading or heading > 0

    def flush() -> None:
        nonlocal in_heading
        text = " ".join("".join(r for r, _ in runs).split())
        if text:
            lead = []
            for r, b in runs:
                if not b and not r.isspace():
                    break
                lead.append(r)
            blocks.append(_Block(text, " ".join("".join(lead).split()), in_heading))
        runs.clear()
        in_heading = False

    walk = etree.iterwalk(root, events=("start", "end"))
    skipped: list[etree._Element] = []  # kept alive, so ``is`` finds them again
    for event, el in walk:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            header = _twfy_header(el) if twfy else None
            if header is not None or tag in _SKIP:
                walk.skip_subtree()
                skipped.append(el)
                flush()
                if header is not None and header.text:
                    blocks.append(header)
                continue
            if tag in _BLOCKS:
                flush()
            bold += tag in _BOLD
            heading += tag in _HEADINGS
            add(el.text)
        else:
            if skipped and el is skipped[-1]:
                skipped.pop()
            else:
                bold -= tag in _BOLD
                heading -= tag in _HEADINGS
                if tag in _BLOCKS:
                    flush()
            add(el.tail)
    flush()
    return blocks


def _twfy_header(el: etree._Element) -> _Block | None:
    """TheyWorkForYou's speaker header as a label block, an empty block for its links.

    Both are skipped as text (the header also holds a photo's alt and the time); None for
    any other element.
    """
    classes = (el.get("class") or "").split()
    if not classes:
        return None
    if "debate-speech__speaker" in classes or "debate-speech__speaker__name" in classes:
        scope = el if "debate-speech__speaker" in classes else el.getparent()
        name = position = ""
        for sub in (scope if scope is not None else el).iter():
            sub_classes = (sub.get("class") or "").split()
            if "debate-speech__speaker__name" in sub_classes:
                name = " ".join("".join(sub.itertext()).split())
            elif "debate-speech__speaker__position" in sub_classes:
                position = " ".join("".join(sub.itertext()).split())
        return _Block(name, name, label=_position_label(name, position) if name else None)
    if {"debate-speech__meta", "debate-speech__links", "debate-speech__speaker__position"} & set(
        classes
    ):
        return _Block("", "")
    return None


def _position_label(name: str, position: str) -> _Label:
    m = _LINE_PARTY.fullmatch(position)
    if m is not None:
        seat = m.group("constituency")
        return _Label(name, PARTIES[m.group("party")], seat.strip() if seat else None)
    return _Label(name, role=position or None)
