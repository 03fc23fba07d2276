"""End to end: a real ``scrapy crawl wp`` of the sample site, read back as users do."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from scrapy.exceptions import UsageError
from scrapy.settings import Settings
from scrapy.utils.conf import feed_process_params_from_cli

from mpcrawl import settings as project
from mpcrawl.commands.crawl import check_parquet_feeds
from mpcrawl.sample.server import SampleSite
from tests.crawl import crawl as crawl_process
from tests.crawl import read, scalar
from tests.inprocess import Crawled, command, crawl
from tests.shared import seed_post


def test_first_crawl_archives_every_post_and_page(crawled_sample: Crawled) -> None:
    sample_site, archive = crawled_sample.site, crawled_sample.archive
    assert crawled_sample.run.returncode == 0, crawled_sample.run.stderr[-3000:]
    con = read(archive)
    served = {
        ptype: int(scalar(con, f"SELECT count(*) FROM posts WHERE post_type = '{ptype}'"))
        for ptype in ("post", "page")
    }
    assert served["post"] == sample_site.total_posts
    assert served["page"] == len(list(sample_site.pages.visible()))
    # pyarrow reads the same partitions; the site column equals its folder.
    table = ds.dataset(archive / "posts", partitioning="hive").to_table(columns=["site", "id"])
    assert table.num_rows == served["post"] + served["page"]
    site = f"127.0.0.1_{sample_site.port}"
    assert set(table["site"].to_pylist()) == {site}
    files = list((archive / "posts").rglob("*.parquet"))
    assert all(f.parent.parent.name == f"site={site}" for f in files)
    for path in files:  # the folder holds site, as Spark and pyarrow's write_dataset write it
        assert "site" not in pq.read_schema(path).names


def test_seed_post_comes_through_exactly(crawled_sample: Crawled) -> None:
    con = read(crawled_sample.archive)
    row = con.sql(
        "SELECT title, date_gmt, revision_count, predecessor_revision_id, category_ids, "
        "raw_json, category_names, embed_count, turn_count FROM posts_latest WHERE id = 4407"
    ).fetchall()
    assert len(row) == 1
    title, date_gmt, revisions, predecessor, categories, raw, names, embeds, turns = row[0]
    assert title == "Live Facial Recognition"
    assert date_gmt == datetime(2025, 3, 31, 9, 24, 19, tzinfo=UTC)
    assert (revisions, predecessor, categories) == (4, 5776, [4])
    assert json.loads(raw) == seed_post()
    assert names == ["Speeches"]
    assert (embeds, turns) == (1, 4)
    embed = con.sql(
        "SELECT provider, video_id, canonical_url, title FROM embeds WHERE post_id = 4407"
    ).fetchall()
    assert embed == [
        (
            "youtube",
            "-RJcnOS7jzY",
            "https://www.youtube.com/watch?v=-RJcnOS7jzY",
            "Sir John Whittingdale MP on Live Facial Recognition",
        )
    ]
    speakers = con.sql(
        "SELECT speaker, party, constituency, speaker_member_id FROM speech_turns "
        "WHERE post_id = 4407 ORDER BY turn"
    ).fetchall()
    assert speakers == [
        ("John Whittingdale", "Conservative", "Maldon", 39),
        ("Diana R. Johnson", None, None, 1533),
        ("John Whittingdale", "Conservative", "Maldon", 39),
        ("Diana R. Johnson", None, None, 1533),
    ]


def test_second_run_adds_only_a_run_record(crawled_sample: Crawled, archive: Path) -> None:
    sample_site = crawled_sample.site
    crawled_sample.copy(archive)
    before = {p for p in archive.rglob("*.parquet")}
    sample_site.reset_requests()
    result = crawl(archive, f"site={sample_site.url}")
    assert result.returncode == 0, result.stderr[-3000:]
    added = {p.relative_to(archive).parts[0] for p in set(archive.rglob("*.parquet")) - before}
    assert added <= {"runs", "sites"}
    con = read(archive)
    runs = con.sql("SELECT posts_new, posts_unchanged FROM runs ORDER BY finished_at").fetchall()
    assert runs[1][0] == 0 and runs[1][1] == runs[0][0]
    # Only the id sweep touched the posts collection: no full post object was fetched.
    sweeps = [r for r in sample_site.requests if "wp/v2/posts" in r]
    assert sweeps and all("_fields=id" in r for r in sweeps)


def test_dash_capital_o_writes_one_parquet_file(sample_site: SampleSite, tmp_path: Path) -> None:
    target = tmp_path / "posts.parquet"
    result = crawl_process(tmp_path / "archive", f"site={sample_site.url}", "-O", str(target))
    assert result.returncode == 0, result.stderr[-3000:]
    table = pq.read_table(target)
    assert table.num_rows == sample_site.total_posts + len(list(sample_site.pages.visible()))
    assert "raw_json" in table.column_names
    assert f"Stored {table.num_rows} posts rows in the parquet feed" in result.stderr


def test_dash_capital_o_with_full_exports_what_is_already_archived(
    crawled_sample: Crawled, tmp_path: Path
) -> None:
    sample_site = crawled_sample.site
    archive = crawled_sample.copy(tmp_path / "archive")
    files = sorted(archive.rglob("*.parquet"))
    target = tmp_path / "posts.parquet"
    result = crawl_process(archive, f"site={sample_site.url}", "full=1", "-O", str(target))
    assert result.returncode == 0, result.stderr[-3000:]
    served = sample_site.total_posts + len(list(sample_site.pages.visible()))
    assert pq.read_table(target).num_rows == served
    added = {p.relative_to(archive).parts[0] for p in set(archive.rglob("*.parquet")) - set(files)}
    assert added <= {"runs", "sites"}


def test_dash_o_onto_an_existing_parquet_file_fails_clearly(
    sample_site: SampleSite, tmp_path: Path
) -> None:
    target = tmp_path / "posts.parquet"
    target.write_bytes(b"PAR1 existing content")
    archive = tmp_path / "archive"
    result = command(
        "crawl",
        "wp",
        "-a",
        f"site={sample_site.url}",
        "-s",
        f"MPCRAWL_ARCHIVE={archive}",
        "-o",
        str(target),
    )
    assert result.returncode == 2
    assert b"use -O" in result.stderr
    assert b"Traceback" not in result.stderr
    assert target.read_bytes() == b"PAR1 existing content"
    assert not (tmp_path / "archive").exists()  # refused before any request


@pytest.mark.parametrize("form", ["file-uri", "format-suffix"])
def test_every_form_of_dash_o_is_refused_the_same_way(tmp_path: Path, form: str) -> None:
    """The command's check, fed ``-o`` as Scrapy parses it (the exit 2 is tested above)."""
    target = tmp_path / ("posts.parquet" if form == "file-uri" else "posts.out")
    target.write_bytes(b"PAR1 existing content")
    given = target.as_uri() if form == "file-uri" else f"{target}:parquet"
    settings = Settings()
    settings.setmodule(project)
    feeds = feed_process_params_from_cli(settings, [given])
    with pytest.raises(UsageError, match=r"the file exists and -o appends.* use -O "):
        check_parquet_feeds(feeds)
