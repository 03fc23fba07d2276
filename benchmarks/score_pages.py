"""Score the page rules (``mpcrawl.web.page.read_page``) on labelled real pages: train vs held out.

``tests/data/labelled/train/`` holds the real platforms and themes the rules were written
from (Drupal 7 on Bartik, WordPress 7.1 on twentytwentyfive, Debian's WordPress 6.1 on
twentytwentythree, the Wagtail site, Hugo); ``tests/data/labelled/heldout/`` the same real
software on themes the rules were not written from (Drupal 7 on Garland, Stark and Seven,
two with another date format; WordPress 7.1 on twentytwentyfour and twentytwentythree).
The truth of each page is the platform's own (its database, its REST API), captured by
``tests/data/labelled/generate.py``.

Per field, the share right on each side:

- ``listing``: every page; a listing read as a publication would be archived, a
  publication read as a listing lost;
- ``date``: publications; ``exact`` is the creation time to the second; a day printed
  without a time, stored as midnight UTC (a display date), counts as ``day`` where it is
  the publication's day in the site's time zone; a null date is allowed (``null``), and
  right where the page prints none (``none``: Wagtail's undated posts); any other is
  ``wrong``, the one outcome a reader must never see;
- ``id`` and ``type``: publications whose platform prints them (Drupal's node, WordPress's
  post);
- ``text``: publications, similarity of the content's text to the body as stored
  (difflib) ≥ 0.99.

The held-out side's misses are not printed (``--misses`` prints them), so it stays
unread while rules are written.

Run: ``.venv/bin/python -m benchmarks.score_pages [--misses]``
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from mpcrawl.extract.text import html_to_text
from mpcrawl.web.page import PageInfo, read_page

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "labelled"
SIDES = ("train", "heldout")
FIELDS = ("listing", "date", "id", "type", "text")
SIMILAR = 0.99
DateOutcome = Literal["exact", "day", "null", "none", "wrong"]


def load(side: str) -> list[dict[str, Any]]:
    """Every labelled page of one side, case by case."""
    records: list[dict[str, Any]] = []
    for path in sorted((LABELLED / side).glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            records += [json.loads(line) for line in f if line.strip()]
    return records


def date_outcome(got: datetime | None, want: dict[str, Any]) -> DateOutcome:
    """How a page's date compares with the publication's creation time."""
    if want["date_gmt"] is None:  # the page prints no date of its own: any is invented
        return "none" if got is None else "wrong"
    if got is None:
        return "null"
    truth = datetime.fromisoformat(want["date_gmt"]).astimezone(UTC)
    if got == truth:
        return "exact"
    zone = ZoneInfo(want["timezone"]) if want["timezone"] else UTC
    midnight = (got.hour, got.minute, got.second, got.microsecond) == (0, 0, 0, 0)
    return "day" if midnight and got.date() == truth.astimezone(zone).date() else "wrong"


def similarity(body_html: str, text: str) -> float:
    return difflib.SequenceMatcher(None, html_to_text(body_html), text, autojunk=False).ratio()


@dataclass
class Score:
    """Right and total per field, date outcomes, misses (one line each)."""

    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    dates: Counter[str] = field(default_factory=Counter)
    listings_as_publications: int = 0
    publications_as_listings: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, ok: bool, miss: str) -> None:
        self.total[name] += 1
        self.right[name] += ok
        if not ok:
            self.misses.append(miss)

    def share(self, name: str) -> float | None:
        return self.right[name] / self.total[name] if self.total[name] else None


def score_page(result: Score, record: dict[str, Any], info: PageInfo) -> None:
    want, where = record["truth"], f"{record['case']} {record['url']}"
    listing = want["kind"] == "listing"
    result.add("listing", info.listing == listing, f"{where}: listing={info.listing}")
    result.listings_as_publications += listing and not info.listing
    result.publications_as_listings += info.listing and not listing
    if listing:
        return
    outcome = date_outcome(info.date_gmt, want)
    result.dates[outcome] += 1
    right = outcome in ("exact", "none")
    result.add("date", right, f"{where}: date {outcome} {info.date_gmt}")
    if want["id"] is not None:
        result.add("id", info.wp_id == want["id"], f"{where}: id {info.wp_id}")
    if want["type"] is not None:
        result.add("type", info.post_type == want["type"], f"{where}: type {info.post_type}")
    if want["body_html"] is not None:
        ratio = similarity(want["body_html"], info.content_text)
        result.add("text", ratio >= SIMILAR, f"{where}: text {ratio:.3f}")


def score(records: Iterable[dict[str, Any]]) -> tuple[Score, dict[str, Score]]:
    """The side's score, and each case's."""
    whole, cases = Score(), defaultdict[str, Score](Score)
    for record in records:
        info = read_page(record["html"], record["url"])
        score_page(whole, record, info)
        score_page(cases[record["case"]], record, info)
    return whole, dict(cases)


def cell(result: Score, name: str) -> str:
    share = result.share(name)
    figure = f"{result.right[name]}/{result.total[name]}"
    return f"{figure:>7} {share:4.0%}" if share is not None else f"{'—':>12}"


def report(scores: dict[str, tuple[Score, dict[str, Score]]], *, misses: bool) -> None:
    print(f"{'field':10}" + "".join(f"{side:>14}" for side in scores))
    for name in FIELDS:
        print(f"{name:10}" + "".join(f"  {cell(whole, name)}" for whole, _ in scores.values()))
    for label, attr in (
        ("dates wrong", "wrong"),
        ("dates day only", "day"),
        ("dates null", "null"),
    ):
        print(f"{label:16}" + "".join(f"{s.dates[attr]:>8}" for s, _ in scores.values()))
    for label in ("listings_as_publications", "publications_as_listings"):
        counts = "".join(f"{getattr(s, label):>8}" for s, _ in scores.values())
        print(f"{label.replace('_', ' '):26}{counts}")
    for side, (_whole, cases) in scores.items():
        print(f"\n{side}, per case: " + "  ".join(f"{n:>12}" for n in FIELDS))
        for case, result in cases.items():
            print(f"  {case:32}" + "".join(f" {cell(result, n)}" for n in FIELDS))
            if misses or side == "train":
                for miss in result.misses:
                    print("      miss:", miss)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="print the held-out misses too")
    args = parser.parse_args(argv)
    report({side: score(load(side)) for side in SIDES}, misses=args.misses)


if __name__ == "__main__":
    main()
