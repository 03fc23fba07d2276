"""A fleet night after night: one night of 500 sites, and how the archive ages.

Part (a): ``SampleFleet`` serves ``--sites`` synthetic sites (100–300 posts each, one
loopback address per site) and one ``scrapy crawl wp -a sites=FILE.csv`` process crawls
them at the project's default settings (AutoThrottle on, 2 requests per site): night 1
(the first crawl), night 2 (a small share of posts edited, added and deleted) and night 3
(nothing changed). Measured: wall time, CPU time, peak RSS, requests, archive growth.

Part (b): ``--trend-sites`` sites for ``--nights`` nights with AutoThrottle off, one
crawl process per night as cron would start it. Every ``--batch`` nights: files and
bytes in the archive, the most files in one partition folder, ``load_site_state`` of the
largest site, and ``posts_latest``, ``deleted_posts`` and a ``runs`` query in DuckDB,
each also on a copy compacted to one file per partition (the layout a first crawl of
the same content leaves), which is the "night 1 for the same content" the targets
compare with. Figures at 365 nights and 500 sites are extrapolated as the trend table's
notes say.

``python -m benchmarks.bench_fleet [--sites 500] [--nights 120] …`` prints both tables;
``python -m benchmarks.run fleet`` prints the target rows with the other families'.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.bench_support import REPO, STATE_DIR, Row, Timed, run_timed
from mpcrawl.archive.compact import compact
from mpcrawl.archive.fs import ArchiveLocation, is_part_file
from mpcrawl.archive.state import load_site_state
from mpcrawl.read import connect
from mpcrawl.sample.server import SampleFleet, SampleSite
from mpcrawl.wp.sitename import site_name

FLEET_SITES = 500
TREND_SITES = 10
TREND_NIGHTS = 120
BATCH = 10
YEAR = 365
SHARE_ADDED, SHARE_EDITED, SHARE_DELETED = 0.10, 0.05, 0.02  # of sites, per night
FIRST_NIGHT = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
# Part (a)'s first night (~10 min here) is kept in STATE_DIR and reused while the sizes,
# the port (site names include it) and the archive's file layout stay the same.
FLEET_PORT = 18_018
# Part (a)'s nights. All sites start on night 1, so on night 5 every site's runs and sites
# folders reach 5 files at once and are merged: the worst no-change night.
PLAN = (
    (1, "first crawl, AutoThrottle off"),
    (2, ""),
    (3, "no change"),
    (4, "no change"),
    (5, "no change, every site's runs and sites files merged"),
)
LAYOUT_FILES = ("mpcrawl/schemas.py", "mpcrawl/archive/writer.py", "mpcrawl/archive/fs.py")
QUERIES = {
    "posts_latest": "SELECT site, count(*), max(modified_gmt) FROM posts_latest GROUP BY site",
    "deleted_posts": "SELECT site, id, title, detected_at FROM deleted_posts",
    "runs": (
        "SELECT site, count(*) AS nights, count(*) FILTER (WHERE outcome <> 'ok') AS failed, "
        "sum(requests) FROM runs GROUP BY site"
    ),
}
_STAT = re.compile(r"'([a-z_/]+)': (\d+)")
TREND_SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}


def site_sizes(count: int) -> list[int]:
    """Posts per site, 100–300, spread evenly (deterministic)."""
    return [100 + (k * 137) % 201 for k in range(count)]


@dataclass(slots=True)
class Changes:
    """What one night changed on the fleet's sites."""

    added: int = 0
    edited: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        return f"{self.added} added, {self.edited} edited, {self.deleted} deleted"


@dataclass(slots=True)
class Fleet:
    """The served sites, the posts live on each, and the site list the crawl reads."""

    served: SampleFleet
    listing: Path
    live: list[list[int]] = field(default_factory=list)

    @property
    def sites(self) -> list[SampleSite]:
        return self.served.sites

    def change(self, night: int) -> Changes:
        """A night's edits, additions and deletions: a few sites each, seeded by the night."""
        rng = random.Random(night)
        changes = Changes()
        for site, live in zip(self.sites, self.live, strict=True):
            if rng.random() < SHARE_ADDED:
                live.append(site.add_post(title=f"Night {night} news", content=f"<p>{night}</p>"))
                changes.added += 1
            if rng.random() < SHARE_EDITED:
                post = rng.choice(live)
                site.edit_post(post, content=f"<p>Corrected on night {night}.</p>")
                changes.edited += 1
            if rng.random() < SHARE_DELETED and len(live) > 1:
                post = live.pop(rng.randrange(len(live)))
                site.delete_post(post)
                changes.deleted += 1
        return changes


@contextmanager
def fleet(count: int, work: Path, port: int = 0) -> Iterator[Fleet]:
    sizes = site_sizes(count)
    with SampleFleet(sizes, port=port) as served:
        listing = work / f"fleet-{count}.csv"
        with listing.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["url", "name", "party", "constituency", "member_id"])
            for k, site in enumerate(served.sites):
                writer.writerow([site.url, f"Fleet MP {k}", "Sample", f"Seat {k}", 90_000 + k])
        yield Fleet(served, listing, [list(range(1, n + 1)) for n in sizes])


def run_id(night: int) -> str:
    """One run id per simulated night, sortable like the crawl's own."""
    return f"{FIRST_NIGHT + timedelta(days=night - 1):%Y%m%dT%H%M%SZ}-fleet-{night:04d}"


def crawl_night(
    listing: Path, archive: Path, night: int, settings: dict[str, str] | None = None
) -> Timed:
    command = [sys.executable, "-m", "scrapy", "crawl", "wp", "-a", f"sites={listing}"]
    every = {"MPCRAWL_ARCHIVE": str(archive), "MPCRAWL_RUN_ID": run_id(night), "LOG_LEVEL": "INFO"}
    for name, value in {**every, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    return run_timed(command, timeout=1800)


def stats(timed: Timed) -> dict[str, int]:
    """The integer stats of Scrapy's closing dump (the driver's are passed on alike)."""
    dump = timed.stderr.rsplit("Dumping Scrapy stats:", 1)[-1]
    return {key: int(value) for key, value in _STAT.findall(dump)}


@dataclass(slots=True)
class Footprint:
    """Visible part files of an archive: how many, their bytes, the fullest folder."""

    files: int
    bytes: int
    max_in_folder: int
    fullest: str


def footprint(archive: Path) -> Footprint:
    folders: dict[Path, int] = {}
    total = 0
    for path in archive.rglob("*.parquet"):
        if not is_part_file(path.name):
            continue
        folders[path.parent] = folders.get(path.parent, 0) + 1
        total += path.stat().st_size
    if not folders:
        return Footprint(0, 0, 0, "—")
    fullest = max(folders, key=lambda f: folders[f])
    return Footprint(
        sum(folders.values()), total, folders[fullest], str(fullest.relative_to(archive))
    )


@dataclass(slots=True)
class Reading:
    """Read-side costs of one archive: CPU seconds, the best of ``REPEATS``.

    CPU rather than wall time because other jobs on these shared 2-CPU machines stretch
    wall time by up to 7× at random (measured: ratios of one archive to itself from 0.9×
    to 6.9×), and DuckDB runs on one thread so its CPU time is the query's own.
    """

    state: float = float("inf")
    queries: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)


REPEATS = 5


def _timed(step: Callable[[], object]) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    step()
    return time.process_time() - cpu, time.perf_counter() - start


def read_timings(archives: list[Path], site: str) -> list[Reading]:
    """Costs of each archive, taken in turn so that load on the machine hits all alike."""
    locations = [ArchiveLocation.parse(str(a)) for a in archives]
    cons = [connect(str(a)) for a in archives]
    readings = [Reading() for _ in archives]
    try:
        for con in cons:
            con.execute("SET threads = 1")
        for _ in range(REPEATS):
            for location, con, reading in zip(locations, cons, readings, strict=True):
                cpu, wall = _timed(functools.partial(load_site_state, location, site))
                reading.state = min(reading.state, cpu)
                reading.wall["state"] = min(reading.wall.get("state", wall), wall)
                for name, sql in QUERIES.items():
                    cpu, wall = _timed(con.sql(sql).fetchall)
                    reading.queries[name] = min(reading.queries.get(name, cpu), cpu)
                    reading.wall[name] = min(reading.wall.get(name, wall), wall)
    finally:
        for con in cons:
            con.close()
    return readings


@dataclass(slots=True)
class Batch:
    """The archive after ``night`` nights, and the same content compacted."""

    night: int
    changes: Changes
    crawl_seconds: float
    crawl_cpu: float
    live: Footprint
    compacted: Footprint
    reading: Reading
    reference: Reading
    nightly: list[tuple[int, Footprint]] = field(default_factory=list)  # since the last batch

    def ratio(self, name: str) -> float:
        return _of(self.reading, name) / _of(self.reference, name)


def measure(
    archive: Path, work: Path, night: int, site: str, changes: Changes, crawled: Timed
) -> Batch:
    copy = work / "compacted"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(archive, copy, ignore=shutil.ignore_patterns("_locks"))
    compact(ArchiveLocation.parse(str(copy)))
    reading, reference = read_timings([archive, copy], site)
    batch = Batch(
        night=night,
        changes=changes,
        crawl_seconds=crawled.seconds,
        crawl_cpu=crawled.cpu_seconds,
        live=footprint(archive),
        compacted=footprint(copy),
        reading=reading,
        reference=reference,
    )
    shutil.rmtree(copy, ignore_errors=True)
    return batch


# --- part (a): one night of the whole fleet -------------------------------------------


@dataclass(slots=True)
class Night:
    night: int
    what: str
    timed: Timed
    requests: int
    ok_sites: int
    before: Footprint
    after: Footprint


def seed_folder(sites: int) -> Path:
    """Where the first night of a fleet is kept: named by its sizes, port and file layout."""
    key = hashlib.sha256(repr((site_sizes(sites), FLEET_PORT)).encode())
    for name in LAYOUT_FILES:
        key.update((REPO / name).read_bytes())
    return STATE_DIR / f"fleet-{sites}-{key.hexdigest()[:12]}"


def _kept(night: Night) -> dict[str, object]:
    timed = {k: v for k, v in asdict(night.timed).items() if k not in ("stdout", "stderr")}
    return {**asdict(night), "timed": timed}


def _restored(data: dict[str, object]) -> Night:
    timed = data["timed"]
    before, after = data["before"], data["after"]
    assert isinstance(timed, dict) and isinstance(before, dict) and isinstance(after, dict)
    return Night(
        night=1,
        what=f"{data['what']}, kept from an earlier run",
        timed=Timed(stdout="", stderr="", **timed),
        requests=int(str(data["requests"])),
        ok_sites=int(str(data["ok_sites"])),
        before=Footprint(**before),
        after=Footprint(**after),
    )


def fleet_nights(
    sites: int, work: Path, log: Callable[[str], None], *, reseed: bool = False
) -> list[Night]:
    archive = work / "fleet-archive"
    nights: list[Night] = []
    seed = seed_folder(sites)
    with fleet(sites, work, FLEET_PORT) as served:
        for night, what in PLAN:
            if night == 1 and not reseed and (seed / "night.json").exists():
                shutil.copytree(seed / "archive", archive)
                nights.append(_restored(json.loads((seed / "night.json").read_text())))
                log(f"fleet night 1: the first crawl kept in {seed}")
                continue
            if night == 2:
                what = f"{served.change(night)}"
            before = footprint(archive) if archive.exists() else Footprint(0, 0, 0, "—")
            # The first crawl only seeds the archive; nights 2 and 3 are the nightly job.
            seeding = TREND_SETTINGS if night == 1 else None
            timed = crawl_night(served.listing, archive, night, seeding)
            counted = stats(timed)
            nights.append(
                Night(
                    night,
                    what,
                    timed,
                    counted.get("downloader/request_count", 0),
                    counted.get("mpcrawl/site/ok", 0),
                    before,
                    footprint(archive),
                )
            )
            log(
                f"fleet night {night} ({what}): {timed.seconds:.0f} s, CPU {timed.cpu_seconds:.0f}"
                f" s, {timed.max_rss_mb:.0f} MB, {nights[-1].requests} requests, "
                f"{nights[-1].ok_sites}/{sites} ok, exit {timed.returncode}"
            )
            if night == 1 and timed.returncode == 0 and nights[-1].ok_sites == sites:
                shutil.rmtree(seed, ignore_errors=True)
                shutil.copytree(archive, seed / "archive", ignore=shutil.ignore_patterns("_locks"))
                (seed / "night.json").write_text(json.dumps(_kept(nights[-1])))
    return nights


def night_table(nights: list[Night], sites: int) -> str:
    lines = [
        f"| night of {sites} sites, one process | wall | CPU | peak RSS | requests "
        "| sites ok | files added | bytes added |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n in nights:
        added = n.after.bytes - n.before.bytes
        lines.append(
            f"| {n.night}: {n.what} | {n.timed.seconds:.0f} s | {n.timed.cpu_seconds:.1f} s "
            f"| {n.timed.max_rss_mb:.0f} MB | {n.requests:,} | {n.ok_sites} "
            f"| {n.after.files - n.before.files:+,} | {added / 1e6:+.2f} MB |"
        )
    return "\n".join(lines)


# --- part (b): the trend over many nights ---------------------------------------------


@contextmanager
def night_driver(
    listing: Path, archive: Path, work: Path, settings: dict[str, str]
) -> Iterator[Callable[[int], Timed]]:
    """``benchmarks.fleet_driver`` in its own process; yields ``crawl(night)``."""
    pairs = [f"{name}={value}" for name, value in {**TREND_SETTINGS, **settings}.items()]
    command = [sys.executable, "-m", "benchmarks.fleet_driver", str(listing), str(archive)]
    with (work / "driver.log").open("w") as log:
        process = subprocess.Popen(
            [*command, *pairs, "LOG_LEVEL=WARNING"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        assert process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout

        def crawl(night: int) -> Timed:
            stdin.write(run_id(night) + "\n")
            stdin.flush()
            line = stdout.readline()
            if not line:
                tail = (work / "driver.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the fleet driver died on night {night}: {tail}")
            answer = json.loads(line)
            counted = " ".join(f"'{k}': {int(v)}" for k, v in answer["stats"].items())
            return Timed(
                0, answer["seconds"], answer["max_rss_mb"], answer["cpu_seconds"], "", counted
            )

        try:
            yield crawl
        finally:
            stdin.close()
            process.wait(timeout=120)


def trend(
    sites: int,
    nights: int,
    batch: int,
    work: Path,
    log: Callable[[str], None],
    settings: dict[str, str] | None = None,
) -> list[Batch]:
    archive = work / "trend-archive"
    shutil.rmtree(archive, ignore_errors=True)
    batches: list[Batch] = []
    nightly: list[tuple[int, Footprint]] = []
    marks = {1, 2, nights} | set(range(batch, nights + 1, batch))
    with (
        fleet(sites, work) as served,
        night_driver(served.listing, archive, work, settings or {}) as crawl,
    ):
        largest = max(range(sites), key=lambda k: len(served.live[k]))
        site = site_name(served.sites[largest].url)
        changes = Changes()
        for night in range(1, nights + 1):
            if night > 1:
                done = served.change(night)
                changes.added += done.added
                changes.edited += done.edited
                changes.deleted += done.deleted
            timed = crawl(night)
            ok = stats(timed).get("mpcrawl/site/ok", 0)
            if ok != sites:
                raise RuntimeError(f"night {night}: {ok} of {sites} sites ok: {timed.stderr}")
            nightly.append((night, footprint(archive)))
            if night in marks:
                batches.append(measure(archive, work, night, site, changes, timed))
                batches[-1].nightly, nightly = nightly, []
                last = batches[-1]
                log(
                    f"trend night {night}: {last.live.files} files ({last.live.max_in_folder} in "
                    f"{last.live.fullest}), {last.live.bytes / 1e6:.1f} MB, state "
                    f"{last.reading.state * 1000:.0f} ms CPU, posts_latest "
                    f"{last.reading.queries['posts_latest'] * 1000:.0f} ms CPU "
                    f"({last.ratio('posts_latest'):.2f}× compacted; wall "
                    f"{last.reading.wall['posts_latest'] * 1000:.0f} ms), crawl "
                    f"{timed.seconds:.1f} s"
                )
                changes = Changes()
    return batches


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares line (intercept, slope) through the points."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0
    return mean_y - slope * mean_x, slope


def at(batches: list[Batch], value: Callable[[Batch], float], night: int) -> float:
    """``value`` at ``night``: measured if a batch is there, else the line through nights ≥ 2.

    Night 1 is the first crawl (one file per partition, no history), so the line is fitted
    to the later batches, whose growth per night is what a year adds up.
    """
    for b in batches:
        if b.night == night:
            return value(b)
    later = [(float(b.night), value(b)) for b in batches if b.night >= 2]
    intercept, slope = fit(later)
    return intercept + slope * night


@dataclass(slots=True)
class Projection:
    """The trend's figures at one night: live archive, and the same content compacted."""

    night: int
    measured: bool
    files: float
    max_in_folder: float
    bytes: float
    seconds: dict[str, float]  # "state" and each query
    compacted: dict[str, float]

    def ratio(self, name: str) -> float:
        return self.seconds[name] / self.compacted[name]


MEASURES = ("state", *QUERIES)


def _of(reading: Reading, name: str) -> float:
    return reading.state if name == "state" else reading.queries[name]


def _live(name: str, batch: Batch) -> float:
    return _of(batch.reading, name)


def _compacted(name: str, batch: Batch) -> float:
    return _of(batch.reference, name)


def _nightly(batches: list[Batch], value: Callable[[Footprint], float], night: int) -> float:
    """A footprint figure at ``night``: measured, else the line through every night ≥ 2."""
    points = [(float(n), value(f)) for b in batches for n, f in b.nightly]
    for n, v in points:
        if n == night:
            return v
    intercept, slope = fit([(n, v) for n, v in points if n >= 2])
    return intercept + slope * night


def _bounded(batches: list[Batch]) -> bool:
    """Whether the file count stopped growing with the nights: the later half of the
    nights held at most 1.25× the earlier half's most (new content adds a few files;
    files that grow with the nights double from one half to the next)."""
    points = [(n, f.files) for b in batches for n, f in b.nightly]
    half = points[-1][0] / 2
    early = max((v for n, v in points if 2 <= n <= half), default=0)
    return max((v for n, v in points if n > half), default=0) <= 1.25 * early


def _fullest(batches: list[Batch], night: int) -> float:
    """The most files in one folder at ``night``: if the later half of the nights never
    exceeded the earlier half's most, the count is bounded and that most stands;
    otherwise it grows, and the line through the nights says by how much."""
    points = [(n, f.max_in_folder) for b in batches for n, f in b.nightly]
    half = points[-1][0] / 2
    early = max((v for n, v in points if n <= half), default=0)
    late = max((v for n, v in points if n > half), default=0)
    if late <= early and night > points[-1][0]:
        return float(max(v for _, v in points))
    return _nightly(batches, lambda f: f.max_in_folder, night)


def project(batches: list[Batch], night: int) -> Projection:
    """Figures at ``night``; each timing (live, compacted) has its own line, then the ratio."""
    return Projection(
        night=night,
        measured=any(b.night == night for b in batches),
        files=_nightly(batches, lambda f: f.files, night),
        max_in_folder=_fullest(batches, night),
        bytes=_nightly(batches, lambda f: f.bytes, night),
        seconds={m: at(batches, functools.partial(_live, m), night) for m in MEASURES},
        compacted={m: at(batches, functools.partial(_compacted, m), night) for m in MEASURES},
    )


def trend_table(batches: list[Batch], sites: int, fleet_sites: int) -> str:
    scale = fleet_sites / sites
    lines = [
        f"| night | changes since last row | files ({sites} sites) | most in one folder "
        f"| MB | files at {fleet_sites} sites | CPU (× compacted): state load, largest site "
        "| posts_latest | deleted_posts | runs | crawl |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for b in batches:
        timings = " | ".join(
            f"{_of(b.reading, m) * 1000:.0f} ms ({b.ratio(m):.2f}×)" for m in MEASURES
        )
        lines.append(
            f"| {b.night} | {b.changes} | {b.live.files:,} | {b.live.max_in_folder} "
            f"| {b.live.bytes / 1e6:.1f} | {b.live.files * scale:,.0f} | {timings} "
            f"| {b.crawl_seconds:.1f} s, CPU {b.crawl_cpu:.1f} s |"
        )
    for night in (60, YEAR):
        p = project(batches, night)
        if p.measured and night != YEAR:
            continue
        label = f"{night} (measured)" if p.measured else f"{night} (extrapolated)"
        timings = " | ".join(f"{p.seconds[m] * 1000:.0f} ms ({p.ratio(m):.2f}×)" for m in MEASURES)
        lines.append(
            f"| {label} | — | {p.files:,.0f} | {p.max_in_folder:.0f} | {p.bytes / 1e6:.1f} "
            f"| {p.files * scale:,.0f} | {timings} | — |"
        )
    return "\n".join(lines)


# --- the target rows --------------------------------------------------------------------


def rows(nights: list[Night], batches: list[Batch], sites: int, trend_sites: int) -> list[Row]:
    out: list[Row] = []
    quiet = max(
        (n for n in nights if n.night >= 3), key=lambda n: n.timed.cpu_seconds, default=None
    )
    if quiet is not None:
        t = quiet.timed
        grown = quiet.after.bytes - quiet.before.bytes
        out.append(
            Row(
                f"no-change night of {sites} sites, one crawl process, default settings "
                f"(the costliest of nights 3–{nights[-1].night}: night {quiet.night})",
                f"CPU {t.cpu_seconds:.1f} s, peak RSS {t.max_rss_mb:.0f} MB, wall {t.seconds:.0f}"
                f" s, {quiet.requests:,} requests",
                "—",
                "—",
                "CPU ≤ 60 s, RSS ≤ 1024 MB",
                t.returncode == 0
                and quiet.ok_sites == sites
                and t.cpu_seconds <= 60
                and t.max_rss_mb <= 1024,
                f"{quiet.ok_sites}/{sites} sites ok; archive {grown / sites:+,.0f} bytes and "
                f"{quiet.after.files - quiet.before.files:+,} files per night",
            )
        )
    if batches:
        year = project(batches, YEAR)
        last = batches[-1].night
        label = "night 365" if year.measured else f"night 365 (extrapolated from {last})"
        for name in ("posts_latest", "state"):
            what = "load_site_state, largest site" if name == "state" else f"DuckDB {name}"
            first = at(batches, functools.partial(_live, name), 1)
            later = sorted(b.ratio(name) for b in batches if b.night > last / 2)
            if _bounded(batches) and later:
                # Bounded files: the ratio does not grow, and lines through timings that
                # wander with the machine's load only extrapolate that noise.
                ratio = statistics.median(later)
                how = (
                    f"median of the nights after night {last // 2} (max {later[-1]:.2f}×): "
                    f"the files are bounded; the fitted lines give {year.ratio(name):.2f}×"
                )
            else:
                ratio, how = year.ratio(name), "from the fitted lines"
            out.append(
                Row(
                    f"{what}, {label}, {trend_sites} sites",
                    f"{year.seconds[name] * 1000:.0f} ms",
                    f"same content compacted: {year.compacted[name] * 1000:.0f} ms",
                    f"{ratio:.2f}×",
                    "≤ 1.5×",
                    0 < ratio <= 1.5,
                    f"night 1: {first * 1000:.0f} ms; ratio {how}",
                )
            )
        _, live = fit([(n, f.bytes) for b in batches for n, f in b.nightly if n >= 2])
        _, rows_only = fit([(b.night, b.compacted.bytes) for b in batches if b.night >= 2])
        out.append(
            Row(
                f"archive bytes added per site and night, nights 2–{last}, {trend_sites} sites",
                f"{live / trend_sites:,.0f} bytes",
                f"the same rows compacted: {rows_only / trend_sites:,.0f} bytes",
                f"{live / rows_only:.2f}×" if rows_only > 0 else "n/a",
                "≤ 1.25× (bytes grow with the rows written, not with files)",
                rows_only > 0 and live <= 1.25 * rows_only,
                "slopes of the trend's bytes against nights; a night's rows are its changed "
                "versions plus one runs and one sites row per site",
            )
        )
        out.append(
            Row(
                f"most part files in one partition folder, {label}",
                f"{year.max_in_folder:.0f}",
                f"night {batches[-1].night}: {batches[-1].live.max_in_folder} "
                f"({batches[-1].live.fullest})",
                "—",
                "≤ 6",
                year.max_in_folder <= 6,
                f"{year.files * sites / trend_sites:,.0f} files for {sites} sites",
            )
        )
    return out


def bench(
    sites: int = FLEET_SITES,
    trend_sites: int = TREND_SITES,
    nights: int = TREND_NIGHTS,
    batch: int = BATCH,
    log: Callable[[str], None] = print,
    *,
    reseed: bool = False,
    compare_off: bool = False,
) -> tuple[list[Row], str]:
    """Both parts; returns the target rows and the tables as Markdown.

    ``compare_off`` runs the trend a second time with ``MPCRAWL_COMPACT_AFTER=0`` (files
    are only ever added, as before the end-of-run merge), for a before/after in one run.
    """
    work = Path(tempfile.mkdtemp(prefix="mpcrawl-bench-fleet-"))
    try:
        fleet_run = fleet_nights(sites, work, log, reseed=reseed) if sites else []
        batches = trend(trend_sites, nights, batch, work, log) if nights else []
        tables = []
        if fleet_run:
            tables.append(night_table(fleet_run, sites))
        if batches:
            tables.append(trend_table(batches, trend_sites, sites or FLEET_SITES))
        if batches and compare_off:
            off = {"MPCRAWL_COMPACT_AFTER": "0"}
            before = trend(trend_sites, nights, batch, work, log, off)
            tables.append("Compaction off (`MPCRAWL_COMPACT_AFTER=0`), same nights:\n\n")
            tables[-1] += trend_table(before, trend_sites, sites or FLEET_SITES)
        return rows(fleet_run, batches, sites or FLEET_SITES, trend_sites), "\n\n".join(tables)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.run import table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=FLEET_SITES, help="part (a); 0 skips it")
    parser.add_argument("--trend-sites", type=int, default=TREND_SITES)
    parser.add_argument("--nights", type=int, default=TREND_NIGHTS, help="part (b); 0 skips it")
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument("--reseed", action="store_true", help="crawl night 1 even if kept")
    parser.add_argument(
        "--compare-off", action="store_true", help="the trend again with MPCRAWL_COMPACT_AFTER=0"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    found, tables = bench(
        args.sites,
        args.trend_sites,
        args.nights,
        args.batch,
        reseed=args.reseed,
        compare_off=args.compare_off,
    )
    print()
    print(tables)
    print()
    print(table(found))
    print(f"\n{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
