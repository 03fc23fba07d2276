"""Packaging the project for Scrapyd: the egg it loads, built outside the source tree."""

from __future__ import annotations

import compileall
import contextlib
import io
import subprocess
import sys
import tempfile
from pathlib import Path
from py_compile import PycInvalidationMode

from mpcrawl.fanout.client import ScrapydError


def build_egg(project_dir: Path, out_dir: Path) -> Path:
    """Build the project's egg (what Scrapyd 1.6 loads) without writing into its tree.

    Package data declared in ``pyproject.toml`` (the MP list, the view SQL, the sample
    data) goes inside, with the ``scrapy`` entry point that names the settings module.
    Each module's bytecode goes beside it (``x.pyc``, the only place zipimport looks, never
    ``__pycache__``): Scrapyd imports the project from the egg on every job, which would
    otherwise compile every module from source each time. A Python other than the one
    building it finds the bytecode's magic wrong and compiles the source, as before.
    """
    with tempfile.TemporaryDirectory(prefix="mpcrawl-egg-") as work:
        setup = [
            sys.executable,
            "-c",
            "import setuptools; setuptools.setup()",
            "-q",
            "egg_info",
            "--egg-base",
            work,
            "build",
            "--build-base",
            f"{work}/build",
        ]
        result = subprocess.run(setup, cwd=project_dir, capture_output=True, text=True, check=False)
        if not result.returncode:
            _compile(Path(work, "build", "lib"))
            package = [
                "bdist_egg",
                "--skip-build",
                "--bdist-dir",
                f"{work}/bdist",
                "--dist-dir",
                str(out_dir),
            ]
            result = subprocess.run(
                setup + package, cwd=project_dir, capture_output=True, text=True, check=False
            )
    eggs = sorted(out_dir.glob("*.egg"), key=lambda p: p.stat().st_mtime)
    if result.returncode or not eggs:
        raise ScrapydError(f"building the egg failed:\n{result.stderr[-2000:]}")
    return eggs[-1]


def _compile(lib: Path) -> None:
    """``x.pyc`` beside each ``x.py`` of the built tree; tracebacks name ``mpcrawl.egg/…``.

    Unchecked: an egg never changes once built, so nothing compares bytecode and source.
    """
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        done = compileall.compile_dir(
            lib,
            quiet=1,
            legacy=True,
            ddir="mpcrawl.egg",
            invalidation_mode=PycInvalidationMode.UNCHECKED_HASH,
        )
    if not done:
        raise ScrapydError(f"compiling the egg's modules failed:\n{printed.getvalue()[-2000:]}")
