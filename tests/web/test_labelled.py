"""The page rules on labelled real pages they were not written from (``tests/data/labelled``).

The held-out side is the same real software on other themes and settings (Drupal 7 on
Garland, Stark, Seven, without the rdf module; WordPress 7.1 on twentytwentyfour and
twentytwentythree); its floors are what a reader of the archive needs: never a wrong date
(a null one is allowed), never a listing archived as a publication nor a publication lost
as a listing, the id and type of every node or post, the body's text. The stored pages are
read in place: no server (``tests/data/labelled/generate.py`` captured them).
"""

from __future__ import annotations

import pytest

from benchmarks.score_pages import SIDES, Score, load, score


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return {side: score(load(side))[0] for side in SIDES}


def test_the_held_out_cases_are_set_apart_and_not_few() -> None:
    cases = {side: {r["case"] for r in load(side)} for side in SIDES}
    assert not cases["train"] & cases["heldout"]
    assert len(cases["heldout"]) >= 5
    publications = [r for r in load("heldout") if r["truth"]["kind"] == "publication"]
    assert len(publications) >= 50


@pytest.mark.parametrize("side", SIDES)
def test_no_wrong_date_and_no_listing_confused(scores: dict[str, Score], side: str) -> None:
    result = scores[side]
    wrong = [m for m in result.misses if ": date wrong" in m]
    assert result.dates["wrong"] == 0, wrong
    assert result.listings_as_publications == 0
    assert result.publications_as_listings == 0


def test_held_out_ids_types_and_text(scores: dict[str, Score]) -> None:
    result = scores["heldout"]
    assert result.total["id"] >= 50 and result.share("id") == 1.0
    assert result.total["type"] >= 50 and result.share("type") == 1.0
    assert (result.share("text") or 0) >= 0.95, [m for m in result.misses if ": text" in m]
    # a date on at least the pages that print their creation time (the rdf module's)
    assert result.dates["exact"] >= 50
