import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks import SiteLocked, SiteLocks


def locks(tmp_path: Path, run_id: str) -> SiteLocks:
    return SiteLocks(ArchiveLocation.parse(str(tmp_path)), run_id)


def test_a_live_holder_keeps_the_site(tmp_path: Path) -> None:
    first, second = locks(tmp_path, "run-1"), locks(tmp_path, "run-2")
    first.acquire("e.org")
    with pytest.raises(SiteLocked, match="run-1"):
        second.acquire("e.org")
    first.release("e.org")
    second.acquire("e.org")
    assert second.held == {"e.org"}


def test_a_dead_process_lock_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    path = tmp_path / "_locks" / "e.org.lock"
    path.parent.mkdir()
    holder = {"run_id": "old", "pid": int(dead.stdout), "host": socket.gethostname()}
    path.write_text(json.dumps(holder))
    taker = locks(tmp_path, "new")
    taker.acquire("e.org")
    assert json.loads(path.read_text())["run_id"] == "new"


def test_a_broken_lock_file_is_respected_then_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "_locks" / "e.org.lock"
    path.parent.mkdir()
    path.write_text("")
    with pytest.raises(SiteLocked, match="another run"):
        locks(tmp_path, "new").acquire("e.org")
    os.utime(path, (0, 0))  # written long ago by a run killed before it wrote its name
    locks(tmp_path, "new").acquire("e.org")
    assert json.loads(path.read_text())["run_id"] == "new"


def test_a_lock_of_another_host_is_never_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "_locks" / "e.org.lock"
    path.parent.mkdir()
    path.write_text(json.dumps({"run_id": "far", "pid": 1, "host": "elsewhere"}))
    with pytest.raises(SiteLocked, match="far"):
        locks(tmp_path, "new").acquire("e.org")
