"""What the real CMS fixtures share: a cache built once, servers started by process group.

``build_cache`` (``tests.wordpress.wpserver``'s) builds into a temporary sibling folder
under a lock and renames it into place, so sessions running at the same time build it
once and never see half of one; ``serve`` starts a server in
its own process group (stop it with ``tests.wordpress.wpserver._stop_process`` and
SIGINT) and waits
until its home page answers.
"""

from __future__ import annotations

import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.wordpress.wpserver import _die_with_parent, _stop_process
from tests.wordpress.wpserver import build_cache as build_cache  # the CMS fixtures' import


class ServerError(RuntimeError):
    """A CMS server answered its home page with an HTTP error."""


def serve(
    cmd: list[str],
    env: dict[str, str],
    log: Path,
    url: str,
    cwd: Path | None = None,
    timeout: float = 60,
) -> subprocess.Popen[bytes] | None:
    """The started server once ``url/`` answers; None if it exited or never answered."""
    with open(log, "ab") as out:
        process = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(url + "/", timeout=30) as resp:
                resp.read()
            return process
        except urllib.error.HTTPError as exc:
            exc.close()
            _stop_process(process, signal.SIGINT)
            raise ServerError(f"{url}/ answers {exc.code}") from exc
        except OSError:
            time.sleep(0.05)
    _stop_process(process, signal.SIGINT)
    return None
