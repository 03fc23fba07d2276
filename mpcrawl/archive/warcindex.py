"""Where a site's WARC files lie and what their CDXJ indexes say (no writing here).

Each published ``<name>.warc.gz`` under ``warc/site=<site>/`` has ``<name>.cdxj`` beside
it (cdxj-indexer's lines: SURT, 14-digit timestamp, JSON). The crawl reads them for the
payload last archived per URI, ``scrapy wacz`` to pick files by date.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.wp.sitename import check_safe_name

WARC_DIR = "warc"
WARC_SUFFIX = ".warc.gz"
INDEX_SUFFIX = ".cdxj"


def site_folder(site: str) -> tuple[str, str]:
    """The site's WARC folder, relative to the archive root: ``("warc", "site=<site>")``.

    >>> site_folder("www.example.org")
    ('warc', 'site=www.example.org')
    """
    return WARC_DIR, f"site={check_safe_name(site)}"


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One ``response`` or ``revisit`` record of a published WARC."""

    filename: str  # relative to the archive root
    ts: str  # 14 digits, UTC
    url: str
    digest: str
    revisit: bool
    offset: int
    length: int
    status: str | None
    mime: str | None


def warc_sites(location: ArchiveLocation) -> list[str]:
    """The sites that have a WARC folder."""
    return sorted(
        e.base_name.removeprefix("site=")
        for e in location.entries(WARC_DIR)
        if e.base_name.startswith("site=")
    )


def index_entries(
    location: ArchiveLocation,
    site: str,
    missing: Callable[[ArchiveLocation, str, str], list[str]] | None = None,
) -> Iterator[IndexEntry]:
    """Every indexed record of the site's published WARCs; a WARC without its index is
    indexed by ``missing`` (or skipped)."""
    files = {i.base_name: i.path for i in location.files(*site_folder(site))}
    folder = "/".join(site_folder(site))
    for name in sorted(files):
        if not name.endswith(WARC_SUFFIX) or name.startswith("."):
            continue
        index = files.get(name.removesuffix(WARC_SUFFIX) + INDEX_SUFFIX)
        if index is not None:
            with location.filesystem.open_input_stream(index) as stream:
                lines = stream.read().decode("utf-8").splitlines()
        elif missing is not None:
            lines = missing(location, files[name], name)
        else:
            continue
        for line in lines:
            _surt, ts, body = line.split(" ", 2)
            entry = json.loads(body)
            if "url" not in entry:  # the warcinfo record
                continue
            digest = entry.get("digest") or ""
            yield IndexEntry(
                filename=f"{folder}/{name}",
                ts=ts,
                url=entry["url"],
                digest=digest if ":" in digest or not digest else f"sha1:{digest}",
                revisit=entry.get("mime") == "warc/revisit",
                offset=int(entry["offset"]),
                length=int(entry["length"]),
                status=entry.get("status"),
                mime=entry.get("mime"),
            )
