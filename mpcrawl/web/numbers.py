"""Numbered publications: the ids a platform prints, the walk over them, paged feeds.

Platforms that number their objects print the number on every page: Drupal 7 in
``<link rel="shortlink" href="/node/N">``, WordPress in ``<link rel="shortlink"
href="/?p=N">`` (and ``?p=N`` in each feed entry's ``<guid>``). The shortlink is also the
address of every other number: ``/node/N`` answers the node (403 where it is unpublished,
404 where there is none), ``/?p=N`` redirects to the post's permalink. So where no listing
is complete, the ids below the highest one seen that no listing gave are asked for
(:class:`IdWalk`), newest first, within stated bounds.

WordPress pages its feeds as its other archives: ``/feed/?paged=N`` (``?feed=rss2&paged=N``
with plain permalinks) holds the ``posts_per_rss`` entries before those of page N-1
(``WP_Query`` keeps ``paged`` for feeds); past the last page it answers 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["IdWalk", "Shortlink", "feed_page", "guid_id", "shortlink"]

_NODE = re.compile(r"^(/node/)(\d+)$")
_P = re.compile(r"^p=(\d+)$")
_DRUPAL_GUID = re.compile(r"^(\d+) at \S+$")


@dataclass(frozen=True, slots=True)
class Shortlink:
    """A page's printed number, and how to ask for any other number of the same site."""

    id: int
    template: str  # the shortlink with ``{}`` where the number is

    def url(self, number: int) -> str:
        return self.template.format(number)


def shortlink(href: str) -> Shortlink | None:
    """The number a shortlink names: ``/node/N`` (Drupal) or ``?p=N`` alone (WordPress).

    >>> shortlink("https://ex.org/node/42")
    Shortlink(id=42, template='https://ex.org/node/{}')
    >>> shortlink("https://ex.org/?p=7").url(8)
    'https://ex.org/?p=8'
    >>> shortlink("https://ex.org/?p=7&lang=fr") is None, shortlink("https://ex.org/a/") is None
    (True, True)
    """
    parts = urlsplit(href.strip())
    if m := _NODE.match(parts.path):
        path = m[1] + "{}"
        return Shortlink(int(m[2]), urlunsplit(parts._replace(path=path, fragment="")))
    if (m := _P.match(parts.query)) and parts.path in ("", "/"):
        query = "p={}"
        return Shortlink(int(m[1]), urlunsplit(parts._replace(query=query, fragment="")))
    return None


def guid_id(guid: str | None) -> int | None:
    """The post or node id in a feed entry's ``<guid>``: ``…?p=N`` or ``N at …``.

    >>> guid_id("https://ex.org/?p=12"), guid_id("12 at https://ex.org"), guid_id("x")
    (12, 12, None)
    """
    if not guid:
        return None
    if m := _DRUPAL_GUID.match(guid.strip()):
        return int(m[1])
    found = shortlink(guid)
    return found.id if found else None


def feed_page(feed_url: str, page: int) -> str:
    """Page ``page`` of a WordPress feed (page 1 is the feed as announced).

    >>> feed_page("https://ex.org/feed/", 3), feed_page("https://ex.org/?feed=rss2", 2)
    ('https://ex.org/feed/?paged=3', 'https://ex.org/?feed=rss2&paged=2')
    """
    if page == 1:
        return feed_url
    parts = urlsplit(feed_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "paged"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("paged", str(page))])))


@dataclass(slots=True)
class IdWalk:
    """Which ids to ask for: down from ``highest``, skipping ``known``, within bounds.

    At most ``max_ids`` are asked; the walk stops once ``max_misses`` ids in a row (in
    id order, known ids breaking the row) answered no page. ``window`` ids are asked at a
    time so the row is judged in order however the answers arrive.

    >>> walk = IdWalk(known=frozenset({10, 7}), highest=10, max_ids=100, max_misses=3,
    ...               window=3)
    >>> walk.take()
    [9, 8, 6]
    >>> walk.answered(9, False); walk.answered(8, False); walk.take()  # 7 breaks the row
    [5, 4]
    >>> walk.answered(6, False); walk.answered(5, False); walk.answered(4, False)
    >>> walk.stopped, walk.take(), walk.done
    (True, [], True)
    """

    known: frozenset[int]
    highest: int
    max_ids: int
    max_misses: int
    window: int = 8
    asked: int = 0
    in_flight: int = 0
    stopped: bool = False
    _next: int = field(init=False)
    _judged: int = field(init=False)  # every id above this one is judged
    _misses: int = 0
    _answers: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._next = self._judged = self.highest

    def take(self) -> list[int]:
        """The ids to ask for now."""
        ids: list[int] = []
        while not self.stopped and self.in_flight < self.window and self.asked < self.max_ids:
            number, self._next = self._next, self._next - 1
            if number < 1:
                break
            if number in self.known:
                continue
            ids.append(number)
            self.asked += 1
            self.in_flight += 1
        return ids

    def answered(self, number: int, found: bool) -> None:
        """An id's answer: ``found`` where a page (or a hidden one) has the number."""
        self.in_flight -= 1
        self._answers[number] = found
        while self._judged > 1 and self._judged - 1 > self._next:
            below = self._judged - 1
            if below in self.known:
                self._misses = 0
            elif below in self._answers:
                self._misses = 0 if self._answers.pop(below) else self._misses + 1
            else:
                break
            self._judged = below
            if self._misses >= self.max_misses:
                self.stopped = True

    @property
    def done(self) -> bool:
        """Nothing in flight and nothing more to ask."""
        exhausted = self.stopped or self._next < 1 or self.asked >= self.max_ids
        return self.in_flight == 0 and exhausted
