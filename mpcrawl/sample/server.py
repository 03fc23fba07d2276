"""Serve the bundled sample site on 127.0.0.1 like WordPress with *plain* permalinks.

Why a hand-rolled server rather than recorded responses: crawler tests need WordPress's
*behaviour* — pagination headers, the ``page`` past-the-end 400, ``_fields``/``include``,
anonymous 401s, the ``/wp-json/`` HTML trap of plain permalinks — and need to mutate the site
between runs (edit, delete, hide, add) to exercise incremental crawling.

``SampleSite(posts=N)`` serves N synthetic posts computed on demand (never held in memory)
for the 100,000-post memory benchmark.

Run by hand: ``python -m mpcrawl.sample.server [--port P] [--posts N] [--verbose]``.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import html
import json
import math
import re
import selectors
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from mpcrawl.sample.generate import (
    DATA_DIR,
    PLACEHOLDER_ORIGIN,
    POST_ORDERBY,
    POST_STATUSES,
    SITE_FILE,
    join_blocks,
    make_post,
    slugify,
    synthetic_date,
    synthetic_post,
    wp_date,
)

__all__ = ["DATA_DIR", "PLACEHOLDER_ORIGIN", "RestError", "SampleFleet", "SampleSite"]

JSON = dict[str, Any]
Headers = list[tuple[str, str]]

# Error bodies byte-for-byte as real WordPress sends them (see wp-fixtures/rest/errors).
ERR_INVALID_PAGE = (
    b'{"code":"rest_post_invalid_page_number","message":"The page number requested is larger '
    b'than the number of pages available.","data":{"status":400}}'
)
ERR_INVALID_ID = (
    b'{"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}}'
)
ERR_FORBIDDEN = (
    b'{"code":"rest_forbidden","message":"Sorry, you are not allowed to do that.",'
    b'"data":{"status":401}}'
)
ERR_CANNOT_READ_REVISIONS = (
    b'{"code":"rest_cannot_read","message":"Sorry, you are not allowed to view revisions of '
    b'this post.","data":{"status":401}}'
)
ERR_NO_ROUTE = (
    b'{"code":"rest_no_route","message":"No route was found matching the URL and request '
    b'method.","data":{"status":404}}'
)
ERR_FORBIDDEN_CONTEXT = (
    b'{"code":"rest_forbidden_context","message":"Sorry, you are not allowed to edit posts in '
    b'this post type.","data":{"status":401}}'
)
ERR_CANNOT_READ_FONTS = (
    b'{"code":"rest_cannot_read","message":"Sorry, you are not allowed to access font '
    b'families.","data":{"status":401}}'
)
ROBOTS_TXT = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100


class RestError(Exception):
    """A WordPress ``WP_Error`` turned into an HTTP response."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(body.decode())
        self.status = status
        self.body = body

    @classmethod
    def make(cls, status: int, code: str, message: str, **data: Any) -> RestError:
        payload = {"code": code, "message": message, "data": {"status": status, **data}}
        return cls(status, wp_json(payload).encode())


def wp_json(value: Any) -> str:
    """Encode like PHP ``json_encode`` with WordPress's default flags (``\\/``, ``\\uXXXX``)."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def _invalid_params(errors: dict[str, tuple[str, str, Any]]) -> RestError:
    """``rest_invalid_param`` as WordPress >= 5.7 reports it, with per-param details."""
    return RestError.make(
        400,
        "rest_invalid_param",
        "Invalid parameter(s): " + ", ".join(errors),
        params={k: msg for k, (_, msg, _) in errors.items()},
        details={
            k: {"code": code, "message": msg, "data": d} for k, (code, msg, d) in errors.items()
        },
    )


def _wp_list(text: str) -> str:
    """``wp_sprintf_l``: "a, b, and c"."""
    items = text.split(",")
    return ", ".join(items[:-1]) + ", and " + items[-1] if len(items) > 2 else " and ".join(items)


def _parse_list(values: list[str]) -> list[str]:
    """``wp_parse_list``: comma/space separated, repeated keys (``include[]``) merged."""
    out: list[str] = []
    for value in values:
        out += [v for v in re.split(r"[\s,]+", value) if v]
    return out


def _to_datetime(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _filter_fields(obj: JSON, fields: list[str]) -> JSON:
    """``rest_filter_response_fields``: keep requested (dotted) fields in the object's order."""
    tree: JSON = {}
    for field in fields:
        node = tree
        parts = field.split(".")
        for i, part in enumerate(parts):
            if node.get(part) is True:
                break
            node = node.setdefault(part, True if i == len(parts) - 1 else {})
            if node is True:
                break

    def walk(value: JSON, spec: JSON) -> JSON:
        out: JSON = {}
        for key, item in value.items():
            want = spec.get(key)
            if want is True:
                out[key] = item
            elif isinstance(want, dict) and isinstance(item, dict):
                out[key] = walk(item, want)
        return out

    return walk(obj, tree)


class Query:
    """Validated collection parameters, mirroring ``WP_REST_Posts_Controller`` checks."""

    def __init__(
        self,
        params: list[tuple[str, str]],
        orderby: list[str],
        default_order: str,
        default_orderby: str,
        statuses: bool = True,
    ) -> None:
        multi: dict[str, list[str]] = {}
        for key, value in params:
            multi.setdefault(key.removesuffix("[]"), []).append(value)
        self.raw = multi
        last = {k: v[-1] for k, v in multi.items()}
        errors: dict[str, tuple[str, str, Any]] = {}

        def integer(
            name: str, default: int | None, low: int | None, high: int | None
        ) -> int | None:
            if name not in last:
                return default
            text = last[name].strip()
            if not re.fullmatch(r"-?\d+", text):
                errors[name] = (
                    "rest_invalid_type",
                    f"{name} is not of type integer.",
                    {"param": name},
                )
                return default
            number = int(text)
            if low is not None and high is not None and not low <= number <= high:
                msg = f"{name} must be between {low} (inclusive) and {high} (inclusive)"
                errors[name] = ("rest_out_of_bounds", msg, None)
            elif low is not None and number < low:
                errors[name] = (
                    "rest_out_of_bounds",
                    f"{name} must be greater than or equal to {low}",
                    None,
                )
            return number

        def ids(name: str) -> list[int]:
            values = _parse_list(multi.get(name, []))
            for i, v in enumerate(values):
                if not v.isdigit():
                    msg = f"{name}[{i}] is not of type integer."
                    errors[name] = ("rest_invalid_type", msg, {"param": f"{name}[{i}]"})
                    return []
            return [int(v) for v in values]

        def choice(name: str, allowed: list[str], default: str) -> str:
            value = last.get(name, default)
            if value not in allowed:
                msg = f"{name} is not one of {_wp_list(','.join(allowed))}."
                errors[name] = ("rest_not_in_enum", msg, None)
                return default
            return value

        self.page = integer("page", 1, 1, None) or 1
        self.per_page = integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE
        self.offset = integer("offset", None, None, None)
        self.order = choice("order", ["asc", "desc"], default_order)
        self.orderby = choice("orderby", orderby, default_orderby)
        self.include = ids("include")
        self.exclude = ids("exclude")
        self.categories = ids("categories")
        self.tags = ids("tags")
        self.author = ids("author")
        self.slugs = _parse_list(multi.get("slug", []))
        self.search = last.get("search", "").strip().lower()
        self.fields = _parse_list(multi.get("_fields", []))
        self.dates: dict[str, datetime] = {}
        for name in ("after", "before", "modified_after", "modified_before"):
            if name in last:
                try:
                    self.dates[name] = _to_datetime(last[name])
                except ValueError:
                    msg = "Invalid date."
                    errors[name] = ("rest_invalid_date", msg, None)
        self.parent = ids("parent")
        self.post = integer("post", None, None, None)
        if statuses and "status" in multi:
            for i, status in enumerate(_parse_list(multi["status"])):
                if status not in POST_STATUSES:
                    msg = f"status[{i}] is not one of {_wp_list(','.join(POST_STATUSES))}."
                    errors["status"] = ("rest_not_in_enum", msg, {"param": f"status[{i}]"})
                    break
                if status != "publish":
                    msg = "Status is forbidden."
                    errors["status"] = ("rest_forbidden_status", msg, {"status": 401})
                    break
        if errors:
            raise _invalid_params(errors)
        if last.get("context", "view") == "edit":
            raise RestError(401, ERR_FORBIDDEN_CONTEXT)
        if self.orderby == "include" and not self.include:
            raise RestError.make(
                400,
                "rest_orderby_include_missing_include",
                "You need to define an include parameter to order by include.",
            )
        if self.orderby == "relevance" and not self.search:
            raise RestError.make(
                400,
                "rest_no_search_term_defined",
                "You need to define a search term to order by relevance.",
            )

    @property
    def start(self) -> int:
        return self.offset if self.offset is not None else (self.page - 1) * self.per_page

    @property
    def filtered(self) -> bool:
        """True when anything but paging/ordering narrows the result set."""
        return bool(
            self.include
            or self.exclude
            or self.categories
            or self.tags
            or self.author
            or self.slugs
            or self.search
            or self.dates
            or self.parent
            or self.post is not None
        )

    def keep(self, obj: JSON) -> bool:
        """Whether ``obj`` passes the filters (dates compare GMT; the site runs on UTC)."""
        if self.include and obj["id"] not in self.include:
            return False
        if obj["id"] in self.exclude:
            return False
        if self.categories and not set(self.categories) & set(obj.get("categories", [])):
            return False
        if self.tags and not set(self.tags) & set(obj.get("tags", [])):
            return False
        if self.author and obj.get("author") not in self.author:
            return False
        if self.slugs and obj.get("slug") not in self.slugs:
            return False
        if self.parent and obj.get("parent", obj.get("post")) not in self.parent:
            return False
        if self.search:
            text = (
                obj.get("title", {}).get("rendered", "")
                + " "
                + obj.get("content", {}).get("rendered", "")
            ).lower()
            if self.search not in text:
                return False
        for name, bound in self.dates.items():
            column = "modified_gmt" if name.startswith("modified") else "date_gmt"
            moment = _to_datetime(obj[column])
            if name.endswith("after") and not moment > bound:
                return False
            if name.endswith("before") and not moment < bound:
                return False
        return True

    def sort_key(self) -> Callable[[JSON], Any]:
        if self.orderby == "include":
            position = {v: i for i, v in enumerate(self.include)}
            return lambda o: position.get(o["id"], len(position))
        column = {
            "date": "date_gmt",
            "modified": "modified_gmt",
            "slug": "slug",
            "id": "id",
            "author": "author",
            "parent": "parent",
            "menu_order": "menu_order",
            "name": "name",
            "count": "count",
            "registered_date": "id",
        }.get(self.orderby)
        if column is None:  # title / relevance / include_slugs
            return lambda o: (o.get("title", {}).get("rendered", o.get("name", "")), o["id"])
        return lambda o: (o.get(column, 0), o["id"])


# ------------------------------------------------------------------------------ stores


class BundledPosts:
    """Posts or pages from the data file, held as dicts (a few hundred at most)."""

    def __init__(self, items: list[JSON]) -> None:
        self.items: dict[int, JSON] = {int(i["id"]): i for i in items}
        self.hidden: set[int] = set()

    def lookup(self, post_id: int) -> JSON | None:
        return self.items.get(post_id)

    def visible(self) -> Iterator[JSON]:
        return (p for i, p in self.items.items() if i not in self.hidden)

    def query(self, q: Query) -> tuple[int, list[JSON]]:
        rows = [p for p in self.visible() if q.keep(p)]
        rows.sort(key=q.sort_key(), reverse=q.order == "desc" and q.orderby != "include")
        return len(rows), rows[q.start : q.start + q.per_page]

    def max_id(self) -> int:
        return max(self.items, default=0)


class SyntheticPosts:
    """Posts 1..N built on demand: date order is id order, so pages are arithmetic.

    Only mutated posts are stored. A collection is viewed as the id window allowed by the
    date filters, minus a few removed ids, plus a few extra (edited or added) ids; the k-th
    element of that ordered set is found by bisection, never by a scan, so paging through
    100,000 posts costs the same per page as paging through 100. Added posts are ordered by
    id (their default dates keep that consistent).
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.overrides: dict[int, JSON] = {}  # edited posts and added posts (ids > count)
        self.deleted: set[int] = set()
        self.hidden: set[int] = set()
        self.added: list[int] = []  # ids > count, ascending
        self._removed: list[int] = []  # sorted (deleted | hidden) ∩ [1, count]

    def lookup(self, post_id: int) -> JSON | None:
        if post_id in self.deleted:
            return None
        if post_id in self.overrides:
            return self.overrides[post_id]
        if 1 <= post_id <= self.count:
            return synthetic_post(post_id)
        return None

    def remove(self, post_id: int) -> None:
        if 1 <= post_id <= self.count and post_id not in self._removed:
            bisect.insort(self._removed, post_id)

    def restore(self, post_id: int) -> None:
        if post_id not in self.deleted and post_id in self._removed:
            self._removed.remove(post_id)

    def visible_count(self) -> int:
        extra = sum(1 for i in self.added if i not in self.deleted and i not in self.hidden)
        return self.count - len(self._removed) + extra

    def visible(self) -> Iterator[JSON]:
        removed = set(self._removed)
        for post_id in range(1, self.count + 1):
            if post_id not in removed:
                yield self.overrides.get(post_id) or synthetic_post(post_id)
        for post_id in self.added:
            if post_id not in self.deleted and post_id not in self.hidden:
                yield self.overrides[post_id]

    def max_id(self) -> int:
        return max([self.count, *self.added])

    def _window(self, dates: dict[str, datetime]) -> tuple[int, int]:
        """Ids whose unedited date (== modified) satisfies every date bound."""
        low, high = 1, self.count
        step = 1800  # synthetic_date(): one post every 30 minutes
        for name, bound in dates.items():
            offset = (bound - synthetic_date(0)).total_seconds()
            if name.endswith("after"):  # date > bound
                low = max(low, math.floor(offset / step) + 1)
            else:  # date < bound
                high = min(high, math.ceil(offset / step) - 1)
        return low, high

    def query(self, q: Query) -> tuple[int, list[JSON]]:
        simple = q.orderby in ("date", "id") and not (
            q.include or q.search or q.categories or q.tags or q.author or q.slugs or q.parent
        )
        if not simple:
            if q.include:  # include always narrows the set: no scan needed
                found = (self.lookup(i) for i in dict.fromkeys(q.include) if i not in self.hidden)
                rows = [p for p in found if p is not None and q.keep(p)]
            else:  # rare and slow (a full scan): fine for tests, not for benchmarks
                rows = [p for p in self.visible() if q.keep(p)]
            rows.sort(key=q.sort_key(), reverse=q.order == "desc" and q.orderby != "include")
            return len(rows), rows[q.start : q.start + q.per_page]
        low, high = self._window(q.dates)
        holes = set(self._removed) | {i for i in q.exclude if 1 <= i <= self.count}
        extras: list[int] = []
        for post_id, post in self.overrides.items():
            if post_id in self.deleted or post_id in self.hidden:
                continue
            inside = low <= post_id <= high
            if q.keep(post) != inside:
                (extras.append if not inside else holes.add)(post_id)
        gaps = sorted(i for i in holes if low <= i <= high)
        extras.sort()
        total = max(0, high - low + 1) - len(gaps) + len(extras)
        ids = _merged_slice(low, high, gaps, extras, q.start, q.per_page, q.order == "desc")
        return total, [p for i in ids if (p := self.lookup(i)) is not None]


def _merged_slice(
    low: int, high: int, gaps: list[int], extras: list[int], start: int, limit: int, desc: bool
) -> list[int]:
    """``limit`` ids from position ``start`` of sorted(([low, high] - gaps) | extras).

    ``gaps`` and ``extras`` are sorted, disjoint from each other, extras lie outside
    [low, high]. Finds the first id by bisection on its value, then walks.
    """

    def in_window(a: int, b: int) -> int:
        a, b = max(a, low), min(b, high)
        if a > b:
            return 0
        return b - a + 1 - (bisect.bisect_right(gaps, b) - bisect.bisect_left(gaps, a))

    top = max(high, extras[-1] if extras else 0)
    bottom = min(low, extras[0] if extras else low)
    want = start + 1

    def rank(x: int) -> int:
        """Members on x's side (>= x when descending, <= x when ascending)."""
        if desc:
            return in_window(x, high) + len(extras) - bisect.bisect_left(extras, x)
        return in_window(low, x) + bisect.bisect_right(extras, x)

    lo, hi = bottom, top
    if rank(lo if desc else hi) < want:
        return []
    while lo < hi:  # desc: largest x with rank >= want; asc: smallest such x
        if desc:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if rank(mid) >= want else (lo, mid - 1)
        else:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if rank(mid) >= want else (mid + 1, hi)
    first = lo
    gap_set = set(gaps)
    step = -1 if desc else 1
    out: list[int] = []
    x = min(first, high) if desc else max(first, low)
    index = bisect.bisect_right(extras, first) - 1 if desc else bisect.bisect_left(extras, first)
    while len(out) < limit:
        while low <= x <= high and x in gap_set:
            x += step
        window_id = x if low <= x <= high else None
        extra_id = extras[index] if 0 <= index < len(extras) else None
        if window_id is None and extra_id is None:
            break
        take_extra = window_id is None or (
            extra_id is not None and (extra_id > window_id if desc else extra_id < window_id)
        )
        if take_extra:
            assert extra_id is not None
            out.append(extra_id)
            index += step
        else:
            assert window_id is not None
            out.append(window_id)
            x += step
    return out


PostStore = BundledPosts | SyntheticPosts


# ------------------------------------------------------------------------------- site


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for a crawler's idle keep-alive connection
    site: SampleSite


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 30

    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        try:
            status, headers, body = self.server.site.respond(self.path)
        except Exception:  # a bug here must not look like a dropped connection
            self.log_error("sample site failed on %s:\n%s", self.path, traceback.format_exc())
            status, headers = 500, [("Content-Type", "application/json; charset=UTF-8")]
            body = RestError.make(
                500, "internal_server_error", "There has been a critical error on this website."
            ).body
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.site.verbose:
            super().log_message(format, *args)


def load_bundle(data_dir: Path = DATA_DIR) -> JSON:
    """The bundled site's content (posts, pages, media, terms, users, REST index)."""
    bundle: JSON = json.loads(gzip.decompress((data_dir / SITE_FILE).read_bytes()))
    return bundle


class SampleSite:
    """The sample WordPress site, served from a background thread.

    >>> with SampleSite(posts=30) as site:
    ...     site.url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(
        self,
        port: int = 0,
        *,
        posts: int | None = None,
        host: str = "127.0.0.1",
        verbose: bool = False,
        data_dir: Path = DATA_DIR,
        bundle: JSON | None = None,
    ) -> None:
        if bundle is None:  # a fleet parses the bundle once and passes it to every site
            bundle = load_bundle(data_dir)
        self.verbose = verbose
        self.synthetic = posts is not None
        self.posts: PostStore = (
            SyntheticPosts(posts) if posts is not None else BundledPosts(bundle["posts"])
        )
        self.pages = BundledPosts(bundle["pages"])
        self.media: list[JSON] = bundle["media"]
        self.categories: list[JSON] = bundle["categories"]
        self.tags: list[JSON] = bundle["tags"]
        self.users: list[JSON] = bundle["users"]
        self.types: JSON = bundle["types"]
        self.taxonomies: JSON = bundle["taxonomies"]
        self.block_theme_types = False  # see list_block_theme_types()
        self.robots_txt = ROBOTS_TXT  # a test may serve its own rules
        self.index: JSON = bundle["index"]
        self.site_info: JSON = bundle["site"]
        self.notable: dict[str, list[int]] = {} if self.synthetic else bundle["notable"]
        self.requests: list[str] = []
        self.rest_counts: Counter[str] = Counter()  # by normalised rest_route
        self.path_counts: Counter[str] = Counter()  # non-REST requests, by URL path
        self._lock = threading.RLock()
        self._cache: dict[tuple[str, int], str] = {}
        self._server = _Server((host, port), _Handler)
        self._server.site = self
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = int(self._server.server_address[1])
        self.origin = f"http://{self.host}:{self.port}"
        self.api_root = f"{self.origin}/index.php?rest_route=/"

    # -- lifecycle -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The site's home URL, e.g. ``http://127.0.0.1:8123`` (no trailing slash)."""
        return self.origin

    def start(self) -> SampleSite:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"sample-site-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- request bookkeeping -----------------------------------------------------------

    def count(self, route: str) -> int:
        """Requests served for a REST route such as ``/wp/v2/posts`` (any query string)."""
        with self._lock:
            return self.rest_counts[route]

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()
            self.rest_counts.clear()
            self.path_counts.clear()

    # -- content and mutations -----------------------------------------------------------

    @property
    def total_posts(self) -> int:
        """Published, visible posts (what ``X-WP-Total`` reports for ``/wp/v2/posts``)."""
        with self._lock:
            if isinstance(self.posts, SyntheticPosts):
                return self.posts.visible_count()
            return sum(1 for _ in self.posts.visible())

    def post_ids(self) -> list[int]:
        """Ids of visible posts, ascending (bundled mode; synthetic mode is 1..N)."""
        with self._lock:
            return sorted(p["id"] for p in self.posts.visible())

    def get_post(self, post_id: int) -> JSON | None:
        """The stored post (placeholder origin, not rewritten), or None if deleted."""
        with self._lock:
            return self.posts.lookup(post_id)

    def _require(self, post_id: int) -> JSON:
        post = self.posts.lookup(post_id)
        if post is None:
            raise KeyError(post_id)
        return post

    def edit_post(
        self,
        post_id: int,
        *,
        content: str | None = None,
        title: str | None = None,
        excerpt: str | None = None,
        modified_gmt: str | datetime | None = None,
        fields: JSON | None = None,
    ) -> JSON:
        """Change a post and bump ``modified``/``modified_gmt`` (default: now, but always later);
        ``fields`` sets other top-level fields as WordPress stores them (``categories``,
        ``status``, ``date_gmt``...)."""
        with self._lock:
            post: JSON = json.loads(json.dumps(self._require(post_id)))
            if content is not None:
                post["content"]["rendered"] = content
            if title is not None:
                post["title"]["rendered"] = title
            if excerpt is not None:
                post["excerpt"]["rendered"] = excerpt
            post.update(fields or {})
            stamp = self._stamp(modified_gmt, after=post["modified_gmt"])
            post["modified"] = post["modified_gmt"] = stamp
            self._store(post)
            return post

    def delete_post(self, post_id: int) -> None:
        """Delete permanently: the post then answers 404 ``rest_post_invalid_id``."""
        with self._lock:
            self._require(post_id)
            if isinstance(self.posts, SyntheticPosts):
                self.posts.deleted.add(post_id)
                self.posts.remove(post_id)
                self.posts.overrides.pop(post_id, None)
            else:
                del self.posts.items[post_id]
                self.posts.hidden.discard(post_id)
            self._cache.pop(("posts", post_id), None)

    def hide_post(self, post_id: int) -> None:
        """Trash/unpublish: 401 ``rest_forbidden`` for the post, and it leaves collections."""
        with self._lock:
            self._require(post_id)
            self.posts.hidden.add(post_id)
            if isinstance(self.posts, SyntheticPosts):
                self.posts.remove(post_id)

    def restore_post(self, post_id: int) -> None:
        """Undo :meth:`hide_post` as a backup restore does: served again, ``modified_gmt`` kept."""
        with self._lock:
            self._require(post_id)
            self.posts.hidden.discard(post_id)
            if isinstance(self.posts, SyntheticPosts):
                self.posts.restore(post_id)

    def list_block_theme_types(self) -> None:
        """List the internal types of WordPress 6.5 to 7.1 in ``/wp/v2/types``, as it does.

        ``wp_global_styles`` names ``global-styles``, which has no collection route (404
        ``rest_no_route``); ``wp_font_family`` names ``font-families``, which answers 401
        ``rest_cannot_read`` to anonymous readers; ``wp_font_face``'s ``rest_base`` is a
        route pattern, not a path.
        """
        faces = "font-families/(?P<font_family_id>[\\d]+)/font-faces"
        api = f"{PLACEHOLDER_ORIGIN}/index.php?rest_route=/wp/v2"
        entries = (
            ("wp_global_styles", "Global Styles", "global-styles"),
            ("wp_font_family", "Font Families", "font-families"),
            ("wp_font_face", "Font Faces", faces),
        )
        with self._lock:
            self.block_theme_types = True
            for slug, name, rest_base in entries:
                self.types[slug] = {
                    **self.types["post"],
                    "name": name,
                    "slug": slug,
                    "icon": None,
                    "taxonomies": [],
                    "rest_base": rest_base,
                    "_links": {
                        "collection": [{"href": f"{api}/types"}],
                        "wp:items": [{"href": f"{api}/{rest_base}"}],
                        "curies": [
                            {"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}
                        ],
                    },
                }

    def add_post(
        self,
        *,
        title: str = "A new post",
        content: str = "<p>Freshly published.</p>",
        date_gmt: str | datetime | None = None,
        categories: list[int] | None = None,
        tags: list[int] | None = None,
        post_id: int | None = None,
    ) -> int:
        """Publish a new post (default date: now) and return its id.

        In synthetic mode the default date is the next slot after post N, keeping date
        order equal to id order.
        """
        with self._lock:
            new_id = post_id if post_id is not None else self._next_id()
            if self.posts.lookup(new_id) is not None:
                raise ValueError(f"post {new_id} exists")
            if date_gmt is None and isinstance(self.posts, SyntheticPosts):
                stamp = wp_date(synthetic_date(new_id))
            else:
                stamp = self._stamp(date_gmt, after=None)
            moment = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
            post = make_post(
                new_id,
                date=moment,
                modified=moment,
                title=html.escape(title, quote=False),
                content=content if content.startswith("\n") else join_blocks([content]),
                excerpt=f"<p>{html.escape(title, quote=False)}</p>\n",
                slug=slugify(title) or str(new_id),
                categories=categories or [2],
                tags=tags or [],
            )
            if isinstance(self.posts, SyntheticPosts):
                if new_id <= self.posts.count:
                    raise ValueError("synthetic ids 1..N are taken")
                self.posts.overrides[new_id] = post
                bisect.insort(self.posts.added, new_id)
            else:
                self.posts.items[new_id] = post
            return new_id

    def _next_id(self) -> int:
        ids = [self.posts.max_id(), self.pages.max_id(), *(int(m["id"]) for m in self.media)]
        return max(ids) + 1

    def _stamp(self, value: str | datetime | None, *, after: str | None) -> str:
        if isinstance(value, datetime):
            return wp_date(value.astimezone(UTC) if value.tzinfo else value)
        if isinstance(value, str):
            return wp_date(_to_datetime(value))
        now = datetime.now(UTC).replace(microsecond=0)
        if after is not None:  # an edit must always move modified_gmt forward
            now = max(now, datetime.fromisoformat(after).replace(tzinfo=UTC) + timedelta(seconds=1))
        return wp_date(now)

    def _store(self, post: JSON) -> None:
        post_id = int(post["id"])
        if isinstance(self.posts, SyntheticPosts):
            self.posts.overrides[post_id] = post
        else:
            self.posts.items[post_id] = post
        self._cache.pop(("posts", post_id), None)

    # -- HTTP dispatch -----------------------------------------------------------------

    def respond(self, target: str) -> tuple[int, Headers, bytes]:
        """Answer one GET request target (path plus query)."""
        parts = urlsplit(target)
        params = parse_qsl(parts.query, keep_blank_values=True)
        route = next((v for k, v in reversed(params) if k == "rest_route"), None)
        with self._lock:
            if route is not None:
                route = "/" + route.strip("/") if route.strip("/") else "/"
                key = route
            else:
                key = parts.path
            self.requests.append(target)
            (self.rest_counts if route is not None else self.path_counts)[key] += 1
            if route is not None:
                return self._rest(route, [(k, v) for k, v in params if k != "rest_route"])
            return self._web(parts.path, dict(params))

    # REST ---------------------------------------------------------------------------

    def _json(self, value: Any) -> str:
        return wp_json(value).replace(_ESCAPED_PLACEHOLDER, self.origin.replace("/", "\\/"))

    def _rest_headers(self, extra: Headers | None = None, link: str | None = None) -> Headers:
        headers: Headers = [
            ("Content-Type", "application/json; charset=UTF-8"),
            ("X-Robots-Tag", "noindex"),
            # WordPress sends this Link, then PHP's header() replaces it with any later one.
            ("Link", link or f'<{self.api_root}>; rel="https://api.w.org/"'),
            ("X-Content-Type-Options", "nosniff"),
            ("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"),
            (
                "Access-Control-Allow-Headers",
                "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
            ),
        ]
        headers += extra or []
        headers.append(("Allow", "GET"))
        return headers

    def _rest(self, route: str, params: list[tuple[str, str]]) -> tuple[int, Headers, bytes]:
        try:
            return self._rest_inner(route, params)
        except RestError as error:
            return error.status, self._rest_headers(), error.body

    def _ok(
        self, body: str, headers: Headers | None = None, link: str | None = None
    ) -> tuple[int, Headers, bytes]:
        return 200, self._rest_headers(headers, link), body.encode()

    def _rest_inner(self, route: str, params: list[tuple[str, str]]) -> tuple[int, Headers, bytes]:
        if route == "/":
            return self._ok(self._json(self._index()))
        if route in ("/wp/v2", "/oembed/1.0"):
            namespace = route.lstrip("/")
            routes = {k: v for k, v in self.index["routes"].items() if v["namespace"] == namespace}
            doc = {
                "namespace": namespace,
                "routes": routes,
                "_links": {"up": [{"href": self.api_root}]},
            }
            return self._ok(self._json(doc))
        if self.block_theme_types and route.startswith("/wp/v2/font-families"):
            raise RestError(401, ERR_CANNOT_READ_FONTS)
        match = _ROUTE.fullmatch(route)
        if match is None:
            raise RestError(404, ERR_NO_ROUTE)
        base, ident, sub = match.group("base", "id", "sub")
        base = base.lower()
        named = base in ("types", "taxonomies") or (base == "users" and ident == "me")
        if ident is not None and not ident.isdigit() and not named:
            raise RestError(404, ERR_NO_ROUTE)
        if base in ("posts", "pages"):
            store: PostStore = self.posts if base == "posts" else self.pages
            if ident is None:
                return self._post_collection(base, store, route, params)
            post_id = int(ident)
            post = store.lookup(post_id)
            if sub is not None:
                if sub.startswith("revisions"):
                    if post is None:
                        raise RestError.make(
                            404, "rest_post_invalid_parent", "Invalid post parent ID."
                        )
                    raise RestError(401, ERR_CANNOT_READ_REVISIONS)
                raise RestError(404, ERR_NO_ROUTE)
            if post is None:
                raise RestError(404, ERR_INVALID_ID)
            if post_id in store.hidden:
                raise RestError(401, ERR_FORBIDDEN)
            query = Query(params, POST_ORDERBY, "desc", "date")
            alternate = post["link"].replace(PLACEHOLDER_ORIGIN, self.origin)
            link = f'<{alternate}>; rel="alternate"; type="text/html"'
            return self._ok(self._serialize(base, post, query.fields), link=link)
        if sub is not None:
            raise RestError(404, ERR_NO_ROUTE)
        if base == "media":
            return self._list_or_item(
                base,
                self.media,
                ident,
                route,
                params,
                POST_ORDERBY,
                ("desc", "date"),
                ERR_INVALID_ID,
                strict_pages=True,
            )
        if base in ("categories", "tags"):
            items = self.categories if base == "categories" else self.tags
            not_found = RestError.make(404, "rest_term_invalid", "Term does not exist.").body
            orderby = [
                "id",
                "include",
                "name",
                "slug",
                "include_slugs",
                "term_group",
                "description",
                "count",
            ]
            return self._list_or_item(
                base, items, ident, route, params, orderby, ("asc", "name"), not_found
            )
        if base == "users":
            if ident == "me":
                raise RestError.make(401, "rest_not_logged_in", "You are not currently logged in.")
            not_found = RestError.make(404, "rest_user_invalid_id", "Invalid user ID.").body
            orderby = [
                "id",
                "include",
                "name",
                "registered_date",
                "slug",
                "include_slugs",
                "email",
                "url",
            ]
            return self._list_or_item(
                base, self.users, ident, route, params, orderby, ("asc", "name"), not_found
            )
        if base == "comments":
            if ident is not None:
                raise RestError.make(404, "rest_comment_invalid_id", "Invalid comment ID.")
            Query(
                params,
                ["date", "date_gmt", "id", "include", "post", "parent", "type"],
                "desc",
                "date_gmt",
                statuses=False,
            )
            return self._ok("[]", [("X-WP-Total", "0"), ("X-WP-TotalPages", "0")])
        # types / taxonomies: keyed objects, not paginated.
        table = self.types if base == "types" else self.taxonomies
        if ident is None:
            return self._ok(self._json(table))
        if ident not in table:
            code = "rest_type_invalid" if base == "types" else "rest_taxonomy_invalid"
            message = "Invalid post type." if base == "types" else "Invalid taxonomy."
            raise RestError.make(404, code, message)
        return self._ok(self._json(table[ident]))

    def _index(self) -> JSON:
        doc = dict(self.index)
        doc["name"] = self.site_info["name"]
        return doc

    def _serialize(self, base: str, obj: JSON, fields: list[str]) -> str:
        if fields:
            return self._json(_filter_fields(obj, fields))
        key = (base, int(obj["id"]))
        if self.synthetic and base == "posts":
            return self._json(obj)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._cache[key] = self._json(obj)
        return cached

    def _paging_headers(
        self, route: str, params: list[tuple[str, str]], total: int, per_page: int, page: int
    ) -> tuple[Headers, str | None]:
        """``X-WP-Total``/``X-WP-TotalPages`` and the prev/next ``Link`` WordPress builds."""
        pages = math.ceil(total / per_page) if total else 0
        headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
        links = []
        if page > 1:
            links.append(f'<{self._page_url(route, params, min(page - 1, pages))}>; rel="prev"')
        if pages > page:
            links.append(f'<{self._page_url(route, params, page + 1)}>; rel="next"')
        return headers, ", ".join(links) or None

    def _page_url(self, route: str, params: list[tuple[str, str]], page: int) -> str:
        """``add_query_arg`` over ``$_GET``: values urlencoded, rest_route first, page set."""
        query: dict[str, str] = {"rest_route": quote(route, safe="")}
        arrays: dict[str, list[str]] = {}
        for key, value in params:
            if key.endswith("[]"):
                arrays.setdefault(key[:-2], []).append(value)
                query[key[:-2]] = ""
            else:
                query[key] = _php_urlencode(value)
        for key, values in arrays.items():
            del query[key]
            for i, value in enumerate(values):
                query[f"{key}%5B{i}%5D"] = _php_urlencode(value)
        query["page"] = str(page)
        return f"{self.origin}/index.php?" + "&".join(f"{k}={v}" for k, v in query.items())

    def _post_collection(
        self, base: str, store: PostStore, route: str, params: list[tuple[str, str]]
    ) -> tuple[int, Headers, bytes]:
        orderby = [*POST_ORDERBY, "menu_order"] if base == "pages" else POST_ORDERBY
        query = Query(params, orderby, "desc", "date")
        total, rows = store.query(query)
        pages = math.ceil(total / query.per_page) if total else 0
        if query.page > pages and total > 0:
            raise RestError(400, ERR_INVALID_PAGE)
        headers, link = self._paging_headers(route, params, total, query.per_page, query.page)
        body = "[" + ",".join(self._serialize(base, row, query.fields) for row in rows) + "]"
        return self._ok(body, headers, link)

    def _list_or_item(
        self,
        base: str,
        items: list[JSON],
        ident: str | None,
        route: str,
        params: list[tuple[str, str]],
        orderby: list[str],
        default: tuple[str, str],
        not_found: bytes,
        strict_pages: bool = False,
    ) -> tuple[int, Headers, bytes]:
        """Media, terms and users: small in-memory lists with WordPress's paging."""
        if ident is not None:
            found = next((i for i in items if str(i["id"]) == ident), None)
            if found is None:
                raise RestError(404, not_found)
            query = Query(params, orderby, default[0], default[1], statuses=False)
            return self._ok(self._serialize(base, found, query.fields))
        query = Query(params, orderby, default[0], default[1], statuses=base == "media")
        rows = [i for i in items if query.keep(i)]
        if query.post is not None:  # terms attached to one post (the seed's wp:term links)
            post = self.posts.lookup(query.post)
            attached = set((post or {}).get(base, []))
            rows = [r for r in rows if r["id"] in attached]
        rows.sort(
            key=query.sort_key(), reverse=query.order == "desc" and query.orderby != "include"
        )
        total = len(rows)
        pages = math.ceil(total / query.per_page) if total else 0
        if strict_pages and query.page > pages and total > 0:
            raise RestError(400, ERR_INVALID_PAGE)
        window = rows[query.start : query.start + query.per_page]
        headers, link = self._paging_headers(route, params, total, query.per_page, query.page)
        body = "[" + ",".join(self._serialize(base, row, query.fields) for row in window) + "]"
        return self._ok(body, headers, link)

    # HTML ---------------------------------------------------------------------------

    def _web(self, path: str, params: dict[str, str]) -> tuple[int, Headers, bytes]:
        if path == "/robots.txt":
            robots = self.robots_txt.encode()
            return 200, [("Content-Type", "text/plain; charset=utf-8")], robots
        if (
            path.startswith(("/wp-content/", "/wp-admin/", "/wp-includes/"))
            or path == "/favicon.ico"
        ):
            return self._html(404, "Page not found", "<p>It looks like nothing was found here.</p>")
        if path not in ("/", "/index.php") and not path.startswith(("/index.php/", "/wp-json")):
            return self._html(404, "Page not found", "<p>It looks like nothing was found here.</p>")
        for key, store in (("p", self.posts), ("page_id", self.pages), ("p", self.pages)):
            if key in params:
                ident = params[key]
                obj = store.lookup(int(ident)) if ident.isdigit() else None
                if obj is None or obj["id"] in store.hidden:
                    continue
                rest_base = "posts" if store is self.posts else "pages"
                return self._single_html(obj, rest_base)
        if "p" in params or "page_id" in params:
            return self._html(404, "Page not found", "<p>It looks like nothing was found here.</p>")
        return self._home(params.get("paged", "1"))

    def _home(self, paged: str) -> tuple[int, Headers, bytes]:
        page = int(paged) if paged.isdigit() and int(paged) > 0 else 1
        query = Query([("page", str(page))], POST_ORDERBY, "desc", "date")
        total, rows = self.posts.query(query)
        items = []
        for post in rows:
            href = f"{self.origin}/?p={post['id']}"
            items.append(
                f'<article id="post-{post["id"]}"><h2><a href="{href}">'
                f"{post['title']['rendered']}</a></h2>{post['excerpt']['rendered']}</article>"
            )
        if total > page * DEFAULT_PER_PAGE:
            items.append(f'<a class="next" href="{self.origin}/?paged={page + 1}">Older posts</a>')
        return self._html(200, None, "\n".join(items))

    def _single_html(self, obj: JSON, rest_base: str) -> tuple[int, Headers, bytes]:
        param = "p" if rest_base == "posts" else "page_id"
        short = f"{self.origin}/?{param}={obj['id']}"
        json_url = f"{self.origin}/index.php?rest_route=/wp/v2/{rest_base}/{obj['id']}"
        head = (
            f'<link rel="alternate" title="JSON" type="application/json" href="{json_url}" />\n'
            f'<link rel="canonical" href="{short}" />\n'
            f"<link rel='shortlink' href='{short}' />\n"
        )
        body = (
            f'<article id="post-{obj["id"]}"><h1 class="entry-title">'
            f'{obj["title"]["rendered"]}</h1>\n<div class="entry-content">'
            f"{obj['content']['rendered']}</div></article>"
        )
        links = [
            ("Link", f'<{json_url}>; rel="alternate"; title="JSON"; type="application/json"'),
            ("Link", f"<{short}>; rel=shortlink"),
        ]
        return self._html(200, obj["title"]["rendered"], body, head, links)

    def _html(
        self,
        status: int,
        title: str | None,
        main: str,
        head: str = "",
        links: Headers | None = None,
    ) -> tuple[int, Headers, bytes]:
        name = self.site_info["name"]
        tagline = self.site_info["description"]
        full_title = f"{title} &#8211; {name}" if title else f"{name} &#8211; {tagline}"
        menu = "".join(
            f'<li><a href="{self.origin}/?page_id={p["id"]}">{p["title"]["rendered"]}</a></li>'
            for p in sorted(self.pages.visible(), key=lambda p: p["menu_order"])
            if not p["parent"]
        )
        page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{full_title}</title>
<meta name='robots' content='max-image-preview:large' />
<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" href="{self.origin}/?feed=rss2" />
<link rel="https://api.w.org/" href="{self.api_root}" />
{head}<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{self.origin}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 6.7.1" />
</head>
<body class="{"home blog" if title is None else "single"}">
<header><p class="site-title"><a href="{self.origin}/" rel="home">{name}</a></p>
<p class="site-description">{self.site_info["description"]}</p>
<nav><ul>{menu}</ul></nav></header>
<main id="main">
{main}
</main>
<footer><p>Promoted by {name}.</p></footer>
</body>
</html>
"""  # noqa: E501
        headers: Headers = [
            ("Content-Type", "text/html; charset=UTF-8"),
            ("Link", f'<{self.api_root}>; rel="https://api.w.org/"'),
            *(links or []),
        ]
        body = page.replace(PLACEHOLDER_ORIGIN, self.origin).encode()
        return status, headers, body


def fleet_address(index: int) -> str:
    """The loopback address of site ``index`` of a fleet: 127.0.1.1, …, 127.0.1.254, 127.0.2.1.

    >>> fleet_address(0), fleet_address(253), fleet_address(254)
    ('127.0.1.1', '127.0.1.254', '127.0.2.1')
    """
    if not 0 <= index < 254 * 254:
        raise ValueError(f"a fleet has at most {254 * 254} sites, not index {index}")
    return f"127.0.{1 + index // 254}.{1 + index % 254}"


class SampleFleet:
    """Many synthetic sample sites at once, each on its own loopback address, one port.

    Why one address per site rather than one port per site: Scrapy's politeness (requests
    per domain, AutoThrottle's delay) is kept per host name, so sites on one address would
    share one download slot, as no fleet of real sites does. Linux routes all of
    127.0.0.0/8 to the loopback interface, so nothing leaves the machine. One thread
    accepts connections for every site (a ``serve_forever`` thread per site would wake
    each of them 20 times a second); each connection is then served on its own thread.

    >>> with SampleFleet([30, 40]) as fleet:
    ...     [site.url.split(":")[1] for site in fleet.sites], fleet.sites[1].total_posts
    (['//127.0.1.1', '//127.0.1.2'], 40)
    """

    def __init__(self, posts: Iterable[int], *, port: int = 0, verbose: bool = False) -> None:
        bundle = load_bundle()
        self.sites: list[SampleSite] = []
        try:
            for index, count in enumerate(posts):
                site = SampleSite(
                    port, posts=count, host=fleet_address(index), verbose=verbose, bundle=bundle
                )
                port = site.port  # every later site listens on the first site's port
                self.sites.append(site)
        except BaseException:
            for site in self.sites:
                site.stop()
            raise
        self.port = port
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def _accept(self) -> None:
        with selectors.DefaultSelector() as selector:
            for site in self.sites:
                site._server.socket.settimeout(1.0)  # a vanished client cannot stall the rest
                selector.register(site._server, selectors.EVENT_READ, site._server)
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=0.2):
                    key.data.handle_request()  # ready: accepts at once, serves on a thread

    def start(self) -> SampleFleet:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._accept, name="sample-fleet", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._stopping.set()
            self._thread.join()
            self._thread = None
        for site in self.sites:
            site.stop()

    def __enter__(self) -> SampleFleet:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def requests(self) -> int:
        """Requests served by every site since they started (or their last reset)."""
        return sum(len(site.requests) for site in self.sites)


_ESCAPED_PLACEHOLDER = PLACEHOLDER_ORIGIN.replace("/", "\\/")
_ROUTE = re.compile(
    r"/wp/v2/(?P<base>posts|pages|media|categories|tags|users|comments|types|taxonomies)"
    r"(?:/(?P<id>\d+|me|[a-z_-]+))?(?:/(?P<sub>revisions(?:/\d+)?|autosaves(?:/\d+)?))?",
    re.IGNORECASE,
)


def _php_urlencode(value: str) -> str:
    """PHP ``urlencode``: like ``quote_plus`` but ``~`` is encoded too."""
    return quote_plus(value, safe="").replace("~", "%7E")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the mpcrawl sample WordPress site.")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--posts", type=int, default=None, help="serve N synthetic posts")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with SampleSite(args.port, posts=args.posts, verbose=args.verbose) as site:
        print(f"Sample site on {site.url}/  (REST index: {site.api_root})", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
