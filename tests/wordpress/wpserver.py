"""Real WordPress sites on 127.0.0.1 for the test suite (standard library only).

By hand::

    python tests/wordpress/wpserver.py start --state-dir /tmp/wp [--posts 5000]

prints one JSON document (URLs, credentials, manifests) and serves until Ctrl-C/SIGTERM.
``python tests/wordpress/wpserver.py check`` says what is missing.

How it works (Debian 12 packages, see install.sh):

- MariaDB runs from its own datadir in the state dir, unix socket only (no TCP), no grant
  tables; one database per site.
- Debian's WordPress (/usr/share/wordpress, symlinks resolved) is copied into a docroot
  with our own wp-config.php, which takes the database, the home URL and MariaDB's socket
  from the environment of the ``php -S`` process (MPCRAWL_WP_DB, MPCRAWL_WP_HOME,
  MPCRAWL_WP_SOCKET), so one read-only docroot serves every site of every session.
- ``seed.php`` installs WordPress and creates the content once into database ``wp_seed``
  (home ``http://wp-seed.invalid``) and writes ``manifest.json``. This is done once per
  machine into a cache (``cache_root()``: ``MPCRAWL_PLATFORMS_CACHE``, default
  ``~/.cache/mpcrawl-tests``), keyed by seed.php, the plugins, wp-config.php, the number
  of posts and the WordPress and MariaDB packages, by one session under a lock: the docroot
  with the seeded uploads, MariaDB's datadir shut down cleanly, the manifest. Each session
  serves that docroot in place and copies the datadir into its state dir (a second,
  against the ~10 CPU seconds of seeding); a state dir kept between sessions keeps its copy.
- Each site is a copy of ``wp_seed`` (CREATE TABLE LIKE + INSERT SELECT, the seed URL
  replaced in guids and content) served by its own ``php -S 127.0.0.1:PORT`` with
  router.php: ``pretty`` (permalinks /%postname%/) and ``plain`` (no permalink structure),
  plus any number of ``fork(name)`` copies for tests that change content;
  ``fork(name, rest="closed"|"hidden")`` serves a copy whose REST API is closed the way
  security plugins close it (``rest-closed.php``).
- Every process is started in its own process group and stopped by that id.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WP_SOURCE = Path("/usr/share/wordpress")
THEME = "twentytwentythree"
DEFAULT_POSTS = 260
# ``fork(..., posts=SMALL_POSTS)``: a site of ~30 posts for the tests whose point is an edit,
# a deletion or a capture, not the site's size (a crawl of its pages ~8x cheaper)
SMALL_POSTS = 20
SEED_DB = "wp_seed"
SEED_HOME = "http://wp-seed.invalid"
SEED_JSON = HERE / "data" / "wp-post-4407.json"
PRETTY = "/%postname%/"
PLAIN = ""
REST_MODES = ("open", "closed", "hidden", "closed-core")
PHP_EXTENSIONS = ("mysqli", "mbstring", "dom", "gd", "curl")
INSTALL_HINT = "run `bash tests/wordpress/install.sh` as root"
_SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
_FORMAT_VERSION = "1"


class WordPressError(RuntimeError):
    """A WordPress site could not be set up or started."""


def _which(name: str) -> str | None:
    path = os.pathsep.join([os.environ.get("PATH", ""), *_SBIN])
    return shutil.which(name, path=path)


def missing_requirements() -> list[str]:
    """What is missing for WordPress sites on this machine (empty when all is there)."""
    missing = [
        name
        for name in ("php", "mariadbd", "mariadb-install-db", "mariadb")
        if _which(name) is None
    ]
    if not (WP_SOURCE / "wp-load.php").is_file():
        missing.append(f"{WP_SOURCE} (package wordpress)")
    if not (WP_SOURCE / "wp-content" / "themes" / THEME / "theme.json").is_file():
        missing.append(f"theme {THEME} (package wordpress-theme-{THEME})")
    php = _which("php")
    if php is not None:
        code = "foreach($argv as $i=>$e){if($i&&!extension_loaded($e))echo $e,' ';}"
        out = subprocess.run(
            [php, "-r", code, *PHP_EXTENSIONS], capture_output=True, text=True, check=False
        ).stdout.split()
        missing += [f"php extension {ext}" for ext in out]
    return missing


def cache_root() -> Path:
    """Where installed platforms and the seeded WordPress are kept between sessions."""
    return Path(os.environ.get("MPCRAWL_PLATFORMS_CACHE") or Path.home() / ".cache/mpcrawl-tests")


def php_opcache() -> list[str]:
    """``php`` options: opcache on, the compiled scripts also kept on disk in the machine's
    cache, so that a new ``php -S`` (a fork, a session) or a ``php -r`` loads WordPress or
    Drupal compiled instead of compiling it again (~0.35 CPU s a server). A script changed
    since is compiled again (opcache compares its timestamp)."""
    folder = cache_root() / "php-opcache"
    folder.mkdir(parents=True, exist_ok=True)
    return ["-d", "opcache.enable_cli=1", "-d", f"opcache.file_cache={folder}"]


def build_cache(cache: Path, build: Callable[[Path], None]) -> None:
    """``build(folder)`` into a fresh folder, then renamed to ``cache`` (marked ``ready``).

    Under a lock beside it: of the sessions (pytest-xdist workers) that start together on
    a fresh machine one builds, the others wait for its cache instead of building it too;
    a half-built one is never seen (the rename)."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    with open(cache.parent / f"{cache.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (cache / "ready").is_file():
            return
        folder = Path(tempfile.mkdtemp(prefix=cache.name + ".", dir=cache.parent))
        try:
            build(folder)
            (folder / "ready").write_text("ok\n")
            try:
                folder.rename(cache)
            except OSError:  # a session of an older checkout, without the lock, was first
                shutil.rmtree(folder, ignore_errors=True)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Child processes get SIGTERM if the Python process that started them dies."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _php_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _sql_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _sql_name(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise ValueError(f"bad SQL name {name!r}")
    return f"`{name}`"


def _exited(pid: int, timeout: float) -> bool:
    """Wait for a child to exit WITHOUT reaping it (its pid, and so its group, stay ours)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
        except ChildProcessError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)


def _stop_process(
    proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 15.0
) -> None:
    """Stop a child started with start_new_session=True: its process group, by its id.

    ``php -S`` shuts down cleanly on SIGINT, the master reaping its workers (on SIGTERM the
    master dies at once and its workers linger as orphans); mariadbd on SIGTERM. Whatever
    is left in the group is killed before the leader is reaped, so the id cannot have been
    reused by then.
    """
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        if not _exited(proc.pid, timeout):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            _exited(proc.pid, 10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


class Instance:
    """One WordPress site: its own database, its own ``php -S`` on 127.0.0.1."""

    def __init__(
        self,
        name: str,
        port: int,
        database: str,
        permalinks: str,
        manifest: dict[str, Any],
        rest: str = "open",
    ) -> None:
        self.name = name
        self.rest = rest
        self.port = port
        self.database = database
        self.permalinks = permalinks
        self.url = f"http://127.0.0.1:{port}"
        self.pretty = bool(permalinks)
        self.api_root = (
            f"{self.url}/wp-json/" if self.pretty else f"{self.url}/index.php?rest_route=/"
        )
        self.manifest: dict[str, Any] = {
            **manifest,
            "name": name,
            "url": self.url,
            "api_root": self.api_root,
            "permalink_structure": permalinks,
            "database": database,
            "rest": rest,
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def auth(self) -> tuple[str, str]:
        """(login, application password) of the administrator, for HTTP Basic auth."""
        admin = self.manifest["admin"]
        return str(admin["login"]), str(admin["app_password"])

    def rest_url(self, route: str, query: str = "") -> str:
        """URL of a REST route in the form this site links to (``/wp/v2/posts``, ``a=1``)."""
        route = "/" + route.lstrip("/")
        if self.pretty:
            return f"{self.url}/wp-json{route}" + (f"?{query}" if query else "")
        return f"{self.url}/index.php?rest_route={route}" + (f"&{query}" if query else "")

    def __repr__(self) -> str:
        return f"<WordPress instance {self.name} {self.url}>"


class WordPress:
    """A MariaDB server, a seeded WordPress database and the sites served from it."""

    def __init__(
        self,
        state_dir: str | os.PathLike[str],
        posts: int = DEFAULT_POSTS,
        workers: int = 2,
        log: bool = False,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.posts = posts
        self.workers = workers
        self.log = log
        self.docroot = self.state_dir / "www"
        self.datadir = self.state_dir / "mysql"
        self.logdir = self.state_dir / "logs"
        self.manifest_path = self.state_dir / "manifest.json"
        self.manifest: dict[str, Any] = {}
        self.instances: dict[str, Instance] = {}
        self.timings: dict[str, float] = {}
        self.pretty: Instance
        self.plain: Instance
        self._mariadb: subprocess.Popen[bytes] | None = None
        self._socket_dir: str | None = None
        self._lock = threading.Lock()
        self.socket = self.state_dir / "mysql.sock"
        if len(str(self.socket)) > 100:  # sun_path is 108 bytes
            self._socket_dir = tempfile.mkdtemp(prefix="mpcrawl-wp-")
            self.socket = Path(self._socket_dir) / "mysql.sock"

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> WordPress:
        missing = missing_requirements()
        if missing:
            raise WordPressError(f"missing {', '.join(missing)}; {INSTALL_HINT}")
        t0 = time.monotonic()
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            self.logdir.mkdir(exist_ok=True)
            self._timed("cache", self._from_cache)
            self._timed("mariadb", self._start_mariadb)
            self._timed("instances", self._start_default_instances)
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = round(time.monotonic() - t0, 2)
        return self

    def _start_default_instances(self) -> None:
        self.pretty = self.fork("pretty", PRETTY)
        self.plain = self.fork("plain", PLAIN)

    def stop(self) -> None:
        """Stop every site and the database server (by their process ids)."""
        for inst in list(self.instances.values()):
            self.stop_instance(inst, drop=False)
        if self._mariadb is not None:
            _stop_process(self._mariadb, timeout=30)
            self._mariadb = None
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    def __enter__(self) -> WordPress:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _timed(self, what: str, fn: Any) -> None:
        t = time.monotonic()
        fn()
        self.timings[what] = round(time.monotonic() - t, 2)
        self._say(f"{what}: {self.timings[what]} s")

    def _say(self, msg: str) -> None:
        if self.log:
            print(f"wpserver: {msg}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------------ files
    def _make_docroot(self) -> None:
        """Debian's WordPress copied into a fresh docroot, with our wp-config.php and
        must-use plugins (for :meth:`_build_seed`)."""
        # Debian's tree has symlinks into /usr/share/php, /usr/share/javascript, ...:
        # copy what they point to. wp-config.php (dispatching on Host to
        # /etc/wordpress/config-<host>.php), .htaccess and wp-content are ours.
        shutil.copytree(
            WP_SOURCE,
            self.docroot,
            symlinks=False,
            ignore_dangling_symlinks=True,
            ignore=shutil.ignore_patterns("wp-config.php", ".htaccess", "wp-content"),
            copy_function=shutil.copy,
        )
        content = self.docroot / "wp-content"
        shutil.copytree(
            WP_SOURCE / "wp-content" / "themes" / THEME,
            content / "themes" / THEME,
            symlinks=False,
            copy_function=shutil.copy,
        )
        (content / "plugins").mkdir()
        (content / "uploads").mkdir()
        for sub in ("", "themes", "plugins"):
            (content / sub / "index.php").write_text("<?php\n// Silence is golden.\n")
        mu = self.docroot / "wp-content" / "mu-plugins"
        mu.mkdir(exist_ok=True)
        shutil.copyfile(HERE / "mu-plugin.php", mu / "mpcrawl-test-site.php")
        shutil.copyfile(HERE / "rest-closed.php", mu / "mpcrawl-rest-closed.php")
        (self.docroot / "wp-config.php").write_text(self._wp_config())

    def _wp_config(self) -> str:
        salts = "\n".join(
            f"define( '{k}', '{hashlib.sha256(k.encode()).hexdigest()}' );"
            for k in (
                "AUTH_KEY",
                "SECURE_AUTH_KEY",
                "LOGGED_IN_KEY",
                "NONCE_KEY",
                "AUTH_SALT",
                "SECURE_AUTH_SALT",
                "LOGGED_IN_SALT",
                "NONCE_SALT",
            )
        )
        return f"""<?php
// Written by tests/wordpress/wpserver.py. One docroot serves every site: the database
// and the home URL come from the environment of the `php -S` process.
$mpcrawl_db   = getenv( 'MPCRAWL_WP_DB' ) ?: {_php_quote(SEED_DB)};
$mpcrawl_home = getenv( 'MPCRAWL_WP_HOME' ) ?: {_php_quote(SEED_HOME)};
define( 'DB_NAME', $mpcrawl_db );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost:' . getenv( 'MPCRAWL_WP_SOCKET' ) );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'WP_HOME', $mpcrawl_home );
define( 'WP_SITEURL', $mpcrawl_home );
{salts}
// 'local': application passwords are refused over plain http otherwise.
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'FS_METHOD', 'direct' );
define( 'WP_DEBUG', false );
$table_prefix = 'wp_';
if ( ! defined( 'ABSPATH' ) ) {{
	define( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""

    # ------------------------------------------------------------------ database
    def _start_mariadb(self) -> None:
        mysql_dir = self.datadir / "mysql"
        # the server's temporary tables in its own folder, not the machine's /tmp, which
        # two workers' servers (and whatever else runs) share: a CI run lost one there
        tmpdir = self.state_dir / "mariadb-tmp"
        tmpdir.mkdir(parents=True, exist_ok=True)
        if not mysql_dir.is_dir():
            if self.datadir.exists():
                shutil.rmtree(self.datadir)
            cmd = [
                str(_which("mariadb-install-db")),
                "--no-defaults",
                f"--datadir={self.datadir}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                f"--tmpdir={tmpdir}",
            ]
            if os.geteuid() == 0:
                cmd.append("--user=root")
            self._run(cmd, "mariadb-install-db")
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        cmd = [
            str(_which("mariadbd")),
            "--no-defaults",
            f"--datadir={self.datadir}",
            f"--socket={self.socket}",
            f"--tmpdir={tmpdir}",
            f"--pid-file={self.state_dir / 'mariadbd.pid'}",
            f"--log-error={self.logdir / 'mariadbd.log'}",
            "--skip-networking",
            "--skip-grant-tables",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--innodb-buffer-pool-size=128M",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--max-connections=200",
        ]
        if os.geteuid() == 0:
            cmd.append("--user=root")
        self._mariadb = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._mariadb.poll() is not None:
                raise WordPressError(f"mariadbd exited: {self._tail('mariadbd.log')}")
            if self.socket.exists():
                probe = self._mysql("SELECT 1", check=False)
                if probe.returncode == 0:
                    return
            time.sleep(0.05)
        raise WordPressError(f"mariadbd did not start: {self._tail('mariadbd.log')}")

    def _mysql(
        self, sql: str, database: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        cmd = [
            str(_which("mariadb")),
            "--no-defaults",
            f"--socket={self.socket}",
            "--user=root",
            "--batch",
            "--skip-column-names",
        ]
        if database:
            cmd.append(database)
        proc = subprocess.run(cmd, input=sql, capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise WordPressError(f"SQL failed: {proc.stderr.strip()}\n{sql[:500]}")
        return proc

    def _trimmed(self, posts: int | None) -> tuple[dict[str, Any], list[int]]:
        """The manifest of a fork keeping ``posts`` generated posts, and the ids it drops."""
        m = self.manifest
        if posts is None or m.get("first_bulk_post") is None:
            return m, []
        bulk = self._mysql(
            f"SELECT ID FROM wp_posts WHERE post_type = 'post' AND ID <> {int(m['seed_post'])}"
            f" AND ID BETWEEN {int(m['first_bulk_post'])} AND {int(m['last_bulk_post'])}"
            " ORDER BY ID",
            database=SEED_DB,
        ).stdout.split()
        step = max(1, len(bulk) // max(1, posts))  # spread over the seeded years
        kept = [int(i) for i in bulk[::step][:posts]]
        dropped = sorted(set(map(int, bulk)) - set(kept))
        if not dropped:
            return m, []
        gone = set(dropped)
        manifest = {
            **m,
            "public_posts": m["public_posts"] - len(dropped),
            "posts_requested": posts,
            "first_bulk_post": kept[0] if kept else None,
            "last_bulk_post": kept[-1] if kept else None,
            "featured_posts": [p for p in m["featured_posts"] if p not in gone],
        }
        return manifest, dropped

    def _copy_database(
        self, target: str, url: str, permalinks: str, dropped: list[int] | None = None
    ) -> None:
        tables = self._mysql("SHOW TABLES", database=SEED_DB).stdout.split()
        src, dst = _sql_name(SEED_DB), _sql_name(target)
        lines = [f"DROP DATABASE IF EXISTS {dst};", f"CREATE DATABASE {dst};", "SET autocommit=0;"]
        for table in tables:
            t = _sql_name(table)
            lines.append(f"CREATE TABLE {dst}.{t} LIKE {src}.{t};")
            lines.append(f"INSERT INTO {dst}.{t} SELECT * FROM {src}.{t};")
        seed, new = _sql_quote(SEED_HOME), _sql_quote(url)
        lines += [
            f"UPDATE {dst}.wp_options SET option_value = {new}"
            " WHERE option_name IN ('home', 'siteurl');",
            f"UPDATE {dst}.wp_options SET option_value = {_sql_quote(permalinks)}"
            " WHERE option_name = 'permalink_structure';",
            f"UPDATE {dst}.wp_posts SET guid = REPLACE(guid, {seed}, {new}),"
            f" post_content = REPLACE(post_content, {seed}, {new});",
            "COMMIT;",
        ]
        if dropped:
            # the posts, their revisions, meta, terms and comments; then the terms' counts
            # (WordPress's sitemaps and listings leave out a term whose count is 0)
            ids = ",".join(str(int(i)) for i in dropped)
            lines[-1:-1] = [
                f"DELETE FROM {dst}.wp_posts WHERE ID IN ({ids})"
                f" OR (post_type = 'revision' AND post_parent IN ({ids}));",
                f"DELETE FROM {dst}.wp_postmeta WHERE post_id NOT IN"
                f" (SELECT ID FROM {dst}.wp_posts);",
                f"DELETE FROM {dst}.wp_term_relationships WHERE object_id IN ({ids});",
                f"DELETE FROM {dst}.wp_comments WHERE comment_post_ID IN ({ids});",
                f"UPDATE {dst}.wp_term_taxonomy tt SET count = (SELECT count(*) FROM"
                f" {dst}.wp_term_relationships tr JOIN {dst}.wp_posts p ON p.ID = tr.object_id"
                " WHERE tr.term_taxonomy_id = tt.term_taxonomy_id AND p.post_status = 'publish')"
                " WHERE tt.taxonomy IN ('category', 'post_tag');",
            ]
        if permalinks != PRETTY:
            # WordPress rebuilds the rules for the new structure on the next request.
            lines.insert(-1, f"DELETE FROM {dst}.wp_options WHERE option_name = 'rewrite_rules';")
        self._mysql("\n".join(lines))

    # ------------------------------------------------------------------ seeding
    def _seed_key(self) -> str:
        h = hashlib.sha256()
        # what the seeded database and the docroot are made of
        for path in (
            HERE / "seed.php",
            HERE / "mu-plugin.php",
            HERE / "rest-closed.php",
            SEED_JSON,
        ):
            h.update(path.read_bytes())
        h.update(f"{self.posts}|{_FORMAT_VERSION}|{self._wp_config()}".encode())
        h.update((WP_SOURCE / "wp-includes" / "version.php").read_bytes())
        mariadbd = Path(str(_which("mariadbd"))).stat()  # its datadir's format
        h.update(f"{mariadbd.st_size}|{mariadbd.st_mtime_ns}".encode())
        return h.hexdigest()

    def _from_cache(self) -> None:
        """The seeded state from the machine's cache (built the first time, by one session):
        its docroot served in place (read-only: wp-config.php takes the database and socket
        from the environment), its datadir copied, instead of seed.php in every session."""
        key = self._seed_key()
        cache = cache_root() / f"wordpress-{key[:16]}"
        build_cache(cache, self._build_seed)
        self.docroot = cache / "www"
        stamp = self.state_dir / "seed.stamp"
        if not (stamp.is_file() and stamp.read_text() == key and self.datadir.is_dir()):
            stamp.unlink(missing_ok=True)
            shutil.rmtree(self.datadir, ignore_errors=True)
            shutil.copytree(cache / "mysql", self.datadir)
            shutil.copyfile(cache / "manifest.json", self.manifest_path)
            stamp.write_text(key)
        self.manifest = json.loads(self.manifest_path.read_text())

    def _build_seed(self, folder: Path) -> None:
        """The seeded state in ``folder`` for :meth:`_from_cache`: the docroot with the
        uploads seed.php wrote, MariaDB's datadir shut down cleanly (so it can be copied),
        the manifest."""
        seeder = WordPress(folder / "state", posts=self.posts, log=self.log)
        try:
            seeder.state_dir.mkdir(parents=True)
            seeder.logdir.mkdir()
            seeder._make_docroot()
            seeder._start_mariadb()
            seeder._seed()
        finally:
            seeder.stop()
        for name in ("www", "mysql", "manifest.json"):
            (seeder.state_dir / name).rename(folder / name)
        shutil.rmtree(seeder.state_dir)

    def _seed(self) -> None:
        """``seed.php`` into database ``wp_seed`` and the manifest (for :meth:`_build_seed`)."""
        self._mysql(f"DROP DATABASE IF EXISTS {_sql_name(SEED_DB)}; CREATE DATABASE {SEED_DB};")
        uploads = self.docroot / "wp-content" / "uploads"
        shutil.rmtree(uploads, ignore_errors=True)
        uploads.mkdir()
        php = str(_which("php"))
        env = self._env(SEED_DB, SEED_HOME)
        base = [php, *self._php_ini(), "-d", "memory_limit=2G", str(HERE / "seed.php")]
        self._run([*base, "install", f"--docroot={self.docroot}"], "seed.php install", env=env)
        self._run(
            [
                *base,
                "content",
                f"--docroot={self.docroot}",
                f"--posts={self.posts}",
                f"--manifest={self.manifest_path}",
                f"--seed-json={SEED_JSON}",
            ],
            "seed.php content",
            env=env,
        )
        self.manifest = json.loads(self.manifest_path.read_text())

    def _env(self, database: str, home: str, **more: str) -> dict[str, str]:
        """The environment wp-config.php reads: the site's database, home URL and socket."""
        site = {"MPCRAWL_WP_DB": database, "MPCRAWL_WP_HOME": home}
        return {**os.environ, **site, "MPCRAWL_WP_SOCKET": str(self.socket), **more}

    def _php_ini(self) -> list[str]:
        return [
            "-d",
            "display_errors=0",
            "-d",
            "log_errors=1",
            "-d",
            f"error_log={self.logdir / 'php-errors.log'}",
            *php_opcache(),
        ]

    def _run(self, cmd: list[str], what: str, env: dict[str, str] | None = None) -> None:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            raise WordPressError(
                f"{what} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
                f"\n{self._tail('php-errors.log')}"
            )

    def _tail(self, name: str, n: int = 3000) -> str:
        path = self.logdir / name
        return path.read_text(errors="replace")[-n:] if path.is_file() else ""

    # ------------------------------------------------------------------ sites
    def fork(
        self, name: str, permalinks: str = PRETTY, rest: str = "open", posts: int | None = None
    ) -> Instance:
        """A new site from the seeded state: fresh database copy, own php server and port.

        ``permalinks`` is a permalink structure (``"/%postname%/"``) or ``""`` for plain.
        ``rest`` is ``"open"``, ``"closed"`` (401 ``rest_not_logged_in`` for anonymous
        readers), ``"hidden"`` (also no API links, 404 for ``/wp-json/``) or
        ``"closed-core"`` (closed, its sitemaps as core writes them: no ``lastmod``); see
        ``rest-closed.php``. ``posts`` keeps only the first that many generated posts (the
        seed post, the special posts of the manifest and the pages stay): a smaller site
        for a test whose point is not the site's size. Forking an existing name replaces
        that site with a fresh copy.
        """
        if not re.fullmatch(r"[a-z0-9_]{1,40}", name):
            raise ValueError(f"instance name must match [a-z0-9_]{{1,40}}: {name!r}")
        if rest not in REST_MODES:
            raise ValueError(f"rest must be one of {REST_MODES}: {rest!r}")
        if self._mariadb is None:
            raise WordPressError("WordPress.start() first")
        with self._lock:
            old = self.instances.pop(name, None)
            if old is not None:
                self.stop_instance(old, drop=False)
            database = f"wp_{name}"
            manifest, dropped = self._trimmed(posts)
            for _attempt in range(3):
                inst = Instance(name, _free_port(), database, permalinks, manifest, rest)
                self._copy_database(database, inst.url, permalinks, dropped)
                if self._serve(inst):
                    break
            else:
                raise WordPressError(
                    f"php -S for {name} did not start: {self._tail(name + '.log')}"
                )
            self.instances[name] = inst
            (self.state_dir / f"manifest-{name}.json").write_text(
                json.dumps(inst.manifest, indent=2) + "\n"
            )
            return inst

    def set_rest(self, inst: Instance, rest: str) -> None:
        """Serve ``inst`` again, same database, port and URL, with its REST API ``rest``: a
        site whose owner closes the API with a security plugin (or opens it again)."""
        if rest not in REST_MODES:
            raise ValueError(f"rest must be one of {REST_MODES}: {rest!r}")
        if inst.process is not None:
            _stop_process(inst.process, signal.SIGINT)
            inst.process = None
        inst.rest = inst.manifest["rest"] = rest
        if not self._serve(inst):
            raise WordPressError(
                f"php -S for {inst.name} did not start: {self._tail(inst.name + '.log')}"
            )

    def php(self, inst: Instance, code: str) -> str:
        """Run PHP ``code`` inside WordPress for ``inst`` (wp-load.php, as the administrator).

        The way wp-cli's ``wp eval`` changes a site: the WordPress API itself, no HTTP, so it
        works whatever the site's REST API answers (``rest="hidden"`` 404s even
        authenticated REST requests). Returns what the code prints; a non-zero exit fails.
        """
        script = (
            "$_SERVER['HTTP_HOST'] = '127.0.0.1'; $_SERVER['REQUEST_URI'] = '/';"
            " $_SERVER['REQUEST_METHOD'] = 'GET'; $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';"
            f" require {_php_quote(str(self.docroot / 'wp-load.php'))};"
            " wp_set_current_user(1);\n" + code
        )
        env = self._env(inst.database, inst.url, MPCRAWL_WP_REST=inst.rest)
        cmd = [str(_which("php")), *self._php_ini(), "-d", "display_errors=stderr", "-r", script]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            raise WordPressError(
                f"php for {inst.name} failed ({proc.returncode}): {proc.stderr[-3000:]}"
                f"\n{code[:500]}"
            )
        return proc.stdout

    def stop_instance(self, inst: Instance, drop: bool = True) -> None:
        """Stop a site's php server; ``drop`` also deletes its database."""
        if inst.process is not None:
            _stop_process(inst.process, signal.SIGINT)
            inst.process = None
        if self.instances.get(inst.name) is inst:
            del self.instances[inst.name]
        if drop and self._mariadb is not None:
            self._mysql(f"DROP DATABASE IF EXISTS {_sql_name(inst.database)};", check=False)

    def _serve(self, inst: Instance) -> bool:
        env = self._env(
            inst.database,
            inst.url,
            PHP_CLI_SERVER_WORKERS=str(self.workers),
            MPCRAWL_WP_REST=inst.rest,
        )
        cmd = [
            str(_which("php")),
            *self._php_ini(),
            "-d",
            "memory_limit=512M",
            "-q",
            "-S",
            f"127.0.0.1:{inst.port}",
            "-t",
            str(self.docroot),
            str(HERE / "router.php"),
        ]
        with open(self.logdir / f"{inst.name}.log", "ab") as log:
            inst.process = subprocess.Popen(
                cmd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if inst.process.poll() is not None:
                inst.process = None
                return False
            try:
                # The first request also builds the rewrite rules of a plain site.
                ready = inst.rest_url("/") if inst.rest == "open" else inst.url + "/"
                with urllib.request.urlopen(ready, timeout=30) as resp:
                    resp.read()
                return True
            except urllib.error.HTTPError as exc:
                exc.close()
                raise WordPressError(f"{inst.name}: API root answers {exc.code}") from exc
            except OSError:
                time.sleep(0.05)
        _stop_process(inst.process, signal.SIGINT)
        inst.process = None
        return False

    def describe(self) -> dict[str, Any]:
        """Everything a user needs, as printed by ``wpserver.py start``."""
        return {
            "state_dir": str(self.state_dir),
            "timings": self.timings,
            "admin": self.manifest.get("admin"),
            "instances": {name: inst.manifest for name, inst in self.instances.items()},
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start MariaDB + the pretty and plain sites")
    start.add_argument("--state-dir", required=True)
    start.add_argument("--posts", type=int, default=DEFAULT_POSTS)
    start.add_argument("--workers", type=int, default=2)
    sub.add_parser("check", help="list missing packages")
    args = parser.parse_args(argv)
    if args.command == "check":
        missing = missing_requirements()
        print("ok" if not missing else f"missing: {', '.join(missing)}; {INSTALL_HINT}")
        return 1 if missing else 0

    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    wp = WordPress(args.state_dir, posts=args.posts, workers=args.workers, log=True)
    try:
        wp.start()
        print(json.dumps(wp.describe(), indent=2), flush=True)
        while not stop.wait(1):
            pass
    finally:
        wp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
