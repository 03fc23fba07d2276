"""NormalisePipeline on its own: the sample site's REST objects become row items."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem

from mpcrawl.items import AuthorItem, MediaItem, PostItem, RunItem, TermItem
from mpcrawl.pipelines.normalise import NormalisePipeline
from tests.sample_data import FETCHED, SITE, bundle, rest


def test_a_post_becomes_its_row() -> None:
    post = bundle()["posts"][0]
    item = NormalisePipeline().process_item(rest("post", post, "post"))
    assert isinstance(item, PostItem)
    assert (item.site, item.post_type, item.id) == (SITE, "post", post["id"])
    assert item.title == post["title"]["rendered"]
    assert item.fetched_at == FETCHED and item.run_id == "run-1"


@pytest.mark.parametrize(
    ("kind", "key", "cls", "post_type"),
    [
        ("term", "categories", TermItem, "category"),
        ("term", "tags", TermItem, "post_tag"),
        ("author", "users", AuthorItem, None),
        ("media", "media", MediaItem, None),
    ],
)
def test_terms_users_and_media_become_their_rows(
    kind: str, key: str, cls: type, post_type: str | None
) -> None:
    obj = bundle()[key][0]
    item = NormalisePipeline().process_item(rest(kind, obj, post_type))
    assert isinstance(item, cls)
    assert item.id == obj["id"] and item.site == SITE


def test_a_post_without_an_id_is_dropped() -> None:
    post = {k: v for k, v in bundle()["posts"][0].items() if k != "id"}
    with pytest.raises(DropItem, match="Post without an id"):
        NormalisePipeline().process_item(rest("post", post, "post"))


def test_row_items_pass_through() -> None:
    run = RunItem(
        run_id="r", site=SITE, started_at=FETCHED, finished_at=FETCHED, outcome="ok", reason=None
    )
    assert NormalisePipeline().process_item(run) is run
