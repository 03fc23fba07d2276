"""Archives of the real WordPress, crawled once per session, for tests that read them.

In ``tests/conftest.py``::

    from tests.wordpress.archives import (  # noqa: F401
        closed_wordpress_archive,
        credentialed_wordpress_archive,
        wordpress_archives,
        wordpress_edited_site,
    )

Read them; copy one (``shutil.copytree``) before crawling it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.crawl import read, scalar
from tests.inprocess import Run, crawl
from tests.wordpress.wpserver import Instance, WordPress

__all__ = [
    "ClosedWordPressArchive",
    "CredentialedWordPress",
    "EditedWordPress",
    "closed_wordpress_archive",
    "credentialed_wordpress_archive",
    "wordpress_archives",
    "wordpress_edited_site",
]


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


@dataclass(frozen=True)
class ClosedWordPressArchive:
    """The seeded site with its REST API closed (``closed-pretty``), crawled once through
    the fallback with WARC and page capture on: what the fallback tests and the WARC tests
    both read (a fallback page is its own capture; only its requisites cost requests)."""

    instance: Instance
    archive: Path  # read it; copy it before crawling it again
    run: Run

    @property
    def stats(self) -> dict[str, Any]:
        return self.run.stats

    @property
    def capture_requests(self) -> int:
        """The requests page capture added: the requisites (the pages are the crawl's)."""
        return int(self.stats.get("mpcrawl/capture/requisites", 0))


@pytest.fixture(scope="session")
def closed_wordpress_archive(
    closed_wordpress: dict[str, Instance], tmp_path_factory: pytest.TempPathFactory
) -> ClosedWordPressArchive:
    instance = closed_wordpress["closed-pretty"]
    archive = tmp_path_factory.mktemp("closed_wordpress") / "archive"
    run = crawl(archive, f"site={instance.url}", MPCRAWL_WARC="True", MPCRAWL_CAPTURE_PAGES="True")
    assert run.returncode == 0, run.stderr[-3000:]
    return ClosedWordPressArchive(instance, archive, run)


@dataclass(frozen=True)
class CredentialedWordPress:
    """A WordPress fork crawled once with the administrator's application password (a
    netrc file) and WARC on: revisions are read; the password must be nowhere."""

    instance: Instance  # stopped after the crawl: its manifest and credentials remain
    archive: Path  # read it; copy it before crawling it again
    run: Run


@pytest.fixture(scope="session")
def credentialed_wordpress_archive(
    wordpress: WordPress, tmp_path_factory: pytest.TempPathFactory
) -> CredentialedWordPress:
    # A fork: rendering revisions as a logged-in user makes an offline WordPress overwrite
    # the post's oEmbed cache with "{{unknown}}" (update_post_meta maps a revision to its
    # parent), which would change what the shared read-only sites serve.
    folder = tmp_path_factory.mktemp("credentialed")
    instance = wordpress.fork("credentialed")
    try:
        login, password = instance.auth
        netrc = folder / "netrc"
        netrc.write_text(f"machine 127.0.0.1:{instance.port} login {login} password {password}\n")
        netrc.chmod(0o600)
        archive = folder / "archive"
        run = crawl(archive, f"site={instance.url}", MPCRAWL_NETRC=str(netrc), MPCRAWL_WARC="True")
        assert run.returncode == 0, run.stderr[-3000:]
    finally:
        wordpress.stop_instance(instance, drop=True)
    return CredentialedWordPress(instance, archive, run)
