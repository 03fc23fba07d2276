"""WARC capture into an archive on object storage (moto's S3 server)."""

from __future__ import annotations

from mpcrawl.read import connect
from mpcrawl.read.warc import record_for
from mpcrawl.sample.server import SampleSite
from tests.crawl import crawl
from tests.distributed.conftest import S3
from tests.warc.support import pointer_of


def test_warcs_on_s3_are_whole_objects_that_rows_point_into(
    s3: S3, sample_site: SampleSite
) -> None:
    bucket = s3.new_bucket()
    uri = s3.archive(bucket)
    for _night in range(2):
        result = crawl(uri, f"site={sample_site.url}", MPCRAWL_WARC="True")
        assert result.returncode == 0, result.stderr[-3000:]
    keys = [k for k in s3.keys(bucket) if "/warc/" in k]
    assert len([k for k in keys if k.endswith(".warc.gz")]) == 2
    assert len([k for k in keys if k.endswith(".cdxj")]) == 2
    assert not [k for k in keys if k.rsplit("/", 1)[-1].startswith(".")]
    con = connect(uri)
    rows = con.sql("SELECT id, warc_filename, warc_record_offset, warc_record_length FROM posts")
    for post_id, *pointer in rows.fetchall():
        capture = record_for(uri, pointer_of(pointer))
        assert capture.record_type == "response" and f'"id":{post_id},' in capture.text()
