"""Planning a fan-out: which shard of the site list runs where, under which ids.

The unit of distribution is the site: the site list is cut into shards by a stable hash
of ``site`` (the one ``-a shard=K/N`` uses) and shard k goes to node k, round robin. A
node cannot open a path on another machine, so each job carries its shard's rows as
``-a sites_csv=...``; the shard filter is passed too and is a no-op there. Each job's run
id names its node and Scrapyd job id, so the part files of every job are told apart in
the shared archive. Pure: no HTTP here.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from mpcrawl.sitelist import SiteEntry, in_shard

# Linux refuses a single command-line argument over 128 KiB (MAX_ARG_STRLEN), and Scrapyd
# passes spider arguments on its job's command line.
MAX_ARG_BYTES = 128 * 1024 - 1024


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
    versions: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> list[ShardJob]:
    """The ``schedule.json`` form of each shard; shard k goes to node ((k - 1) mod nodes).

    ``versions`` (by node URL) pins each node's jobs to one deployed egg (default: left
    to Scrapyd, the node's newest when the job starts).
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
        if versions is not None:
            form.append(("_version", versions[node]))
        jobs.append(ShardJob(node, (k, shards), jobid, run_id, len(rows), tuple(form)))
    return jobs
