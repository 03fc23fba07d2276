"""Score ``find_turns`` on the labelled exchanges: the written-from set and the held-out set.

``labelled/speakers.jsonl`` is the set the rules were written from; ``labelled/heldout/``
holds cases split off by a hash of their id before any rule was changed for them (see
``labelled/speakers-SOURCES.md``). Both are scored and printed separately, per shape; the
held-out set's misses are not printed, only its figures, so that it stays unread while
rules are written.

A case's ``format`` is the shape its labels are printed in (``print``, ``web``,
``twfy_flat``, …, and the bare-name shapes ``bare_colon``, ``bare_line``, ``bare_run_on``
described in ``mpcrawl.extract.speakers``, and ``office_open``, ``speaker_alone``,
``single_question``); the score is printed per shape. A turn is
exactly right when speaker, party, constituency and the first 40 characters of its text
match the label at the same position, and its text holds every string of the label's
optional ``contains`` verbatim (interjections such as "[Interruption.]" are kept); a case's
extra or missing turns count as wrong. Negative cases (no exchange: bold names in press
releases, headings) report how many turns were found, which should be 0.

Run: ``.venv/bin/python -m benchmarks.score_speakers``
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpcrawl.extract.speakers import Turn, find_turns

LABELLED = Path(__file__).parent / "labelled" / "speakers.jsonl"
HELDOUT = Path(__file__).parent / "labelled" / "heldout" / "speakers.jsonl"
PREFIX = 40


@dataclass
class Score:
    """Exactly-right turns per format, and turns found in negative cases."""

    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    negative_turns: int = 0
    negative_cases: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, fmt: str | None = None) -> float:
        right = self.right[fmt] if fmt else sum(self.right.values())
        total = self.total[fmt] if fmt else sum(self.total.values())
        return right / total if total else 1.0


def load(path: Path = LABELLED) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def exactly_right(got: Turn, want: dict[str, Any]) -> bool:
    n = min(PREFIX, len(want["text"]))
    return (got.speaker, got.party, got.constituency, got.text[:n]) == (
        want["speaker"],
        want["party"],
        want["constituency"],
        want["text"][:n],
    ) and all(part in got.text for part in want.get("contains", []))


def score(cases: list[dict[str, Any]]) -> Score:
    result = Score()
    for case in cases:
        got, want, fmt = find_turns(case["html"]), case["turns"], case["format"]
        if not want:
            result.negative_cases += 1
            result.negative_turns += len(got)
            result.misses += [f"{case['id']}: spurious {t.speaker!r}" for t in got]
            continue
        result.total[fmt] += max(len(got), len(want))
        for i, w in enumerate(want):
            if i < len(got) and exactly_right(got[i], w):
                result.right[fmt] += 1
            else:
                result.misses.append(f"{case['id']} #{i}: got {got[i] if i < len(got) else None}")
        result.misses += [f"{case['id']}: extra {t}" for t in got[len(want) :]]
    return result


def report(name: str, result: Score, *, misses: bool) -> None:
    """Print one set's score per shape, the false turns on its negatives, and its misses."""
    right, total = sum(result.right.values()), sum(result.total.values())
    print(f"{name}: {right}/{total} turns right ({result.share():.0%})")
    print(f"  {'shape':16} right/expected")
    for fmt in sorted(result.total):
        print(f"  {fmt:16} {result.right[fmt]:3}/{result.total[fmt]:<3} {result.share(fmt):.0%}")
    print(f"  negative cases: {result.negative_cases}, false turns: {result.negative_turns}")
    for miss in result.misses if misses else ():
        print("    miss:", miss)


def main() -> None:
    report("written-from set", score(load()), misses=True)
    report("held-out set", score(load(HELDOUT)), misses=False)


if __name__ == "__main__":
    main()
