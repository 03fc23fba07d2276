"""Run real ``scrapy crawl wp`` processes the way users do, and read what they wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from mpcrawl.read import connect
from tests.shared import REPO

FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "MPCRAWL_RETRY_BACKOFF": "0.05",
    "LOG_LEVEL": "INFO",
}


def crawl_command(archive: Path, *args: str, **settings: str) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "wp", "-s", f"MPCRAWL_ARCHIVE={archive}"]
    for name, value in {**FAST, **settings}.items():
        command += ["-s", f"{name}={value}"]
    for arg in args:
        command += ["-a", arg] if "=" in arg and not arg.startswith("-") else [arg]
    return command


def crawl(
    archive: Path, *args: str, timeout: float = 240, **settings: str
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl wp -a ARG ... -s MPCRAWL_ARCHIVE=archive``; returns the process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        crawl_command(archive, *args, **settings),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read(archive: Path) -> duckdb.DuckDBPyConnection:
    return connect(str(archive))


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.sql(sql).fetchall()[0][0]
