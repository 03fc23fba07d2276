"""A post's HTML as paragraph-level blocks, each with the bold text it starts with.

Speaker labels are printed in bold at the start of a paragraph (or as TheyWorkForYou's
speaker header), so a block keeps its text, its bold lead, and whether it is a heading.
Scripts, embeds and figures are skipped: they hold no speech.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from mpcrawl.extract.speaker_labels import LINE_PARTY, PARTIES, Label

__all__ = ["Block", "blocks"]

# fmt: off
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


@dataclass(slots=True)
class Block:
    """One paragraph: its text, the bold text it starts with, and a header's label."""

    text: str
    bold: str  # the bold text the block starts with
    heading: bool = False
    label: Label | None = None  # set for TheyWorkForYou's speaker header


def blocks(root: etree._Element, *, twfy: bool) -> list[Block]:
    """Paragraph-level blocks, each with the bold text it starts with."""
    found: list[Block] = []
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
            found.append(Block(text, " ".join("".join(lead).split()), in_heading))
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
                    found.append(header)
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
    return found


def _twfy_header(el: etree._Element) -> Block | None:
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
        return Block(name, name, label=_position_label(name, position) if name else None)
    if {"debate-speech__meta", "debate-speech__links", "debate-speech__speaker__position"} & set(
        classes
    ):
        return Block("", "")
    return None


def _position_label(name: str, position: str) -> Label:
    m = LINE_PARTY.fullmatch(position)
    if m is not None:
        seat = m.group("constituency")
        return Label(name, PARTIES[m.group("party")], seat.strip() if seat else None)
    return Label(name, role=position or None)
