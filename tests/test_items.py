"""Each row item carries exactly its table's columns (``mpcrawl.schemas.TABLES``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from mpcrawl import items
from mpcrawl.items import PostItem
from mpcrawl.pipelines.extract import ExtractPipeline
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.schemas import TABLES
from tests.inprocess import wp_crawler
from tests.sample_data import bundle, rest

# PostItem's fields that are not posts columns: what the extract pipeline reads or fills
# for the embeds and speech_turns tables, and the feed-only mark.
POST_EXTRAS = ["excerpt_html", "archived", "embeds", "turns"]


@pytest.mark.parametrize(
    "cls",
    [
        items.RevisionItem,
        items.TermItem,
        items.AuthorItem,
        items.MediaItem,
        items.SiteItem,
        items.TombstoneItem,
        items.RunItem,
    ],
)
def test_an_items_fields_are_its_tables_columns_in_order(cls: type) -> None:
    fields = [f.name for f in dataclasses.fields(cls)]
    assert fields == TABLES[cls.table].schema.names


def test_a_post_items_fields_are_the_posts_columns_and_its_extras() -> None:
    fields = [f.name for f in dataclasses.fields(PostItem)]
    assert [f for f in fields if f not in POST_EXTRAS] == TABLES["posts"].schema.names
    assert [f for f in fields if f in POST_EXTRAS] == POST_EXTRAS


def test_embeds_and_turns_rows_are_their_tables_columns(tmp_path: Path) -> None:
    normalise, extract = NormalisePipeline(), ExtractPipeline(wp_crawler(tmp_path / "a"))
    found: dict[str, set[str]] = {}
    for data in bundle()["posts"]:
        post = extract.process_item(normalise.process_item(rest("post", data, "post")))
        assert isinstance(post, PostItem)
        common = {"site", "post_type", "post_id", "modified_gmt", "run_id"}
        for table, rows in (("embeds", post.embeds), ("speech_turns", post.turns)):
            for row in rows:
                found.setdefault(table, set()).add(",".join(sorted({*row, *common})))
    assert set(found) == {"embeds", "speech_turns"}
    for table, keys in found.items():
        assert keys == {",".join(sorted(TABLES[table].schema.names))}, table
