"""Revisions backfill on the real WordPress: credentials added after the first crawl bring
every revision in, each once, and a later run asks for none."""

from __future__ import annotations

from pathlib import Path

from tests.crawl import read, scalar
from tests.inprocess import crawl
from tests.test_changes import digest_json
from tests.wordpress.wpserver import Instance


def test_credentials_added_later_backfill_every_revision_once(
    wordpress_fork: Instance, tmp_path: Path
) -> None:
    # A fork: see test_revisions_with_an_application_password for why.
    instance, archive = wordpress_fork, tmp_path / "archive"
    login, password = instance.auth
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1:{instance.port} login {login} password {password}\n")
    netrc.chmod(0o600)
    site = f"site={instance.url}"
    assert crawl(archive, site).returncode == 0
    assert scalar(read(archive), "SELECT count(*) FROM revisions") == 0

    backfill = crawl(archive, site, MPCRAWL_NETRC=str(netrc))
    assert backfill.returncode == 0, backfill.stderr[-3000:]
    con = read(archive)
    expected = scalar(con, "SELECT sum(revision_count) FROM posts_latest WHERE revision_count > 0")
    assert expected and scalar(con, "SELECT count(*) FROM revisions") == expected
    assert scalar(con, "SELECT count(DISTINCT (post_id, revision_id)) FROM revisions_files") == (
        expected
    )
    seed = con.sql("SELECT revision_id FROM revisions WHERE post_id = 4407 ORDER BY 1 DESC")
    assert [r[0] for r in seed.fetchall()] == instance.manifest["revision_ids"]["seed_post"]
    with_revisions = scalar(con, "SELECT count(*) FROM posts_latest WHERE revision_count > 0")
    digest = digest_json(archive, "--limit", "1000")
    assert {c["kind"] for c in digest} == {"revisions"}
    assert sum(c["revisions"] for c in digest) == expected
    assert len(digest) == with_revisions

    third = crawl(archive, site, MPCRAWL_NETRC=str(netrc))
    assert third.returncode == 0, third.stderr[-3000:]
    runs = (
        read(archive)
        .sql("SELECT requests, revisions_new FROM runs ORDER BY finished_at")
        .fetchall()
    )
    # One revisions request per post with revisions (each has fewer than 100), and a third
    # run costs what the backfill run cost without them: no revisions request at all.
    assert runs[1][1] == expected and runs[2][1] == 0
    assert runs[1][0] - runs[2][0] == with_revisions
    assert scalar(read(archive), "SELECT count(*) FROM revisions_files") == expected
