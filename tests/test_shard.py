"""``-a shard=K/N``: every site in exactly one shard, the same one on every machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpcrawl.sample.server import SampleSite
from mpcrawl.sitelist import SiteEntry, in_shard, iter_shard, parse_shard
from tests.crawl import read
from tests.inprocess import crawl

names = st.from_regex(r"[a-z0-9][a-z0-9.-]{0,40}(_[0-9]{2,5})?", fullmatch=True)


@given(site=names, n=st.integers(min_value=1, max_value=64))
def test_every_site_is_in_exactly_one_shard(site: str, n: int) -> None:
    assert sum(in_shard(site, (k, n)) for k in range(1, n + 1)) == 1


def test_shards_are_stable_across_processes_and_releases() -> None:
    sites = [f"mp{n}.example.org.uk" for n in range(200)]
    here = [next(k for k in range(1, 5) if in_shard(s, (k, 4))) for s in sites]
    code = (
        "from mpcrawl.sitelist import in_shard\n"
        f"sites = {sites!r}\n"
        "print([next(k for k in range(1, 5) if in_shard(s, (k, 4))) for s in sites])"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == str(here)
    # Fixed values: a change of hash would move every archive's sites to other shards.
    assert here[:8] == [2, 1, 4, 2, 1, 4, 4, 3]
    # Roughly even: no shard holds twice its share.
    assert all(here.count(k) < 100 for k in range(1, 5))


def test_iter_shard_splits_a_list_without_loss_or_overlap() -> None:
    entries = [SiteEntry(f"s{n}.org", f"https://s{n}.org") for n in range(50)]
    parts = [list(iter_shard(entries, (k, 3))) for k in (1, 2, 3)]
    assert sorted(e.site for part in parts for e in part) == sorted(e.site for e in entries)
    assert list(iter_shard(entries, None)) == entries


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3", "expected K/N"),
        ("a/b", "expected K/N"),
        ("0/2", "between 1 and N"),
        ("3/2", "between 1 and N"),
    ],
)
def test_bad_shards_are_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shard(value)


def test_a_crawl_of_a_shard_crawls_only_its_sites(tmp_path: Path) -> None:
    with SampleSite() as one, SampleSite() as two:
        sites = {f"127.0.0.1_{s.port}": s for s in (one, two)}
        listed = tmp_path / "sites.csv"
        listed.write_text("url\n" + "".join(f"{s.url}\n" for s in sites.values()))
        for k in (1, 2):
            archive = tmp_path / f"shard{k}"
            result = crawl(archive, f"sites={listed}", f"shard={k}/2")
            assert result.returncode == 0, result.stderr[-3000:]
            crawled = read(archive).sql("SELECT site FROM runs").fetchall()
            assert sorted(site for (site,) in crawled) == sorted(
                site for site in sites if in_shard(site, (k, 2))
            )
