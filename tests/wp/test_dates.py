"""Dates read one value at a time: a bad value is refused with a reason, never raised."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.wp.dates import read_gmt, read_local


@pytest.mark.parametrize(
    ("value", "local", "gmt"),
    [
        ("2025-03-31T09:24:19", datetime(2025, 3, 31, 9, 24, 19), datetime(2025, 3, 31, 9, 24, 19)),
        # a local time keeps its wall clock; a UTC time with an offset is converted
        (
            "2025-03-31T10:24:19+01:00",
            datetime(2025, 3, 31, 10, 24, 19),
            datetime(2025, 3, 31, 9, 24, 19),
        ),
        (
            "2025-03-31T09:24:19Z",
            datetime(2025, 3, 31, 9, 24, 19),
            datetime(2025, 3, 31, 9, 24, 19),
        ),
        ("9999-12-31T23:59:59-01:00", datetime(9999, 12, 31, 23, 59, 59), None),
        ("0001-01-01T00:00:00+01:00", datetime(1, 1, 1), None),
        ("0001-01-01T00:00:00", datetime(1, 1, 1), datetime(1, 1, 1)),
        (
            "9999-12-31T23:59:59",
            datetime(9999, 12, 31, 23, 59, 59),
            datetime(9999, 12, 31, 23, 59, 59),
        ),
    ],
)
def test_edge_dates_are_read_per_value(value: str, local: datetime, gmt: datetime | None) -> None:
    assert read_local(value) == (local, None)
    parsed, problem = read_gmt(value)
    assert parsed == (gmt.replace(tzinfo=UTC) if gmt else None)
    assert (problem is None) == (gmt is not None)


@pytest.mark.parametrize("value", [None, "", "0000-00-00T00:00:00", "0000-00-00 00:00:00"])
def test_unset_dates_are_null_without_a_problem(value: object) -> None:
    assert read_local(value) == (None, None) and read_gmt(value) == (None, None)


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01T00:00:00", 1700000000, ["x"]])
def test_words_and_wrong_types_are_refused_with_a_reason(value: object) -> None:
    for read in (read_local, read_gmt):
        parsed, problem = read(value)
        assert parsed is None and problem and problem.startswith("not a timestamp")


@given(st.text(max_size=40) | st.integers() | st.none())
def test_reading_never_raises(value: object) -> None:
    local, _ = read_local(value)
    gmt, _ = read_gmt(value)
    assert local is None or local.tzinfo is None
    assert gmt is None or gmt.utcoffset() is not None
