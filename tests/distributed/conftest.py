"""Two Scrapyd daemons and an S3-compatible server (moto), on 127.0.0.1, for the session.

Each daemon has its own folder and ``scrapyd.conf`` and runs one job at a time. The
project is deployed to both once, as a user would, by the session's first fanout
(``scrapy fanout --deploy``): its egg is built once, and each node lists its spiders once
for that version.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mpcrawl.sample.server import SampleSite
from tests.distributed.helpers import PROJECT, Node, fan_out, sites_in_shards

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
def daemons(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Node]]:
    """Two Scrapyd daemons, nothing deployed yet; jobs run with fake S3 keys."""
    folders = [tmp_path_factory.mktemp(f"scrapyd{number}") for number in (1, 2)]
    urls = [_node_folder(folder) for folder in folders]
    started: list[subprocess.Popen[bytes]] = []
    try:
        for folder in folders:
            started.append(launch([sys.executable, "-m", "scrapyd"], folder))
        for process, folder, url in zip(started, folders, urls, strict=True):
            wait_for(f"{url}/daemonstatus.json", process, folder / "server.log")
        yield [Node(url, folder) for url, folder in zip(urls, folders, strict=True)]
    finally:
        for process in started:
            stop(process)


@dataclass(frozen=True)
class Deployed:
    """The session's first fanout: ``--deploy --wait`` of two sample sites, one in each
    shard, onto both nodes, into ``folder/fan``; the sites keep running for the session."""

    nodes: list[Node]
    sites: list[SampleSite]
    folder: Path
    result: subprocess.CompletedProcess[str]

    @property
    def egg(self) -> Path:
        """The egg as the first node stores it (``eggs_dir/PROJECT/VERSION.egg``)."""
        (path,) = (self.nodes[0].folder / "eggs" / PROJECT).glob("*.egg")
        return path


@pytest.fixture(scope="session")
def deployed(tmp_path_factory: pytest.TempPathFactory, daemons: list[Node]) -> Iterator[Deployed]:
    folder = tmp_path_factory.mktemp("deployed")
    with sites_in_shards(2) as sites:
        result = fan_out(daemons, folder, [s.url for s in sites], "--deploy")
        yield Deployed(daemons, sites, folder, result)


@pytest.fixture(scope="session")
def egg(deployed: Deployed) -> Path:
    """The egg the session's deploy built, as the first node stores it."""
    return deployed.egg


@pytest.fixture(scope="session")
def nodes(deployed: Deployed) -> list[Node]:
    """Both Scrapyd daemons with the project deployed (by the session's first fanout)."""
    return deployed.nodes


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
