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
    return sorted((SHARED / "wp-fixtures" / "rest").glob("*/*.json"))


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
