"""Posts that come back: hidden then restored unchanged (sample site), trashed then untrashed
(real WordPress). The archive records the return, the views show the post again, the
digest says it is back, and nothing is recorded twice."""

from __future__ import annotations

from pathlib import Path

from mpcrawl.read.report import build_report
from mpcrawl.sample.server import SampleSite
from tests.crawl import read, scalar
from tests.inprocess import crawl
from tests.test_changes import changes, digest_json
from tests.test_real_wordpress import _rest
from tests.test_report import Page, number
from tests.wordpress.wpserver import Instance

HISTORY = "Edits and deletions per month"


def live_ids(archive: Path) -> set[int]:
    return {r[0] for r in read(archive).sql("SELECT id FROM posts_latest").fetchall()}


def test_a_hidden_post_restored_unchanged_is_live_again(
    sample_site: SampleSite, archive: Path
) -> None:
    site = f"site={sample_site.url}"
    assert crawl(archive, site).returncode == 0
    pid = sample_site.post_ids()[20]
    modified = sample_site.get_post(pid)["modified_gmt"]  # type: ignore[index]
    sample_site.hide_post(pid)
    assert crawl(archive, site).returncode == 0
    assert pid not in live_ids(archive)
    versions = scalar(read(archive), "SELECT count(*) FROM posts_files")

    sample_site.restore_post(pid)
    assert sample_site.get_post(pid)["modified_gmt"] == modified  # type: ignore[index]
    result = crawl(archive, site)
    assert result.returncode == 0, result.stderr[-3000:]
    con = read(archive)
    assert scalar(con, "SELECT count(*) FROM posts_files") == versions  # no new version
    assert con.sql(
        f"SELECT reason FROM tombstones WHERE id = {pid} ORDER BY detected_at"
    ).fetchall() == [
        ("hidden",),
        ("returned",),
    ]
    assert pid in live_ids(archive)
    (gone,) = con.sql(f"SELECT reason, returned_at FROM deleted_posts WHERE id = {pid}").fetchall()
    back_at = scalar(con, "SELECT detected_at FROM tombstones WHERE reason = 'returned'")
    assert gone == ("hidden", back_at)
    found = digest_json(archive)
    assert [(c["kind"], c["post_id"]) for c in found] == [("back", pid)]
    assert f"  back        post {pid}: " in changes(archive).stdout.decode()
    page = Page(build_report(str(archive)))
    assert [sum(map(number, page.column(HISTORY, k))) for k in ("hidden", "back")] == [1, 1]
    assert page.column("Latest tombstones", "back since (UTC)") != ["–"]

    # Seen again, still there: no second row; hidden again later: a new tombstone.
    assert crawl(archive, site).returncode == 0
    assert scalar(read(archive), "SELECT count(*) FROM tombstones_files") == 2
    sample_site.hide_post(pid)
    assert crawl(archive, site).returncode == 0
    assert pid not in live_ids(archive)
    assert [(c["kind"], c["post_id"]) for c in digest_json(archive)] == [("hidden", pid)]


def test_a_trashed_post_untrashed_on_the_real_wordpress(
    wordpress_fork: Instance, tmp_path: Path
) -> None:
    instance, archive = wordpress_fork, tmp_path / "archive"
    assert crawl(archive, f"site={instance.url}").returncode == 0
    pid = instance.manifest["sticky"]
    _rest(instance, "DELETE", f"/wp/v2/posts/{pid}")
    assert crawl(archive, f"site={instance.url}").returncode == 0
    assert pid not in live_ids(archive)
    _rest(instance, "POST", f"/wp/v2/posts/{pid}", {"status": "publish"})
    result = crawl(archive, f"site={instance.url}")
    assert result.returncode == 0, result.stderr[-3000:]
    con = read(archive)
    reasons = con.sql(f"SELECT reason FROM tombstones WHERE id = {pid} ORDER BY detected_at")
    assert reasons.fetchall() == [("hidden",), ("returned",)]
    assert pid in live_ids(archive)
    assert scalar(con, f"SELECT returned_at IS NOT NULL FROM deleted_posts WHERE id = {pid}")
    # Untrashing moved modified_gmt; title and text are as before, but WordPress unsticks a
    # post it trashes, so the new version is told by the one field that changed.
    told = digest_json(archive)
    assert [(c["kind"], c["post_id"]) for c in told] == [("back", pid), ("edited", pid)]
    assert [f["text"] for f in told[1]["fields"]] == ["sticky: true → false"]
    assert told[1]["diff"] == []
