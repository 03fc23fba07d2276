"""WordPress 7.1 with its REST API closed, on the MariaDB of the ``wordpress`` fixture.

``../shared/platforms/wordpress-7.1.0.tar.xz`` is unpacked once into a cache folder keyed
by the hash of the tarball and of this folder's PHP (``MPCRAWL_PLATFORMS_CACHE``, default
``~/.cache/mpcrawl-tests``), with ``wp-config.php`` (database, socket and home URL from the
environment) and the must-use plugins of ``tests/wordpress/`` (``rest-closed.php`` closes
the API for anonymous readers, as security plugins do). ``seed.php`` installs it on the
default theme (twentytwentyfive) with ``posts`` posts once (each number its own cache); the
database is kept in the cache as a ``mariadb-dump`` and loaded into a second database of
the session's MariaDB (about a second), then served by ``php -S`` with
``tests/wordpress/router.php``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.drupal.drupalserver import cache_root
from tests.shared import SHARED
from tests.web.cms import build_cache, serve
from tests.wordpress.wpserver import (
    HERE as WP_HERE,
)
from tests.wordpress.wpserver import (
    WordPress,
    WordPressError,
    _free_port,
    _stop_process,
    _which,
    php_opcache,
)

HERE = Path(__file__).resolve().parent
TARBALL = SHARED / "platforms" / "wordpress-7.1.0.tar.xz"
SEED_DB = "wp71_seed"
# Enough for the tests' points (several feed and listing pages, a "More posts" block of
# other posts' dates on every page) at a fifth of the crawl of the 300 issue 23 was found
# at (``MPCRAWL_WORDPRESS71_POSTS=300`` seeds those).
TEST_POSTS = 60


class WordPress71:
    """The cached install, and this session's closed-API site."""

    def __init__(
        self, wordpress: WordPress, state_dir: str | os.PathLike[str], posts: int = TEST_POSTS
    ) -> None:
        self.wp = wordpress
        self.posts = posts
        self.state_dir = Path(state_dir).resolve()
        self.timings: dict[str, float] = {}
        self.url = ""
        self.manifest: dict[str, Any] = {}
        self.database = "wp71_closed"
        self.process: subprocess.Popen[bytes] | None = None
        h = hashlib.sha256(TARBALL.read_bytes())
        for path in (HERE / "seed.php", HERE / "wp-config.php", WP_HERE / "rest-closed.php"):
            h.update(path.read_bytes())
        h.update(str(posts).encode())
        self.cache = cache_root() / f"wordpress71-{h.hexdigest()[:16]}"

    def _env(self, database: str, home: str) -> dict[str, str]:
        return {
            **os.environ,
            "MPCRAWL_WP_DB": database,
            "MPCRAWL_WP_SOCKET": str(self.wp.socket),
            "MPCRAWL_WP_HOME": home,
            "MPCRAWL_WP_REST": "closed",
        }

    def start(self) -> WordPress71:
        t0 = time.monotonic()
        if not (self.cache / "ready").is_file():
            self._build_cache()
            self.timings["install"] = round(time.monotonic() - t0, 2)
        self.manifest = json.loads((self.cache / "manifest.json").read_text())
        database = self.database
        self.wp._mysql(f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database};")
        self.wp._mysql((self.cache / "seed.sql").read_text(), database=database)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):
            if self._serve(database):
                self.timings["total"] = round(time.monotonic() - t0, 2)
                return self
        raise WordPressError(f"WordPress 7.1 did not start: see {self.state_dir}")

    def add_post(self, title: str, content: str, when: datetime) -> int:
        """Publish a post straight into the database (as an editor's save leaves it)."""
        gmt = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        local = when.astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M:%S")
        slug = "-".join(title.lower().split())
        insert = (
            "INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content,"
            " post_title, post_excerpt, post_status, comment_status, ping_status, post_name,"
            " to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, guid,"
            f" post_type) VALUES (1, '{local}', '{gmt}', '{content}', '{title}', '',"
            f" 'publish', 'closed', 'open', '{slug}', '', '', '{local}', '{gmt}', '', '',"
            " 'post'); SELECT LAST_INSERT_ID();"
        )
        number = int(self.wp._mysql(insert, database=self.database).stdout.split()[-1])
        guid = f"{self.url}/?p={number}"
        self.wp._mysql(f"UPDATE wp_posts SET guid = '{guid}' WHERE ID = {number};", self.database)
        return number

    def delete_post(self, number: int) -> None:
        self.wp._mysql(f"DELETE FROM wp_posts WHERE ID = {number};", database=self.database)

    def stop(self) -> None:
        if self.process is not None:
            _stop_process(self.process, signal.SIGINT)
            self.process = None

    def _build_cache(self) -> None:
        database = f"{SEED_DB}_{os.getpid()}"
        try:
            build_cache(self.cache, lambda build: self._build(build, database))
        finally:
            self.wp._mysql(f"DROP DATABASE IF EXISTS {database};", check=False)

    def _build(self, build: Path, database: str) -> None:
        with tarfile.open(TARBALL) as tar:
            tar.extractall(build, filter="data")
        www = build / "www"
        (build / "wp-7.1.0").rename(www)
        shutil.copyfile(HERE / "wp-config.php", www / "wp-config.php")
        mu = www / "wp-content" / "mu-plugins"
        mu.mkdir(exist_ok=True)
        shutil.copyfile(WP_HERE / "mu-plugin.php", mu / "mpcrawl-test-site.php")
        shutil.copyfile(WP_HERE / "rest-closed.php", mu / "mpcrawl-rest-closed.php")
        self.wp._mysql(f"DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database};")
        env = self._env(database, "http://wp71-seed.invalid")
        cmd = [str(_which("php")), "-d", "memory_limit=1G", str(HERE / "seed.php")]
        proc = subprocess.run(
            [*cmd, str(www), str(build / "manifest.json"), str(self.posts)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0 or not (build / "manifest.json").is_file():
            raise WordPressError(f"seed.php failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        dump = [str(_which("mariadb-dump")), "--no-defaults", f"--socket={self.wp.socket}"]
        dump += ["--user=root", "--skip-dump-date", database]
        with open(build / "seed.sql", "wb") as out:
            subprocess.run(dump, stdout=out, check=True)

    def _serve(self, database: str) -> bool:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        cmd = [str(_which("php")), "-d", "display_errors=0", *php_opcache(), "-q"]
        cmd += ["-S", f"127.0.0.1:{port}", "-t", str(self.cache / "www")]
        cmd += [str(WP_HERE / "router.php")]
        env = {**self._env(database, self.url), "PHP_CLI_SERVER_WORKERS": "2"}
        self.process = serve(cmd, env, self.state_dir / "server.log", self.url)
        return self.process is not None
