"""ParquetItemExporter on its own: posts in the posts schema, in batches, never appended."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from mpcrawl.exporters import ParquetItemExporter
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.schemas import TABLES
from tests.sample_data import bundle, rest


def test_posts_are_written_in_the_posts_schema_and_others_skipped(tmp_path: Path) -> None:
    normalise = NormalisePipeline()
    target = tmp_path / "posts.parquet"
    with target.open("wb") as file:
        exporter = ParquetItemExporter(file, batch_rows=2)
        exporter.start_exporting()
        for data in bundle()["posts"][:5]:
            exporter.export_item(normalise.process_item(rest("post", data, "post")))
        exporter.export_item(normalise.process_item(rest("term", bundle()["tags"][0], "post_tag")))
        exporter.finish_exporting()
    table = pq.read_table(target)
    assert table.schema.equals(TABLES["posts"].schema)
    assert table.column("id").to_pylist() == [p["id"] for p in bundle()["posts"][:5]]
    assert pq.ParquetFile(target).metadata.num_row_groups == 3  # 2 + 2 + 1


def test_a_non_empty_file_is_refused() -> None:
    file = io.BytesIO(b"PAR1")
    file.seek(0, io.SEEK_END)
    with pytest.raises(ValueError, match="use -O, not -o"):
        ParquetItemExporter(file).start_exporting()


def test_an_empty_feed_is_a_readable_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "none.parquet"
    with target.open("wb") as file:
        exporter = ParquetItemExporter(file)
        exporter.start_exporting()
        exporter.finish_exporting()
    assert pq.read_table(target).num_rows == 0
