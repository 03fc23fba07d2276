"""``scrapy wacz``: the archive's WARCs handed over as one WACZ 1.1.1 package.

py-wacz (the ``wacz`` package, Webrecorder's) builds it: the WARC files, a CDXJ index
made by cdxj-indexer, ``pages/pages.jsonl`` and ``datapackage.json`` with every file's
SHA-256. The files are chosen by their records' dates (the CDXJ indexes beside them):
every file holding a record of the window, and every earlier file holding the response a
revisit of the window stands for, so each capture replays. The pages are the captured
post pages: the fallback's (``post_captures`` of kind ``web_page``) and REST posts' own
pages (an HTML capture of a post's ``link``, ``MPCRAWL_CAPTURE_PAGES``); with none,
py-wacz's own page detection (HTML responses) lists them.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime

from wacz.main import main as wacz_main
from warcio.timeutils import timestamp_to_iso_date

from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.warcindex import IndexEntry, index_entries, warc_sites
from mpcrawl.read import connect
from mpcrawl.read.warc import record_for

__all__ = ["WaczError", "WaczSummary", "write_wacz"]

logger = logging.getLogger(__name__)


class WaczError(RuntimeError):
    """Nothing to package, or py-wacz refused."""


@dataclass(frozen=True, slots=True)
class WaczSummary:
    path: str
    warcs: int
    pages: int


def _ts(moment: datetime | None, default: str) -> str:
    return moment.strftime("%Y%m%d%H%M%S") if moment is not None else default


def chosen_files(entries: list[IndexEntry], since: str, until: str) -> set[str]:
    """Files with a record in ``[since, until)``, and those holding their revisits' originals.

    >>> e = lambda f, ts, r: IndexEntry(f, ts, "u", "sha1:A", r, 0, 1, "200", "text/html")
    >>> sorted(chosen_files([e("a", "20250101000000", False),
    ...                      e("b", "20250102000000", True)], "20250102000000", "99991231"))
    ['a', 'b']
    """
    files: set[str] = set()
    for entry in entries:
        if not since <= entry.ts < until:
            continue
        files.add(entry.filename)
        if entry.revisit:
            originals = [
                o
                for o in entries
                if not o.revisit and o.url == entry.url and o.digest == entry.digest
                if o.ts <= entry.ts
            ]
            if originals:
                files.add(max(originals, key=lambda o: o.ts).filename)
    return files


def _pages(
    archive: str, files: set[str], sites: list[str], entries: list[IndexEntry]
) -> list[dict[str, str]]:
    """One entry per captured post page among ``files``: its URL, capture time, title."""
    con = connect(archive)
    pages: dict[tuple[str, str], dict[str, str]] = {}
    rows = con.execute(
        "SELECT c.warc_filename, c.warc_record_offset, c.warc_record_length, w.title "
        "FROM post_captures c LEFT JOIN web_pages w ON w.site = c.site "
        "AND w.warc_filename = c.warc_filename AND w.warc_record_offset = c.warc_record_offset "
        "WHERE c.kind = 'web_page' AND c.site IN (SELECT unnest(?::VARCHAR[]))",
        [sites],
    ).fetchall()
    for filename, offset, length, title in rows:
        if filename not in files:
            continue
        pointer = {
            "warc_filename": filename,
            "warc_record_offset": offset,
            "warc_record_length": length,
        }
        capture = record_for(archive, pointer)
        page = {"url": capture.uri, "ts": capture.date, "title": title or capture.uri}
        pages[(capture.uri, capture.date)] = page
    # A REST post's page (MPCRAWL_CAPTURE_PAGES): an HTML capture of the post's link.
    html = [e for e in entries if e.filename in files and e.status == "200" and _is_html(e)]
    titles = dict(
        con.execute(
            "SELECT link, arg_max(title, fetched_at) FROM posts WHERE link IS NOT NULL "
            "AND site IN (SELECT unnest(?::VARCHAR[])) "
            "AND link IN (SELECT unnest(?::VARCHAR[])) GROUP BY link",
            [sites, sorted({e.url for e in html})],
        ).fetchall()
    )
    for entry in html:
        if entry.url in titles:
            ts = timestamp_to_iso_date(entry.ts)
            pages[(entry.url, ts)] = {"url": entry.url, "ts": ts, "title": titles[entry.url]}
    return list(pages.values())


def _is_html(entry: IndexEntry) -> bool:
    """A response served as HTML, or a revisit (of a response: its URL says which)."""
    return entry.revisit or (entry.mime or "").startswith(("text/html", "application/xhtml"))


def write_wacz(
    archive: str,
    output: str,
    *,
    sites: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> WaczSummary:
    """Package the chosen sites' WARCs of ``[since, until)`` into ``output``."""
    location = ArchiveLocation.parse(archive)
    known = warc_sites(location)
    unknown = [s for s in sites or [] if s not in known]
    if unknown:
        raise WaczError(f"no WARC files for {', '.join(unknown)} in {archive}")
    chosen_sites = sites or known
    files: set[str] = set()
    entries: list[IndexEntry] = []
    for site in chosen_sites:
        site_entries = list(index_entries(location, site))
        files |= chosen_files(site_entries, _ts(since, "0"), _ts(until, "99999999999999"))
        entries += site_entries
    if not files:
        raise WaczError(f"no WARC record in {archive} for that window and those sites")
    pages = _pages(archive, files, chosen_sites, entries)
    with tempfile.TemporaryDirectory(prefix="mpcrawl-wacz-") as tmp:
        inputs = []
        for name in sorted(files):
            local = os.path.join(tmp, os.path.basename(name))
            source = location.path(*name.split("/"))
            with (
                location.filesystem.open_input_stream(source, compression=None) as src,
                open(local, "wb") as dst,
            ):
                shutil.copyfileobj(src, dst)
            inputs.append(local)
        args = ["create", "-o", output, "--title", f"mpcrawl archive {archive}"]
        if pages:
            pages_file = os.path.join(tmp, "pages.jsonl")
            with open(pages_file, "w", encoding="utf-8") as out:
                out.write(json.dumps({"format": "json-pages-1.0", "id": "pages"}) + "\n")
                out.writelines(json.dumps(p) + "\n" for p in pages)
            args += ["-p", pages_file]
        else:
            args += ["--detect-pages"]
        chatter = io.StringIO()
        with contextlib.redirect_stdout(chatter):
            status = wacz_main([*args, *inputs])
        logger.debug("py-wacz: %s", chatter.getvalue())
        if status:
            raise WaczError(f"py-wacz could not build {output}: {chatter.getvalue()[-500:]}")
    return WaczSummary(output, len(inputs), len(pages))
