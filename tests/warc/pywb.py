"""pywb (PyPI) in a venv of its own: it pins cryptography and pyOpenSSL below the versions
Scrapy runs with here, so it never joins the project's venv. Made once under the venv
directory (``.venv/pywb``) and reused, under a lock (``.venv/pywb.lock``) so that two
pytest-xdist workers on a fresh machine make it once; a serve on a free 127.0.0.1 port per
test."""

from __future__ import annotations

import fcntl
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PYWB = "pywb==2.10.0"
VENV = Path(sys.executable).parent.parent / "pywb"


def pywb_venv() -> Path:
    """The venv's bin folder, made on first use; the test skips where it cannot be made."""
    bin_dir = VENV / "bin"
    ready = VENV / "ready"  # written last: a venv cut short by a kill is made again
    if ready.exists():
        return bin_dir
    with VENV.with_name("pywb.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        if ready.exists():  # another worker made it while this one waited
            return bin_dir
        uv = str(Path(sys.executable).with_name("uv"))  # a test dependency
        steps = [
            [uv, "venv", "--quiet", "--clear", "--python", sys.executable, str(VENV)],
            [uv, "pip", "install", "--quiet", "--python", str(bin_dir / "python"), PYWB],
        ]
        for step in steps:
            result = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
            if result.returncode != 0:
                pytest.skip(f"cannot install {PYWB} in {VENV}: {result.stderr[-500:]}")
        ready.write_text(PYWB + "\n")
    return bin_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def replay(wacz: Path, workdir: Path) -> Iterator[str]:
    """pywb serving ``wacz`` as collection ``mpcrawl``; yields the collection's base URL.

    pywb 2.10 adds a WACZ only by unpacking it (its WARCs and CDXJ index) into the collection.
    """
    bin_dir = pywb_venv()
    workdir.mkdir(parents=True, exist_ok=True)
    for args in (["init", "mpcrawl"], ["add", "--unpack-wacz", "mpcrawl", str(wacz)]):
        result = subprocess.run(
            [str(bin_dir / "wb-manager"), *args],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0 and "Error" not in result.stdout + result.stderr, (
            result.stdout[-2000:] + result.stderr[-2000:]
        )
    # the page itself at /mpcrawl/<ts>/<url> (rewritten), not pywb's top frame around it
    (workdir / "config.yaml").write_text("framed_replay: false\n")
    port = free_port()
    log = (workdir / "wayback.log").open("w")
    process = subprocess.Popen(
        [str(bin_dir / "wayback"), "--bind", "127.0.0.1", "--port", str(port)],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/mpcrawl"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError((workdir / "wayback.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
