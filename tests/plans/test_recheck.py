"""Pages left unread while their listing entry is unchanged, offline, on the real Drupal 7's
captured pages (``tests/web/pages/``, served as in ``test_listing``): a night after the
first fetches the listings, then only the pages whose entry changed or whose turn came."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from mpcrawl.archive.web_state import ArchivedPage, Checked, WebState
from mpcrawl.plans.fallback import FallbackPlan, FallbackSite
from mpcrawl.plans.recheck import Recheck, due
from mpcrawl.web.entries import entry_fingerprints
from mpcrawl.web.items import FetchedPage
from mpcrawl.wp.sitename import site_host_keys
from tests.plans.test_fallback import NS, Site, plan
from tests.plans.test_listing import HOME, LISTINGS, Drupal, articles, captured, crawl

FIRST = datetime(2026, 12, 1, 2, tzinfo=UTC)
SECOND = FIRST + timedelta(days=1)
EDITED = HOME + "news/jane-example-raises-southminster-in-debate-on-clause-85"
SENTENCE = b"Residents wrote to her 85 times this year"


def first_night() -> tuple[WebState, set[str]]:
    """The archive's state after a first night (every article read), and the articles."""
    site = Drupal()
    fs = crawl(site, recheck=Recheck(now=FIRST))
    assert fs.recheck.skipped == 0
    read = [i for i in site.items if isinstance(i, FetchedPage)]
    pages = {
        p.url: ArchivedPage("v", FIRST, None, None, None, "article", n) for n, p in enumerate(read)
    }
    checked = {row.url: Checked(FIRST, frozenset(row.entries)) for row in site.entries}
    assert set(checked) == set(pages) == articles(*LISTINGS)  # a row per page read
    assert all(checked[u].entries for u in articles(*LISTINGS))  # each seen in a listing
    return WebState(pages=pages, checked=checked), set(pages)


def night(
    state: WebState, now: datetime = SECOND, more: dict[str, tuple[int, bytes]] | None = None
) -> tuple[Drupal, FallbackSite]:
    site = Drupal(more)
    return site, crawl(site, state=state, recheck=Recheck(now=now))


def fetched(site: Drupal, pages: set[str]) -> set[str]:
    return {u for u in site.fetched if u in pages}


def test_a_no_change_night_reads_the_listings_and_only_the_pages_whose_turn_came() -> None:
    state, pages = first_night()
    site, fs = night(state)
    turn = {u for u in pages if due(u, FIRST, SECOND, 7)}
    assert fetched(site, pages) == turn  # a seventh or so: the rest left unread
    assert 0 < len(turn) < len(pages) / 2
    assert set(LISTINGS) <= set(site.fetched)  # the listings are read every night
    assert fs.recheck.skipped == len(pages) - len(turn)
    assert len(fs.listed) == len(pages)  # still listed: left unread is no gap
    assert fs.complete and {i.url for i in site.items if isinstance(i, FetchedPage)} == turn
    # the pages read get a row; the pages left unread none
    assert {row.url for row in site.entries} == turn


def test_an_edit_its_teaser_shows_is_read_the_same_night() -> None:
    state, pages = first_night()
    front = captured(LISTINGS[HOME])
    assert front.count(SENTENCE) == 1
    edited = front.replace(SENTENCE, b"Residents wrote to her 86 times this year")
    now = next(
        n
        for n in (
            SECOND + timedelta(days=d) for d in range(6)
        )  # b, e on one night each if not due(EDITED, FIRST, n, 7)
    )
    site, _fs = night(state, now, {HOME: (200, edited)})
    turn = {u for u in pages if due(u, FIRST, now, 7)}
    assert fetched(site, pages) == turn | {EDITED}
    (row,) = [r for r in site.entries if r.url == EDITED]
    assert not set(row.entries) <= state.checked[EDITED].entries  # the new entry recorded


def test_every_page_is_read_once_in_every_seven_nights() -> None:
    state, pages = first_night()
    reads: dict[str, list[int]] = {u: [0] for u in pages}
    for d in range(1, 15):
        now = FIRST + timedelta(days=d)
        site, _fs = night(state, now)
        for url in fetched(site, pages):
            reads[url].append(d)
        for row in site.entries:  # what the archive holds the next night
            state.checked[row.url] = Checked(now, frozenset(row.entries))
    gaps = {b - a for days in reads.values() for a, b in itertools.pairwise(days)}
    assert max(gaps) <= 7 and all(len(days) == 3 for days in reads.values())


def test_a_page_no_listing_names_is_read_in_its_turn_only() -> None:
    state, _pages = first_night()
    # found by the id walk on an earlier night: in no listing, answering as a page
    lone = HOME + "node/999"
    state.pages[lone] = ArchivedPage("w", FIRST, None, None, None, "article", 999)
    article = captured("drupal7-node-video.html")
    nights = [FIRST + timedelta(days=d) for d in range(1, 8)]
    turn = next(n for n in nights if due(lone, FIRST, n, 7))
    other = next(n for n in nights if not due(lone, FIRST, n, 7))
    site, fs = night(state, turn, {lone: (200, article)})
    assert lone in site.fetched and lone not in fs.listed
    assert [i.url for i in site.items if isinstance(i, FetchedPage) and i.url == lone] == [lone]
    site, fs = night(state, other, {lone: (200, article)})
    assert site.fetched.count(lone) == 1  # the complete listing's probe, no re-read


def test_full_and_zero_days_read_every_page() -> None:
    state, pages = first_night()
    site = Drupal()
    crawl(site, state=state, recheck=Recheck(days=0, now=SECOND))
    assert fetched(site, pages) == pages and site.entries == []  # as before: no state
    site = Drupal()
    fs = FallbackSite(
        site="127.0.0.1:59043",
        home=HOME,
        hosts=site_host_keys(HOME),
        state=state,
        run_id="r",
        full=True,
        recheck=Recheck(now=SECOND),
    )
    site.run(FallbackPlan(fs, site.request).start())
    assert fetched(site, pages) == pages and fs.recheck.skipped == 0
    assert {row.url for row in site.entries} == pages  # every page read: its turn restarts


def test_a_sitemap_without_lastmod_reads_only_changed_home_page_entries_and_turns() -> None:
    """WordPress 6.1's core sitemap (no ``lastmod``), no validators: a page held back unless
    its home page entry changed, none was recorded, or its turn came; a ``lastmod`` or an
    ``ETag`` decides as before."""
    home = HOME
    entry = '<li class="wp-block-post"><h2><a href="{0}{1}/">{2}</a></h2><p>{2} text</p></li>'

    def front(*titles: tuple[str, str]) -> bytes:
        return ("<html><body><ul>" + "".join(entry.format(home, *t) for t in titles)).encode()

    when = "2026-11-30T10:00:00Z"
    urls = "".join(
        f"<url><loc>{home}{p}/</loc>{f'<lastmod>{when}</lastmod>' if p == 'a' else ''}</url>"
        for p in "abcdef"
    )
    seen = front(("b", "B"), ("c", "C"))
    bodies = {
        f"{home}wp-sitemap.xml": (
            200,
            f'<?xml version="1.0"?><urlset {NS}>{urls}</urlset>'.encode(),
        ),
        home: (200, seen),
        **{
            f"{home}{p}/": (200, f"<html><main><p>Page {p}.</p></main></html>".encode())
            for p in "abcdef"
        },
    }
    # the night before: every page read; c's entry was another title, e seen in none, f no row
    lastmod = datetime(2026, 11, 30, 10, tzinfo=UTC)
    pages = {
        f"{home}{p}/": ArchivedPage(
            "v", FIRST, lastmod if p == "a" else None, None, None, "post", n
        )
        for n, p in enumerate("abcdef")
    }
    pages[f"{home}d/"] = ArchivedPage("v", FIRST, None, '"x"', None, "post", 9)
    before = entry_fingerprints(front(("b", "B"), ("c", "Old C")).decode(), home)
    checked = {
        f"{home}{p}/": Checked(FIRST, before.get(f"{home}{p}/", frozenset())) for p in "abcde"
    }
    now = next(
        n
        for n in (SECOND + timedelta(days=d) for d in range(6))  # b, e on one night each
        if not any(due(f"{home}{p}/", FIRST, n, 7) for p in "be")
    )
    site = Site(bodies)
    fs = plan(site, WebState(pages=pages, checked=checked), home=home, recheck=Recheck(now=now))
    read = {
        u.removeprefix(home).strip("/")
        for u in site.fetched
        if u.removeprefix(home).strip("/") in set("abcdef")
    }
    assert read == {"c", "d", "f"}  # changed entry, validators (asked conditionally), no row
    assert fs.recheck.skipped == 2  # b (entry unchanged), e (no entry seen or recorded)
    assert {row.url for row in site.entries} == {f"{home}{p}/" for p in "cdf"}
    assert not [i for i in site.items if not isinstance(i, FetchedPage)]  # no tombstone
