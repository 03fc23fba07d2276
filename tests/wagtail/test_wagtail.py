"""The small real Wagtail site archived by ``scrapy crawl wp``, in process.

Its home, news index, contact form and gallery index are listings, never publications;
8 of its 20 posts print no date (the footer's "© 2019" is not one); the others print it
as dd/mm/yyyy under ``<html lang="en-GB">``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.wagtail.wagtailserver import Wagtail
from tests.web.figures import Truth, measure

pytestmark = pytest.mark.slow


def truth(site: Wagtail) -> list[Truth]:
    return [
        Truth(
            p["path"],
            datetime.fromisoformat(p["date"]).replace(tzinfo=UTC) if p["date"] else None,
            p["body"],
        )
        for p in site.manifest["pages"]
        if not p["listing"]
    ]


def test_wagtail_site(wagtail_site: Wagtail, tmp_path: Path) -> None:
    want = truth(wagtail_site)
    assert len(want) == 20 and sum(1 for t in want if t.date_gmt is None) == 8
    # the default crawl: types= names WordPress types, a Wagtail post's type is its page type
    f = measure(tmp_path / "archive", wagtail_site.url, want)
    print(f.line("wagtail"))
    assert (f.found, f.listings_archived) == (20, 0)
    assert f.date_wrong == 0 and f.date_exact == 12 and f.undated_null == 8
    assert f.types == 20
    assert f.similar_99 == 20
