"""Smoke tests of the WordPress fixture itself (tests/wordpress/), with urllib only."""

from __future__ import annotations

import base64
import json
import math
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.wordpress.fixture import wordpress_fork  # noqa: F401  (function-scoped site)
from tests.wordpress.wpserver import PRETTY, Instance, WordPress

SPEAKERS = (
    "<strong>John Whittingdale&nbsp;Conservative, Maldon</strong>",
    "<strong>Diana R. Johnson&nbsp;The Minister of State, Home Department</strong>",
)


class Response:
    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


def fetch(
    url: str, auth: tuple[str, str] | None = None, method: str = "GET", follow: bool = True
) -> Response:
    assert url.startswith("http://127.0.0.1:")
    req = urllib.request.Request(url, method=method)
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(
        *(() if follow else (_NoRedirect(),)),
    )
    try:
        with opener.open(req, timeout=30) as resp:
            return Response(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Response(exc.code, exc.headers, exc.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def app_auth(inst: Instance) -> tuple[str, str]:
    admin = inst.manifest["admin"]
    assert inst.auth == (admin["login"], admin["app_password"])
    return inst.auth


@pytest.fixture(params=["pretty", "plain"])
def site(request: pytest.FixtureRequest, wordpress: WordPress) -> Instance:
    inst: Instance = getattr(wordpress, request.param)
    return inst


def test_manifest(wordpress: WordPress) -> None:
    m = wordpress.manifest
    for key in (
        "seed_post",
        "draft",
        "private",
        "protected",
        "trashed",
        "deleted",
        "revisions_1",
        "revisions_3",
        "video_posts",
        "public_posts",
        "public_pages",
        "admin",
        "featured_media",
    ):
        assert key in m, key
    assert m["public_posts"] > 250
    assert m["timezone_string"] == "Europe/London"
    assert wordpress.pretty.url != wordpress.plain.url
    assert wordpress.pretty.manifest["url"] == wordpress.pretty.url
    assert wordpress.state_dir.is_dir()
    assert json.loads((wordpress.state_dir / "manifest.json").read_text()) == m


def test_total_and_pages(site: Instance) -> None:
    resp = fetch(site.rest_url("/wp/v2/posts", "per_page=100"))
    assert resp.status == 200
    total = int(resp.headers["X-WP-Total"])
    assert total == site.manifest["public_posts"] > 250
    assert int(resp.headers["X-WP-TotalPages"]) == math.ceil(total / 100) > 2
    assert len(resp.json()) == 100
    assert 'rel="next"' in resp.headers["Link"]
    last = fetch(site.rest_url("/wp/v2/posts", f"per_page=100&page={math.ceil(total / 100)}"))
    assert len(last.json()) == total - 100 * (math.ceil(total / 100) - 1)
    pages = fetch(site.rest_url("/wp/v2/pages", "per_page=100"))
    assert int(pages.headers["X-WP-Total"]) == site.manifest["public_pages"] == len(pages.json())


def test_wp_json_pretty_vs_plain(wordpress: WordPress) -> None:
    pretty = fetch(wordpress.pretty.url + "/wp-json/")
    assert pretty.status == 200
    assert pretty.headers["Content-Type"].startswith("application/json")
    assert "wp/v2" in pretty.json()["namespaces"]

    # Plain permalinks: WordPress ignores the path and serves the HTML home page, 200.
    plain = fetch(wordpress.plain.url + "/wp-json/")
    assert plain.status == 200
    assert plain.headers["Content-Type"].startswith("text/html")
    assert b"<html" in plain.body
    api = f'<{wordpress.plain.url}/index.php?rest_route=/>; rel="https://api.w.org/"'
    assert api in plain.headers.get_all("Link")

    home = fetch(wordpress.pretty.url + "/")
    api = f'<{wordpress.pretty.url}/wp-json/>; rel="https://api.w.org/"'
    assert api in home.headers.get_all("Link")
    assert b"Live Facial Recognition" in home.body or b"wp-block-post-title" in home.body


def test_rest_route_query_on_both(site: Instance) -> None:
    resp = fetch(f"{site.url}/index.php?rest_route=/wp/v2/posts&per_page=5")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    posts = resp.json()
    assert len(posts) == 5
    assert int(resp.headers["X-WP-Total"]) == site.manifest["public_posts"]
    if not site.pretty:
        assert posts[0]["_links"]["self"][0]["href"].startswith(
            f"{site.url}/index.php?rest_route=/wp/v2/posts/"
        )


def test_seed_post(site: Instance) -> None:
    m = site.manifest
    post = fetch(site.rest_url(f"/wp/v2/posts/{m['seed_post']}")).json()
    assert post["title"]["rendered"] == "Live Facial Recognition"
    html = post["content"]["rendered"]
    assert f'src="https://www.youtube.com/embed/{m["seed_post_youtube"]}?feature=oembed"' in html
    assert "<iframe" in html
    for line in SPEAKERS:
        assert line in html
    assert m["categories"]["Speeches"] in post["categories"]
    assert post["featured_media"] == m["featured_media"]
    assert post["_links"]["version-history"][0]["count"] == 4
    assert post["_links"]["predecessor-version"][0]["id"] == m["revision_ids"]["seed_post"][0]
    media = fetch(site.rest_url(f"/wp/v2/media/{m['featured_media']}")).json()
    png = fetch(media["source_url"])
    assert png.status == 200
    assert png.body.startswith(b"\x89PNG")


def test_video_posts(wordpress: WordPress) -> None:
    inst = wordpress.pretty
    ids = inst.manifest["video_posts"]
    got = {}
    for key, pid in ids.items():
        got[key] = fetch(inst.rest_url(f"/wp/v2/posts/{pid}")).json()["content"]["rendered"]
    assert "youtube.com/embed/M7lc1UVf-VE?feature=oembed" in got["youtube_oembed"]
    assert "\nhttps://www.youtube.com/watch?v=jNQXAC9IVRw\n" in got["youtube_bare_url"]
    assert "<iframe" not in got["youtube_bare_url"]
    assert 'src="https://www.youtube.com/embed/dQw4w9WgXcQ"' in got["youtube_iframe"]
    assert 'class="wp-video-shortcode"' in got["video_shortcode"]
    assert '<figure class="wp-block-video"><video' in got["video_block"]
    assert "player.vimeo.com/video/76979871" in got["vimeo_oembed"]


@pytest.fixture(params=["pretty", "plain"])
def revisions_fork(request: pytest.FixtureRequest, wordpress: WordPress) -> Iterator[Instance]:
    """A fork in either permalink form: reading revisions with the password makes WordPress
    overwrite the seed post's oEmbed cache (tests/wordpress/archives.py says how), and the
    shared sites the crawl tests read must keep it."""
    inst = wordpress.fork(f"revisions_{request.param}", PRETTY if request.param == "pretty" else "")
    try:
        yield inst
    finally:
        wordpress.stop_instance(inst, drop=True)


def test_revisions_need_auth(revisions_fork: Instance) -> None:
    site = revisions_fork
    m = site.manifest
    for key, count in (("seed_post", 4), ("revisions_1", 1), ("revisions_3", 3)):
        url = site.rest_url(f"/wp/v2/posts/{m[key]}/revisions")
        anon = fetch(url)
        assert anon.status == 401
        assert anon.json()["code"] == "rest_cannot_read"
        auth = fetch(url, auth=app_auth(site))
        assert auth.status == 200
        revs = auth.json()
        assert len(revs) == count
        assert [r["id"] for r in revs] == m["revision_ids"][key]
        assert all(r["parent"] == m[key] for r in revs)


def test_hidden_and_deleted_posts(site: Instance) -> None:
    m = site.manifest
    for key in ("trashed", "draft", "private", "future"):
        resp = fetch(site.rest_url(f"/wp/v2/posts/{m[key]}"))
        assert resp.status == 401, key
        assert resp.json()["code"] == "rest_forbidden", key
    deleted = fetch(site.rest_url(f"/wp/v2/posts/{m['deleted']}"))
    assert deleted.status == 404
    assert deleted.json()["code"] == "rest_post_invalid_id"
    protected = fetch(site.rest_url(f"/wp/v2/posts/{m['protected']}")).json()
    assert protected["content"] == {"rendered": "", "protected": True}
    trashed = fetch(site.rest_url(f"/wp/v2/posts/{m['trashed']}"), auth=app_auth(site))
    assert trashed.status == 200
    assert trashed.json()["status"] == "trash"


def test_fields_and_include(site: Instance) -> None:
    m = site.manifest
    ids = [m["seed_post"], m["revisions_3"], m["video_posts"]["youtube_oembed"]]
    query = f"_fields=id,modified_gmt&include={','.join(map(str, ids))}&per_page=100"
    resp = fetch(site.rest_url("/wp/v2/posts", query))
    rows = resp.json()
    assert sorted(r["id"] for r in rows) == sorted(ids)
    assert all(set(r) == {"id", "modified_gmt"} for r in rows)
    assert int(resp.headers["X-WP-Total"]) == 3


def test_local_dates(site: Instance) -> None:
    post = fetch(site.rest_url(f"/wp/v2/posts/{site.manifest['seed_post']}")).json()
    # Europe/London in summer time: local wall time is one hour ahead of UTC.
    assert post["date"] == "2025-03-31T09:24:19"
    assert post["date_gmt"] == "2025-03-31T08:24:19"
    winter = fetch(
        site.rest_url("/wp/v2/posts", "before=2023-02-01T00:00:00&_fields=date,date_gmt")
    )
    rows = winter.json()
    assert rows
    assert all(r["date"] == r["date_gmt"] for r in rows)


def test_fork_is_isolated(wordpress: WordPress, wordpress_fork: Instance) -> None:  # noqa: F811
    m = wordpress.manifest
    pid = m["revisions_1"]
    assert wordpress_fork.url not in (wordpress.pretty.url, wordpress.plain.url)
    trash = fetch(
        wordpress_fork.rest_url(f"/wp/v2/posts/{pid}"), app_auth(wordpress_fork), "DELETE"
    )
    assert trash.status == 200
    assert trash.json()["status"] == "trash"
    assert fetch(wordpress_fork.rest_url(f"/wp/v2/posts/{pid}")).status == 401
    assert fetch(wordpress.pretty.rest_url(f"/wp/v2/posts/{pid}")).status == 200
    total = fetch(wordpress_fork.rest_url("/wp/v2/posts", "per_page=1")).headers["X-WP-Total"]
    assert int(total) == m["public_posts"] - 1
