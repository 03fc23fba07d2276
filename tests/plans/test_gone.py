"""What an answer about an archived page says on the fallback path (mpcrawl.plans.gone)."""

from __future__ import annotations

import pytest

from mpcrawl.plans.gone import gone_reason, is_login, page_form


@pytest.mark.parametrize(
    ("status", "location", "reason"),
    [
        (404, None, "deleted"),
        (410, None, "deleted"),
        (401, None, "hidden"),
        (403, None, "hidden"),
        (302, "https://ex.org/wp-login.php?redirect_to=%2Fx%2F", "hidden"),
        (302, "https://ex.org/user/login?destination=node/5", "hidden"),
        (302, "https://ex.org/?q=user/login&destination=node/5", "hidden"),
        (301, "https://ex.org/renamed/", "redirected"),
        (302, None, "redirected"),
        (200, None, None),
        (500, None, None),
    ],
)
def test_an_answer_says_gone_hidden_redirected_or_nothing(
    status: int, location: str | None, reason: str | None
) -> None:
    assert gone_reason(status, location) == reason


def test_login_pages_and_pages_named_like_them() -> None:
    assert is_login("https://ex.org/wp-login.php")
    assert is_login("https://ex.org/blog/wp-login.php?redirect_to=x")
    assert not is_login("https://ex.org/how-to-login/")
    assert not is_login("https://ex.org/user/login-help/")


def test_a_page_in_another_scheme_or_www_form_is_the_same_page() -> None:
    assert page_form("http://www.ex.org/a/?p=1") == page_form("https://ex.org/a/?p=1")
    assert page_form("https://ex.org/a/") != page_form("https://ex.org/b/")
    assert page_form("https://ex.org") == page_form("https://ex.org/")
