"""Evidence: every HTTP exchange of the crawl as WARC/1.1, and rows that point at it.

:class:`WarcRecorderMiddleware` sits next to the downloader (960, above every base
downloader middleware): it sees each request with the headers all other middlewares
added, and each response before ``HttpCompressionMiddleware`` (590) decodes its body or
``RedirectMiddleware`` (600) follows it. It writes a ``request`` and a ``response``
record per exchange (a ``revisit`` where the payload equals the one last archived for the
URI) and puts the response record's place in ``request.meta`` (the response's meta).
:class:`WarcStampMiddleware` stamps that place on the items a callback yields from the
response, and the normalise pipeline carries it into the rows.

What the records cannot hold byte for byte (also in each file's ``warcinfo``): Twisted
hands over header names in its canonical case and Scrapy groups repeated headers, so
case and order are not as sent on the wire; the reason phrase is the standard one for
the status; a chunked body is recorded de-chunked with its ``Transfer-Encoding`` header
removed; the request holds the headers Scrapy passed to Twisted plus ``Host``, not the
``Connection`` or ``Content-Length`` Twisted may add. The body, compressed or not, is
byte-exact. An ``Authorization`` header never reaches a record: it is dropped, and the
record names it in ``WARC-Mpcrawl-Removed-Headers``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from typing import Any
from urllib.parse import urlsplit

import scrapy
import twisted
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

from mpcrawl import __version__
from mpcrawl.archive.warc import (
    Archived,
    RecordPointer,
    SiteWarcs,
    load_archived,
    remove_temp_warcs,
)
from mpcrawl.archive.writer import ArchiveError
from mpcrawl.ledger import SiteLedger, ledger_of, site_ending
from mpcrawl.schemas import WARC_COLUMNS

logger = logging.getLogger(__name__)

POINTER = "mpcrawl_warc"  # request.meta key: the RecordPointer of the response's record
REMOVED = "WARC-Mpcrawl-Removed-Headers"
_SECRET = frozenset({b"authorization", b"proxy-authorization", b"cookie"})
_HOP = frozenset({b"transfer-encoding"})  # the body is recorded de-chunked
NOT_BYTE_EXACT = (
    "payloads are byte-exact as received (compression kept); HTTP header names are in "
    "Twisted's canonical case and repeated headers grouped, so case and order may differ "
    "from the wire; the status line's reason phrase is the standard one; chunked bodies "
    "are recorded de-chunked without Transfer-Encoding; request records hold the headers "
    "Scrapy passed to Twisted plus Host (not Connection or Content-Length Twisted may "
    "add); Authorization, Proxy-Authorization and Cookie headers are dropped and named "
    f"in {REMOVED}; requests that got no response (DNS, timeouts) are not recorded"
)


def payload_digest(body: bytes) -> str:
    """A payload's digest as warcio writes it (``sha1:`` and base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _pairs(headers: Any, skip: frozenset[bytes]) -> tuple[list[tuple[str, str]], list[str]]:
    """Header pairs as latin-1 text, and the names left out."""
    kept: list[tuple[str, str]] = []
    removed: list[str] = []
    for name, values in headers.items():
        if name.lower() in skip:
            removed.append(name.decode("latin-1"))
            continue
        kept.extend((name.decode("latin-1"), v.decode("latin-1")) for v in values)
    return kept, removed


def _record_with_body(
    builder: Any,
    url: str,
    kind: str,
    body: bytes,
    http: StatusAndHeaders,
    warc_headers: dict[str, str],
) -> Any:
    return builder.create_warc_record(
        url,
        kind,
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict=warc_headers,
    )


class WarcRecorderMiddleware:
    """Writes each exchange of a site to its WARC files (``MPCRAWL_WARC``)."""

    def __init__(self, crawler: Crawler, ledger: SiteLedger) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.sites: dict[str, SiteWarcs] = {}
        self.archived: dict[str, dict[str, Archived]] = {}
        self.failed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        ledger = ledger_of(crawler)
        if not ledger.config.warc:
            raise NotConfigured  # off by default: no warning line on every crawl
        recorder = cls(crawler, ledger)
        crawler.signals.connect(recorder.site_ended, signal=site_ending)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        ledger.writer.closing_site.append(recorder.parts_closing)
        return recorder

    def warcinfo(self) -> dict[str, Any]:
        settings = self.crawler.settings
        shaping = ", ".join(
            f"{name}={settings.get(name)}"
            for name in (
                "ROBOTSTXT_OBEY",
                "COOKIES_ENABLED",
                "DOWNLOAD_MAXSIZE",
                "DOWNLOAD_TIMEOUT",
                "REDIRECT_MAX_TIMES",
            )
        )
        return {
            "software": f"mpcrawl/{__version__} (Scrapy {scrapy.__version__}, Twisted "
            f"{twisted.__version__}, warcio {version('warcio')})",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "isPartOf": f"mpcrawl run {self.ledger.run_id}",
            "settings": shaping,
            "not-byte-exact": NOT_BYTE_EXACT,
        }

    def _site(self, site: str) -> SiteWarcs:
        warcs = self.sites.get(site)
        if warcs is None:
            location = self.ledger.location
            removed = remove_temp_warcs(location, site)  # the ledger holds the site's lock
            if removed:
                logger.info("%s: removed %d temporary WARC files of a dead run", site, removed)
            self.archived[site] = load_archived(location, site)
            warcs = self.sites[site] = SiteWarcs(
                location,
                site,
                self.ledger.run_id,
                self.warcinfo(),
                self.ledger.config.warc_file_bytes,
            )
        return warcs

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        run = self.ledger.run_for_url(request.url)
        if run is None or run.finished or run.site in self.failed:
            return response
        try:
            request.meta[POINTER] = self._record(run.site, request, response)
        except OSError as exc:  # the archive's own trouble: no more records for the site
            self.failed.add(run.site)
            self.crawler.stats.inc_value("mpcrawl/archive/errors")
            logger.error("%s: WARC write failed, no more records for the site: %s", run.site, exc)
        except Exception as exc:  # one exchange warcio cannot record costs that record only
            self.crawler.stats.inc_value("mpcrawl/warc/errors")
            logger.error("%s: %s not recorded in WARC: %s", run.site, request.url, exc)
        return response

    def _record(self, site: str, request: Request, response: Response) -> RecordPointer:
        warcs = self._site(site)
        builder = warcs.builder()
        archived = self.archived[site]
        url = response.url
        date = datetime_to_iso_date(datetime.now(UTC).replace(tzinfo=None), use_micros=True)
        body = response.body
        digest = payload_digest(body)
        status = response.status
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        protocol = response.protocol or "HTTP/1.1"
        headers, dropped = _pairs(response.headers, _HOP)
        http = StatusAndHeaders(f"{status} {phrase}".strip(), headers, protocol=protocol)
        warc_headers = {"WARC-Date": date}
        if response.ip_address is not None:
            warc_headers["WARC-IP-Address"] = str(response.ip_address)
        if dropped:
            warc_headers[REMOVED] = ", ".join(dropped)
        last = archived.get(url)
        if last is not None and last.digest == digest:
            record = builder.create_revisit_record(
                url, digest, last.uri, last.date, http_headers=http, warc_headers_dict=warc_headers
            )
        else:
            record = _record_with_body(builder, url, "response", body, http, warc_headers)
        req = self._request_record(builder, request, request.url, date, record)
        pointer, _ = warcs.write([record, req])
        if last is not None and last.digest == digest:
            self.crawler.stats.inc_value("mpcrawl/warc/revisits")
            return last.pointer
        archived[url] = Archived(digest, date, url, pointer)
        self.crawler.stats.inc_value("mpcrawl/warc/responses")
        return pointer

    @staticmethod
    def _request_record(builder: Any, request: Request, url: str, date: str, response: Any) -> Any:
        parts = urlsplit(request.url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        headers, dropped = _pairs(request.headers, _SECRET)
        if not any(name.lower() == "host" for name, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http = StatusAndHeaders(
            f"{request.method} {target} HTTP/1.1", headers, is_http_request=True
        )
        warc_headers = {
            "WARC-Date": date,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        }
        if dropped:
            warc_headers[REMOVED] = ", ".join(dropped)
        return _record_with_body(builder, url, "request", request.body or b"", http, warc_headers)

    def site_ended(self, site: str, **kwargs: Any) -> None:
        """Publish the site's open WARC before its part files (no row points at nothing)."""
        warcs = self.sites.pop(site, None)
        self.archived.pop(site, None)
        if warcs is None:
            return
        try:
            warcs.end(keep=site not in self.failed)
        except (OSError, ValueError) as exc:
            self.crawler.stats.inc_value("mpcrawl/archive/errors")
            logger.error("%s: cannot publish the WARC file: %s", site, exc)

    def parts_closing(self, site: str) -> None:
        """The site's part files are about to be published (rolled at ``MPCRAWL_FILE_ROWS``
        mid-site, or at its end): publish its open WARC first, so no visible row ever
        points into a WARC that is not (a kill in between leaves a WARC no row points
        into, which is harmless). Its next records begin a new file."""
        warcs = self.sites.get(site)
        if warcs is None or site in self.failed:
            return
        try:
            warcs.close()
        except (OSError, ValueError) as exc:  # the writer drops the rows, the site ends error
            self.failed.add(site)
            raise ArchiveError(f"cannot publish the WARC file: {exc}") from exc

    def spider_closed(self) -> None:
        for site in list(self.sites):
            self.site_ended(site)


class WarcStampMiddleware:
    """Stamps the record pointer of a response on the items its callback yields."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcStampMiddleware:
        if not ledger_of(crawler).config.warc:
            raise NotConfigured  # off by default: no warning line on every crawl
        return cls()

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterable[Any]:
        pointer = response.meta.get(POINTER)
        for item in result:
            yield stamp(item, pointer)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        pointer = response.meta.get(POINTER)
        async for item in result:
            yield stamp(item, pointer)


def stamp(item: Any, pointer: RecordPointer | None) -> Any:
    """Set an item's ``warc_*`` fields (where it has them, and they are unset)."""
    if pointer is not None and getattr(item, WARC_COLUMNS[0], False) is None:
        item.warc_filename = pointer.filename
        item.warc_record_offset = pointer.offset
        item.warc_record_length = pointer.length
    return item
