"""``make bench``: every benchmark, printed as one table of ratios measured in this run.

Settings: crawls run with AutoThrottle off and 2 concurrent requests per site. Noise on
these machines is ±20%, so each figure is a ratio against a reference from the same run;
nothing here is asserted by the test suite.

``python -m benchmarks.run [--skip wordpress,fallback,platforms,pages,writer,...]``
runs the default families; ``python -m benchmarks.run fleet`` (``make bench-fleet``,
20–30 min) runs only the named ones, here the fleet simulation of
``benchmarks/bench_fleet.py``.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import time
import traceback
from collections.abc import Callable

from benchmarks import (
    bench_archive,
    bench_connect,
    bench_crawl,
    bench_fallback,
    bench_fleet,
    bench_memory,
    bench_pages,
    bench_platforms,
    bench_sitemap,
    bench_startup,
    bench_state,
    bench_warc,
)
from benchmarks.bench_support import Row, wordpress, wordpress_missing

FAMILIES = (
    "wordpress",
    "fallback",
    "platforms",
    "pages",
    "writer",
    "pipelines",
    "state",
    "memory",
    "startup",
    "warc",
    "connect",
    "sitemap",
)
OPT_IN = ("fleet",)  # run only when named: the fleet simulation takes 20-30 minutes


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        mem_kb = int(handle.readline().split()[1])
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024**2:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def failed(family: str, exc: BaseException) -> Row:
    traceback.print_exc()
    return Row(family, "failed", "—", "—", "—", None, f"{type(exc).__name__}: {exc}")


def guarded(family: str, step: Callable[[], list[Row]]) -> list[Row]:
    try:
        return step()
    except Exception as exc:
        return [failed(family, exc)]


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | value | reference, same run | ratio | target | met | note |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        met = {True: "yes", False: "**no**", None: "not run"}[row.met]
        cells = (row.measure, row.value, row.reference, row.ratio, row.target, met, row.note)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip", default="", help=f"comma-separated: {', '.join(FAMILIES)}")
    parser.add_argument(
        "only", nargs="*", help=f"run only these families: {', '.join(FAMILIES + OPT_IN)}"
    )
    args = parser.parse_args(argv)
    unknown = set(args.only) - set(FAMILIES + OPT_IN)
    if unknown:
        parser.error(f"unknown families: {', '.join(sorted(unknown))}")
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.only:
        skip |= {f for f in FAMILIES if f not in args.only}
    fleet = "fleet" in args.only
    started = time.perf_counter()
    rows: list[Row] = []
    missing = wordpress_missing()
    if "wordpress" not in skip and missing:
        rows.append(Row("real WordPress rows", "not run", "—", "—", "—", None, missing))
    if "wordpress" not in skip and not missing:
        try:
            with wordpress() as described:
                wp_rows, site = bench_crawl.bench(described)
                rows += wp_rows
                if "pipelines" not in skip:
                    limit = functools.partial(bench_crawl.server_limit, site)
                    rows += guarded("pipelines", lambda: [bench_archive.bench_pipelines(limit)])
                    skip.add("pipelines")
        except Exception as exc:
            rows.append(failed("real WordPress rows", exc))
    if "fallback" not in skip and not missing:
        rows += guarded("fallback", bench_fallback.bench)
    if "platforms" not in skip:
        rows += guarded("platforms", bench_platforms.bench)
    if "pages" not in skip:
        rows += guarded("pages", bench_pages.bench)
    if "pipelines" not in skip:
        rows += guarded("pipelines", lambda: [bench_archive.bench_pipelines(None)])
    if "writer" not in skip:
        rows += guarded("writer", bench_archive.bench_writer)
    if "state" not in skip:
        rows += guarded("state", bench_state.bench)
    if "memory" not in skip:
        rows += guarded("memory", lambda: [bench_memory.bench()])
    if "startup" not in skip:
        rows += guarded("startup", lambda: [bench_startup.bench()])
    if "warc" not in skip:
        rows += guarded("warc", bench_warc.bench)
    if "sitemap" not in skip:
        rows += guarded("sitemap", bench_sitemap.bench)
    if "connect" not in skip:
        rows += guarded("connect", bench_connect.bench)
    if fleet:
        try:
            fleet_rows, fleet_tables = bench_fleet.bench()
            rows += fleet_rows
            print()
            print(fleet_tables)
        except Exception as exc:
            rows.append(failed("fleet", exc))
    print()
    print(f"Machine: {machine()}")
    print("Crawls: AutoThrottle off, CONCURRENT_REQUESTS_PER_DOMAIN=2.")
    print()
    print(table(rows))
    print()
    met = sum(1 for r in rows if r.met)
    print(f"{met} of {len(rows)} targets met in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
