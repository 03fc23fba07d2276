"""What every benchmark family shares: result rows, timed subprocesses, the servers.

Every figure is a ratio against a reference measured in the same run (noise on these
machines is ±20%), printed by ``python -m benchmarks.run``, never asserted in a test.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WP_SERVER = REPO / "tests" / "wordpress" / "wpserver.py"
STATE_DIR = Path(os.environ.get("MPCRAWL_BENCH_STATE", Path.home() / ".cache" / "mpcrawl-bench"))
WP_POSTS = 5000
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
    "MPCRAWL_MAX_CRAWL_DELAY": "0",  # measure mpcrawl, not a robots.txt's Crawl-delay
    "LOG_LEVEL": "DEBUG",
}
_CRAWLED = re.compile(r"Crawled \((\d+)\) <GET (\S+)>")


@dataclass(slots=True)
class Row:
    """One line of the table: a measure, its reference in the same run, and the target."""

    measure: str
    value: str
    reference: str
    ratio: str
    target: str
    met: bool | None  # None: not measured (the note says why)
    note: str = ""


@dataclass(slots=True)
class Timed:
    """A finished subprocess: exit status, wall time, peak RSS, CPU time and its output."""

    returncode: int
    seconds: float
    max_rss_mb: float
    cpu_seconds: float
    stdout: str
    stderr: str

    def urls(self) -> list[tuple[int, str]]:
        """Every response the crawl logged (``LOG_LEVEL=DEBUG``), as (status, URL)."""
        return [(int(m.group(1)), m.group(2)) for m in _CRAWLED.finditer(self.stderr)]


# A small launcher between us and the measured process: Linux folds the forking process's
# peak RSS into its child's ru_maxrss at exec, so a child of this (large) benchmark process
# would report at least our own peak. The launcher is ~10 MB.
_LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(code if code >= 0 else 128 - code)
"""


def run_timed(command: list[str], *, timeout: float = 900, cwd: Path = REPO) -> Timed:
    """Run a command; its peak RSS is its own ``RUSAGE_CHILDREN`` seen by a launcher."""
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r") as rss,
    ):
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, rss.name, *command],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        max_rss_kb, cpu = (rss.read() or "0 0").split()
        return Timed(
            process.returncode, seconds, int(max_rss_kb) / 1024, float(cpu), out.read(), err.read()
        )


def scrapy_crawl(archive: Path, site: str, **settings: str) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "wp", "-a", f"site={site}"]
    for name, value in {"MPCRAWL_ARCHIVE": str(archive), **CRAWL_SETTINGS, **settings}.items():
        command += ["-s", f"{name}={value}"]
    return command


def startup_seconds() -> float:
    """The time of ``scrapy list``: interpreter, Scrapy and project start-up."""
    return min(run_timed([sys.executable, "-m", "scrapy", "list"]).seconds for _ in range(2))


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        body: bytes = response.read()
        return body


def wordpress_missing() -> str | None:
    """Why the real WordPress cannot run here, or None."""
    if not WP_SERVER.exists():
        return "tests/wordpress/wpserver.py is absent"
    check = subprocess.run(
        [sys.executable, str(WP_SERVER), "check"], capture_output=True, text=True, check=False
    )
    return None if check.returncode == 0 else check.stdout.strip() or check.stderr.strip()


@contextmanager
def wordpress(posts: int = WP_POSTS) -> Iterator[dict[str, Any]]:
    """The real WordPress with ``posts`` posts (seeded once into a kept state dir)."""
    state = STATE_DIR / f"wp-{posts}"
    state.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, str(WP_SERVER), "start", "--state-dir", str(state), "--posts", str(posts)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        for line in process.stdout:  # one JSON document, then it serves until SIGTERM
            lines.append(line)
            if line.rstrip() == "}":
                break
        if process.poll() is not None and not lines:
            raise RuntimeError("wpserver.py exited before it served")
        yield json.loads("".join(lines))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def sample_server(posts: int) -> Iterator[str]:
    """``python -m mpcrawl.sample.server --posts N`` in its own process; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mpcrawl.sample.server", "--posts", str(posts)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if not match:
            raise RuntimeError(f"sample server said {line!r}")
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


def ratio(value: float, reference: float) -> str:
    return f"{value / reference:.2f}×" if reference else "n/a"
