"""Scrapyd's JSON API, spoken plainly with stdlib urllib: schedule, poll, cancel, upload.

Credentials in a node URL (``http://user:pass@host:6800``) go as Basic auth and are never
printed (:func:`public_url`).
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from mpcrawl.fanout.plan import ShardJob


class ScrapydError(RuntimeError):
    """A Scrapyd node could not be reached or refused a request."""


def public_url(node: str) -> str:
    """A node URL without its credentials, for printing.

    >>> public_url("http://user:secret@crawl1:6800/")
    'http://crawl1:6800'
    """
    parts = urlsplit(node.rstrip("/"))
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


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


def newest_version(node: str, project: str) -> str:
    """The version a job scheduled without one would run (``listversions.json``, sorted as
    Scrapyd sorts them); ScrapydError when the project is not deployed there.

    Pinning it rather than leaving it to Scrapyd prints what each node runs, and Scrapyd
    then lists the version's spiders from what it cached on ``addversion.json`` instead of
    in a new process for each unpinned schedule after a deploy.
    """
    versions = call(node, "listversions.json", query={"project": project}).get("versions")
    if not versions:
        raise ScrapydError(f"{public_url(node)}: {project} is not deployed there (use --deploy)")
    return str(versions[-1])


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
