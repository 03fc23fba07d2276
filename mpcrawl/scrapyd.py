"""Scrapyd, spoken plainly: build the project's egg, deploy it, schedule shard jobs, poll.

The unit of distribution is the site: ``scrapy fanout`` cuts the site list into shards
(a stable hash of ``site``, the same one ``-a shard=K/N`` uses) and schedules one
``wp`` job per shard on the nodes in turn. A node cannot open a path on another machine,
so each job carries its shard's rows as ``-a sites_csv=...``; the shard filter is passed
too and is a no-op there. Each job's run id names its node and Scrapyd job id, so the
part files of every job are told apart in the shared archive. HTTP is stdlib urllib.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from mpcrawl.sitelist import SiteEntry, in_shard

# Linux refuses a single command-line argument over 128 KiB (MAX_ARG_STRLEN), and Scrapyd
# passes spider arguments on its job's command line.
MAX_ARG_BYTES = 128 * 1024 - 1024


class ScrapydError(RuntimeError):
    """A Scrapyd node could not be reached or refused a request."""


@dataclass(frozen=True, slots=True)
class ShardJob:
    """One ``wp`` job: a shard of the site list, the node it runs on, its ids and form."""

    node: str
    shard: tuple[int, int]
    jobid: str
    run_id: str
    sites: int
    form: tuple[tuple[str, str], ...]

    @property
    def shard_text(self) -> str:
        return f"{self.shard[0]}/{self.shard[1]}"


def node_label(node: str) -> str:
    """A node URL as it appears in run ids and file names.

    >>> node_label("http://user:pw@Crawler-2.lan:6800/")
    'crawler-2-lan-6800'
    """
    parts = urlsplit(node)
    name = f"{parts.hostname or 'node'}-{parts.port or ''}"
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def public_url(node: str) -> str:
    """A node URL without its credentials, for printing.

    >>> public_url("http://user:secret@crawl1:6800/")
    'http://crawl1:6800'
    """
    parts = urlsplit(node.rstrip("/"))
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def shard_csv(entries: Iterable[SiteEntry]) -> str:
    """Site entries back as CSV text: ``url`` first, then every metadata column seen.

    >>> shard_csv([SiteEntry("a.org", "https://a.org", {"name": "A"})])
    'url,name\\r\\nhttps://a.org,A\\r\\n'
    """
    entries = list(entries)
    columns = list(dict.fromkeys(key for entry in entries for key in entry.metadata))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["url", *columns])
    for entry in entries:
        writer.writerow([entry.url, *(entry.metadata.get(c, "") for c in columns)])
    return out.getvalue()


def plan_jobs(
    nodes: Sequence[str],
    entries: Sequence[SiteEntry],
    *,
    shards: int,
    project: str,
    spider_args: dict[str, str],
    settings: dict[str, str],
    spider: str = "wp",
    version: str | None = None,
    now: datetime | None = None,
) -> list[ShardJob]:
    """The ``schedule.json`` form of each shard; shard k goes to node ((k - 1) mod nodes).

    ``version`` pins every job to one deployed egg (default: each node's newest).
    """
    if not nodes:
        raise ValueError("no Scrapyd node given")
    stamp = f"{now or datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    jobs = []
    for k in range(1, shards + 1):
        node = nodes[(k - 1) % len(nodes)].rstrip("/")
        rows = [e for e in entries if in_shard(e.site, (k, shards))]
        text = shard_csv(rows)
        if len(text.encode()) > MAX_ARG_BYTES:
            raise ValueError(
                f"shard {k}/{shards} lists {len(rows)} sites in {len(text.encode())} bytes, "
                f"more than a job's command line holds; use more shards (--shards)"
            )
        jobid = uuid.uuid4().hex[:16]
        run_id = f"{stamp}-{node_label(node)}-{jobid}"
        form = [
            ("project", project),
            ("spider", spider),
            ("jobid", jobid),
            ("sites_csv", text),
            ("shard", f"{k}/{shards}"),
            *spider_args.items(),
            *(("setting", f"{name}={value}") for name, value in settings.items()),
            ("setting", f"MPCRAWL_RUN_ID={run_id}"),
        ]
        if version is not None:
            form.append(("_version", version))
        jobs.append(ShardJob(node, (k, shards), jobid, run_id, len(rows), tuple(form)))
    return jobs


def call(
    node: str,
    endpoint: str,
    form: Sequence[tuple[str, str]] | None = None,
    *,
    query: dict[str, str] | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
    timeout: float = 30,
) -> dict[str, Any]:
    """One Scrapyd API call (POST when a form or body is given); its JSON, or ScrapydError.

    Credentials in the node URL (``http://user:pass@host:6800``) go as Basic auth.
    """
    parts = urlsplit(node.rstrip("/"))
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    url = urlunsplit((parts.scheme, netloc, f"{parts.path}/{endpoint}", "", ""))
    if query:
        url += "?" + urlencode(query)
    if form is not None:
        body, content_type = urlencode(list(form)).encode(), "application/x-www-form-urlencoded"
    request = Request(url, data=body, method="POST" if body is not None else "GET")
    if content_type:
        request.add_header("Content-Type", content_type)
    if parts.username:
        token = base64.b64encode(f"{parts.username}:{parts.password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urlopen(request, timeout=timeout) as response:
            data = json.loads(response.read())
    except HTTPError as exc:  # Scrapyd answers some refusals with a 4xx and a JSON message
        raise ScrapydError(f"{url}: {exc.code} {exc.read()[:500]!r}") from None
    except (URLError, OSError, ValueError) as exc:
        raise ScrapydError(f"{url}: {exc}") from None
    if not isinstance(data, dict) or data.get("status") != "ok":
        message = data.get("message") if isinstance(data, dict) else data
        raise ScrapydError(f"{url}: {message}")
    return data


def schedule(job: ShardJob) -> str:
    """Schedule a planned job; Scrapyd's job id (the one planned)."""
    return str(call(job.node, "schedule.json", job.form)["jobid"])


def list_jobs(node: str, project: str) -> dict[str, Any]:
    return call(node, "listjobs.json", query={"project": project})


def job_state(listing: dict[str, Any], jobid: str) -> str | None:
    """``pending``, ``running`` or ``finished`` from a ``listjobs.json`` answer."""
    for state in ("pending", "running", "finished"):
        if any(job.get("id") == jobid for job in listing.get(state, [])):
            return state
    return None


def states(jobs: Sequence[ShardJob], project: str) -> dict[str, str | None]:
    """Every job's state, one ``listjobs.json`` per node."""
    listings = {node: list_jobs(node, project) for node in dict.fromkeys(j.node for j in jobs)}
    return {job.jobid: job_state(listings[job.node], job.jobid) for job in jobs}


def wait(
    jobs: Sequence[ShardJob],
    project: str,
    *,
    poll: float = 5.0,
    timeout: float | None = None,
    progress: Callable[[dict[str, str | None]], None] | None = None,
) -> dict[str, str | None]:
    """Poll until every job has finished (or is unknown to its node); the last states."""
    deadline = None if timeout is None else time.monotonic() + timeout
    last: dict[str, str | None] = {}
    while True:
        now = states(jobs, project)
        if progress is not None and now != last:
            progress(now)
        last = now
        if all(state in ("finished", None) for state in now.values()):
            return now
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"jobs still running after {timeout}s: {now}")
        time.sleep(poll)


def cancel(node: str, project: str, jobid: str, signal: str = "TERM") -> str | None:
    """Stop a job (``KILL`` kills it outright); its state before, as Scrapyd reports it."""
    form = [("project", project), ("job", jobid), ("signal", signal)]
    prev = call(node, "cancel.json", form).get("prevstate")
    return None if prev is None else str(prev)


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


def add_version(node: str, project: str, version: str, egg: Path) -> dict[str, Any]:
    """Upload an egg as a version of the project (``addversion.json``, multipart)."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in (("project", project.encode()), ("version", version.encode())):
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{egg.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg.read_bytes()
        + b"\r\n"
    )
    chunks.append(f"--{boundary}--\r\n".encode())
    return call(
        node,
        "addversion.json",
        body=b"".join(chunks),
        content_type=f"multipart/form-data; boundary={boundary}",
        timeout=120,
    )
