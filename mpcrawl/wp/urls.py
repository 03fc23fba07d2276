"""Every REST URL the crawler requests, built from the discovered API root.

WordPress answers on two URL forms: ``/wp-json/<route>`` with pretty permalinks and
``/index.php?rest_route=<route>`` (or ``/?rest_route=``) with plain ones. Building both
from one place keeps the rest of the crawler unaware of which form a site uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

PER_PAGE = 100
Form = Literal["pretty", "plain"]


@dataclass(frozen=True, slots=True)
class ApiRoot:
    """A site's REST API root and the URL form it takes.

    >>> ApiRoot.parse("https://example.org/wp-json/").url("/wp/v2/posts", [("page", 2)])
    'https://example.org/wp-json/wp/v2/posts?page=2'
    >>> ApiRoot.parse("https://example.org/index.php?rest_route=/").url(
    ...     "/wp/v2/posts", [("per_page", 100), ("page", 2)])
    'https://example.org/index.php?rest_route=/wp/v2/posts&per_page=100&page=2'
    """

    base: str
    form: Form

    @classmethod
    def parse(cls, root: str) -> ApiRoot:
        """Classify a discovered root URL (from a Link header, a tag or a probe)."""
        parts = urlsplit(root)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if "rest_route" in query:
            base = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))
            return cls(base=base, form="plain")
        path = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(base=urlunsplit((parts.scheme, parts.netloc, path, "", "")), form="pretty")

    @property
    def root_url(self) -> str:
        """The API index URL (what discovery found)."""
        return self.url("/")

    def url(self, route: str, params: Iterable[tuple[str, object]] = ()) -> str:
        """The URL of ``route`` (``/wp/v2/posts``) with query ``params`` in order."""
        route = "/" + route.lstrip("/")
        query = urlencode([(k, str(v)) for k, v in params], safe=",")
        if self.form == "plain":
            url = f"{self.base}?rest_route={quote(route, safe='/')}"
            return f"{url}&{query}" if query else url
        url = self.base.rstrip("/") + route if route != "/" else self.base
        return f"{url}?{query}" if query else url

    def collection(
        self,
        rest_base: str,
        *,
        page: int = 1,
        per_page: int = PER_PAGE,
        fields: Sequence[str] = (),
        include: Sequence[int] = (),
        namespace: str = "wp/v2",
    ) -> str:
        """A collection page in a stable order, so inserts mid-walk don't shift pages.

        >>> ApiRoot.parse("https://e.org/wp-json/").collection("posts", fields=["id"])
        'https://e.org/wp-json/wp/v2/posts?per_page=100&page=1&orderby=id&order=asc&_fields=id'
        """
        params: list[tuple[str, object]] = [("per_page", per_page), ("page", page)]
        params += [("orderby", "id"), ("order", "asc")]
        if include:
            params.append(("include", ",".join(str(i) for i in include)))
        if fields:
            params.append(("_fields", ",".join(fields)))
        return self.url(f"/{namespace}/{rest_base}", params)

    def item(self, rest_base: str, item_id: int, suffix: str = "") -> str:
        """One object, e.g. a post to probe for deletion, or its revisions."""
        return self.url(f"/wp/v2/{rest_base}/{item_id}{suffix}")
