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
