"""``scrapy changes`` over both crawl paths, per subject, with field changes, robots.txt
and push: one shared world of real crawls (in process), read as users read it.

The world: the sample WordPress site (REST path) and a Hugo site (fallback path, its
sitemap), listed with a member, party and constituency each, crawled; then on the sample
site an edit, a hide, a delete, a new post with a video, a category removed, a post made
private and back-dated, a title with a control character and a new robots.txt Disallow
line; on the Hugo site a removed and an edited page; crawled again; then a quiet night.
"""

from __future__ import annotations

import asyncio
import email
import json
import shutil
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser
import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.read import connect
from mpcrawl.sample.server import SampleSite
from tests.faultserver import FaultProxy, Rule
from tests.hugo.site import HugoSite
from tests.inprocess import command, wp_crawler
from tests.shared import REPO

VIDEO = (
    '<figure class="wp-block-embed is-type-video is-provider-youtube"><div class="wp-block-'
    'embed__wrapper"><iframe title="Budget" src="https://www.youtube.com/embed/dQw4w9WgXcQ'
    '?feature=oembed"></iframe></div></figure>'
)
# Apprise checks for imghdr (for PGPy), which Python 3.11 flags as deprecated on import.
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")
CLOSED = (
    b'{"code":"rest_login_required","message":"REST API restricted to authenticated users.",'
    b'"data":{"status":401}}'
)
CONTROL = "Budget\x01 figures"


@dataclass
class World:
    night2: Path  # the archive as it was after the second run (the changes)
    quiet: Path  # the same after a third run that found nothing
    rest_site: str
    web_site: str
    edited: int
    hidden: int
    deleted: int
    recategorised: int
    private: int
    web_removed: str
    web_edited: str
    control: int
    new: int


def crawl(archive: Path, **args: str) -> None:
    """One real crawl in this process (tests/inprocess.py)."""
    crawler = wp_crawler(archive)
    asyncio.run(crawler.crawl_async(**args))


def changes(archive: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``scrapy changes ARGS -s MPCRAWL_ARCHIVE=archive`` in this process
    (:func:`tests.inprocess.command`); :func:`test_cron_runs_the_command_as_a_user_does`
    runs one process."""
    return command("changes", "-s", f"MPCRAWL_ARCHIVE={archive}", *args)


def digest(archive: Path, *args: str) -> dict[str, Any]:
    result = changes(archive, "--format", "json", *args)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def digest_json(archive: Path, *args: str) -> list[dict[str, Any]]:
    """Every change of the JSON digest, all sites together."""
    return [c for s in digest(archive, *args)["sites"] for c in s["changes"]]


def told(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {s["site"]: s["changes"] for s in doc["sites"]}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("changes")
    archive = root / "archive"
    with SampleSite() as wp, HugoSite(root / "hugo", pages=12) as hugo:
        sites = (
            "url,name,party,constituency,member_id\n"
            f"{wp.url},Sarah Pennington,Labour,Wold Valley,4001\n"
            f"{hugo.url},Tom Field,Green Party,Kelsford,4002\n"
        )
        crawl(archive, sites_csv=sites)
        ids = wp.post_ids()
        edited, hidden, deleted, recategorised, private, control = (
            ids[10], ids[20], ids[30], ids[40], ids[50], ids[60]
        )  # fmt: skip
        wp.edit_post(edited, title="Figures corrected", content="<p>The figures were wrong.</p>")
        wp.hide_post(hidden)
        wp.delete_post(deleted)
        post = wp.get_post(recategorised)
        assert post is not None and post["categories"]
        wp.edit_post(recategorised, fields={"categories": post["categories"][1:]})
        was = wp.get_post(private)
        assert was is not None
        wp.edit_post(private, fields={"status": "private", "date_gmt": "2020-01-01T09:00:00"})
        wp.edit_post(control, title=CONTROL, content=f"<p>{CONTROL}</p>")
        new = wp.add_post(title="Budget questions", content=f"<p>Watch.</p>{VIDEO}")
        wp.robots_txt += "Disallow: /?p=1\n"
        removed = hugo.remove("school-funding-2")
        page = hugo.pages["rail-safety-3"]
        hugo.pages[page.slug] = replace(
            page,
            title="Rail safety, corrected",
            body=page.body.replace("keep pressing", "never stop pressing"),
            date=page.date + timedelta(days=1),  # a new lastmod: the sitemap says it changed
        )
        hugo.build()
        crawl(archive, sites_csv=sites)
        night2 = root / "night2"
        shutil.copytree(archive, night2)
        crawl(archive, sites_csv=sites)
        rest_site, web_site = (
            s
            for (s,) in connect(str(archive))
            .sql("SELECT site FROM sites_latest ORDER BY name")
            .fetchall()
        )  # Sarah Pennington, Tom Field
        yield World(
            night2, archive, rest_site, web_site, edited, hidden, deleted, recategorised,
            private, hugo.url + removed.path, hugo.url + page.path, control, new,
        )  # fmt: skip


def test_both_paths_are_told_in_text_json_and_atom(world: World, tmp_path: Path) -> None:
    found = told(digest(world.night2))
    rest = {(c["kind"], c["post_id"]) for c in found[world.rest_site]}
    assert {
        ("edited", world.edited),
        ("hidden", world.hidden),
        ("deleted", world.deleted),
        ("edited", world.recategorised),
        ("edited", world.private),
        ("new", world.new),
    } <= rest
    new = next(c for c in found[world.rest_site] if c["kind"] == "new")
    assert [v["video_id"] for v in new["videos"]] == ["dQw4w9WgXcQ"]
    web = {(c["kind"], c["link"]): c for c in found[world.web_site]}
    assert set(web) == {("deleted", world.web_removed), ("edited", world.web_edited)}
    edit = web[("edited", world.web_edited)]
    assert edit["path"] == "web" and edit["title"] == "Rail safety, corrected"
    assert any(line.startswith("+") and "never stop pressing" in line for line in edit["diff"])
    assert edit["previous_title"] == "Update on rail safety (3)"

    text = changes(world.night2).stdout.decode()
    block = text.split(f"{world.web_site}: ", 1)[1].split("\n\n", 1)[0]
    assert "  deleted     page /posts/school-funding-2/: Update on school funding (2)" in block
    assert "  edited      page /posts/rail-safety-3/: Rail safety, corrected" in block
    assert "title was: Update on rail safety (3)" in block

    feed_file = tmp_path / "changes.xml"
    assert changes(world.night2, "--format", "atom", "-o", str(feed_file)).returncode == 0
    feed = feedparser.parse(feed_file.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    ids = {c["entry_id"] for cs in found.values() for c in cs}
    assert {e.id for e in feed.entries} >= ids  # and the first crawls of the last 30 days
    times = [e.updated_parsed for e in feed.entries]
    assert times == sorted(times, reverse=True)  # newest first


def test_a_fallback_sites_first_crawl_is_told(world: World) -> None:
    first = digest(world.night2, "--since", "2000-01-01", "--site", world.web_site)
    (crawl_entry,) = [c for c in told(first)[world.web_site] if c["kind"] == "first_crawl"]
    assert crawl_entry["source"] == "sitemap" and crawl_entry["counts"]["post"] == 12
    text = changes(world.night2, "--since", "2000-01-01", "--site", world.web_site).stdout
    assert b"first crawl 12 posts, 1 video archived from its sitemap" in text


def test_which_fields_changed_is_told_in_words(world: World) -> None:
    found = {c["post_id"]: c for c in told(digest(world.night2))[world.rest_site]}
    private = [f["text"] for f in found[world.private]["fields"]]
    assert "status: publish → private" in private
    assert any(t.startswith("date: back-dated by ") for t in private)
    recategorised = [f["text"] for f in found[world.recategorised]["fields"]]
    assert len(recategorised) == 1 and recategorised[0].startswith("categories removed: ")
    assert "#" not in recategorised[0]  # told by name, from the archived terms
    assert found[world.edited]["fields"] == []  # a text edit: the diff says it all
    text = changes(world.night2).stdout.decode()
    assert "              status: publish → private" in text.splitlines()


def test_after_a_quiet_night_the_atom_feed_still_holds_the_changes(world: World) -> None:
    assert changes(world.quiet).stdout == b""  # cron mails nothing
    night2 = {c["entry_id"] for cs in told(digest(world.night2)).values() for c in cs}
    feed = feedparser.parse(changes(world.quiet, "--format", "atom").stdout)
    assert not feed.bozo, feed.bozo_exception
    assert night2 <= {e.id for e in feed.entries}
    again = feedparser.parse(changes(world.quiet, "--format", "atom").stdout)
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]  # stable ids
    # --days 0 is refused; a window that ends before the changes holds none of them
    assert changes(world.quiet, "--format", "atom", "--days", "0").returncode == 2


def test_a_control_character_is_replaced_and_the_entry_says_so(world: World) -> None:
    feed = feedparser.parse(changes(world.night2, "--format", "atom").stdout)
    assert not feed.bozo, feed.bozo_exception
    (entry,) = [e for e in feed.entries if e.title.endswith("Budget\ufffd figures")]
    assert "characters XML cannot carry were replaced" in entry.content[0].value
    doc = digest(world.night2)
    assert any(c["title"] == CONTROL for cs in told(doc).values() for c in cs)  # JSON keeps it


def test_feeds_per_subject(world: World, tmp_path: Path) -> None:
    party = told(digest(world.night2, "--party", "green party"))
    assert set(party) == {world.web_site}
    member = told(digest(world.night2, "--member", "4001"))
    assert set(member) == {world.rest_site}
    assert told(digest(world.night2, "--constituency", "Nowhere")) == {}

    out = tmp_path / "feeds"
    result = changes(world.quiet, "--format", "atom", "--split-by", "party", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert sorted(p.name for p in out.iterdir()) == [
        "feeds.opml", "party-green-party.xml", "party-labour.xml"
    ]  # fmt: skip
    green = feedparser.parse((out / "party-green-party.xml").read_bytes())
    assert green.entries and all(e.title.startswith(world.web_site) for e in green.entries)
    labour = feedparser.parse((out / "party-labour.xml").read_bytes())
    assert labour.entries and all(e.title.startswith(world.rest_site) for e in labour.entries)
    outlines = ET.parse(out / "feeds.opml").getroot().findall("./body/outline")
    assert sorted(o.get("xmlUrl") for o in outlines) == [
        "party-green-party.xml",
        "party-labour.xml",
    ]


def test_a_new_disallow_line_is_told_and_hides_nothing(world: World) -> None:
    found = told(digest(world.night2))[world.rest_site]
    (robots,) = [c for c in found if c["kind"] == "robots"]
    assert robots["disallowed"] == ["/?p=1"]
    assert robots["covered_count"] > 0
    assert all("/?p=1" in url for url in robots["covered"])
    con = connect(str(world.quiet))
    live = con.sql("SELECT count(*) FROM publications WHERE url LIKE '%/?p=1%'").fetchall()[0][0]
    assert live >= robots["covered_count"] - 2  # the hidden and deleted ones are gone anyway


class _Hook(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]]

    def do_POST(self) -> None:
        size = int(self.headers["Content-Length"])
        self.bodies.append(json.loads(self.rfile.read(size)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_notify_sends_one_message_per_changed_site(world: World) -> None:
    from aiosmtpd.controller import Controller

    mails: list[Any] = []

    class Inbox:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            mails.append(envelope)
            return "250 OK"

    smtp = Controller(Inbox(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    hook = ThreadingHTTPServer(("127.0.0.1", 0), type("Hook", (_Hook,), {"bodies": []}))
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        mailto = (
            f"mailto://127.0.0.1:{smtp.port}?mode=insecure"
            "&from=mpcrawl@example.org&to=desk@example.org"
        )
        webhook = f"json://127.0.0.1:{hook.server_address[1]}/hook"
        result = changes(world.night2, "--notify", mailto, "--notify", webhook)
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        assert f"{world.web_site}: 2 changes since ".encode() in result.stdout  # still printed
        subjects = [str(email.message_from_bytes(m.content)["Subject"]) for m in mails]
        rest = len(told(digest(world.night2))[world.rest_site])
        assert sorted(subjects) == sorted(
            [
                f"{world.rest_site} (Sarah Pennington, Labour, Wold Valley): {rest} changes",
                f"{world.web_site} (Tom Field, Green Party, Kelsford): 2 changes",
            ]
        )
        bodies = hook.RequestHandlerClass.bodies  # type: ignore[attr-defined]
        assert len(bodies) == 2 and "deleted     page /posts/school-funding-2/" in str(bodies)

        # nothing changed: nothing sent; a send that fails: one line, exit 1, digest printed
        mails.clear()
        assert changes(world.quiet, "--notify", mailto).returncode == 0 and not mails
        dead = f"json://127.0.0.1:{free_port()}/hook"
        failed = changes(world.night2, "--notify", dead)
        assert failed.returncode == 1 and failed.stdout
        assert failed.stderr.decode().splitlines() == [
            f"--notify json://127.0.0.1:{dead.split(':')[2].split('/')[0]}: "
            f"sending {site}'s digest failed"
            for site in sorted((world.rest_site, world.web_site))
        ]
    finally:
        smtp.stop()
        hook.shutdown()
        hook.server_close()


def test_the_report_counts_publications_videos_and_turns_of_both_paths(
    world: World, tmp_path: Path
) -> None:
    from mpcrawl.read.report import build_report
    from tests.test_report import Page, number

    page = Page(build_report(str(world.quiet)))  # what `scrapy report` writes
    active = page.table("Most active sites")
    rows = {r[0].split()[0]: dict(zip(active.headers, r, strict=True)) for r in active.rows}
    con = connect(str(world.quiet))
    for name, site in (("Sarah", world.rest_site), ("Tom", world.web_site)):
        want = con.execute(
            "SELECT string_agg(DISTINCT source), count(*) FILTER (coalesce(post_type, 'post') = "
            "'post'), (SELECT count(*) FROM publication_embeds e WHERE e.site = $s), "
            "(SELECT count(*) FROM publication_turns t WHERE t.site = $s) "
            "FROM publications WHERE site = $s",
            {"s": site},
        ).fetchall()[0]
        row = rows[name]
        got = (row["source"], number(row["posts"]), number(row["videos"]))
        assert (*got, number(row["speaker turns"])) == want
    assert rows["Tom"]["source"] == "sitemap" and number(rows["Tom"]["posts"]) == 11
    assert number(rows["Tom"]["videos"]) == 1
    gone = page.table("Latest tombstones")
    assert any(world.web_removed in " ".join(map(str, r)) for r in gone.links + gone.rows)


def test_a_rest_sites_first_crawl_counts_what_it_archived(world: World) -> None:
    found = told(digest(world.night2, "--since", "2000-01-01", "--site", world.rest_site))
    (first,) = [c for c in found[world.rest_site] if c["kind"] == "first_crawl"]
    con = connect(str(world.night2))
    posts_new = con.execute(
        "SELECT posts_new FROM runs WHERE run_id = ? AND site = ?",
        [first["run_id"], world.rest_site],
    ).fetchall()[0][0]
    assert first["counts"]["post"] + first["counts"]["page"] == posts_new
    assert first["counts"]["videos"] > 0 and first["counts"]["speaker turns"] > 0


def test_more_changes_than_the_limit_are_counted(world: World) -> None:
    (site,) = digest(world.night2, "--limit", "1", "--site", world.rest_site)["sites"]
    edits = len([c for c in told(digest(world.night2))[world.rest_site] if c["kind"] == "edited"])
    assert [c["kind"] for c in site["changes"]].count("edited") == 1
    assert site["omitted"]["edited"] == edits - 1 > 0
    text = changes(world.night2, "--limit", "1", "--site", world.rest_site).stdout.decode()
    assert f"  … and {edits - 1} more edits" in text.splitlines()
    typo = changes(world.night2, "--site", "another.example.org")  # never an empty mail
    assert typo.returncode == 2 and typo.stdout == b""
    assert typo.stderr.decode().startswith(
        f"scrapy changes: error: unknown site another.example.org; {world.night2} holds: "
    )


def test_cron_runs_the_command_as_a_user_does(world: World) -> None:
    """One real process prints what the in-process runs print."""
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "changes", "-s", f"MPCRAWL_ARCHIVE={world.night2}"],
        cwd=REPO, capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == changes(world.night2).stdout


def test_a_site_that_closes_its_api_is_an_outcome_change(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    # five posts: once the API is closed, the fallback reads every page of the site
    with SampleSite(posts=5) as site, FaultProxy(site.url) as proxy:
        crawl(archive, site=proxy.url)
        proxy.rules.append(Rule("wp/v2/posts", status=401, body=CLOSED))
        crawl(archive, site=proxy.url)
    found = digest_json(archive)
    outcome = [c for c in found if c["kind"] == "outcome"]
    assert [(c["previous_outcome"], c["outcome"]) for c in outcome] == [("ok", "rest_closed")]
    assert "rest_login_required" in outcome[0]["reason"]
    assert "  outcome     ok → rest_closed" in changes(archive).stdout.decode().splitlines()


def test_bad_arguments_are_usage_errors(archive: Path, tmp_path: Path) -> None:
    assert changes(archive).returncode == 2  # no archive there
    tmp_path.joinpath("folder").mkdir()
    not_archive = changes(tmp_path / "folder")
    assert not_archive.returncode == 2 and b"no archive there" in not_archive.stderr
    empty = tmp_path / "empty"
    ArchiveWriter(ArchiveLocation.parse(str(empty)), "r0").close()  # an archive, no rows yet
    assert changes(empty).returncode == 0 and changes(empty).stdout == b""
    bad = changes(empty, "--since", "last tuesday")
    assert bad.returncode == 2 and b"not an ISO 8601 date" in bad.stderr
    assert changes(empty, "--since", "2026-12-02", "--until", "2026-12-01").returncode == 2
    assert changes(empty, "--split-by", "party").returncode == 2  # needs --format atom -o DIR
    assert changes(empty, "--days", "3", "--since", "2026-12-01").returncode == 2
