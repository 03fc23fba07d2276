"""Linking printed speaker names to sitting MPs' member ids (mpcrawl/data/uk-mps.csv)."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.extract.members import match_member, member_id_for, members
from mpcrawl.extract.speakers import Turn, find_turns
from tests.shared import seed_post


def test_packaged_list_has_every_seat_and_its_attribution() -> None:
    rows = members()
    assert len(rows) == 650
    assert len({m.member_id for m in rows}) == len({m.constituency for m in rows}) == 650
    sources = resources.files("mpcrawl").joinpath("data/SOURCES.md").read_text(encoding="utf-8")
    assert (
        "Contains Parliamentary information licensed under the Open Parliament Licence v3.0."
        in sources
    )


def test_seed_speakers_link_to_their_member_ids() -> None:
    html = seed_post()["content"]["rendered"]
    assert [member_id_for(t) for t in find_turns(html)] == [39, 1533, 39, 1533]


@pytest.mark.parametrize(
    ("speaker", "constituency", "member_id"),
    [
        ("John Whittingdale", "Maldon", 39),
        ("Sir John Whittingdale", None, 39),
        ("the right hon. Sir John Whittingdale MP", None, 39),
        ("Rt Hon Dame Diana Johnson MP", None, 1533),
        ("Diana R. Johnson", None, 1533),  # TheyWorkForYou's spelling, middle initial
        ("DIANA JOHNSON", "Kingston upon Hull North and Cottingham", 1533),
        ("Sian Berry", None, 5314),  # listed as "Siân Berry": accents fold
        ("Luke Charters", None, 5199),  # listed as "Mr Luke Charters"
        ("Mr. Luke Charters", "York Outer", 5199),
        ("Mr Whittingdale", "Maldon", 39),  # a surname alone needs the seat
        ("Mr Whittingdale", None, None),
        ("Mr Jones", None, None),  # several sitting Joneses
        ("Mr Jones", "Nowhere In Particular", None),
        ("The Prime Minister", None, None),  # an office, not a name
        ("Mr Speaker", None, None),
        ("Madam Deputy Speaker", None, None),
        ("Paul Flynn", "Newport West", None),  # no longer sitting
        ("John Spellar", None, None),  # stood down in 2024: no former-MPs list here
        # bare names as the new label shapes print them, honorifics and honours stripped
        ("Kemi Badenoch", None, 4597),  # listed as "Mrs Kemi Badenoch"
        ("Keir Starmer", None, 4514),  # listed as "Sir Keir Starmer"
        ("The Rt Hon Sir Keir Starmer KCB KC MP", None, 4514),
        ("Rt Hon Dame Diana Johnson DBE MP", None, 1533),
        ("Ms Rachel Reeves", None, 4031),
        ("Dr Caroline Johnson", None, 4592),
        ("Rt. Hon. Ian Lavery MP", None, 4139),
        ("Mrs Badenoch", None, None),  # a surname alone still needs the seat
        ("", None, None),
    ],
)
def test_match_member(speaker: str, constituency: str | None, member_id: int | None) -> None:
    assert match_member(speaker, constituency) == member_id


def test_hansard_seat_with_a_comma_matches_the_lists_seat() -> None:
    erdington = next(m for m in members() if m.constituency == "Birmingham Erdington")
    surname = erdington.name.split()[-1]
    assert match_member(f"Mrs {surname}", "Birmingham, Erdington") == erdington.member_id


def test_honours_are_no_part_of_any_listed_name() -> None:
    words = {w.casefold() for m in members() for w in m.name.replace("-", " ").split()}
    assert not words & {"kcb", "kbe", "dbe", "cbe", "obe", "mbe", "pc", "kc", "qc", "cmg"}


def test_bare_name_turns_link_to_sitting_mps_only() -> None:
    html = (
        "<p><strong>Kemi Badenoch:</strong> Can he tell the House why?</p>"
        "<p><strong>The Prime Minister:</strong> My own MPs are very proud.</p>"
        "<p><strong>John Spellar:</strong> Had the Chancellor announced the date?</p>"
        "<p><strong>Mrs Badenoch:</strong> Let me answer.</p>"
    )
    turns = find_turns(html)
    assert [(t.speaker, member_id_for(t)) for t in turns] == [
        ("Kemi Badenoch", 4597),
        ("The Prime Minister", None),
        ("John Spellar", None),
        ("Mrs Badenoch", None),
    ]


def test_member_id_for_a_turn() -> None:
    turn = Turn("Diana R. Johnson", None, None, "The Minister of State, Home Department", "…")
    assert member_id_for(turn) == 1533


@given(st.text(max_size=40), st.one_of(st.none(), st.text(max_size=40)))
def test_no_input_makes_match_member_raise(speaker: str, constituency: str | None) -> None:
    found = match_member(speaker, constituency)
    assert found is None or isinstance(found, int)
