"""A new user's mistakes: each is one line naming it, a non-zero exit before any request,
and nothing written. Each is a usage error, so Scrapy's command line in this process
(:func:`tests.inprocess.command`); a real ``scrapy`` process prints the same lines."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.writer import ArchiveWriter
from mpcrawl.sample.server import SampleSite
from mpcrawl.schemas import TABLES
from tests.crawl import crawl, read, scalar
from tests.inprocess import command
from tests.shared import REPO

SITE = "site=http://127.0.0.1:9"  # nothing listens there: a request would fail, not hang


def scrapy(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        # as a user's shell runs it: no SCRAPY_SETTINGS_MODULE left by in-process commands
        env={**{k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}}
        | {"PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding one site's run, written without a crawl."""
    root = tmp_path_factory.mktemp("held") / "archive"
    writer = ArchiveWriter(ArchiveLocation.parse(str(root)), "r0")
    writer.write(
        "sites", {"site": "www.example-mp.org.uk", "url": "https://www.example-mp.org.uk/"}
    )
    writer.close()
    return root


def mistakes(tmp: Path, held: Path) -> list[tuple[str, list[str], str]]:
    """(what the user got wrong, the command, the one line it now prints)."""
    netrc, a_file = tmp / "netrc", tmp / "a-file"
    typo = tmp / "typo"
    to = ["-s", f"MPCRAWL_ARCHIVE={typo}"]
    return [
        (
            "setting typo",
            ["crawl", "wp", "-a", SITE, *to, "-s", "MPCRAWL_ARCHVE=x"],
            "scrapy crawl: error: unknown setting MPCRAWL_ARCHVE; did you mean MPCRAWL_ARCHIVE?",
        ),
        (
            "setting typo, singular",
            ["crawl", "wp", "-a", SITE, *to, "-s", "MPCRAWL_FILE_ROW=5"],
            "scrapy crawl: error: unknown setting MPCRAWL_FILE_ROW; "
            "did you mean MPCRAWL_FILE_ROWS?",
        ),
        (
            "boolean spelled oddly",
            ["crawl", "wp", "-a", SITE, *to, "-a", "full=maybe"],
            "scrapy crawl: error: -a full=maybe: give 1/0, true/false, yes/no or on/off",
        ),
        (
            "boolean abbreviated",
            ["crawl", "wp", "-a", SITE, *to, "-a", "discover=y"],
            "scrapy crawl: error: -a discover=y: give 1/0, true/false, yes/no or on/off",
        ),
        (
            "wrong spider name",
            ["crawl", "mp", "-a", SITE, *to],
            "scrapy crawl: error: no spider 'mp'; the spiders are: wp",
        ),
        (
            "JOBDIR",
            ["crawl", "wp", "-a", SITE, *to, "-s", f"JOBDIR={tmp / 'job'}"],
            "scrapy crawl: error: -s JOBDIR is not supported: each site's progress is kept in "
            "memory, which a disk queue cannot carry; run scrapy crawl again instead, it goes "
            "on from what the archive holds",
        ),
        (
            "feed format that cannot hold posts",
            ["crawl", "wp", "-a", SITE, *to, "-o", f"{tmp / 'posts.marshal'}"],
            f"scrapy crawl: error: -o {tmp / 'posts.marshal'}: marshal cannot hold dates; use "
            ".jsonl, .csv, .json, .xml or .parquet (posts only)",
        ),
        (
            "unsupported archive scheme",
            ["crawl", "wp", "-a", SITE, "-s", "MPCRAWL_ARCHIVE=nosuch://x"],
            "scrapy crawl: error: MPCRAWL_ARCHIVE=nosuch://x: nosuch:// is not supported; "
            "give a folder or s3://bucket/prefix",
        ),
        (
            "cloud scheme not supported",
            ["report", "-s", "MPCRAWL_ARCHIVE=gs://bucket/archive"],
            "scrapy report: error: MPCRAWL_ARCHIVE=gs://bucket/archive: gs:// is not "
            "supported; give a folder or s3://bucket/prefix",
        ),
        (
            "a file as the archive",
            ["crawl", "wp", "-a", SITE, "-s", f"MPCRAWL_ARCHIVE={a_file}"],
            f"scrapy crawl: error: MPCRAWL_ARCHIVE={a_file}: a file, not an archive folder",
        ),
        (
            "netrc password with its spaces, unquoted",
            ["crawl", "wp", "-a", SITE, *to, "-s", f"MPCRAWL_NETRC={netrc}"],
            f"scrapy crawl: error: MPCRAWL_NETRC='{netrc}': bad follower token 'efgh' "
            f'({netrc}, line 2); a password with spaces goes in double quotes: password "abcd '
            'efgh ..."',
        ),
        (
            "compact on a typo",
            ["compact", *to],
            f"scrapy compact: error: MPCRAWL_ARCHIVE={typo}: no archive there (no posts/, "
            "runs/ or other table folder); only scrapy crawl creates one",
        ),
        (
            "changes --site typo",
            ["changes", "-s", f"MPCRAWL_ARCHIVE={held}", "--site", "www.exmaple-mp.org.uk"],
            f"scrapy changes: error: unknown site www.exmaple-mp.org.uk; {held} holds: "
            "www.example-mp.org.uk",
        ),
        (
            "output folder that cannot be made",
            ["changes", "-s", f"MPCRAWL_ARCHIVE={held}", "-o", f"{a_file}/changes.xml"],
            f"scrapy changes: error: -o {a_file}/changes.xml: cannot make its folder {a_file}: "
            "File exists",
        ),
        (
            "report of a typo",
            ["report", *to, "-o", f"{tmp / 'report.html'}"],
            f"scrapy report: error: MPCRAWL_ARCHIVE={typo}: no archive there (no posts/, runs/ "
            "or other table folder); only scrapy crawl creates one",
        ),
    ]


CASES = [name for name, _, _ in mistakes(Path("/x"), Path("/y"))]


def mistake(case: str, tmp_path: Path, held: Path) -> tuple[list[str], str]:
    """The command of a case and its one line, with the files it names in ``tmp_path``."""
    [(_, args, line)] = [m for m in mistakes(tmp_path, held) if m[0] == case]
    (tmp_path / "netrc").write_text("machine example.org login editor password abcd efgh\n")
    (tmp_path / "a-file").write_text("not an archive")
    return args, line


@pytest.mark.parametrize("case", CASES)
def test_each_mistake_is_one_line_and_exit_2_writing_nothing(
    case: str, tmp_path: Path, held: Path
) -> None:
    args, line = mistake(case, tmp_path, held)
    before = sorted(tmp_path.rglob("*"))
    result = command(*args)
    assert (result.returncode, result.stdout, result.stderr) == (2, b"", (line + "\n").encode())
    assert sorted(tmp_path.rglob("*")) == before  # no archive, no job folder, no file


@pytest.mark.parametrize("case", ["setting typo", "report of a typo"])
def test_a_real_process_prints_the_same_one_line(case: str, tmp_path: Path, held: Path) -> None:
    args, line = mistake(case, tmp_path, held)
    result = scrapy(*args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", line + "\n")


def test_commands_run_elsewhere_say_where_to_run_them(tmp_path: Path) -> None:
    for name in ("report", "crawl"):
        result = scrapy(name, cwd=tmp_path)
        assert result.returncode == 2
        [line] = result.stderr.splitlines()
        assert line.startswith(f"scrapy {name}: error: ") and f"cd {REPO} " in line


def test_an_output_folder_is_made(tmp_path: Path, held: Path) -> None:
    out = tmp_path / "new" / "dir" / "changes.json"
    result = command("changes", "-s", f"MPCRAWL_ARCHIVE={held}", "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(out.read_text())["sites"] == []


def test_a_quoted_netrc_password_keeps_its_spaces(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from mpcrawl.config import Config

    netrc = tmp_path / "netrc"
    netrc.write_text('machine example.org login editor password "abcd efgh ijkl mnop"\n')
    settings = Settings()
    settings.setmodule("mpcrawl.settings")
    settings.set("MPCRAWL_NETRC", str(netrc))
    creds = Config.from_settings(settings).credentials_for("example.org")
    assert creds is not None and creds.password == "abcd efgh ijkl mnop"


@pytest.mark.parametrize(
    ("value", "meaning"),
    [
        *[("1", True), ("TRUE", True), ("yes", True), ("on", True)],
        *[("0", False), ("false", False), ("No", False), ("off", False)],
    ],
)
def test_booleans_take_the_usual_spellings(value: str, meaning: bool) -> None:
    from mpcrawl.spiders.wp import WpSpider

    spider = WpSpider(site="http://127.0.0.1:9", full=value, discover=value)
    assert (spider.args.full, spider.args.discover) == (meaning, meaning)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One crawl of the sample site with ``-o`` in three formats (a folder to be made)."""
    out = tmp_path_factory.mktemp("crawled")
    jsonl, table, xml = out / "p.jsonl", out / "p.csv", out / "new" / "p.xml"
    with SampleSite() as site:
        result = crawl(
            out / "archive",
            f"site={site.url}",
            *("-o", str(jsonl), "-o", str(table), "-o", str(xml)),
            LOG_LEVEL="WARNING",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_feeds_hold_posts_only_in_the_posts_columns(crawled: Path) -> None:
    """Every row a post, the posts table's columns, whatever the format."""
    columns = TABLES["posts"].schema.names
    posts = scalar(read(crawled / "archive"), "SELECT count(*) FROM posts")
    rows = [json.loads(line) for line in (crawled / "p.jsonl").read_text().splitlines()]
    assert len(rows) == posts and {tuple(row) for row in rows} == {tuple(columns)}
    with (crawled / "p.csv").open(newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == columns and len(list(reader)) == posts
    assert len(ElementTree.parse(crawled / "new" / "p.xml").getroot()) == posts


def test_the_readme_commands_that_run_offline_run(crawled: Path, tmp_path: Path) -> None:
    """The README's unmarked ``scrapy`` blocks, on the crawled archive, files in tmp (in
    this process: the commands crawl nothing)."""
    from tests.test_docs import SHELL, scrapy_commands

    readme = [b for b in SHELL if b.page.name == "README.md" and b.needs is None]
    commands = [words for block in readme for words in scrapy_commands(block.code)]
    assert [words[0] for words in commands] == ["report", "changes"]
    for words in commands:
        words = [str(tmp_path / w) if w.endswith(".html") else w for w in words]
        result = command(*words, "-s", f"MPCRAWL_ARCHIVE={crawled / 'archive'}")
        assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "report.html").stat().st_size > 10_000
