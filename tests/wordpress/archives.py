"""Archives of the real WordPress, crawled once per session, for tests that read them.

In ``tests/conftest.py``::

    from tests.wordpress.archives import wordpress_archives, wordpress_edited_site  # noqa: F401

Read them; copy one (``shutil.copytree``) before crawling it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.crawl import read, scalar
from tests.inprocess import crawl
from tests.wordpress.wpserver import Instance, WordPress

__all__ = ["EditedWordPress", "wordpress_archives", "wordpress_edited_site"]


@pytest.fixture(scope="session")
def wordpress_archives(
    wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """One crawl of each permalink form of the seeded WordPress (read them, never crawl)."""
    result = {}
    for name, instance in (("pretty", wordpress.pretty), ("plain", wordpress.plain)):
        archive = tmp_path_factory.mktemp(name) / "archive"
        run = crawl(archive, f"site={instance.url}")
        assert run.returncode == 0, run.stderr[-3000:]
        result[name] = archive
    return result


@dataclass(frozen=True)
class EditedWordPress:
    """A WordPress fork crawled, then edited, trashed and deleted, then crawled again."""

    instance: Instance  # unchanged since the second crawl, served for the session
    archive: Path  # read it; copy it before crawling it again
    edited: int
    trashed: int
    deleted: int
    posts_files_before: int  # rows of posts_files after the first crawl


@pytest.fixture(scope="session")
def wordpress_edited_site(
    wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EditedWordPress]:
    from tests.test_real_wordpress import _crawl_then_edit_trash_delete

    archive = tmp_path_factory.mktemp("wordpress_edited") / "output"
    instance = wordpress.fork("edited")
    try:
        edited, trashed, deleted = _crawl_then_edit_trash_delete(instance, archive)
        before = int(scalar(read(archive), "SELECT count(*) FROM posts_files"))  # type: ignore[arg-type]
        result = crawl(archive, f"site={instance.url}")
        assert result.returncode == 0, result.stderr[-3000:]
        yield EditedWordPress(instance, archive, edited, trashed, deleted, before)
    finally:
        wordpress.stop_instance(instance, drop=True)
