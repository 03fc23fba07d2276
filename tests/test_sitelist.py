"""Site lists as operators write them: typos, duplicates and files that are not CSV."""

from __future__ import annotations

import csv

import pytest

from mpcrawl.sitelist import load, parse_csv


def test_a_field_beyond_the_csv_limit_is_one_line_naming_the_list() -> None:
    text = "url,name\nhttps://a.org,A\nhttps://b.org," + "x" * (csv.field_size_limit() + 1)
    with pytest.raises(ValueError) as caught:
        parse_csv(text, source="mps.csv")
    message = str(caught.value)
    assert message.startswith("mps.csv: not a readable CSV site list after line ")
    assert "field larger than field limit" in message
    assert "\n" not in message


def test_a_duplicate_site_in_another_case_keeps_the_first_row_and_says_so() -> None:
    listed = parse_csv(
        "url,name\nhttps://www.Example.org/,First\nhttps://b.org,B\nHTTPS://WWW.EXAMPLE.ORG,Again\n",
        source="mps.csv",
    )
    assert [(e.site, e.known("name")) for e in listed.entries] == [
        ("www.example.org", "First"),
        ("b.org", "B"),
    ]
    assert listed.duplicates == [
        "mps.csv line 4: HTTPS://WWW.EXAMPLE.ORG is www.example.org again "
        "(first listed on line 2); skipped"
    ]
    assert listed.rejected == []


def test_a_file_without_a_url_column_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a 'url' column"):
        parse_csv("site,name\nhttps://a.org,A\n", source="mps.csv")


def test_a_missing_file_is_named() -> None:
    with pytest.raises(ValueError, match=r"-a sites=/nonexistent/x.csv: no such file"):
        load(sites="/nonexistent/x.csv")
