"""The archives the readers are tried on, each built once, and one Spark session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mpcrawl.sample.server import SampleSite
from tests.crawl import read
from tests.inprocess import crawl
from tests.test_compact import run_compact
from tests.wordpress.archives import EditedWordPress


@pytest.fixture(scope="package")  # one JVM, stopped once tests/read/ is done
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.skip(
            "Spark needs Java: run `sudo bash tests/install_debian.sh java "
            "openjdk-17-jre-headless Spark` (make test does)"
        )
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("mpcrawl-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # A JVM that lives for a few queries: C1 alone compiles what it runs at a
        # fraction of C2's CPU, one serial collector needs no GC threads. They change
        # how fast the JVM runs, not what Spark reads: every query keeps Spark's
        # default settings, as an analyst's session would. No progress bar: no one watches.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="package")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = tmp_path_factory.mktemp("first_run") / "output"
    with SampleSite() as site:
        result = crawl(archive, f"site={site.url}")
    assert result.returncode == 0, result.stderr[-3000:]
    return archive


@pytest.fixture(scope="package")
def wordpress_edited(wordpress_edited_site: EditedWordPress) -> Path:
    archive = wordpress_edited_site.archive
    assert read(archive).sql("SELECT count(*) FROM tombstones").fetchall() == [(2,)]
    return archive


@pytest.fixture(scope="package")
def compacted(wordpress_edited: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = tmp_path_factory.mktemp("compacted") / "output"
    shutil.copytree(wordpress_edited, archive)
    result = run_compact(archive)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "compacted" in result.stdout
    return archive
