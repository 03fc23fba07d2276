"""The fallback plan offline over a real Hugo build: its files as canned responses.

Hugo writes the pages, lists, ``sitemap.xml`` (with ``lastmod``) and feeds a static site
serves; here they are handed to the plan's callbacks as Scrapy responses, no server.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import DropItem

from mpcrawl.archive.web_state import ArchivedPage, WebState
from mpcrawl.pipelines.normalise import NormalisePipeline
from mpcrawl.plans.fallback import FallbackPlan, FallbackSite
from mpcrawl.web.items import FetchedPage, WebPageItem, WebTombstoneItem
from mpcrawl.wp.sitename import site_host_keys
from tests.hugo.site import HugoSite
from tests.plans.test_fallback import Site


def built(root: Path, pages: int) -> HugoSite:
    """Hugo's output for ``pages`` pages (its server socket closed, never started)."""
    hugo = HugoSite(root, pages=pages)
    hugo.server.server_close()
    hugo.build()
    return hugo


def served(hugo: HugoSite) -> Site:
    """Every file of the build at the URL a static server gives it (``dir/`` for index)."""
    bodies = {}
    for path in hugo.public.rglob("*"):
        if path.is_file():
            url = f"{hugo.url}/{path.relative_to(hugo.public).as_posix()}"
            bodies[url.removesuffix("index.html")] = (200, path.read_bytes())
    return Site(bodies)


def crawl(site: Site, home: str, state: WebState | None = None) -> FallbackSite:
    fs = FallbackSite(
        site="hugo", home=home, hosts=site_host_keys(home), state=state or WebState(), run_id="r"
    )
    site.run(FallbackPlan(fs, site.request).start())
    return fs


def rows(site: Site) -> list[WebPageItem]:
    """The plan's pages as the normalise pipeline makes them (listings dropped)."""
    found = []
    for item in site.items:
        if isinstance(item, FetchedPage):
            try:
                row = NormalisePipeline().process_item(item)
            except DropItem:  # a listing
                continue
            assert isinstance(row, WebPageItem)
            found.append(row)
    return found


def archived(row: WebPageItem) -> ArchivedPage:
    """The row as the next run's web state holds it."""
    assert row.version_sha256 is not None and row.fetched_at is not None
    return ArchivedPage(
        row.version_sha256, row.fetched_at, row.lastmod, None, None, row.post_type, row.id
    )


def test_every_page_then_only_what_changed(tmp_path: Path) -> None:
    hugo = built(tmp_path / "site", pages=6)
    home = hugo.url + "/"
    site = served(hugo)
    fs = crawl(site, home)
    assert site.fetched[:4] == [
        home + "robots.txt",  # none: the well-known sitemaps are tried in turn
        home + "wp-sitemap.xml",
        home + "sitemap_index.xml",
        home + "sitemap.xml",
    ]
    want = {home + p.path.lstrip("/"): p.title for p in hugo.pages.values()}
    got = {row.url: row.title for row in rows(site)}
    assert got == want  # the home, section and taxonomy lists are no publications
    assert fs.source == "sitemap" and fs.complete and fs.pages_unchanged == 0

    state = WebState(pages={row.url: archived(row) for row in rows(site)})
    gone = hugo.remove(next(iter(hugo.pages)))
    hugo.build()
    again = served(hugo)
    fs = crawl(again, home, state)
    listed = [u for u in again.fetched if u in want]
    assert listed == [home + gone.path.lstrip("/")]  # only the gone page, probed
    assert fs.pages_unchanged == len(want) - 1  # the sitemap's lastmod: not fetched
    stones = [i for i in again.items if isinstance(i, WebTombstoneItem)]
    assert [(s.url, s.reason, s.status) for s in stones] == [
        (home + gone.path.lstrip("/"), "deleted", 404)
    ]
