"""One site in one run, as the ledger holds it: where it stands, its verdict and its counts.

What each step of a crawl path keeps (walks, revisions, the fallback's listing) is that
plan's own typed state (:mod:`mpcrawl.plans`), not here. Kept free of Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mpcrawl.archive.state import SiteState
from mpcrawl.archive.web_state import WebState
from mpcrawl.items import RunItem, SiteItem
from mpcrawl.outcomes import Outcome
from mpcrawl.sitelist import KNOWN_COLUMNS, SiteEntry
from mpcrawl.verdict import SiteVerdict, Tally
from mpcrawl.wp.records import as_int
from mpcrawl.wp.urls import ApiRoot


@dataclass(slots=True)
class SiteRun:
    """A site's run: its entry and hosts, its API root and archived state once known,
    its verdict and counts (changed only through their transitions), and how far the
    spider and the pipelines are with it."""

    entry: SiteEntry
    started_at: datetime
    hosts: set[str]
    api: ApiRoot | None = None
    state: SiteState | None = None
    verdict: SiteVerdict = field(default_factory=SiteVerdict)
    tally: Tally = field(default_factory=Tally)
    web_state: WebState | None = None  # the fallback path's, loaded by the ledger
    # What this run fetched already, so the fallback does not ask again: robots.txt texts
    # by URL (empty unless 200), as Scrapy's middleware fetched them, and the home page's
    # response (a Scrapy Response) as discovery got it
    robots_txt: dict[str, str] = field(default_factory=dict)
    home_page: object = None
    pending: int = 0  # the site's requests not yet answered
    crawl_done: bool = False  # no request pending, no more to make
    items_yielded: int = 0
    items_settled: int = 0  # items that left the pipelines (scraped, dropped, failed)
    finished: bool = False  # run record sent

    @property
    def site(self) -> str:
        return self.entry.site


def run_record(
    run: SiteRun, run_id: str, finished_at: datetime, outcome: Outcome, reason: str | None
) -> RunItem:
    """The ``runs`` row of a site: how it went and what it cost; the fallback's counts
    are added to the REST path's."""
    tally, verdict = run.tally, run.verdict
    fallback = verdict.fallback
    return RunItem(
        run_id=run_id,
        site=run.site,
        started_at=run.started_at,
        finished_at=finished_at,
        outcome=outcome,
        reason=reason,
        api_root=run.api.root_url if run.api else None,
        requests=tally.requests,
        posts_new=tally.posts_new,
        posts_unchanged=tally.posts_unchanged
        + tally.pages_unchanged
        + (fallback.pages_unchanged if fallback else 0),
        revisions_new=tally.revisions_new,
        revisions_closed=tally.revisions_closed,
        tombstones_new=tally.tombstones_new + (fallback.tombstones_new if fallback else 0),
        errors=verdict.errors,
        json_recovered=tally.json_recovered,
        posts_total=tally.posts_total,
        source=fallback.source if fallback else ("rest" if run.api else None),
        listing_complete=fallback.incomplete is None if fallback else None,
        pages_listed=fallback.pages_listed if fallback else None,
        pages_found=fallback.pages_found + tally.pages_found if fallback else None,
        pages_skipped=fallback.pages_skipped if fallback else None,
        bad_objects=tally.bad_objects,
        rejects=tally.rejects,
        routes_skipped=list(verdict.routes_skipped),
    )


def site_record(run: SiteRun, run_id: str, outcome: Outcome, now: datetime) -> SiteItem:
    """The ``sites`` row of a site for this run: what the site list said of it, and how it
    went (metadata columns the table has no column for go into ``metadata``)."""
    entry = run.entry
    extra = {k: v for k, v in entry.metadata.items() if k not in KNOWN_COLUMNS}
    return SiteItem(
        site=run.site,
        url=entry.url,
        api_root=run.api.root_url if run.api else None,
        url_form=run.api.form if run.api else None,
        outcome=outcome,
        name=entry.known("name"),
        party=entry.known("party"),
        constituency=entry.known("constituency"),
        member_id=as_int(entry.known("member_id")),
        metadata=extra or None,
        checked_at=now,
        run_id=run_id,
    )


def end_line(item: RunItem) -> str:
    """The ``site finished:`` line of a run record, which the summary repeats."""
    seconds = (item.finished_at - item.started_at).total_seconds()
    line = (
        f"{item.site}: {item.outcome}; {item.posts_new} new / {item.posts_unchanged} "
        f"unchanged posts, {item.requests} requests, {item.errors} errors, {seconds:.1f}s"
    )
    if item.bad_objects:
        line += f", {item.bad_objects} with bad values (see bad_values)"
    if item.rejects:
        line += f", {item.rejects} rejected (see rejects)"
    if item.routes_skipped:
        line += f", {len(item.routes_skipped)} optional routes skipped (see routes_skipped)"
    if item.reason:
        line += f" ({item.reason})"
    return line
