"""``-a types=`` with WordPress 7.1's own internal types: skipped with a warning each, the
site still ``ok``."""

from __future__ import annotations

from pathlib import Path

from mpcrawl.sample.server import SampleSite
from tests.crawl import read
from tests.inprocess import crawl


def test_types_a_site_lists_but_cannot_serve_are_skipped(
    sample_site: SampleSite, archive: Path
) -> None:
    sample_site.list_block_theme_types()
    result = crawl(
        archive,
        f"site={sample_site.url}",
        "types=posts,wp_font_face,wp_global_styles,font-families",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    warnings = [line for line in result.stderr.splitlines() if "] WARNING: " in line]
    assert len(warnings) == 3, warnings
    for name in ("wp_font_face", "wp_global_styles", "font-families"):
        assert sum(f"'{name}'" in line for line in warnings) == 1, (name, warnings)
    con = read(archive)
    assert con.sql("SELECT outcome, errors FROM runs").fetchall() == [("ok", 0)]
    assert con.sql("SELECT DISTINCT post_type FROM posts").fetchall() == [("post",)]
    # The pattern was never requested; the two others once each, anonymously.
    assert not [r for r in sample_site.requests if "font-faces" in r]
    assert sample_site.count("/wp/v2/font-families") == 1
    assert sample_site.count("/wp/v2/global-styles") == 1
