"""How many pages a collection has, by what the site says and what it serves, capped.

WordPress sends ``X-WP-Total`` (objects) and ``X-WP-TotalPages`` with every collection page.
Hostile or broken sites lie in both (``X-WP-TotalPages: 1000000000``), drop them (a proxy),
or serve fewer objects per page than asked (a plugin capping ``per_page`` at 10). These
rules decide, from page 1 alone, how far a walk may go; the walk then proves its end.
"""

from __future__ import annotations


def page_size(asked: int, served: int, total: int | None) -> int:
    """The page size the site really serves: fewer than asked on a full first page means
    the site caps ``per_page``.

    >>> page_size(100, 10, 500), page_size(100, 30, 30), page_size(100, 0, None)
    (10, 100, 100)
    """
    if 0 < served < asked and (total is None or total > served):
        return served
    return asked


def last_page(
    *, asked: int, served: int, total: int | None, total_pages: int | None, ceiling: int
) -> int | None:
    """The last page a walk may schedule from page 1's headers, or None when the site sent
    no totals (then the walk goes page by page until the collection is shown to end).

    ``X-WP-TotalPages`` is believed only as far as ``X-WP-Total`` allows at the page size
    served, and never past ``ceiling`` (``MPCRAWL_MAX_PAGES``) pages.

    >>> last_page(asked=100, served=30, total=30, total_pages=1_000_000_000, ceiling=10_000)
    1
    >>> last_page(asked=100, served=10, total=500, total_pages=None, ceiling=10_000)
    50
    >>> last_page(asked=100, served=100, total=None, total_pages=1_000_000_000, ceiling=10_000)
    10000
    >>> last_page(asked=100, served=10, total=None, total_pages=None, ceiling=10_000) is None
    True
    """
    by_total = None
    if total is not None:
        by_total = max(1, -(-total // page_size(asked, served, total)))
    bounds = [n for n in (by_total, total_pages) if n is not None]
    if not bounds:
        return None
    return max(1, min(*bounds, ceiling))


def revision_pages(
    *, served: int, total: int | None, total_pages: int | None, count: int | None, ceiling: int
) -> int:
    """Pages of one post's revisions, from page 1 of its revisions route.

    The post's own ``version-history`` count and ``X-WP-Total`` bound what
    ``X-WP-TotalPages`` may claim.

    >>> revision_pages(served=2, total=2, total_pages=1_000_000_000, count=2, ceiling=10_000)
    1
    >>> revision_pages(served=100, total=250, total_pages=3, count=250, ceiling=10_000)
    3
    >>> revision_pages(served=100, total=None, total_pages=None, count=None, ceiling=10_000)
    1
    """
    size = max(served, 1)
    bounds = [total_pages or 1]
    for known in (total, count):
        if known is not None:
            bounds.append(max(1, -(-known // size)))
    return max(1, min(*bounds, ceiling))
