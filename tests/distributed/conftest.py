"""Two Scrapyd daemons and an S3-compatible server (moto), on 127.0.0.1, for the session.

Each daemon has its own folder and ``scrapyd.conf`` and runs one job at a time; the
project's egg is built once and deployed to both, as a user would.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mpcrawl.fanout.client import add_version
from mpcrawl.fanout.egg import build_egg
from tests.shared import REPO

PROJECT = "mpcrawl"
S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url}: no answer after {seconds}s:\n{log.read_text()[-3000:]}")


def launch(command: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    """A server started in ``cwd``, its output in ``cwd/server.log``."""
    with (cwd / "server.log").open("wb") as out:
        return subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **S3_ENV}
        )


def start(command: list[str], cwd: Path, url: str) -> subprocess.Popen[bytes]:
    process = launch(command, cwd)
    wait_for(url, process, cwd / "server.log")
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Node:
    url: str
    folder: Path

    def job_log(self, jobid: str) -> str:
        path = self.folder / "logs" / PROJECT / "wp" / f"{jobid}.log"
        return path.read_text() if path.exists() else ""


@pytest.fixture(scope="session")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_egg(REPO, tmp_path_factory.mktemp("egg"))


def _node_folder(folder: Path) -> str:
    """Write a Scrapyd node's ``scrapyd.conf`` into ``folder``; the node's URL."""
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {folder / 'eggs'}\n"
        f"logs_dir = {folder / 'logs'}\n"
        f"dbs_dir = {folder / 'dbs'}\n"
        "jobs_to_keep = 20\n"
        "max_proc = 1\n"
        "poll_interval = 0.2\n"
    )
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def nodes(tmp_path_factory: pytest.TempPathFactory, egg: Path) -> Iterator[list[Node]]:
    """Two Scrapyd daemons with the project deployed; jobs run with fake S3 keys.

    Both start, and get the egg, at the same time: ``addversion.json`` lists the egg's
    spiders in a new Python process, seconds each.
    """
    folders = [tmp_path_factory.mktemp(f"scrapyd{number}") for number in (1, 2)]
    urls = [_node_folder(folder) for folder in folders]
    started: list[subprocess.Popen[bytes]] = []
    try:
        for folder in folders:
            started.append(launch([sys.executable, "-m", "scrapyd"], folder))
        for process, folder, url in zip(started, folders, urls, strict=True):
            wait_for(f"{url}/daemonstatus.json", process, folder / "server.log")
        with ThreadPoolExecutor(len(urls)) as pool:
            list(pool.map(lambda url: add_version(url, PROJECT, "1", egg), urls))
        yield [Node(url, folder) for url, folder in zip(urls, folders, strict=True)]
    finally:
        for process in started:
            stop(process)


@dataclass(frozen=True)
class S3:
    endpoint: str

    def archive(self, bucket: str) -> str:
        return f"s3://{bucket}/archive?endpoint_override={self.endpoint}&scheme=http"

    def client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")

    def new_bucket(self) -> str:
        name = f"b-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3]:
    """moto's S3 server, one request at a time (``serial_moto``: its conditional writes
    are then atomic, as S3's are); the session's AWS keys are fake ones it accepts."""
    folder = tmp_path_factory.mktemp("moto")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = start(
        [sys.executable, str(Path(__file__).with_name("serial_moto.py")), "127.0.0.1", str(port)],
        folder,
        f"{endpoint}/moto-api/",
    )
    saved = {name: os.environ.get(name) for name in S3_ENV}
    os.environ.update(S3_ENV)
    try:
        yield S3(endpoint)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        stop(process)
