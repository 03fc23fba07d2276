"""Packaging the project for Scrapyd: the egg it loads, built outside the source tree."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from mpcrawl.fanout.client import ScrapydError


def build_egg(project_dir: Path, out_dir: Path) -> Path:
    """Build the project's egg (what Scrapyd 1.6 loads) without writing into its tree.

    Package data declared in ``pyproject.toml`` (the MP list, the view SQL, the sample
    data) goes inside, with the ``scrapy`` entry point that names the settings module.
    """
    with tempfile.TemporaryDirectory(prefix="mpcrawl-egg-") as work:
        command = [
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
            "bdist_egg",
            "--bdist-dir",
            f"{work}/bdist",
            "--dist-dir",
            str(out_dir),
        ]
        result = subprocess.run(
            command, cwd=project_dir, capture_output=True, text=True, check=False
        )
    eggs = sorted(out_dir.glob("*.egg"), key=lambda p: p.stat().st_mtime)
    if result.returncode or not eggs:
        raise ScrapydError(f"building the egg failed:\n{result.stderr[-2000:]}")
    return eggs[-1]
