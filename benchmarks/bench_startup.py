"""How long ``scrapy list`` takes to start, and which heavy libraries it imports.

Every ``scrapy`` command loads every command module of the project, so a command that
imports duckdb, pyarrow, matplotlib or boto3 at module level makes each start-up pay for
them. The reference is ``scrapy version`` outside any project (Scrapy alone).

``python -m benchmarks.bench_startup [--project DIR] [--runs N]``: ``--project`` measures
another checkout (its folder goes first on ``PYTHONPATH``), e.g. the code before a change.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_support import REPO, Row

HEAVY = ("duckdb", "pyarrow", "matplotlib", "boto3", "pandas", "polars")
RUNS = 5


MARK = "heavy modules loaded:"
# Runs ``scrapy ARGS`` as the console script does, then names the heavy packages it loaded.
_PROBE = (
    "import atexit, sys\n"
    f"heavy = {HEAVY!r}\n"
    "atexit.register(lambda: print("
    f"{MARK!r}, ','.join(m for m in heavy if m in sys.modules), file=sys.stderr))\n"
    "from scrapy.cmdline import execute\n"
    "sys.argv[0] = 'scrapy'\n"
    "execute()\n"
)


def _run(args: list[str], cwd: Path, project: Path) -> str:
    """Run ``scrapy ARGS`` in ``cwd`` with ``project`` first on the path; its stderr."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stderr


def wall_seconds(args: list[str], cwd: Path, project: Path, runs: int = RUNS) -> float:
    """Median wall time of ``scrapy ARGS`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _run(args, cwd, project)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def heavy_imports(args: list[str], cwd: Path, project: Path) -> list[str]:
    """The heavy packages in ``sys.modules`` when ``scrapy ARGS`` exits."""
    for line in _run(args, cwd, project).splitlines():
        if line.startswith(MARK):
            return [name for name in line.removeprefix(MARK).strip().split(",") if name]
    raise RuntimeError(f"scrapy {' '.join(args)} did not report its modules")


def package_folder(project: Path) -> str:
    """Where ``mpcrawl`` is imported from with ``project`` first on the path."""
    done = subprocess.run(
        [sys.executable, "-c", "import mpcrawl; print(mpcrawl.__path__[0])"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def measure(project: Path = REPO, runs: int = RUNS) -> dict[str, tuple[float, list[str]]]:
    """Median seconds and heavy imports of ``scrapy list``, ``--help`` and the reference."""
    with tempfile.TemporaryDirectory(prefix="mpcrawl-bench-startup-") as outside:
        commands = {
            "scrapy list": (["list"], project),
            "scrapy --help": (["--help"], project),
            "scrapy version (no project)": (["version"], Path(outside)),
        }
        return {
            name: (wall_seconds(args, cwd, project, runs), heavy_imports(args, cwd, project))
            for name, (args, cwd) in commands.items()
        }


def bench(project: Path = REPO, runs: int = RUNS) -> Row:
    figures = measure(project, runs)
    listed, heavy = figures["scrapy list"]
    reference = figures["scrapy version (no project)"][0]
    return Row(
        f"`scrapy list` start-up, median of {runs}",
        f"{listed:.2f} s",
        f"`scrapy version` outside a project: {reference:.2f} s",
        f"{listed / reference:.2f}×",
        "≤ 1.5×, no heavy library imported",
        listed <= 1.5 * reference and not heavy,
        f"imports {', '.join(heavy)}" if heavy else "imports none of " + ", ".join(HEAVY),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPO, help="checkout to measure")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per command")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    print(f"project: {project}; mpcrawl imported from {package_folder(project)}")
    for name, (seconds, heavy) in measure(project, args.runs).items():
        print(f"{name}: {seconds:.2f} s median of {args.runs}; heavy imports: {heavy or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
