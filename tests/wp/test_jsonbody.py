import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.wp.jsonbody import BadJSON, decode, error_code
from tests.shared import shared_path


def test_bom_and_php_notice_are_recovered() -> None:
    assert decode(b"\xef\xbb\xbf[1]").recovered
    body = b'<br />\n<b>Warning</b>: foo in <b>/x.php</b> on line <b>3</b><br />\n{"id": 3}'
    result = decode(body)
    assert result.data == {"id": 3} and result.recovered


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'[{"id": 1, "title": {"rendered": "x"', "truncated"),
        (b"<!DOCTYPE html><html><body>Login</body></html>", "html"),
        (b"", "empty"),
        (b"Service Unavailable", "not_json"),
    ],
)
def test_bad_bodies_are_classified(body: bytes, reason: str) -> None:
    with pytest.raises(BadJSON) as raised:
        decode(body)
    assert raised.value.reason == reason


def test_every_real_error_body_is_classified() -> None:
    folder = shared_path("wp-fixtures", "rest", "errors")
    index = json.loads((folder / "INDEX.json").read_text())
    for entry in index:
        body = (folder / entry["file"]).read_bytes()
        try:
            data = decode(body).data
        except BadJSON:
            assert not entry["valid_json"], entry["file"]
            continue
        code = error_code(data)
        assert code is not None and code.startswith("rest_"), entry["file"]


@given(st.binary(max_size=2000))
def test_decode_raises_only_badjson(body: bytes) -> None:
    with contextlib.suppress(BadJSON):
        decode(body)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(st.lists(_JSON_VALUES, max_size=5), st.booleans())
def test_decode_reads_what_json_reads(value: list[object], ascii_only: bool) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    assert decode(body).data == json.loads(body)


def test_integers_beyond_64_bits_stay_exact() -> None:
    body = b'[{"id": 18446744073709551616, "n": -9223372036854775809, "x": 1e400}]'
    assert decode(body).data == [{"id": 2**64, "n": -(2**63) - 1, "x": float("inf")}]


@pytest.mark.parametrize("depth", [1025, 100_000])
@pytest.mark.parametrize("long_number", [False, True], ids=["orjson", "json"])
def test_deep_nesting_is_bad_json_not_a_recursion_error(depth: int, long_number: bool) -> None:
    inner = b"12345678901234567890123" if long_number else b"1"
    with pytest.raises(BadJSON) as raised:
        decode(b"[" * depth + inner + b"]" * depth)
    assert raised.value.reason == "too_deep"


def test_a_page_nested_like_real_wordpress_still_decodes() -> None:
    assert decode(b"[" * 1000 + b"]" * 1000).data is not None
