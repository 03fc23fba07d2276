"""The sample site must behave like WordPress with plain permalinks, or crawler tests lie."""

from __future__ import annotations

import gzip
import json
import random
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from mpcrawl.sample import DATA_DIR, SampleSite
from mpcrawl.sample.generate import SEED_FILE, SITE_FILE, synthetic_date, write

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_PATH = SHARED / "seeds" / "wp-post-4407.json"
ERRORS = SHARED / "wp-fixtures" / "rest" / "errors"
POSTS = "/index.php?rest_route=/wp/v2/posts"
_jan_2020 = datetime(2020, 1, 1, tzinfo=UTC)


def fetch(url: str) -> tuple[int, Message, bytes]:
    """GET ``url``; error statuses are returned, not raised (and always closed)."""
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def get_json(url: str) -> tuple[int, Message, Any]:
    status, headers, body = fetch(url)
    return status, headers, json.loads(body)


@pytest.fixture(scope="module")
def site() -> Iterator[SampleSite]:
    """A read-only bundled site shared by the tests that do not mutate it."""
    with SampleSite() as served:
        yield served


@pytest.fixture
def fresh_site() -> Iterator[SampleSite]:
    with SampleSite() as served:
        yield served


def bundled_seed() -> Any:
    return json.loads((DATA_DIR / SEED_FILE).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- collections


def test_totals_and_full_pagination(site: SampleSite) -> None:
    status, headers, first = get_json(f"{site.url}{POSTS}&per_page=100")
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert headers["X-WP-Total"] == str(site.total_posts)
    assert site.total_posts >= 260
    assert headers["X-WP-TotalPages"] == "3"
    ids = [p["id"] for p in first]
    for page in (2, 3):
        _, _, more = get_json(f"{site.url}{POSTS}&per_page=100&page={page}")
        ids += [p["id"] for p in more]
    assert len(ids) == len(set(ids)) == site.total_posts
    assert 4407 in ids
    _, headers, default = get_json(f"{site.url}{POSTS}")
    assert len(default) == 10
    assert headers["X-WP-TotalPages"] == str(-(-site.total_posts // 10))
    dates = [p["date_gmt"] for p in default]
    assert dates == sorted(dates, reverse=True)


def assert_wp_error(url: str, status: int, code: str, fixture_stem: str | None = None) -> None:
    """The error WordPress sends, byte for byte where the real body is in ../shared."""
    got, _, body = fetch(url)
    assert (got, json.loads(body)["code"]) == (status, code)
    fixture = ERRORS / f"{fixture_stem or code}-{status}.json"
    if fixture.exists():
        assert body == fixture.read_bytes().strip()


def test_page_past_the_end_is_wordpress_400(site: SampleSite) -> None:
    assert_wp_error(f"{site.url}{POSTS}&per_page=100&page=4", 400, "rest_post_invalid_page_number")


def test_invalid_parameters(site: SampleSite) -> None:
    status, _, body = get_json(f"{site.url}{POSTS}&per_page=101")
    assert (status, body["code"]) == (400, "rest_invalid_param")
    assert "per_page" in body["data"]["params"]
    status, _, body = get_json(f"{site.url}{POSTS}&status=draft")
    assert (status, body["code"]) == (400, "rest_invalid_param")
    assert body["data"]["details"]["status"]["data"]["status"] == 401


def test_link_header_walks_all_pages(site: SampleSite) -> None:
    url: str | None = f"{site.url}/?rest_route=/wp/v2/posts&per_page=100&_fields=id"
    seen: list[int] = []
    pages = 0
    while url:
        status, headers, body = get_json(url)
        assert status == 200
        seen += [p["id"] for p in body]
        pages += 1
        match = re.search(r'<([^>]+)>; rel="next"', headers.get("Link", ""))
        url = match.group(1) if match else None
        if url:
            assert url.startswith(f"{site.url}/index.php?rest_route=%2Fwp%2Fv2%2Fposts&")
            assert "_fields=id" in url
    assert pages == 3
    assert len(set(seen)) == site.total_posts
    _, headers, _ = fetch(f"{site.url}{POSTS}&per_page=100&page=3")
    assert 'rel="prev"' in headers["Link"]
    assert 'rel="next"' not in headers["Link"]


def test_fields_include_and_order(site: SampleSite) -> None:
    _, headers, body = get_json(
        f"{site.url}{POSTS}&include=4407,{site.post_ids()[0]}&_fields=id,modified_gmt"
    )
    assert headers["X-WP-Total"] == "2"
    assert all(set(p) == {"id", "modified_gmt"} for p in body)
    assert {p["id"] for p in body} == {4407, site.post_ids()[0]}
    some = site.post_ids()[:5]
    _, headers, body = get_json(
        f"{site.url}{POSTS}&include={','.join(map(str, some))}"
        "&per_page=2&orderby=id&order=asc&_fields=id"
    )
    assert headers["X-WP-Total"] == "5"
    assert headers["X-WP-TotalPages"] == "3"
    assert [p["id"] for p in body] == some[:2]
    _, _, body = get_json(f"{site.url}{POSTS}&include=4407&_fields=title.rendered,_links")
    assert set(body[0]) == {"title", "_links"}


def test_seed_post_is_served_exactly(site: SampleSite) -> None:
    status, _, body = fetch(f"{site.url}{POSTS}/4407")
    assert status == 200
    served = json.loads(body)
    assert served == bundled_seed()
    _, _, listed = get_json(f"{site.url}{POSTS}&include=4407")
    assert listed == [served]
    if not SEED_PATH.exists():
        pytest.skip(f"{SEED_PATH} absent: compared with the bundled copy only")
    assert served == json.loads(SEED_PATH.read_text(encoding="utf-8"))


def test_generated_links_use_served_origin(site: SampleSite) -> None:
    other = next(i for i in site.notable["revision_links"] if i != 4407)
    _, _, post = get_json(f"{site.url}{POSTS}/{other}")
    assert (
        post["_links"]["self"][0]["href"] == f"{site.url}/index.php?rest_route=/wp/v2/posts/{other}"
    )
    assert post["_links"]["version-history"][0]["count"] >= 1
    assert "example-mp.org.uk/" not in json.dumps(post)
    plain = site.notable["no_revision_links"][0]
    _, _, post = get_json(f"{site.url}{POSTS}/{plain}")
    assert "version-history" not in post["_links"]


def test_notable_content_forms(site: SampleSite) -> None:
    checks = {
        "youtube": 'src="https://www.youtube.com/embed/',
        "vimeo": 'src="https://player.vimeo.com/video/',
        "video_shortcode": '<video class="wp-video-shortcode"',
        "bare_url": '<div class="wp-block-embed__wrapper">\nhttp',
        "hansard": "<p><strong>",
    }
    for kind, marker in checks.items():
        assert site.notable[kind], kind
        _, _, post = get_json(f"{site.url}{POSTS}/{site.notable[kind][0]}")
        assert marker in post["content"]["rendered"], kind


def test_single_errors(site: SampleSite) -> None:
    assert_wp_error(
        f"{site.url}{POSTS}/4407/revisions", 401, "rest_cannot_read", "rest_cannot_read-revisions"
    )
    status, _, body = fetch(f"{site.url}{POSTS}/1")
    assert (status, json.loads(body)["code"]) == (404, "rest_post_invalid_id")
    status, _, body = fetch(f"{site.url}/index.php?rest_route=/wp/v2/nothing")
    assert (status, json.loads(body)["code"]) == (404, "rest_no_route")


# ------------------------------------------------------------------ other routes


def test_api_index_and_discovery(site: SampleSite) -> None:
    for path in ("/index.php?rest_route=/", "/?rest_route=/"):
        status, _, index = get_json(site.url + path)
        assert status == 200
        assert index["namespaces"] == ["oembed/1.0", "wp/v2"]
        assert "/wp/v2/posts" in index["routes"]
        assert index["url"] == site.url
    status, headers, body = fetch(site.url + "/")
    assert status == 200
    api_root = f"{site.url}/index.php?rest_route=/"
    assert f'<{api_root}>; rel="https://api.w.org/"' in headers.get_all("Link", [])
    assert f'<link rel="https://api.w.org/" href="{api_root}" />' in body.decode()
    for trap in ("/wp-json/", "/wp-json/wp/v2/posts"):
        status, headers, body = fetch(site.url + trap)
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert body.lstrip().startswith(b"<!DOCTYPE html>")
    status, headers, body = fetch(f"{site.url}/?p=4407")
    assert status == 200
    assert b"Live Facial Recognition" in body
    assert b'rel="https://api.w.org/"' in body
    status, _, body = fetch(site.url + "/robots.txt")
    assert body.decode() == "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"


def test_taxonomies_users_media_types(site: SampleSite) -> None:
    rest = f"{site.url}/index.php?rest_route=/wp/v2"
    _, headers, cats = get_json(f"{rest}/categories")
    assert any(c["id"] == 4 and c["slug"] == "speeches" for c in cats)
    assert headers["X-WP-Total"] == str(len(cats))
    _, _, cats = get_json(f"{rest}/categories&post=4407")
    assert [c["id"] for c in cats] == [4]
    _, headers, tags = get_json(f"{rest}/tags&per_page=5&page=2")
    assert len(tags) == 5
    assert int(headers["X-WP-TotalPages"]) >= 2
    _, headers, users = get_json(f"{rest}/users")
    assert headers["X-WP-Total"] == "2"
    assert {u["id"] for u in users} == {1, 2}
    _, headers, media = get_json(f"{rest}/media&include=4705")
    assert [m["id"] for m in media] == [4705]
    assert media[0]["post"] == 4407
    _, headers, media = get_json(f"{rest}/media&per_page=5")
    assert int(headers["X-WP-Total"]) > 5
    _, _, types = get_json(f"{rest}/types")
    assert {t: types[t]["rest_base"] for t in ("post", "page", "attachment")} == {
        "post": "posts",
        "page": "pages",
        "attachment": "media",
    }
    _, headers, pages = get_json(f"{rest}/pages&per_page=100")
    assert headers["X-WP-Total"] == str(len(pages))
    assert any(p["parent"] for p in pages)
    status, _, empty = get_json(f"{rest}/comments&post=4407")
    assert (status, empty) == (200, [])


def test_request_counts(fresh_site: SampleSite) -> None:
    site = fresh_site
    for page in (1, 2):
        fetch(f"{site.url}{POSTS}&per_page=100&page={page}")
    fetch(f"{site.url}/?rest_route=/wp/v2/posts/4407")
    fetch(site.url + "/robots.txt")
    assert site.count("/wp/v2/posts") == 2
    assert site.count("/wp/v2/posts/4407") == 1
    assert site.path_counts["/robots.txt"] == 1
    assert len(site.requests) == 4
    site.reset_requests()
    assert site.count("/wp/v2/posts") == 0


# ----------------------------------------------------------------------- mutations


def test_mutations(fresh_site: SampleSite) -> None:
    site = fresh_site
    total = site.total_posts
    target = site.post_ids()[10]
    _, _, before = get_json(f"{site.url}{POSTS}/{target}")
    site.edit_post(target, content="<p>Edited.</p>")
    _, _, after = get_json(f"{site.url}{POSTS}/{target}")
    assert after["content"]["rendered"] == "<p>Edited.</p>"
    assert after["modified_gmt"] > before["modified_gmt"]
    site.edit_post(target, modified_gmt="2030-01-02T03:04:05")
    _, _, after = get_json(f"{site.url}{POSTS}/{target}&_fields=modified,modified_gmt")
    assert after == {"modified": "2030-01-02T03:04:05", "modified_gmt": "2030-01-02T03:04:05"}

    site.delete_post(target)
    status, _, body = get_json(f"{site.url}{POSTS}/{target}")
    assert (status, body["code"]) == (404, "rest_post_invalid_id")

    hidden = site.post_ids()[20]
    site.hide_post(hidden)
    status, _, body = fetch(f"{site.url}{POSTS}/{hidden}")
    assert (status, json.loads(body)["code"]) == (401, "rest_forbidden")
    _, headers, _ = fetch(f"{site.url}{POSTS}&per_page=100")
    assert headers["X-WP-Total"] == str(total - 2)

    new_id = site.add_post(title="Brand new", content="<p>Hello.</p>")
    _, headers, newest = get_json(f"{site.url}{POSTS}&per_page=1")
    assert newest[0]["id"] == new_id
    assert newest[0]["_links"]["self"][0]["href"].startswith(site.url)
    assert headers["X-WP-Total"] == str(total - 1)
    ids = set()
    for page in (1, 2, 3):
        _, _, rows = get_json(f"{site.url}{POSTS}&per_page=100&page={page}&_fields=id")
        ids |= {r["id"] for r in rows}
    assert new_id in ids
    assert target not in ids
    assert hidden not in ids


# ------------------------------------------------------------------ synthetic mode


def test_synthetic_mode_pages() -> None:
    with SampleSite(posts=250) as site:
        seen: list[int] = []
        for page in (1, 2, 3):
            status, headers, rows = get_json(f"{site.url}{POSTS}&per_page=100&page={page}")
            assert status == 200
            assert headers["X-WP-Total"] == "250"
            assert headers["X-WP-TotalPages"] == "3"
            seen += [r["id"] for r in rows]
        assert seen == list(range(250, 0, -1))
        status, _, _ = fetch(f"{site.url}{POSTS}&per_page=100&page=4")
        assert status == 400
        _, _, post = get_json(f"{site.url}{POSTS}/7")
        assert 2000 < len(post["content"]["rendered"]) < 6000
        assert post == get_json(f"{site.url}{POSTS}/7")[2]  # deterministic
        assert fetch(f"{site.url}{POSTS}/251")[0] == 404
        _, _, rows = get_json(f"{site.url}{POSTS}&order=asc&per_page=3&_fields=id")
        assert [r["id"] for r in rows] == [1, 2, 3]
    with SampleSite(posts=0) as empty:
        status, headers, rows = get_json(f"{empty.url}{POSTS}")
        assert (status, rows, headers["X-WP-Total"]) == (200, [], "0")


def _ids(site: SampleSite, query: str) -> tuple[int, list[int]]:
    status, headers, body = site.respond(f"/?rest_route=/wp/v2/posts&_fields=id{query}")
    assert status == 200, body
    total = int(dict(headers)["X-WP-Total"])
    return total, [p["id"] for p in json.loads(body)]


def test_synthetic_mutations_match_a_model() -> None:
    """Arithmetic paging with removals, additions, edits and date filters == naive slicing."""
    rng = random.Random(7)
    site = SampleSite(posts=300)
    try:
        visible = list(range(1, 301))
        for step in range(60):
            action = rng.choice(["hide", "delete", "add", "edit"])
            if action == "add":
                visible.append(site.add_post(title=f"added {step}"))
            elif action == "edit":
                stamp = (
                    f"20{rng.randint(10, 30)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T12:00:00"
                )
                site.edit_post(rng.choice(visible), modified_gmt=stamp)
            else:
                victim = rng.choice(visible)
                visible.remove(victim)
                getattr(site, f"{action}_post")(victim)
            per_page = rng.choice([1, 7, 10, 100])
            bound = (
                f"2018-0{rng.randint(1, 2)}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:15:00"
            )
            column, name = rng.choice(
                [("date_gmt", "after"), ("modified_gmt", "modified_after"), (None, None)]
            )
            for order in ("desc", "asc"):
                posts = [site.get_post(i) for i in visible]
                expected = sorted(
                    (p["id"] for p in posts if p and (column is None or p[column] > bound)),
                    reverse=order == "desc",
                )
                pages = max(1, -(-len(expected) // per_page))
                page = rng.randint(1, pages)
                extra = f"&{name}={bound}" if name else ""
                total, got = _ids(site, f"&per_page={per_page}&page={page}&order={order}{extra}")
                assert total == len(expected), (step, order, name)
                assert got == expected[(page - 1) * per_page : page * per_page], (step, order, name)
        assert site.total_posts == len(visible)
    finally:
        site.stop()


def test_synthetic_date_filter_pages_a_large_site() -> None:
    """An incremental crawl of 100,000 posts pages with modified_after."""
    site = SampleSite(posts=100_000)
    try:
        total, ids = _ids(site, "&per_page=100&page=3&modified_after=2020-01-01T00:00:00")
        assert total == sum(1 for i in range(1, 100_001) if synthetic_date(i) > _jan_2020)
        assert ids == list(range(100_000 - 200, 100_000 - 300, -1))
    finally:
        site.stop()


# ---------------------------------------------------------------------- data file


def test_data_file_is_small_and_up_to_date(tmp_path: Path) -> None:
    committed = DATA_DIR / SITE_FILE
    assert committed.stat().st_size < 1_000_000
    shutil.copy(DATA_DIR / SEED_FILE, tmp_path / SEED_FILE)
    assert write(tmp_path).read_bytes() == committed.read_bytes()
    bundle = json.loads(gzip.decompress(committed.read_bytes()))
    dates = [p["date"][:4] for p in bundle["posts"]]
    assert set(dates) == {"2023", "2024", "2025"}
    assert len(bundle["posts"]) >= 260
