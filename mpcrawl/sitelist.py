"""Site lists: one URL, or a CSV with a ``url`` column and metadata columns.

Rows that cannot name a site safely are reported and skipped, never guessed at.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mpcrawl.wp.sitename import BadSiteURL, normalise_url, site_name

KNOWN_COLUMNS = ("name", "party", "constituency", "member_id")


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """A site to crawl: its archive name, the listed URL and the list's metadata."""

    site: str
    url: str
    metadata: dict[str, str] = field(default_factory=dict)

    def known(self, column: str) -> str | None:
        value = self.metadata.get(column)
        return value if value else None


@dataclass(slots=True)
class SiteList:
    """The sites of a run, and the rows that were rejected (with why)."""

    entries: list[SiteEntry] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # rows naming a site listed above


def parse_csv(text: str, source: str = "site list") -> SiteList:
    """Read a CSV site list; duplicates of a site keep the first row (and are noted).

    >>> sites = parse_csv("url,name\\nhttps://a.org/x,A\\n../../etc,B\\nhttps://A.org,C\\n")
    >>> sites.entries
    [SiteEntry(site='a.org', url='https://a.org/x', metadata={'name': 'A'})]
    >>> sites.duplicates
    ['site list line 4: https://A.org is a.org again (first listed on line 2); skipped']

    A file that is not a CSV list (a field beyond the csv module's limit, a stray NUL)
    is one ``ValueError`` naming the line, which the crawl turns into exit 2.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _parse_rows(reader, source)
    except csv.Error as exc:
        line = reader.line_num
        raise ValueError(
            f"{source}: not a readable CSV site list after line {line}: {exc}"
        ) from None


def _parse_rows(reader: csv.DictReader[str], source: str) -> SiteList:
    result = SiteList()
    if reader.fieldnames is None or "url" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ValueError(f"{source}: a CSV site list needs a 'url' column")
    first_line: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        url = clean.pop("url", "")
        if not url:
            continue
        try:
            entry = SiteEntry(site_name(url), normalise_url(url), clean)
        except BadSiteURL as exc:
            result.rejected.append(f"{source} line {number}: {exc}")
            continue
        if entry.site in first_line:
            result.duplicates.append(
                f"{source} line {number}: {url} is {entry.site} again "
                f"(first listed on line {first_line[entry.site]}); skipped"
            )
            continue
        first_line[entry.site] = number
        result.entries.append(entry)
    return result


def load(
    site: str | None = None, sites: str | None = None, sites_csv: str | None = None
) -> SiteList:
    """The spider's ``-a site=URL`` / ``-a sites=FILE`` / inline CSV (for Scrapyd jobs)."""
    given = [x for x in (site, sites, sites_csv) if x]
    if len(given) != 1:
        raise ValueError("give exactly one of -a site=URL, -a sites=FILE.csv or -a sites_csv=TEXT")
    if site:
        return SiteList(entries=[SiteEntry(site_name(site), normalise_url(site))])
    if sites:
        path = Path(sites)
        if not path.is_file():
            raise ValueError(f"-a sites={sites}: no such file")
        return parse_csv(path.read_text(encoding="utf-8"), source=str(path))
    assert sites_csv is not None
    return parse_csv(sites_csv, source="sites_csv")


def parse_shard(value: str) -> tuple[int, int]:
    """``K/N`` with 1 ≤ K ≤ N.

    >>> parse_shard("2/3")
    (2, 3)
    """
    try:
        k, n = (int(x) for x in value.split("/"))
    except ValueError:
        raise ValueError(f"-a shard={value}: expected K/N, e.g. 1/4") from None
    if not 1 <= k <= n:
        raise ValueError(f"-a shard={value}: K must be between 1 and N")
    return k, n


def in_shard(site: str, shard: tuple[int, int]) -> bool:
    """Whether a site belongs to shard K of N (a stable hash, the same on every node).

    >>> [in_shard("a.org", (k, 3)) for k in (1, 2, 3)].count(True)
    1
    """
    k, n = shard
    digest = int.from_bytes(hashlib.sha256(site.encode("utf-8")).digest()[:8], "big")
    return digest % n == k - 1


def iter_shard(entries: list[SiteEntry], shard: tuple[int, int] | None) -> Iterator[SiteEntry]:
    for entry in entries:
        if shard is None or in_shard(entry.site, shard):
            yield entry
