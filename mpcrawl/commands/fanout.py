"""``scrapy fanout``: crawl shards of the site list on Scrapyd nodes, into one archive.

Exit status 0 when every job was scheduled (and, with ``--wait``, every site of every
shard has a run record and none failed); 1 when a node refused, a job ended without
recording all its sites, or a site failed; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import arglist_to_dict, closest_scrapy_cfg, get_config

from mpcrawl.commands.archive_arg import one_line_errors
from mpcrawl.fanout.client import (
    ScrapydError,
    add_version,
    newest_version,
    public_url,
    schedule,
    wait,
)
from mpcrawl.fanout.egg import build_egg
from mpcrawl.fanout.plan import ShardJob, plan_jobs
from mpcrawl.outcomes import FAILURES
from mpcrawl.sitelist import SiteList, load

PASSED_ARGS = ("types", "full", "discover")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "--nodes URL[,URL...] -a sites=FILE.csv -s MPCRAWL_ARCHIVE=URI [options]"

    def short_desc(self) -> str:
        return "Schedule one wp job per shard of the site list on Scrapyd nodes"

    def long_desc(self) -> str:
        return (
            "Cut the site list into shards by a stable hash of each site and schedule one "
            "'wp' job per shard through Scrapyd's schedule.json, shard k on node k (round "
            "robin when there are more shards than nodes). Each job gets its shard's rows "
            "(a node cannot read a file on this machine), the -a and -s options given here "
            "and a run id naming its node and job. MPCRAWL_ARCHIVE must be one place every "
            "node reaches: an absolute shared path or an s3:// URI. --deploy first uploads "
            "this project as an egg; --wait polls listjobs.json and then reads every shard's "
            "run records from the archive."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "fanout")
        parser.add_argument(
            "--nodes",
            metavar="URL[,URL...]",
            help="Scrapyd nodes (default: the [deploy] url of scrapy.cfg)",
        )
        parser.add_argument(
            "-a",
            dest="spargs",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="spider argument: sites=FILE.csv or site=URL, types=, full=, discover=",
        )
        parser.add_argument("--shards", type=int, help="number of shards (default: one a node)")
        parser.add_argument("--project", help="Scrapyd project (default: scrapy.cfg's [deploy])")
        parser.add_argument(
            "--deploy", action="store_true", help="build this project's egg and upload it first"
        )
        parser.add_argument(
            "--wait", action="store_true", help="poll until every job finished, then report"
        )
        parser.add_argument(
            "--poll", type=float, default=5.0, help="seconds between polls (default 5)"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}", print_help=False)
        deploy = get_config()
        nodes = [
            n.strip()
            for n in (opts.nodes or deploy.get("deploy", "url", fallback="")).split(",")
            if n.strip()
        ]
        if not nodes:
            raise UsageError("give --nodes URL[,URL...]", print_help=False)
        project = opts.project or deploy.get("deploy", "project", fallback="mpcrawl")
        shards = opts.shards or len(nodes)
        if shards < 1:
            raise UsageError("--shards must be at least 1", print_help=False)
        archive = str(self.settings.get("MPCRAWL_ARCHIVE") or "")
        if "://" not in archive and not Path(archive).is_absolute():
            raise UsageError(
                f"MPCRAWL_ARCHIVE={archive!r}: every node must write to the same place; "
                "give an absolute shared path or an s3:// URI with -s MPCRAWL_ARCHIVE=...",
                print_help=False,
            )
        site_list, spider_args = self._site_list(opts.spargs)
        for message in site_list.rejected:
            print(f"skipped: {message}")
        settings = {**arglist_to_dict(opts.set), "MPCRAWL_ARCHIVE": archive}
        version = str(int(time.time())) if opts.deploy else None
        try:
            # Every job pinned: to the version deployed now, or to each node's newest.
            versions = {n.rstrip("/"): version or newest_version(n, project) for n in nodes}
            jobs = plan_jobs(
                nodes,
                site_list.entries,
                shards=shards,
                project=project,
                spider_args=spider_args,
                settings=settings,
                versions=versions,
            )
            if version is not None:
                self._deploy(nodes, project, version)
            for job in jobs:
                schedule(job)
                print(
                    f"shard {job.shard_text}: {job.sites} sites on {public_url(job.node)}, "
                    f"job {job.jobid}, run {job.run_id}, version {versions[job.node]}"
                )
        except (ValueError, ScrapydError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        for node in dict.fromkeys(public_url(job.node) for job in jobs):
            print(f"progress: {node}/listjobs.json?project={project}")
        if opts.wait:
            self.exitcode = self._wait(jobs, project, archive, opts.poll)

    def _site_list(self, pairs: list[str]) -> tuple[SiteList, dict[str, str]]:
        """The sites, read here; the spider arguments that travel with every job."""
        try:
            given = arglist_to_dict(pairs)
        except ValueError:
            raise UsageError("-a takes NAME=VALUE", print_help=False) from None
        unknown = set(given) - {"site", "sites", "sites_csv", *PASSED_ARGS}
        if unknown:
            raise UsageError(
                f"-a {', '.join(sorted(unknown))}: fanout sets the shard and passes only "
                f"{', '.join(PASSED_ARGS)} to jobs",
                print_help=False,
            )
        try:
            sites = load(given.get("site"), given.get("sites"), given.get("sites_csv"))
        except ValueError as exc:
            raise UsageError(str(exc), print_help=False) from None
        return sites, {k: v for k, v in given.items() if k in PASSED_ARGS}

    def _deploy(self, nodes: list[str], project: str, version: str) -> None:
        """Upload this project's egg to every node; the jobs are pinned to this version."""
        cfg = closest_scrapy_cfg()
        if not cfg:
            raise ScrapydError("--deploy needs the project's scrapy.cfg")
        with tempfile.TemporaryDirectory(prefix="mpcrawl-deploy-") as out:
            egg = build_egg(Path(cfg).parent, Path(out))
            # Every node at once: each lists the egg's spiders in a new process (seconds).
            with ThreadPoolExecutor(len(nodes)) as pool:
                answers = list(pool.map(lambda n: add_version(n, project, version, egg), nodes))
            for node, answer in zip(nodes, answers, strict=True):
                where = public_url(node)
                print(f"deployed {egg.name} as {project} {version} to {where}: {answer}")

    def _wait(self, jobs: list[ShardJob], project: str, archive: str, poll: float) -> int:
        def progress(states: dict[str, str | None]) -> None:
            counts = Counter(state or "unknown" for state in states.values())
            print("jobs: " + ", ".join(f"{n} {state}" for state, n in sorted(counts.items())))

        try:
            wait(jobs, project, poll=poll, progress=progress)
        except ScrapydError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        from mpcrawl.read import connect

        run_ids = [job.run_id for job in jobs]
        rows = (
            connect(archive)
            .execute(
                "SELECT run_id, outcome, count(*) FROM runs WHERE list_contains(?, run_id) "
                "GROUP BY ALL ORDER BY ALL",
                [run_ids],
            )
            .fetchall()
        )
        outcomes: dict[str, Counter[str]] = {job.run_id: Counter() for job in jobs}
        for run_id, outcome, count in rows:
            outcomes[run_id][outcome] += count
        status = 0
        for job in jobs:
            seen = outcomes[job.run_id]
            summary = ", ".join(f"{n} {o}" for o, n in sorted(seen.items())) or "nothing"
            where = public_url(job.node)
            print(f"shard {job.shard_text} ({where}, job {job.jobid}): {summary}")
            if seen.total() < job.sites:
                print(
                    f"  {job.sites - seen.total()} of {job.sites} sites have no run record: "
                    "the job died; run fanout again to repair"
                )
                status = 1
            if any(seen[o] for o in FAILURES):
                status = 1
        return status
