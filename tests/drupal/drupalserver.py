"""Real Drupal 7 sites on 127.0.0.1 for the test suite (standard library only).

By hand::

    python tests/drupal/drupalserver.py start --state-dir /tmp/d7

How it works (Debian's PHP 8.2 CLI with SQLite, GD, XML, mbstring; ``install.sh``):

- ``../shared/platforms/drupal-7.105.tar.gz`` is unpacked once into a cache folder keyed by
  the hash of the tarballs and of ``site.php``/``settings.php`` (``MPCRAWL_PLATFORMS_CACHE``,
  default ``~/.cache/mpcrawl-tests``), with the xmlsitemap module in ``sites/all/modules``
  and our ``settings.php``, which takes the SQLite file and the files folder from the
  environment, so one read-only docroot serves every site.
- ``site.php`` installs Drupal (``install_drupal()``, profile ``standard``) and seeds it
  through Drupal's API, once per variant into the cache: ``core`` (RSS feed, no sitemap)
  and ``xmlsitemap``. A new cache is built in a temporary folder and renamed into place, so
  sessions running at the same time never see half of one.
- Each session copies the SQLite file and the files folder of each variant into its own
  state dir and serves them with ``php -S 127.0.0.1:PORT`` and ``router.php`` (clean URLs);
  the xmlsitemap variant's sitemap is regenerated for the session's URL by the module.
- A test that changes a site gets one of its own (``Drupal(..., nodes=36)``: a smaller
  cache seeded by the same rules) and changes it with :meth:`Site.change` (node_save,
  node_delete, then the xmlsitemap module's cron work, in ``regenerate.php``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tests.shared import SHARED
from tests.web.cms import build_cache, serve
from tests.wordpress.wpserver import _free_port, _stop_process, _which, cache_root, php_opcache

HERE = Path(__file__).resolve().parent
PLATFORMS = SHARED / "platforms"
DRUPAL_TARBALL = PLATFORMS / "drupal-7.105.tar.gz"
XMLSITEMAP_TARBALL = PLATFORMS / "xmlsitemap-7.x-2.6.tar.gz"
PHP_EXTENSIONS = ("pdo_sqlite", "gd", "dom", "mbstring")
INSTALL_HINT = "run `bash tests/wordpress/install.sh` as root"
Variant = Literal["core", "xmlsitemap"]
VARIANTS: tuple[Variant, ...] = ("core", "xmlsitemap")


class DrupalError(RuntimeError):
    """A Drupal site could not be set up or started."""


def missing_requirements() -> list[str]:
    """What is missing for Drupal sites on this machine (empty when all is there)."""
    missing = [str(p) for p in (DRUPAL_TARBALL, XMLSITEMAP_TARBALL) if not p.is_file()]
    php = _which("php")
    if php is None:
        return [*missing, "php (package php-cli)"]
    code = "foreach($argv as $i=>$e){if($i&&!extension_loaded($e))echo $e,' ';}"
    out = subprocess.run(
        [php, "-r", code, *PHP_EXTENSIONS], capture_output=True, text=True, check=False
    ).stdout.split()
    return missing + [f"php extension {ext}" for ext in out]


def _run(cmd: list[str], what: str, env: dict[str, str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0 or "Fatal error" in proc.stdout:
        raise DrupalError(
            f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return proc.stdout


@dataclass
class Site:
    """One Drupal site: its variant, its URL and what was seeded into it."""

    variant: Variant
    url: str
    manifest: dict[str, Any]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    docroot: Path = field(default=Path(), repr=False)
    env: dict[str, str] = field(default_factory=dict, repr=False)  # its database and files

    def published(self) -> list[dict[str, Any]]:
        """The seeded nodes a visitor can read."""
        return [n for n in self.manifest["nodes"] if n["status"]]

    def regenerate(self, *change: str) -> str:
        """``regenerate.php`` on this site's database (its sitemap, after ``change``)."""
        cmd = [str(_which("php")), *php_opcache(), str(HERE / "regenerate.php")]
        cmd += [str(self.docroot), self.url]
        return _run([*cmd, *change], "regenerate.php", self.env)

    def change(
        self, action: Literal["edit", "unpublish", "delete"], nid: int, text: str = ""
    ) -> dict[str, Any]:
        """Change node ``nid`` through Drupal's API as an editor would (``regenerate.php``:
        ``edit`` puts the paragraph ``text`` at the top of its body), then, with xmlsitemap,
        what the module's cron does: its sitemap says so. The node's id, action and body.

        Only on a site of its own (``writable_drupal``), never the shared ``drupal``."""
        done: dict[str, Any] = json.loads(self.regenerate(action, str(nid), text))
        return done


class Drupal:
    """The cached install and one served site per variant for this session."""

    def __init__(
        self,
        state_dir: str | os.PathLike[str],
        workers: int = 2,
        nodes: int = 305,
        variants: tuple[Variant, ...] = VARIANTS,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.workers = workers
        self.nodes = nodes  # seeded per variant, every 61st unpublished (site.php)
        self.variants = variants  # served by this instance; the cache holds both
        self.sites: dict[Variant, Site] = {}
        self.timings: dict[str, float] = {}
        size = "" if nodes == 305 else f"-{nodes}"
        self.cache = cache_root() / f"drupal-{self._key()[:16]}{size}"

    def _key(self) -> str:
        h = hashlib.sha256()
        for path in (DRUPAL_TARBALL, XMLSITEMAP_TARBALL, HERE / "site.php", HERE / "settings.php"):
            h.update(path.read_bytes())
        return h.hexdigest()

    @property
    def docroot(self) -> Path:
        return self.cache / "www"

    def start(self) -> Drupal:
        missing = missing_requirements()
        if missing:
            raise DrupalError(f"missing {', '.join(missing)}; {INSTALL_HINT}")
        t0 = time.monotonic()
        try:
            if not (self.cache / "ready").is_file():
                self._build_cache()
                self.timings["install"] = round(time.monotonic() - t0, 2)
            threads = [threading.Thread(target=self._start_site, args=(v,)) for v in self.variants]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if len(self.sites) != len(self.variants):
                raise DrupalError(f"only {sorted(self.sites)} started; see {self.state_dir}")
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = round(time.monotonic() - t0, 2)
        return self

    def stop(self) -> None:
        """Stop every site's php server, by its process id."""
        for site in self.sites.values():
            if site.process is not None:
                _stop_process(site.process, signal.SIGINT)
                site.process = None

    def __enter__(self) -> Drupal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ the cache
    def _build_cache(self) -> None:
        build_cache(self.cache, self._build)

    def _build(self, build: Path) -> None:
        www = build / "www"
        with tarfile.open(DRUPAL_TARBALL) as tar:
            tar.extractall(build, filter="data")
        (build / "drupal-7.105").rename(www)
        with tarfile.open(XMLSITEMAP_TARBALL) as tar:
            tar.extractall(www / "sites" / "all" / "modules", filter="data")
        shutil.copyfile(HERE / "settings.php", www / "sites" / "default" / "settings.php")
        for variant in VARIANTS:
            env = {
                **os.environ,
                "MPCRAWL_DRUPAL_DB": str(build / f"{variant}.sqlite"),
                "MPCRAWL_DRUPAL_FILES": str(build / f"files-{variant}"),
            }
            cmd = [str(_which("php")), "-d", "memory_limit=1G", "-d", "display_errors=stderr"]
            cmd += [str(HERE / "site.php"), str(www), variant]
            manifest = str(build / f"manifest-{variant}.json")
            _run([*cmd, manifest, str(self.nodes)], f"site.php {variant}", env)

    # ------------------------------------------------------------------ sites
    def _start_site(self, variant: Variant) -> None:
        t0 = time.monotonic()
        state = self.state_dir / variant
        if state.exists():
            shutil.rmtree(state)
        state.mkdir(parents=True)
        shutil.copyfile(self.cache / f"{variant}.sqlite", state / "site.sqlite")
        shutil.copytree(self.cache / f"files-{variant}", state / "files")
        manifest = json.loads((self.cache / f"manifest-{variant}.json").read_text())
        env = {
            **os.environ,
            "MPCRAWL_DRUPAL_DB": str(state / "site.sqlite"),
            "MPCRAWL_DRUPAL_FILES": str(state / "files"),
            "PHP_CLI_SERVER_WORKERS": str(self.workers),
        }
        for _attempt in range(3):
            url = f"http://127.0.0.1:{_free_port()}"
            site = Site(variant, url, manifest, docroot=self.docroot, env=env)
            if variant == "xmlsitemap":
                site.regenerate()
            if self._serve(site, env, state):
                self.sites[variant] = site
                self.timings[variant] = round(time.monotonic() - t0, 2)
                return

    def _serve(self, site: Site, env: dict[str, str], state: Path) -> bool:
        port = site.url.rsplit(":", 1)[1]
        cmd = [str(_which("php")), "-d", "display_errors=0", "-d", "log_errors=1"]
        cmd += ["-d", f"error_log={state / 'php-errors.log'}", *php_opcache()]
        cmd += ["-q", "-S", f"127.0.0.1:{port}", "-t", str(self.docroot), str(HERE / "router.php")]
        site.process = serve(cmd, env, state / "server.log", site.url)
        return site.process is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "check"])
    parser.add_argument("--state-dir", default=None)
    args = parser.parse_args(argv)
    if args.command == "check":
        missing = missing_requirements()
        print("ok" if not missing else f"missing: {', '.join(missing)}; {INSTALL_HINT}")
        return 1 if missing else 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with Drupal(args.state_dir or tempfile.mkdtemp(prefix="mpcrawl-d7-")) as drupal:
        described = {v: s.url for v, s in drupal.sites.items()}
        print(json.dumps({"sites": described, "timings": drupal.timings}, indent=2), flush=True)
        while not stop.wait(1):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
