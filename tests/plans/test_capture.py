"""The capture plan, offline: a new version's page, its requisites on the site's hosts, the
bounds per page and per run, each URL once per run."""

from __future__ import annotations

from pathlib import Path

from mpcrawl.plans.capture import CapturePlan
from mpcrawl.sitelist import load
from tests.inprocess import ledger
from tests.plans.harness import HOME, Answer, Site

PAGE = f"""<html><head><link rel="stylesheet" href="{HOME}wp-content/themes/t/style.css?ver=1">
<link rel="stylesheet" href="https://fonts.example.net/css?family=X">
<link rel="preload" as="font" href="/wp-content/fonts/f.woff2">
<style>body {{ background: url('/wp-content/bg.png') }}</style>
<script src="/wp-includes/js/a.js?ver=2"></script></head>
<body><img src="/wp-content/uploads/a.jpg" srcset="/wp-content/uploads/a-300.jpg 300w,
/wp-content/uploads/a.jpg 600w"><img src="data:image/gif;base64,R0lGOD"></body></html>"""
CSS = "@font-face { src: url(../../fonts/g.woff2) } h1 { background: url(h.png) }"


def answer(url: str) -> Answer:
    if url.endswith("style.css?ver=1"):
        return 200, CSS, {"Content-Type": "text/css"}
    return 200, PAGE, {"Content-Type": "text/html; charset=UTF-8"}


def plan(tmp_path: Path, site: Site, *, per_page: int = 60, per_run: int = 100) -> CapturePlan:
    led = ledger(tmp_path / "archive")
    run = led.open_site(load(site=HOME).entries[0])
    assert run is not None
    stats = led.crawler.stats
    return CapturePlan(run, frozenset(run.hosts), site, stats, per_page, per_run)


def serve(site: Site, plan: CapturePlan, url: str, html: bytes | None = None) -> list[str]:
    site.take(plan.page(url, html))
    while site.queue:
        site.step()
    asked, site.asked = site.asked, []
    return [u.removeprefix(HOME) for u in asked]


def test_a_rest_posts_page_then_what_it_loads_on_the_sites_hosts(tmp_path: Path) -> None:
    site = Site(answer)
    capture = plan(tmp_path, site)
    assert serve(site, capture, f"{HOME}?p=7") == [
        "?p=7",
        "wp-content/themes/t/style.css?ver=1",
        "wp-content/fonts/f.woff2",
        "wp-includes/js/a.js?ver=2",
        "wp-content/uploads/a.jpg",
        "wp-content/bg.png",
        "wp-content/uploads/a-300.jpg",
        "wp-content/fonts/g.woff2",  # from the stylesheet, relative to it
        "wp-content/themes/t/h.png",
    ]
    # another new version loading the same files: only its page (each URL once a run)
    assert serve(site, capture, f"{HOME}?p=8") == ["?p=8"]
    # a fallback page is its own capture: no request for it, its requisites asked for
    again = Site(answer)
    fallback = plan(tmp_path / "f", again)
    assert serve(again, fallback, f"{HOME}about/", PAGE.encode())[:2] == [
        "wp-content/themes/t/style.css?ver=1",
        "wp-content/fonts/f.woff2",
    ]
    # no other host, ever
    assert not [u for u in capture.asked | fallback.asked if "example.net" in u]


def test_bounds_per_page_and_per_run(tmp_path: Path) -> None:
    site = Site(answer)
    capture = plan(tmp_path, site, per_page=2, per_run=5)
    assert len(serve(site, capture, f"{HOME}?p=1")) == 1 + 2
    assert len(serve(site, capture, f"{HOME}?p=2")) == 1 + 1  # the run's 5 are spent
    assert serve(site, capture, f"{HOME}?p=3") == []
    assert len(capture.asked) == 5
