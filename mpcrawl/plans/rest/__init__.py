"""The REST request plan of one site: discovery, walks, sweeps, probes, revisions, media.

:class:`RestPlan` wires the steps together; the spider calls :meth:`RestPlan.start` once
and :meth:`RestPlan.more` whenever nothing of the site is pending. Each step is tested
offline by feeding it real responses (``tests/plans/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mpcrawl.config import Config
from mpcrawl.plans.rest.discovery import KNOWN_REST_BASES, Discovery
from mpcrawl.plans.rest.media import Media
from mpcrawl.plans.rest.revisions import Revisions
from mpcrawl.plans.rest.site import Archive, Arguments, Requester, RestSite, Stats
from mpcrawl.plans.rest.sweeps import Sweeps
from mpcrawl.plans.rest.walks import Walks
from mpcrawl.siterun import SiteRun

__all__ = ["KNOWN_REST_BASES", "Arguments", "RestPlan"]


class RestPlan:
    """One site's REST crawl, as steps that ask for requests and read their answers."""

    def __init__(
        self,
        run: SiteRun,
        request: Requester,
        *,
        config: Config,
        stats: Stats,
        archive: Archive,
        args: Arguments,
    ) -> None:
        self.site = RestSite(run, request, config, stats, archive, args, config.run_id)
        self.revisions = Revisions(self.site)
        self.sweeps = Sweeps(self.site, self.revisions)
        self.walks = Walks(self.site, self.revisions, self.sweeps)
        self.discovery = Discovery(self.site, self.walks)
        self.media = Media(self.site)

    def start(self) -> Iterator[Any]:
        """The site's first request: its listed page."""
        return self.discovery.start()

    def more(self) -> Iterator[Any]:
        """Nothing of the site is pending: the media its new versions named, if any and
        the site is still being read; else nothing (the REST path is over)."""
        run = self.site.run
        if self.site.media_wanted and run.api is not None and run.verdict.decided is None:
            yield from self.media.requests()
