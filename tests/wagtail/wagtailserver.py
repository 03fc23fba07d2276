"""A small real Wagtail site on 127.0.0.1 for the test suite.

The site (``mpsite/``: models, templates, settings) is ours, built as an MP's office
would build one with Wagtail: a home page, a news index with 20 posts (8 print no date),
a contact form, a gallery index, a footer with a copyright year, the sitemap of
``wagtail.contrib.sitemaps``. ``seed.py`` migrates and seeds a SQLite file once into a
cache folder keyed by the installed Wagtail version and the site's sources
(``MPCRAWL_PLATFORMS_CACHE``, default ``~/.cache/mpcrawl-tests``); each session copies it
and serves it with Django's ``runserver`` on a free port.

By hand: ``python -m tests.wagtail.wagtailserver`` (from the repository root).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.drupal.drupalserver import cache_root
from tests.shared import REPO
from tests.web.cms import build_cache, serve
from tests.wordpress.wpserver import _free_port, _stop_process

HERE = Path(__file__).resolve().parent
SETTINGS = "tests.wagtail.mpsite.settings"


class WagtailError(RuntimeError):
    """The Wagtail site could not be set up or started."""


def wagtail_version() -> str | None:
    try:
        return importlib.metadata.version("wagtail")
    except importlib.metadata.PackageNotFoundError:
        return None


class Wagtail:
    """The cached, seeded SQLite file and this session's server."""

    def __init__(self, state_dir: str | os.PathLike[str]) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.timings: dict[str, float] = {}
        self.url = ""
        self.manifest: dict[str, Any] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self.db = self.state_dir / "wagtail.sqlite3"  # this instance's copy
        h = hashlib.sha256(str(wagtail_version()).encode())
        for path in sorted([HERE / "seed.py", *(HERE / "mpsite").rglob("*")]):
            if path.is_file() and path.suffix in (".py", ".html"):
                h.update(path.read_bytes())
        self.cache = cache_root() / f"wagtail-{h.hexdigest()[:16]}"

    def _env(self, db: Path) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "MPCRAWL_WAGTAIL_DB": str(db),
            "PYTHONPATH": str(REPO),
        }

    def start(self) -> Wagtail:
        if wagtail_version() is None:
            raise WagtailError("wagtail is not installed: pip install -e '.[test]'")
        t0 = time.monotonic()
        if not (self.cache / "ready").is_file():
            self._build_cache()
            self.timings["install"] = round(time.monotonic() - t0, 2)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.cache / "wagtail.sqlite3", self.db)
        self.manifest = json.loads((self.cache / "manifest.json").read_text())
        for _attempt in range(3):
            if self._serve(self.db):
                self.timings["total"] = round(time.monotonic() - t0, 2)
                return self
        raise WagtailError(f"runserver did not start: see {self.state_dir / 'server.log'}")

    def stop(self) -> None:
        if self.process is not None:
            _stop_process(self.process, signal.SIGINT)
            self.process = None

    def __enter__(self) -> Wagtail:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def publish(self, slug: str, text: str) -> dict[str, Any]:
        """Publish an edit to post ``slug`` through Wagtail's API (``publish.py``: ``text``
        at the top of its body); its id and new body. Only on a site of its own
        (``writable_wagtail``), never the shared ``wagtail_site``."""
        cmd = [sys.executable, "-m", "tests.wagtail.publish", slug, text]
        proc = subprocess.run(
            cmd, cwd=REPO, env=self._env(self.db), capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise WagtailError(f"publish failed:\n{proc.stderr[-3000:]}")
        done: dict[str, Any] = json.loads(proc.stdout)
        return done

    def _build_cache(self) -> None:
        build_cache(self.cache, self._build)

    def _build(self, build: Path) -> None:
        db = build / "wagtail.sqlite3"
        cmd = [sys.executable, "-m", "tests.wagtail.seed", str(build / "manifest.json")]
        proc = subprocess.run(
            cmd, cwd=REPO, env=self._env(db), capture_output=True, text=True, check=False
        )
        if proc.returncode != 0:
            raise WagtailError(f"seed failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")

    def _serve(self, db: Path) -> bool:
        port = _free_port()
        # The Site record gives the sitemap's absolute URLs: this session's host and port,
        # as an editor sets them in Settings > Sites.
        with sqlite3.connect(db) as con:
            con.execute("UPDATE wagtailcore_site SET hostname = '127.0.0.1', port = ?", (port,))
        cmd = [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]
        self.url = f"http://127.0.0.1:{port}"
        log = self.state_dir / "server.log"
        self.process = serve(cmd, self._env(db), log, self.url, cwd=REPO)
        return self.process is not None


if __name__ == "__main__":
    with Wagtail(tempfile.mkdtemp(prefix="mpcrawl-wagtail-")) as site:
        print(json.dumps({"url": site.url, "timings": site.timings}), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
