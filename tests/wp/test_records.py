import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.archive.writer import rows_to_table
from mpcrawl.schemas import TABLES
from mpcrawl.wp import records
from tests.shared import SHARED, seed_post, shared_path

NOW = datetime(2026, 1, 1, tzinfo=UTC)
COMMON = {"site": "e.org", "fetched_at": NOW, "run_id": "r1"}


def test_seed_post_row() -> None:
    seed = seed_post()
    row = records.post_row(seed, post_type="post", **COMMON)
    assert row["title"] == "Live Facial Recognition"
    assert row["date_gmt"] == datetime(2025, 3, 31, 9, 24, 19, tzinfo=UTC)
    assert row["date"] == datetime(2025, 3, 31, 9, 24, 19)
    assert row["revision_count"] == 4 and row["predecessor_revision_id"] == 5776
    assert row["category_ids"] == [4] and row["featured_media_id"] == 4705
    assert json.loads(row["raw_json"]) == seed
    rows_to_table(TABLES["posts"], [row])


def _objects(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text())
    if isinstance(data, dict):
        data = [data]
    return [d for d in data if isinstance(d, dict)]


def _rest_files() -> list[Path]:
    """The real REST responses; one path that skips, saying why, where ../shared is absent."""
    rest = SHARED / "wp-fixtures" / "rest"
    return sorted(rest.glob("*/*.json")) or [rest / "absent" / "absent.json"]


@pytest.mark.parametrize("path", _rest_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_real_rest_object_becomes_a_row(path: Path) -> None:
    shared_path("wp-fixtures", "rest")
    name = path.name.lower()
    for obj in _objects(path):
        if "code" in obj and "id" not in obj:
            continue
        if any(k in name for k in ("categor", "tag", "term")):
            row = records.term_row(obj, taxonomy="category", **COMMON)
            rows_to_table(TABLES["terms"], [row])
        elif any(k in name for k in ("user", "author", "me.json")):
            rows_to_table(TABLES["authors"], [records.author_row(obj, **COMMON)])
        elif "media" in name or "attachment" in name:
            rows_to_table(TABLES["media"], [records.media_row(obj, **COMMON)])
        elif "revision" in name or "autosave" in name:
            row = records.revision_row(obj, post_type="post", post_id=1, **COMMON)
            rows_to_table(TABLES["revisions"], [row])
        else:
            row = records.post_row(obj, post_type="post", **COMMON)
            table = rows_to_table(TABLES["posts"], [row])
            assert table.num_rows == 1


def test_protected_post_keeps_no_content() -> None:
    obj = {"id": 9, "content": {"rendered": "", "protected": True}, "title": {"rendered": "P"}}
    row = records.post_row(obj, post_type="post", **COMMON)
    assert row["protected"] is True and row["content_html"] is None


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "date",
                "date_gmt",
                "modified_gmt",
                "title",
                "content",
                "categories",
                "author",
                "featured_media",
                "_links",
            ]
        ),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=30),
            st.lists(st.text(max_size=5)),
            st.just("0000-00-00T00:00:00"),
            st.dictionaries(st.text(max_size=5), st.text(max_size=5)),
        ),
    )
)
def test_wrong_types_never_raise(obj: dict[str, object]) -> None:
    row = records.post_row(obj, post_type="post", **COMMON)
    rows_to_table(TABLES["posts"], [row])


@given(st.text(max_size=40))
def test_dates_parse_or_are_none(text: str) -> None:
    from mpcrawl.wp.dates import parse_wp_datetime, parse_wp_gmt

    parsed = parse_wp_datetime(text)
    assert parsed is None or parsed.tzinfo is None
    gmt = parse_wp_gmt(text)
    assert gmt is None or gmt.utcoffset() is not None


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec="utf-8") | st.just("\ud800")),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(st.dictionaries(st.text(), _JSON_VALUES, max_size=8))
def test_raw_json_reads_back_as_sent(obj: dict[str, object]) -> None:
    assert json.loads(records.dumps(obj)) == obj


def _with(seed: dict[str, object], **changes: object) -> dict[str, object]:
    return {**seed, **changes}


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"date_gmt": "9999-12-31T23:59:59-01:00"}, "date_gmt", "outside years 1..9999"),
        ({"date_gmt": "0001-01-01T00:00:00+01:00"}, "date_gmt", "outside years 1..9999"),
        ({"date": "yesterday"}, "date", "not a timestamp"),
        ({"title": {"rendered": "Live \ud800 Facial"}}, "title", "lone surrogate"),
        ({"_links": {"version-history": [{"count": 3_000_000_000}]}}, "revision_count", "int32"),
        ({"link": "http://[::1/bad"}, "link", "not a URL"),
        ({"author": 2**64}, "author_id", "int64"),
        ({"categories": [4, "x", None]}, "category_ids", "2 entries are not ids"),
    ],
    ids=["year-10000", "year-0", "yesterday", "surrogate", "int32", "url", "int64", "ids"],
)
def test_a_bad_value_costs_only_its_column(
    change: dict[str, object], field: str, problem: str
) -> None:
    seed = seed_post()
    if "_links" in change:
        change = {"_links": {**seed["_links"], **change["_links"]}}  # type: ignore[dict-item]
    obj = _with(seed, **change)
    row = records.post_row(obj, post_type="post", **COMMON)
    table = rows_to_table(TABLES["posts"], [row])
    assert table.num_rows == 1
    assert row["bad_values"] and any(problem in b for b in row["bad_values"])
    good = records.post_row(seed, post_type="post", **COMMON)
    differs = {k for k in good if good[k] != row[k]} - {"raw_json", "bad_values"}
    if field == "title":  # the text is kept, the surrogate replaced
        assert row["title"] == "Live \ufffd Facial"
    elif field == "category_ids":
        assert row["category_ids"] == [4]
    else:
        assert row[field] is None
    assert differs <= {field, "content_sha256", "year"}
    assert json.loads(row["raw_json"]) == obj  # lossless: the value as the site sent it


def test_raw_json_with_a_lone_surrogate_is_valid_utf8_and_exact() -> None:
    obj = json.loads('{"id": 1, "title": {"rendered": "a\\ud800b"}, "é": "é"}')
    text = records.dumps(obj)
    text.encode("utf-8")  # would raise for a lone surrogate
    assert json.loads(text) == obj and "é" in text


def test_an_ordinary_post_has_no_bad_values() -> None:
    assert records.post_row(seed_post(), post_type="post", **COMMON)["bad_values"] is None


def test_an_object_nested_too_deep_to_write_is_a_reject_with_its_reason() -> None:
    deep: object = 1
    for _ in range(5000):
        deep = [deep]
    row = records.reject_row(
        {"id": 7, "meta": deep},
        site="e.org",
        kind="post",
        post_type="post",
        reason="no row",
        fetched_at=NOW,
        run_id="r1",
    )
    assert row["raw_json"] is None and "too deep" in row["reason"] and row["id_as_sent"] == "7"
    rows_to_table(TABLES["rejects"], [row])
