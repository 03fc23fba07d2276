"""The one owner of per-site crawl state: runs, locks, archive, run id, the end of a site.

``SiteLedger`` is a Scrapy extension. The spider, the middlewares, the pipelines and the
progress log find it with :func:`ledger_of` (``crawler.get_extension``) and call its
methods; none of them reads another's attributes. A site's lock is taken in
:meth:`SiteLedger.open_site` and released when the site is finished or the crawl closes.

A site is finished once its spider side is done (no request pending, none to make) and
every item it yielded has left the pipelines (scraped, dropped or failed): Scrapy
processes a callback's items concurrently (``CONCURRENT_ITEMS``), so the last item
yielded may settle before earlier ones. Only then are its ``sites`` and ``runs`` rows
written and its part files finished (posts last, by the writer).

The archive's own trouble (a folder it cannot write, a full disk, a file in a partition
that is not Parquet, a site name too long for a folder) ends that one site with outcome
``error`` and a reason naming it, never the run: every per-site step that touches the
archive is caught here, and the site's lock is released whatever happened.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from mpcrawl.archive.compact import compact_small_files
from mpcrawl.archive.fs import ArchiveLocation
from mpcrawl.archive.locks import LockUnavailable, SiteLocked, SiteLockSet, site_locks
from mpcrawl.archive.state import ArchiveStateError, SiteState, load_site_state
from mpcrawl.archive.web_state import WebState, load_web_state
from mpcrawl.archive.writer import (
    ArchiveError,
    ArchiveWriter,
    check_partition_site,
    remove_temp_files,
)
from mpcrawl.config import Config
from mpcrawl.items import RunItem
from mpcrawl.outcomes import QUIET, Outcome
from mpcrawl.schemas import TABLES
from mpcrawl.sitelist import SiteEntry
from mpcrawl.siterun import SiteRun, end_line, run_record, site_record
from mpcrawl.wp.sitename import host_key, site_host_keys

logger = logging.getLogger(__name__)

# Signal sent with ``site=`` when a site's run ends, before its part files are finished
# and its lock released: a component writing files of its own (WARCs) publishes them here.
site_ending = object()

CUT_SHORT_REASON = "run cut short before the site finished"
FORCED_STOP_REASON = "run stopped by force (second signal) before the site finished"


def row_of(item: Any) -> dict[str, Any]:
    """The item's values for exactly its table's columns (through ``ItemAdapter``, as
    Scrapy reads items: a field the item lacks is null)."""
    adapter = ItemAdapter(item)
    return {name: adapter.get(name) for name in TABLES[adapter.item.table].schema.names}


class SiteLedger:
    """Owns every site's :class:`SiteRun`, its lock, the archive writer and its finishing."""

    def __init__(self, crawler: Crawler, config: Config) -> None:
        self.crawler = crawler
        self.config = config
        self.run_id = config.run_id
        self.location = ArchiveLocation.parse(config.archive)
        self.writer = ArchiveWriter(
            self.location, self.run_id, batch_rows=config.batch_rows, file_rows=config.file_rows
        )
        self.runs: dict[str, SiteRun] = {}
        self.summary: list[str] = []  # one "site finished" line per site, for the end of run
        self._locks: SiteLockSet | None = None
        self._host_sites: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteLedger:
        ledger = cls(crawler, Config.from_crawler(crawler))
        # an item that failed is an error of its site before it counts as settled
        crawler.signals.connect(ledger.item_failed, signal=signals.item_error)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(ledger.item_settled, signal=signal)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        return ledger

    @property
    def locks(self) -> SiteLockSet:
        """The archive's site locks, made on first use (object storage needs a client)."""
        if self._locks is None:
            self._locks = site_locks(
                self.location, self.run_id, stale_after=self.config.lock_stale_after
            )
        return self._locks

    # --- sites of this run -----------------------------------------------------------

    def open_site(self, entry: SiteEntry) -> SiteRun | None:
        """Start a site's run and take its lock; None where another run holds it."""
        run = SiteRun(
            entry=entry, started_at=datetime.now(UTC), hosts=set(site_host_keys(entry.url))
        )
        self.runs[entry.site] = run
        for name in run.hosts:
            self._host_sites.setdefault(name, entry.site)
        try:
            check_partition_site(entry.site)
        except ArchiveError as exc:
            self._cannot_start(run, f"archive: {exc}")
            return None
        try:
            self.locks.acquire(entry.site)
        except SiteLocked as exc:
            logger.warning("%s: skipped, %s", entry.site, exc)
            run.verdict.decide("locked", str(exc))
            self.crawl_done(run)
            return None
        except (LockUnavailable, OSError) as exc:
            why = str(exc).removeprefix(f"{entry.site}: ")
            self._cannot_start(run, f"archive: cannot take the site's lock: {why}")
            return None
        try:
            removed = remove_temp_files(self.location, entry.site)
        except OSError as exc:
            self._cannot_start(run, f"archive: cannot clear a dead run's files: {exc}")
            return None
        if removed:
            logger.info("%s: removed %d temporary files of a dead run", entry.site, removed)
        return run

    def _cannot_start(self, run: SiteRun, reason: str) -> None:
        """End a site the archive cannot take, before any of its requests."""
        logger.error("%s: %s", run.site, reason)
        run.verdict.archive_failed(reason)
        self.crawl_done(run)

    def run_for(self, site: str) -> SiteRun | None:
        return self.runs.get(site)

    def run_for_url(self, url: str) -> SiteRun | None:
        """The run a request to ``url`` counts against (robots.txt included)."""
        site = self._host_sites.get(host_key(url))
        return self.runs.get(site) if site else None

    def allows(self, site: str, url: str) -> bool:
        """Whether a request of ``site`` may go to ``url``'s host (its own or its twin)."""
        run = self.runs.get(site)
        return run is None or host_key(url) in run.hosts

    def claim_hosts(self, run: SiteRun) -> None:
        """Count requests to the site's hosts (its API root's included) against it."""
        for name in run.hosts:
            self._host_sites.setdefault(name, run.site)

    def load_state(self, run: SiteRun, *, revisions_due: bool = False) -> SiteState | None:
        """What the archive already holds of the site, read once when its crawl begins;
        ``revisions_due`` also finds posts with revisions to backfill (with credentials).

        None where the site's archive cannot be read (a file that is not Parquet, say):
        the site then ends ``error`` without crawling, as dedupe against a partial state
        would archive again what the unreadable file holds.
        """
        try:
            run.state = load_site_state(self.location, run.site, revisions_due=revisions_due)
        except ArchiveStateError as exc:
            self._unreadable(run, exc)
            return None
        return run.state

    def load_web_state(self, run: SiteRun) -> WebState | None:
        """What the archive holds of the site's pages, read when its fallback path begins.

        None where a file of it cannot be read: the site then ends ``error`` naming the
        file, as in :meth:`load_state`.
        """
        try:
            run.web_state = load_web_state(self.location, run.site)
        except ArchiveStateError as exc:
            self._unreadable(run, exc)
            return None
        return run.web_state

    def _unreadable(self, run: SiteRun, exc: ArchiveStateError) -> None:
        """A file of the site's archive cannot be read: the site ends ``error`` naming it."""
        reason = f"archive: {exc}"
        logger.error("%s: %s", run.site, reason)
        run.verdict.archive_failed(reason)

    def state_of(self, run: SiteRun) -> SiteState:
        """The site's known versions, which the dedupe pipeline extends with this run's."""
        if run.state is None:
            run.state = SiteState()
        return run.state

    def web_state_of(self, run: SiteRun) -> WebState:
        """The site's known page versions, which the dedupe pipeline extends with this run's."""
        if run.web_state is None:
            run.web_state = WebState()
        return run.web_state

    # --- the end of a site -----------------------------------------------------------

    def crawl_done(self, run: SiteRun) -> None:
        """The spider has nothing pending or left to ask for this site."""
        run.crawl_done = True
        self._maybe_finish(run)

    def item_settled(self, item: Any, **kwargs: Any) -> None:
        """An item left the pipelines (scraped, dropped or failed): count it for its site."""
        site = getattr(item, "site", None)
        run = self.runs.get(site) if isinstance(site, str) else None
        if run is not None:
            run.items_settled += 1
            self._maybe_finish(run)

    def item_failed(self, item: Any, failure: Any = None, **kwargs: Any) -> None:
        """A pipeline raised on a site's item: an error, and no walk of the site may now
        vouch for a deletion (a probe answered later tombstones nothing)."""
        site = getattr(item, "site", None)
        run = self.runs.get(site) if isinstance(site, str) else None
        if run is None:
            return
        reason = f"pipeline error on a {type(item).__name__}: {getattr(failure, 'value', failure)}"
        run.verdict.item_failed(reason)

    def _maybe_finish(self, run: SiteRun) -> None:
        if not run.crawl_done or run.finished or run.items_settled < run.items_yielded:
            return
        if run.pending:  # pages captured for the last items (MPCRAWL_CAPTURE_PAGES)
            return
        outcome, reason = run.verdict.final()
        self._end_site(run, outcome, reason, site_row=True)
        # A finished site's state can be large (every version key): let it go.
        run.state = run.web_state = None

    def _end_site(
        self, run: SiteRun, outcome: Outcome, reason: str | None, *, site_row: bool
    ) -> None:
        """Write the site's rows, finish its files, unlock it and log the line.

        Where the archive fails here the site's rows are not written (its files are
        dropped by the writer) and the line says ``error`` with the archive's reason.
        """
        run.finished = True
        now = datetime.now(UTC)
        item = run_record(run, self.run_id, now, outcome, reason)
        self.crawler.signals.send_catch_log(site_ending, site=run.site)
        try:
            if site_row:
                self.writer.write("sites", row_of(site_record(run, self.run_id, outcome, now)))
            self.writer.write("runs", row_of(item))
            self.writer.close_site(run.site)
            if site_row and outcome != "locked":  # not cut short, and the lock is ours
                self._merge_small_files(run.site)
        except ArchiveError as exc:
            self.archive_failed(exc, run.site)
            item.outcome, item.reason = run.verdict.final()  # the archive's first cause
        finally:
            self._release(run.site)
        self._log_end(item)

    def _release(self, site: str) -> None:
        if self._locks is None:
            return
        try:
            self._locks.release(site)
        except OSError as exc:
            logger.error("%s: cannot remove the site's lock: %s", site, exc)

    def _log_end(self, item: RunItem) -> None:
        self.crawler.stats.inc_value(f"mpcrawl/site/{item.outcome}")
        if item.routes_skipped:
            self.crawler.stats.inc_value("mpcrawl/routes_skipped", len(item.routes_skipped))
        line = end_line(item)
        log = logger.info if item.outcome in QUIET else logger.warning
        log("site finished: %s", line)
        self.summary.append(line)

    def _merge_small_files(self, site: str) -> None:
        """Keep the site's partition folders at ``MPCRAWL_COMPACT_AFTER`` small files at most.

        Runs under the site's lock, after its files are finished and its ``runs`` row is
        written, so a kill here loses nothing (see :func:`compact_small_files`). A failure
        is logged and counted; the site's outcome stands and ``scrapy compact`` can retry.
        """
        if not self.config.compact_after:
            return
        try:
            report = compact_small_files(
                self.location, site, self.run_id, max_files=self.config.compact_after
            )
        except (OSError, pa.ArrowException, ValueError) as exc:
            self.crawler.stats.inc_value("mpcrawl/archive/compact_errors")
            logger.error("%s: merging small part files failed: %s", site, exc)
            return
        if report.partitions:
            self.crawler.stats.inc_value("mpcrawl/archive/compacted_partitions", report.partitions)
            self.crawler.stats.inc_value("mpcrawl/archive/compacted_files", report.files_before)

    def archive_failed(self, exc: ArchiveError, site: str | None = None) -> None:
        """An archive write failed: counted (exit status 1), and the site ends ``error``.

        Only a site's first failure is logged: the writer refuses the site's later rows
        with the same error.
        """
        self.crawler.stats.inc_value("mpcrawl/archive/errors")
        run = self.runs.get(site) if site is not None else None
        if run is None:
            logger.error("archive write failed: %s", exc)
        elif run.verdict.archive_failed(f"archive: {exc}"):
            logger.error("%s: archive write failed: %s", run.site, exc)

    def spider_closed(self) -> None:
        """Record sites cut short as ``partial``, finish every file, release every lock."""
        self.close_all(CUT_SHORT_REASON)

    def forced_stop(self) -> None:
        """The reactor was stopped without closing the spider (a second SIGTERM/Ctrl-C).

        Every item that reached the writer is whole (a post and its embeds are written
        in one call), so the open files are finished and the sites recorded ``partial``.
        """
        self.close_all(FORCED_STOP_REASON)

    def close_all(self, reason: str) -> None:
        """Record unfinished sites as ``partial``, finish every file, release every lock."""
        try:
            for run in self.runs.values():
                if not run.finished:
                    self._end_site(run, "partial", reason, site_row=False)
            self.writer.close()
        except ArchiveError as exc:
            self.archive_failed(exc)
        finally:
            if self._locks is not None:
                try:
                    self._locks.release_all()
                except OSError as exc:
                    logger.error("cannot remove a site lock: %s", exc)


def ledger_of(crawler: Crawler) -> SiteLedger:
    """The crawl's ledger; a clear error where settings left it out of ``EXTENSIONS``."""
    ledger = crawler.get_extension(SiteLedger)
    if ledger is None:
        raise RuntimeError("mpcrawl.ledger.SiteLedger must be enabled in EXTENSIONS")
    return ledger
