"""Pages gone and back on the fallback path, as on the REST path.

A tombstone comes only from a direct answer about an archived page, never from a page
missing from a feed or from links:

- after a *complete* listing, each archived live URL it misses is requested alone,
  without following redirects (:meth:`Gone.missing`);
- a listed archived page answers for itself when it is fetched (:meth:`Gone.settle`).

The answer decides (:func:`gone_reason`): 404/410 ``deleted``; 401/403, or a redirect to
a login page (WordPress ``wp-login.php``, Drupal ``/user/login``), ``hidden``; another
redirect ``redirected``. A tombstoned URL that answers a page again gets a ``returned``
row (:meth:`Gone.back`) and is live again; its version is written only if it changed.

**A domain that no longer serves the site** (parked, sold, another site): when the
listing names none of the archived live URLs, up to :data:`PROBES` of them are requested
first. If at least :data:`REPLACED_SHARE` of the answers say gone (404/410, or a redirect
off the site or to its home page), the site is taken for replaced: nothing it lists is
fetched, nothing is tombstoned, and the site ends ``partial`` naming why
(``site replaced: …``). A site that merely lists new URLs answers its old ones and goes
on as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urljoin, urlsplit

from scrapy.http import Response

from mpcrawl.plans.rest.site import Requester, RequestFailed
from mpcrawl.web.items import Presence, WebTombstoneItem

if TYPE_CHECKING:  # the plan's bookkeeping; the archive's state comes with it
    from mpcrawl.archive.web_state import ArchivedPage
    from mpcrawl.plans.fallback import FallbackSite

logger = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)
GONE = (404, 410)
HIDDEN = (401, 403)
NO_PAGE = (*HIDDEN, *GONE)  # nothing a visitor may read there: no page, and no error
LOGIN_PATHS = ("/wp-login.php", "/user/login")  # WordPress; Drupal (clean URLs)
PROBES = 10
"""Archived URLs probed when a listing names none of them."""
REPLACED_SHARE = 0.8
"""The share of those probes answering gone that makes the site count as replaced."""
MIN_KNOWN = 3
"""Fewer archived live URLs than this prove nothing either way: no check."""


def is_login(url: str) -> bool:
    """Whether ``url`` is a login page: where a site sends visitors of a page they may not
    read (WordPress ``wp-login.php``, Drupal ``/user/login`` or ``?q=user/login``)."""
    parts = urlsplit(url)
    if parts.path.rstrip("/").endswith(LOGIN_PATHS):
        return True
    return any(q.strip("/") == "user/login" for q in parse_qs(parts.query).get("q", []))


def page_form(url: str) -> tuple[str, str, str]:
    """A URL without what does not name another page: scheme, port, ``www.``. A site moved
    to https lists its archived pages (and REST's links) in this other form, which are not
    missing from its listing."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path or "/", parts.query


def gone_reason(status: int, location: str | None) -> Presence | None:
    """What an answer about an archived page says, or None where it says the page is there."""
    if status in GONE:
        return "deleted"
    if status in HIDDEN or (status in REDIRECTS and location and is_login(location)):
        return "hidden"
    if status in REDIRECTS:
        return "redirected"
    return None


def header(response: Response, name: str) -> str | None:
    """A response header as text (HTTP headers are Latin-1), or None."""
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None


def redirect_target(url: str, response: Response) -> str | None:
    """Where an unfollowed redirect of ``url`` points, absolute; None without one."""
    location = header(response, "Location")
    return urljoin(url, location) if location else None


@dataclass(slots=True)
class Gone:
    """One site's tombstones and returns on the fallback path (see the module docstring)."""

    fs: FallbackSite
    request: Requester
    checked: bool = False  # the replaced-site check ran (or was not needed)
    answers: list[bool] = field(default_factory=list)  # per check probe: answered gone

    # --- archived pages missing from a complete listing ----------------------------

    def missing(self) -> Iterator[Any]:
        """Each archived live URL a complete listing misses, probed alone."""
        fs = self.fs
        if not fs.complete:
            return
        listed = {page_form(u) for u in fs.listed}
        for url, known in list(fs.live.items()):
            if page_form(url) not in listed and fs.on_site(url) and url not in fs.recheck.requested:
                yield self._probe(url, known)

    def _probe(self, url: str, known: ArchivedPage) -> Any:
        def probed(response: Response) -> Iterator[Any]:
            target = redirect_target(url, response)
            reason = gone_reason(response.status, target)
            if reason is None:
                logger.info(
                    "%s: %s is not in the listing but answers %d",
                    self.fs.site,
                    url,
                    response.status,
                )
                return
            yield self._tombstone(url, known, reason, response.status, target)

        def failed(failure: RequestFailed) -> Iterator[Any]:
            self.fs.failed(url, failure)
            return iter(())

        return self.request(url, probed, failed, follow_redirects=False)

    # --- a listed page's own answer ------------------------------------------------

    def settle(self, url: str, response: Response) -> list[Any] | None:
        """A listed page's answer that is no page: a tombstone where the URL was archived
        and live, nothing where it is tombstoned already or a login page of a URL never
        archived; None for a page (or an error the plan reports)."""
        fs = self.fs
        redirected = response.meta.get("redirect_urls") or []
        if redirected and is_login(response.url):
            reasons = response.meta.get("redirect_reasons") or []
            status = reasons[0] if reasons and isinstance(reasons[0], int) else 302
            reason: Presence | None = "hidden"
            target: str | None = response.url
        else:
            status, target = response.status, None
            reason = gone_reason(status, None)
            if reason == "redirected":  # followed redirects end on a page, not here
                reason = None
        known = fs.live.get(url)
        if reason is None:
            return None
        if url in fs.state.tombstoned:  # listed, and still gone: nothing new
            logger.info("%s: %s is still %s", fs.site, url, reason)
            return []
        if known is None:
            if not redirected:
                return None  # a listed page never archived answering an error: the plan's
            logger.info("%s: %s asks for a login; not archived", fs.site, url)
            return []
        return [self._tombstone(url, known, reason, status, target)]

    def back(self, url: str) -> Iterator[WebTombstoneItem]:
        """A tombstoned URL answered a page: the row that says it is back, and live again."""
        fs = self.fs
        known = fs.state.pages.get(url)
        if known is None or url not in fs.state.tombstoned:
            return
        fs.state.tombstoned.discard(url)
        logger.info("%s: %s is back", fs.site, url)
        yield self._row(url, known, "returned", 200, None)

    def _tombstone(
        self, url: str, known: ArchivedPage, reason: Presence, status: int, target: str | None
    ) -> WebTombstoneItem:
        self.fs.tombstones_new += 1
        self.fs.live.pop(url, None)
        self.fs.state.tombstoned.add(url)
        logger.info("%s: %s is %s", self.fs.site, url, reason)
        return self._row(url, known, reason, status, target)

    def _row(
        self, url: str, known: ArchivedPage, reason: Presence, status: int, target: str | None
    ) -> WebTombstoneItem:
        return WebTombstoneItem(
            site=self.fs.site,
            url=url,
            post_type=known.post_type,
            id=known.id,
            last_seen_version_sha256=known.version or None,
            detected_at=datetime.now(UTC),
            reason=reason,
            status=status,
            run_id=self.fs.run_id,
            redirect_to=target,
        )

    # --- a domain that no longer serves the site ---------------------------------

    def check(
        self, then: Callable[[], Iterator[Any]], names: Iterable[str] | None = None
    ) -> Iterator[Any] | None:
        """Before the listed pages are fetched (or a crawl of listings begins, from the
        URLs ``names`` the home page and a feed give): None where no check is needed (or it
        ran), else the check's probes, which call ``then`` if the site is still the site."""
        fs = self.fs
        if self.checked:
            return None
        self.checked = True
        known = sorted(u for u in fs.live if fs.on_site(u))
        listed = {page_form(u) for u in (fs.listed if names is None else names)}
        if len(known) < MIN_KNOWN or any(page_form(u) in listed for u in known):
            return None
        sample = sorted(known, key=lambda u: fs.live[u].fetched_at, reverse=True)[:PROBES]
        logger.info(
            "%s: the listing names none of the %d archived pages; probing %d",
            fs.site,
            len(known),
            len(sample),
        )
        return self._check_probes(sample, then)

    def _check_probes(self, sample: list[str], then: Callable[[], Iterator[Any]]) -> Iterator[Any]:
        fs = self.fs

        def answered(gone: bool) -> Iterator[Any]:
            self.answers.append(gone)  # the check runs once a site: its probes' answers
            if len(self.answers) < len(sample):
                return
            share = sum(self.answers) / len(self.answers)
            if share < REPLACED_SHARE:
                yield from then()
                return
            fs.error(
                f"site replaced: {sum(self.answers)} of {len(self.answers)} archived pages"
                f" probed are gone and the listing ({fs.source}) names none of the"
                f" {len(fs.live)} archived; nothing fetched, nothing tombstoned"
            )

        def probe(url: str) -> Any:
            def on_response(response: Response) -> Iterator[Any]:
                return answered(self._off_site(response.status, redirect_target(url, response)))

            return self.request(
                url, on_response, lambda _f: answered(False), follow_redirects=False
            )

        for url in sample:
            yield probe(url)

    def _off_site(self, status: int, target: str | None) -> bool:
        """Gone for the replaced-site check: 404/410, or a redirect off the site's hosts or
        to its home page (what parking services and new owners answer)."""
        if status in GONE:
            return True
        if status not in REDIRECTS or not target:
            return False
        return not self.fs.on_site(target) or urlsplit(target).path in ("", "/")
