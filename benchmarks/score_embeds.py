"""Precision and recall of ``find_embeds`` on the labelled set, per provider, per kind, overall.

Run ``.venv/bin/python -m benchmarks.score_embeds``. A predicted embed matches an expected one
when provider, video_id, playlist_id and canonical_url all agree; the per-kind table also asks
for the same kind, so a video found in the wrong form counts against that form.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mpcrawl.extract.embeds import find_embeds

LABELLED = Path(__file__).resolve().parent / "labelled" / "embeds.jsonl"
Key = tuple[Any, ...]


@dataclass
class Tally:
    """True positives, false positives and false negatives of one group."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    """Tallies by provider and by kind, the overall one, and the cases that went wrong."""

    overall: Tally = field(default_factory=Tally)
    by_provider: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def load_cases(path: Path = LABELLED) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _key(item: dict[str, Any]) -> Key:
    return (item["provider"], item["video_id"], item["playlist_id"], item["canonical_url"])


def _count(
    expected: Iterable[Key],
    predicted: Iterable[Key],
    group: dict[str, Tally],
    overall: Tally | None,
) -> bool:
    want, got = Counter(expected), Counter(predicted)
    hit = want & got
    for key, n in hit.items():
        group.setdefault(key[0], Tally()).tp += n
    for key, n in (got - want).items():
        group.setdefault(key[0], Tally()).fp += n
    for key, n in (want - got).items():
        group.setdefault(key[0], Tally()).fn += n
    if overall is not None:
        overall.tp += sum(hit.values())
        overall.fp += sum((got - want).values())
        overall.fn += sum((want - got).values())
    return want == got


def score(cases: Iterable[dict[str, Any]]) -> Report:
    """Run the extractor on every case and tally the matches."""
    report = Report()
    for case in cases:
        found = find_embeds(case["html"], case.get("base_url"))
        predicted = [_key(vars_of(e)) for e in found]
        expected = [_key(item) for item in case["expected"]]
        ok = _count(expected, predicted, report.by_provider, report.overall)
        by_kind_expected = [(item.get("kind", "?"), *_key(item)) for item in case["expected"]]
        by_kind_predicted = [(e.kind, *_key(vars_of(e))) for e in found]
        _count(by_kind_expected, by_kind_predicted, report.by_kind, None)
        if not ok:
            report.failures.append(f"{case['id']}: expected {expected}, got {predicted}")
    return report


def vars_of(embed: Any) -> dict[str, Any]:
    return {f: getattr(embed, f) for f in ("provider", "video_id", "playlist_id", "canonical_url")}


def _table(title: str, tallies: dict[str, Tally]) -> str:
    rows = [f"{title:<16} {'P':>6} {'R':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, t in sorted(tallies.items()):
        rows.append(
            f"{name:<16} {t.precision:>6.3f} {t.recall:>6.3f} {t.tp:>4} {t.fp:>4} {t.fn:>4}"
        )
    return "\n".join(rows)


def main() -> int:
    cases = load_cases()
    report = score(cases)
    print(f"{len(cases)} labelled cases\n")
    print(_table("provider", report.by_provider), end="\n\n")
    print(_table("kind", report.by_kind), end="\n\n")
    print(_table("overall", {"all": report.overall}))
    for failure in report.failures:
        print("MISMATCH", failure)
    return 0 if not report.failures else 1


if __name__ == "__main__":
    sys.exit(main())
