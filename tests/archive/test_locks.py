import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks import LockUnavailable, SiteLocked, SiteLocks, lock_name

TRIALS = 300
HOST_253 = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])  # the longest valid host


def locks(root: Path, run_id: str) -> SiteLocks:
    return SiteLocks(ArchiveLocation.parse(str(root)), run_id)


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def write_lock(root: Path, site: str, body: str | bytes) -> Path:
    path = root / "_locks" / lock_name(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body.encode() if isinstance(body, str) else body)
    return path


def stale_lock(root: Path, site: str, pid: int) -> Path:
    holder = {"run_id": "old", "pid": pid, "host": socket.gethostname()}
    return write_lock(root, site, json.dumps(holder))


def test_a_live_holder_keeps_the_site(tmp_path: Path) -> None:
    first, second = locks(tmp_path, "run-1"), locks(tmp_path, "run-2")
    first.acquire("e.org")
    with pytest.raises(SiteLocked, match="run-1"):
        second.acquire("e.org")
    first.release("e.org")
    second.acquire("e.org")
    assert second.held == {"e.org"}


def test_a_dead_process_lock_is_taken_over(tmp_path: Path) -> None:
    path = stale_lock(tmp_path, "e.org", dead_pid())
    taker = locks(tmp_path, "new")
    taker.acquire("e.org")
    assert json.loads(path.read_text())["run_id"] == "new"
    taker.release_all()
    assert sorted(p.name for p in path.parent.iterdir()) == ["takeover.guard"]


@pytest.mark.parametrize("body", [b"", b"{", b"[1]", b"\xff\xfe", b'{"run_id": "x"'], ids=repr)
def test_a_broken_lock_file_is_respected_then_taken_over(tmp_path: Path, body: bytes) -> None:
    path = write_lock(tmp_path, "e.org", body)
    with pytest.raises(SiteLocked, match=r"e\.org is being crawled by another run"):
        locks(tmp_path, "new").acquire("e.org")
    os.utime(path, (0, 0))  # written long ago by a run killed before it wrote its name
    locks(tmp_path, "new").acquire("e.org")
    assert json.loads(path.read_text())["run_id"] == "new"


def test_a_lock_of_another_host_is_never_taken_over(tmp_path: Path) -> None:
    write_lock(tmp_path, "e.org", json.dumps({"run_id": "far", "pid": 1, "host": "elsewhere"}))
    with pytest.raises(SiteLocked, match="far"):
        locks(tmp_path, "new").acquire("e.org")


def test_a_release_never_deletes_the_lock_of_the_run_that_took_it_over(tmp_path: Path) -> None:
    slow = locks(tmp_path, "slow")
    slow.acquire("e.org")
    path = tmp_path / "_locks" / "e.org.lock"
    stale_lock(tmp_path, "e.org", dead_pid())  # as if judged dead and replaced meanwhile
    taker = locks(tmp_path, "taker")
    taker.acquire("e.org")
    slow.release("e.org")
    assert json.loads(path.read_text())["run_id"] == "taker"


def test_the_longest_valid_host_gets_a_lock_of_bounded_name(tmp_path: Path) -> None:
    assert len(HOST_253) == 253
    twin = HOST_253[:-1] + "e"
    run = locks(tmp_path, "r")
    run.acquire(HOST_253)
    run.acquire(twin)
    run.acquire(HOST_253 + "_8080")
    names = [p.name for p in (tmp_path / "_locks").glob("*.lock")]
    assert len(names) == 3 and all(len(n.encode()) <= 130 for n in names)
    assert all(n.startswith("a" * 63 + ".") for n in names)
    with pytest.raises(SiteLocked, match="run r "):
        locks(tmp_path, "other").acquire(twin)
    run.release_all()
    assert not list((tmp_path / "_locks").glob("*.lock"))


def test_a_lock_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "_locks").write_text("not a folder")
    with pytest.raises(LockUnavailable, match=r"e\.org: cannot create .*_locks"):
        locks(tmp_path, "r").acquire("e.org")


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_read_only_archive_is_a_clear_error(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "1m") as root:
        (root / "_locks").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
        refused = r"e\.org: cannot create e\.org\.lock: .*Read-only"
        with pytest.raises(LockUnavailable, match=refused):
            locks(root, "r").acquire("e.org")


def test_a_full_disk_is_a_clear_error_and_leaves_no_empty_lock(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "full", "64k") as root:
        (root / "_locks").mkdir()
        filler = os.open(root / "filler", os.O_WRONLY | os.O_CREAT)
        with pytest.raises(OSError, match="space"):
            while True:
                os.write(filler, b"x" * 4096)
        os.close(filler)
        with pytest.raises(LockUnavailable, match=r"e\.org: cannot write e\.org\.lock: .*space"):
            locks(root, "r").acquire("e.org")
        assert list((root / "_locks").iterdir()) == []


def test_concurrent_threads_take_over_a_stale_lock_exactly_once(tmp_path: Path) -> None:
    pid = dead_pid()
    takers = 8
    holders: Counter[int] = Counter()
    for trial in range(TRIALS):
        root = tmp_path / str(trial)
        stale_lock(root, "e.org", pid)
        barrier = threading.Barrier(takers)
        won: list[str] = []

        def take(
            n: int, root: Path = root, barrier: threading.Barrier = barrier, won: list[str] = won
        ) -> None:
            run = locks(root, f"t{n}")
            barrier.wait()
            try:
                run.acquire("e.org")
            except SiteLocked:
                return
            won.append(run.run_id)

        threads = [threading.Thread(target=take, args=(n,)) for n in range(takers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        holders[len(won)] += 1
        held = json.loads((root / "_locks" / "e.org.lock").read_text())["run_id"]
        assert won == [held], (trial, won)
    assert holders == {1: TRIALS}


def take_in_process(root: str, trials: int, barrier: threading.Barrier) -> None:
    """One taking process: at each trial, waits for the others, then tries the lock."""
    run_id = f"p{os.getpid()}"
    with open(Path(root) / f"won-{run_id}.txt", "w", encoding="utf-8") as won:
        for trial in range(trials):
            run = locks(Path(root) / str(trial), run_id)
            barrier.wait()
            try:
                run.acquire("e.org")
            except SiteLocked:
                continue
            won.write(f"{trial} {run_id}\n")


def test_concurrent_processes_take_over_a_stale_lock_exactly_once(tmp_path: Path) -> None:
    pid = dead_pid()
    for trial in range(TRIALS):
        stale_lock(tmp_path / str(trial), "e.org", pid)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4, timeout=60)
    workers = [
        context.Process(target=take_in_process, args=(str(tmp_path), TRIALS, barrier))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    won: dict[int, list[str]] = {trial: [] for trial in range(TRIALS)}
    for results in tmp_path.glob("won-*.txt"):
        for line in results.read_text().splitlines():
            trial, run_id = line.split()
            won[int(trial)].append(run_id)
    assert Counter(len(w) for w in won.values()) == {1: TRIALS}
    for trial, (run_id,) in won.items():
        lock = tmp_path / str(trial) / "_locks" / "e.org.lock"
        assert json.loads(lock.read_text())["run_id"] == run_id
