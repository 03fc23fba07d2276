"""Write the sample site's data files (``python -m mpcrawl.sample.generate``).

The output is deterministic (fixed random seed, fixed dates, gzip mtime 0) so regenerating
never produces a spurious diff. Every URL is written against ``PLACEHOLDER_ORIGIN``; the
server swaps in its real ``http://127.0.0.1:PORT`` origin at response time, because the port
is only known once it is bound. The one exception is the real seed post 4407, which is
bundled verbatim (its links point at another host, as real cross-site data would).

The object builders here are also used by the server for ``--posts N`` synthetic mode, so
the shapes of bundled and synthetic posts cannot drift apart.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

JSON = dict[str, Any]

PLACEHOLDER_ORIGIN = "https://www.example-mp.org.uk"
DATA_DIR = Path(__file__).resolve().parent / "data"
SITE_FILE = "site.json.gz"
SEED_FILE = "seed-post-4407.json"
SEED_POST_ID = 4407
SEED_MEDIA_ID = 4705
SEED_REVISION_ID = 5776
RANDOM_SEED = 20250331
GENERATED_POSTS = 270  # plus the seed post: 271 published posts, 3 pages at per_page=100
DATA_FORMAT = 1

SITE_NAME = "Sarah Pennington MP"
SITE_DESCRIPTION = "Member of Parliament for Eastbridge and Wold"
MP_NAME = "Sarah Pennington"
MP_FIRST = "Sarah"
PARTY = "Conservative"
CONSTITUENCY = "Eastbridge and Wold"

FIRST_DATE = datetime(2023, 1, 4, tzinfo=UTC)
LAST_DATE = datetime(2025, 12, 18, tzinfo=UTC)
MODIFIED_CAP = datetime(2026, 1, 20, tzinfo=UTC)
SYNTHETIC_EPOCH = datetime(2018, 1, 1, 8, 0, tzinfo=UTC)

CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]
POST_META: JSON = {
    "_monsterinsights_skip_tracking": False,
    "_monsterinsights_sitenote_active": False,
    "_monsterinsights_sitenote_note": "",
    "_monsterinsights_sitenote_category": 0,
    "footnotes": "",
}

# (id, name, slug, description) — id 4 matches the seed post's category.
CATEGORIES: list[tuple[int, str, str, str]] = [
    (1, "Uncategorized", "uncategorized", ""),
    (2, "News", "news", "News from Sarah and her office."),
    (4, "Speeches", "speeches", "Speeches and questions in the House of Commons."),
    (5, "Local", "local", "Local news from around Eastbridge and Wold."),
    (6, "Campaigns", "campaigns", "Campaigns Sarah is running for the constituency."),
    (9, "Press Releases", "press-releases", ""),
]
TAGS: list[tuple[int, str, str]] = [
    (3, "NHS", "nhs"),
    (7, "Transport", "transport"),
    (8, "Flooding", "flooding"),
    (10, "Schools", "schools"),
    (11, "Housing", "housing"),
    (12, "Farming", "farming"),
    (13, "Broadband", "broadband"),
    (14, "Policing", "policing"),
    (15, "Eastbridge", "eastbridge"),
    (16, "Hatherby", "hatherby"),
    (17, "Cost of living", "cost-of-living"),
    (18, "Westminster Hall", "westminster-hall"),
]
# topic -> (tag id, slug fragment)
TOPICS: list[tuple[str, int]] = [
    ("Eastbridge Community Hospital", 3),
    ("GP appointments in the Wold villages", 3),
    ("the A1179 Hatherby bypass", 7),
    ("rural bus services", 7),
    ("the Eastbridge rail station upgrade", 7),
    ("flood defences on the River Wold", 8),
    ("sewage discharges into the Wold", 8),
    ("school funding in rural areas", 10),
    ("special educational needs provision", 10),
    ("new housing at Brackenthorpe", 11),
    ("affordable homes for local families", 11),
    ("food security and British farming", 12),
    ("gigabit broadband for rural communities", 13),
    ("mobile coverage in the Wold", 13),
    ("neighbourhood policing", 14),
    ("rural crime and fly-tipping", 14),
    ("Eastbridge High Street regeneration", 15),
    ("Hatherby library", 16),
    ("energy bills for pensioners", 17),
    ("support for small businesses", 17),
]
PLACES = [
    "Eastbridge",
    "Hatherby",
    "Wold Ferry",
    "Little Scarlow",
    "Brackenthorpe",
    "Ulcombe St Mary",
    "Fenwick Magna",
    "Kelsford",
]
ORGS = [
    "Eastbridge and Wold District Council",
    "the Environment Agency",
    "the county NHS trust",
    "Network Rail",
    "the local Chamber of Commerce",
    "the parish councils",
    "Wold Valley Farmers' Union",
    "the Police and Crime Commissioner",
]
# (name, role) — all fictional.
MINISTERS: list[tuple[str, str]] = [
    ("Rebecca Hale", "The Minister of State, Department for Transport"),
    ("Tom Ashworth", "The Parliamentary Under-Secretary of State for Health and Social Care"),
    ("Priya Natarajan", "The Minister of State, Home Department"),
    ("David Okafor", "The Secretary of State for Environment, Food and Rural Affairs"),
    ("Margaret Linley", "The Minister of State, Department for Education"),
    ("Callum Reid", "The Parliamentary Under-Secretary of State for Science and Technology"),
]
# tag id -> index in MINISTERS, so questions go to the right department
MINISTER_BY_TAG = {3: 1, 7: 0, 8: 3, 12: 3, 10: 4, 13: 5, 14: 2}
OUTBOUND = [
    "https://www.gov.uk/government/news/{slug}",
    "https://hansard.parliament.uk/commons/{date}/debates/{slug}",
    "https://www.bbc.co.uk/news/articles/{slug}",
    "https://committees.parliament.uk/work/{num}/{slug}/",
    "https://petition.parliament.uk/petitions/{num}",
    "https://www.eastbridgeandwold.example.gov.uk/news/{slug}",
]
SENTENCES = [
    "{mp} has welcomed the news about {topic}, saying it is a real step forward for {place}.",
    "Residents in {place} have contacted {mp_first} in large numbers about {topic}.",
    "{mp_first} met representatives of {org} this week to discuss {topic}.",
    "The decision follows months of campaigning by local people and {org}.",
    "{mp_first} said: &#8220;This is exactly the sort of investment {place} has been "
    "asking for, and I will keep pressing until it is delivered.&#8221;",
    "Figures published this month show that {num} households in the constituency are affected.",
    "She has written to the Secretary of State asking for an urgent update on {topic}.",
    "A public meeting will be held at {place} Village Hall later this month.",
    "Anyone who would like to share their views is welcome to contact the constituency office.",
    "{org} has confirmed that work is expected to begin before the end of the year.",
    "The funding of &pound;{num},000 will be spent over the next two years.",
    "{mp_first} visited {place} on Friday to see the progress for herself.",
    "Local councillors from all parties have backed the proposals.",
    "It is vital that rural communities like {place} are not left behind.",
    "She also raised the issue with the Leader of the House during business questions.",
    "The consultation closes at the end of next month and {mp_first} urges everyone to respond.",
    "Staff and volunteers deserve enormous credit for everything they do.",
    "Further details are available from {org}.",
    "{mp_first} will continue to keep constituents updated as the situation develops.",
    "There is still much more to do, but this is welcome progress.",
]
QUESTIONS = [
    "What steps his Department is taking to improve {topic}.",
    "If she will make an assessment of the adequacy of {topic} in {place}.",
    "Does the Minister agree that families in {place} deserve better, and will she meet me "
    "to discuss {topic}?",
    "Will the Minister confirm that the funding for {topic} will not be delayed again, and "
    "that {org} will be properly consulted?",
    "I thank the Minister for that answer, but my constituents in {place} have waited long "
    "enough. When can they expect a decision?",
]
ANSWERS = [
    "I thank my hon. Friend for raising this important matter. We are investing in {topic} "
    "and I would be happy to meet her to discuss the situation in {place}.",
    "The Government recognise the concerns about {topic}. We are working closely with {org} "
    "and will set out further details in the coming months.",
    "My hon. Friend is a tireless champion for her constituents. I can confirm that the "
    "review of {topic} will report shortly, and I will ensure she is kept informed.",
    "I understand the frustration in {place}. Officials are looking at this urgently and I "
    "will write to her with an update.",
]
TITLES = [
    "{mp_first} welcomes funding for {topic}",
    "Update on {topic}",
    "{mp_first} raises {topic} in Parliament",
    "Visit to {place}",
    "Statement on {topic}",
    "Have your say on {topic}",
    "Weekly column: {Topic}",
    "Good news for {place}",
    "{mp_first} backs campaign on {topic}",
    "Meeting with {org_title} about {topic}",
]
YT_ALLOW = (
    "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; "
    "picture-in-picture; web-share"
)
EMBED_KINDS = ("youtube", "vimeo", "video_shortcode", "bare_url", "classic_iframe")


# --------------------------------------------------------------------------- URL helpers


def rest_href(route: str, origin: str = PLACEHOLDER_ORIGIN) -> str:
    """A plain-permalink REST URL, as ``rest_url()`` builds it (route left unencoded)."""
    return f"{origin}/index.php?rest_route={route}"


def rest_query_href(route: str, query: dict[str, int], origin: str = PLACEHOLDER_ORIGIN) -> str:
    """A REST URL built by ``add_query_arg`` — which percent-encodes the route."""
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{origin}/index.php?rest_route={quote(route, safe='')}{extra}"


def wp_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def slugify(text: str) -> str:
    text = re.sub(r"&[#\w]+;", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:190].strip("-")


def texturize(text: str) -> str:
    """Mimic wptexturize on apostrophes, which real rendered content always shows."""
    return text.replace("'", "&#8217;")


# ---------------------------------------------------------------------- object builders


def post_links(
    post_id: int,
    *,
    rest_base: str = "posts",
    author: int = 1,
    featured_media: int = 0,
    revisions: tuple[int, int] | None = None,
    taxonomies: bool = True,
    origin: str = PLACEHOLDER_ORIGIN,
) -> JSON:
    """``_links`` as WordPress 6.7 emits them for a published post or page."""
    type_slug = {"posts": "post", "pages": "page"}[rest_base]
    links: JSON = {
        "self": [
            {
                "href": rest_href(f"/wp/v2/{rest_base}/{post_id}", origin),
                "targetHints": {"allow": ["GET"]},
            }
        ],
        "collection": [{"href": rest_href(f"/wp/v2/{rest_base}", origin)}],
        "about": [{"href": rest_href(f"/wp/v2/types/{type_slug}", origin)}],
        "author": [{"embeddable": True, "href": rest_href(f"/wp/v2/users/{author}", origin)}],
        "replies": [
            {
                "embeddable": True,
                "href": rest_query_href("/wp/v2/comments", {"post": post_id}, origin),
            }
        ],
    }
    if revisions is not None:
        count, latest = revisions
        base = f"/wp/v2/{rest_base}/{post_id}/revisions"
        links["version-history"] = [{"count": count, "href": rest_href(base, origin)}]
        links["predecessor-version"] = [
            {"id": latest, "href": rest_href(f"{base}/{latest}", origin)}
        ]
    if featured_media:
        links["wp:featuredmedia"] = [
            {"embeddable": True, "href": rest_href(f"/wp/v2/media/{featured_media}", origin)}
        ]
    links["wp:attachment"] = [
        {"href": rest_query_href("/wp/v2/media", {"parent": post_id}, origin)}
    ]
    if taxonomies:
        links["wp:term"] = [
            {
                "taxonomy": "category",
                "embeddable": True,
                "href": rest_query_href("/wp/v2/categories", {"post": post_id}, origin),
            },
            {
                "taxonomy": "post_tag",
                "embeddable": True,
                "href": rest_query_href("/wp/v2/tags", {"post": post_id}, origin),
            },
        ]
    links["curies"] = CURIES
    return links


_CATEGORY_SLUGS = {cid: slug for cid, _, slug, _ in CATEGORIES}
_TAG_SLUGS = {tid: slug for tid, _, slug in TAGS}


def make_post(
    post_id: int,
    *,
    date: datetime,
    modified: datetime,
    title: str,
    content: str,
    excerpt: str,
    slug: str,
    author: int = 1,
    featured_media: int = 0,
    categories: list[int] | None = None,
    tags: list[int] | None = None,
    sticky: bool = False,
    post_format: str = "standard",
    revisions: tuple[int, int] | None = None,
    origin: str = PLACEHOLDER_ORIGIN,
) -> JSON:
    """A post in the exact field order of WordPress 6.7's view context (cf. the seed)."""
    categories = categories or [1]
    tags = tags or []
    class_list = [f"post-{post_id}", "post", "type-post", "status-publish"]
    class_list.append(f"format-{post_format}")
    if featured_media:
        class_list.append("has-post-thumbnail")
    class_list.append("hentry")
    class_list += [f"category-{_CATEGORY_SLUGS.get(c, str(c))}" for c in categories]
    class_list += [f"tag-{_TAG_SLUGS.get(t, str(t))}" for t in tags]
    return {
        "id": post_id,
        "date": wp_date(date),
        "date_gmt": wp_date(date),
        "guid": {"rendered": f"{origin}/?p={post_id}"},
        "modified": wp_date(modified),
        "modified_gmt": wp_date(modified),
        "slug": slug,
        "status": "publish",
        "type": "post",
        "link": f"{origin}/?p={post_id}",
        "title": {"rendered": title},
        "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": excerpt, "protected": False},
        "author": author,
        "featured_media": featured_media,
        "comment_status": "closed",
        "ping_status": "open",
        "sticky": sticky,
        "template": "",
        "format": post_format,
        "meta": dict(POST_META),
        "categories": categories,
        "tags": tags,
        "class_list": class_list,
        "_links": post_links(
            post_id,
            author=author,
            featured_media=featured_media,
            revisions=revisions,
            origin=origin,
        ),
    }


def make_page(
    page_id: int,
    *,
    date: datetime,
    modified: datetime,
    title: str,
    content: str,
    slug: str,
    parent: int = 0,
    menu_order: int = 0,
    revisions: tuple[int, int] | None = None,
) -> JSON:
    """A page in WordPress 6.7's view-context shape (cf. PageModel.json)."""
    excerpt = auto_excerpt(content)
    return {
        "id": page_id,
        "date": wp_date(date),
        "date_gmt": wp_date(date),
        "guid": {"rendered": f"{PLACEHOLDER_ORIGIN}/?page_id={page_id}"},
        "modified": wp_date(modified),
        "modified_gmt": wp_date(modified),
        "slug": slug,
        "status": "publish",
        "type": "page",
        "link": f"{PLACEHOLDER_ORIGIN}/?page_id={page_id}",
        "title": {"rendered": title},
        "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": excerpt, "protected": False},
        "author": 1,
        "featured_media": 0,
        "parent": parent,
        "menu_order": menu_order,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": {"_monsterinsights_skip_tracking": False, "footnotes": ""},
        "class_list": [f"post-{page_id}", "page", "type-page", "status-publish", "hentry"],
        "_links": post_links(page_id, rest_base="pages", revisions=revisions, taxonomies=False),
    }


def auto_excerpt(content: str, words: int = 55) -> str:
    """WordPress's automatic excerpt: tags stripped, 55 words, then ``[&hellip;]``."""
    text = re.sub(r"<[^>]+>", " ", content)
    text = re.sub(r"https?://\S+", " ", text)
    parts = text.split()
    if len(parts) > words:
        return "<p>" + " ".join(parts[:words]) + " [&hellip;]</p>\n"
    return "<p>" + " ".join(parts) + "</p>\n"


def join_blocks(blocks: list[str]) -> str:
    """Block-editor output: blocks separated by blank lines, wrapped in newlines."""
    return "\n" + "\n\n\n\n".join(blocks) + "\n"


# ------------------------------------------------------------------------ content parts


class Writer:
    """Produces plausible post text from a seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str, topic: str, place: str) -> str:
        r = self.rng
        org = r.choice(ORGS)
        return template.format(
            mp=MP_NAME,
            mp_first=MP_FIRST,
            topic=topic,
            Topic=topic[0].upper() + topic[1:],
            place=place,
            org=org,
            org_title=org.removeprefix("the ")[0].upper() + org.removeprefix("the ")[1:],
            num=r.randint(12, 980),
        )

    def paragraph(self, topic: str, place: str, sentences: int | None = None) -> str:
        count = sentences or self.rng.randint(2, 4)
        chosen = self.rng.sample(SENTENCES, count)
        filled = [texturize(self.fill(s, topic, place)) for s in chosen]
        return "<p>" + " ".join(f[0].upper() + f[1:] for f in filled) + "</p>"

    def outbound_link(self, topic: str, date: datetime) -> str:
        r = self.rng
        url = r.choice(OUTBOUND).format(
            slug=slugify(topic), date=date.strftime("%Y-%m-%d"), num=r.randint(600000, 720000)
        )
        text = r.choice(["more here", "the full announcement", "this report", "the details"])
        return f'<p>You can read {text}: <a href="{url}">{url}</a>.</p>'

    def hansard(self, topic: str, place: str, tag_id: int) -> list[str]:
        pick = MINISTER_BY_TAG.get(tag_id)
        minister, role = MINISTERS[pick] if pick is not None else self.rng.choice(MINISTERS)
        mp_line = f"<p><strong>{MP_NAME}&nbsp;{PARTY}, {CONSTITUENCY}</strong></p>"
        min_line = f"<p><strong>{minister}&nbsp;{role}</strong></p>"
        blocks: list[str] = []
        for turn in range(self.rng.choice([1, 2, 2])):
            question = QUESTIONS[0] if turn == 0 else self.rng.choice(QUESTIONS[1:])
            blocks += [mp_line, "<p>" + texturize(self.fill(question, topic, place)) + "</p>"]
            answer = self.rng.choice(ANSWERS)
            blocks += [min_line, "<p>" + texturize(self.fill(answer, topic, place)) + "</p>"]
        return blocks

    def youtube_id(self) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        return "".join(self.rng.choice(alphabet) for _ in range(11))

    def embed(self, kind: str, title: str, post_id: int, date: datetime) -> tuple[str, str]:
        """Return (block HTML, media URL) for one of the embed forms WordPress renders."""
        if kind == "youtube":
            vid = self.youtube_id()
            return (
                '<figure class="wp-block-embed is-type-video is-provider-youtube '
                'wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio">'
                '<div class="wp-block-embed__wrapper">\n'
                f'<iframe title="{title}" width="800" height="450" '
                f'src="https://www.youtube.com/embed/{vid}?feature=oembed" frameborder="0" '
                f'allow="{YT_ALLOW}" referrerpolicy="strict-origin-when-cross-origin" '
                "allowfullscreen></iframe>\n</div></figure>",
                f"https://www.youtube.com/watch?v={vid}",
            )
        if kind == "vimeo":
            vid = str(self.rng.randint(700000000, 999999999))
            return (
                '<figure class="wp-block-embed is-type-video is-provider-vimeo '
                'wp-block-embed-vimeo wp-embed-aspect-16-9 wp-has-aspect-ratio">'
                '<div class="wp-block-embed__wrapper">\n'
                f'<iframe title="{title}" '
                f'src="https://player.vimeo.com/video/{vid}?dnt=1&amp;app_id=122963" '
                'width="800" height="450" frameborder="0" allow="autoplay; fullscreen; '
                'picture-in-picture; clipboard-write; encrypted-media"></iframe>\n'
                "</div></figure>",
                f"https://vimeo.com/{vid}",
            )
        if kind == "video_shortcode":
            src = (
                f"{PLACEHOLDER_ORIGIN}/wp-content/uploads/{date:%Y}/{date:%m}/"
                f"{slugify(title)[:40]}.mp4"
            )
            return (
                '<div style="width: 640px;" class="wp-video"><!--[if lt IE 9]><script>'
                "document.createElement('video');</script><![endif]-->\n"
                f'<video class="wp-video-shortcode" id="video-{post_id}-1" width="640" '
                'height="360" preload="metadata" controls="controls">'
                f'<source type="video/mp4" src="{src}?_=1" />'
                f'<a href="{src}">{src}</a></video></div>',
                src,
            )
        if kind == "bare_url":
            if self.rng.random() < 0.5:
                url = f"https://www.youtube.com/watch?v={self.youtube_id()}"
                cls = "wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"
            else:
                url = f"https://parliamentlive.tv/event/index/{self.rng.getrandbits(64):016x}"
                cls = "wp-block-embed"
            return (
                f'<figure class="{cls}"><div class="wp-block-embed__wrapper">\n{url}\n'
                "</div></figure>",
                url,
            )
        if kind == "classic_iframe":
            vid = self.youtube_id()
            return (
                f'<p><iframe loading="lazy" title="{title}" width="500" height="281" '
                f'src="https://www.youtube-nocookie.com/embed/{vid}?feature=oembed" '
                f'frameborder="0" allow="{YT_ALLOW}" allowfullscreen></iframe></p>',
                f"https://www.youtube-nocookie.com/embed/{vid}",
            )
        raise ValueError(kind)


# ------------------------------------------------------------------------ the bundle


def media_item(
    media_id: int,
    *,
    date: datetime,
    title: str,
    parent: int | None,
    author: int = 1,
    mime: str = "image/jpeg",
    url: str | None = None,
) -> JSON:
    """An attachment in MediaModel.json's shape, with plausible media_details."""
    slug = slugify(title)
    url = url or f"{PLACEHOLDER_ORIGIN}/wp-content/uploads/{date:%Y}/{date:%m}/{slug}.jpg"
    file = url.split("/wp-content/uploads/", 1)[1]
    is_image = mime.startswith("image/")
    details: JSON
    if is_image:
        stem = url.rsplit(".", 1)[0]
        details = {
            "width": 1200,
            "height": 800,
            "file": file,
            "filesize": 180000 + media_id * 7 % 90000,
            "sizes": {
                "medium": {
                    "file": f"{slug}-300x200.jpg",
                    "width": 300,
                    "height": 200,
                    "filesize": 14000 + media_id % 5000,
                    "mime_type": mime,
                    "source_url": f"{stem}-300x200.jpg",
                },
                "thumbnail": {
                    "file": f"{slug}-150x150.jpg",
                    "width": 150,
                    "height": 150,
                    "filesize": 6000 + media_id % 3000,
                    "mime_type": mime,
                    "source_url": f"{stem}-150x150.jpg",
                },
                "full": {
                    "file": file.rsplit("/", 1)[1],
                    "width": 1200,
                    "height": 800,
                    "mime_type": mime,
                    "source_url": url,
                },
            },
            "image_meta": {
                "aperture": "0",
                "credit": "",
                "camera": "",
                "caption": "",
                "created_timestamp": "0",
                "copyright": "",
                "focal_length": "0",
                "iso": "0",
                "shutter_speed": "0",
                "title": "",
                "orientation": "0",
                "keywords": [],
            },
        }
    else:
        details = {
            "filesize": 4200000 + media_id * 13 % 900000,
            "mime_type": mime,
            "length": 95 + media_id % 60,
            "length_formatted": f"{(95 + media_id % 60) // 60}:{(95 + media_id % 60) % 60:02d}",
            "width": 640,
            "height": 360,
            "fileformat": "mp4",
            "dataformat": "quicktime",
            "audio": {"dataformat": "mp4", "codec": "ISO/IEC 14496-3 AAC", "channels": 2},
            "created_timestamp": 0,
        }
    media_type = "image" if is_image else "file"
    description = (
        f'<p class="attachment"><a href=\'{url}\'><img width="300" height="200" '
        f'src="{url.rsplit(".", 1)[0]}-300x200.jpg" class="attachment-medium size-medium" '
        'alt="" decoding="async" loading="lazy" /></a></p>\n'
        if is_image
        else f"<p class=\"attachment\"><a href='{url}'>{title}</a></p>\n"
    )
    return {
        "id": media_id,
        "date": wp_date(date),
        "date_gmt": wp_date(date),
        "guid": {"rendered": url},
        "modified": wp_date(date),
        "modified_gmt": wp_date(date),
        "slug": slug,
        "status": "inherit",
        "type": "attachment",
        "link": f"{PLACEHOLDER_ORIGIN}/?attachment_id={media_id}",
        "title": {"rendered": title},
        "author": author,
        "featured_media": 0,
        "comment_status": "open",
        "ping_status": "closed",
        "template": "",
        "meta": {"_monsterinsights_skip_tracking": False, "footnotes": ""},
        "class_list": [
            f"post-{media_id}",
            "attachment",
            "type-attachment",
            "status-inherit",
            "hentry",
        ],
        "description": {"rendered": description},
        "caption": {"rendered": ""},
        "alt_text": title if is_image else "",
        "media_type": media_type,
        "mime_type": mime,
        "media_details": details,
        "post": parent,
        "source_url": url,
        "_links": {
            "self": [
                {
                    "href": rest_href(f"/wp/v2/media/{media_id}"),
                    "targetHints": {"allow": ["GET"]},
                }
            ],
            "collection": [{"href": rest_href("/wp/v2/media")}],
            "about": [{"href": rest_href("/wp/v2/types/attachment")}],
            "author": [{"embeddable": True, "href": rest_href(f"/wp/v2/users/{author}")}],
            "replies": [
                {"embeddable": True, "href": rest_query_href("/wp/v2/comments", {"post": media_id})}
            ],
        },
    }


def term_item(term_id: int, name: str, slug: str, taxonomy: str, count: int, desc: str) -> JSON:
    """A category or tag (cf. CategoriesCollection.json / TagsCollection.json)."""
    rest_base = "categories" if taxonomy == "category" else "tags"
    param = "cat" if taxonomy == "category" else "tag"
    link_value = str(term_id) if taxonomy == "category" else slug
    item: JSON = {
        "id": term_id,
        "count": count,
        "description": desc,
        "link": f"{PLACEHOLDER_ORIGIN}/?{param}={link_value}",
        "name": name,
        "slug": slug,
        "taxonomy": taxonomy,
    }
    if taxonomy == "category":
        item["parent"] = 0
    item["meta"] = []
    item["_links"] = {
        "self": [{"href": rest_href(f"/wp/v2/{rest_base}/{term_id}")}],
        "collection": [{"href": rest_href(f"/wp/v2/{rest_base}")}],
        "about": [{"href": rest_href(f"/wp/v2/taxonomies/{taxonomy}")}],
        "wp:post_type": [
            {"href": rest_query_href("/wp/v2/posts", {rest_base: term_id})},
        ],
        "curies": CURIES,
    }
    return item


def user_item(user_id: int, name: str, slug: str, description: str) -> JSON:
    """A public user object (cf. UsersCollection.json); avatar hashes are stable fakes."""
    digest = hashlib.md5(f"{slug}@example-mp.org.uk".encode(), usedforsecurity=False).hexdigest()
    return {
        "id": user_id,
        "name": name,
        "url": PLACEHOLDER_ORIGIN if user_id == 1 else "",
        "description": description,
        "link": f"{PLACEHOLDER_ORIGIN}/?author={user_id}",
        "slug": slug,
        "avatar_urls": {
            size: f"https://secure.gravatar.com/avatar/{digest}?s={size}&d=mm&r=g"
            for size in ("24", "48", "96")
        },
        "meta": [],
        "_links": {
            "self": [
                {
                    "href": rest_href(f"/wp/v2/users/{user_id}"),
                    "targetHints": {"allow": ["GET"]},
                }
            ],
            "collection": [{"href": rest_href("/wp/v2/users")}],
        },
    }


def type_items() -> JSON:
    """``/wp/v2/types`` (cf. TypesCollection.json, trimmed to what the site exposes)."""
    spec = [
        ("post", "Posts", "posts", "dashicons-admin-post", False, ["category", "post_tag"]),
        ("page", "Pages", "pages", "dashicons-admin-page", True, []),
        ("attachment", "Media", "media", "dashicons-admin-media", False, []),
    ]
    return {
        slug: {
            "description": "",
            "hierarchical": hierarchical,
            "has_archive": False,
            "name": name,
            "slug": slug,
            "icon": icon,
            "taxonomies": taxonomies,
            "rest_base": rest_base,
            "rest_namespace": "wp/v2",
            "template": [],
            "template_lock": False,
            "_links": {
                "collection": [{"href": rest_href("/wp/v2/types")}],
                "wp:items": [{"href": rest_href(f"/wp/v2/{rest_base}")}],
                "curies": CURIES,
            },
        }
        for slug, name, rest_base, icon, hierarchical, taxonomies in spec
    }


def taxonomy_items() -> JSON:
    """``/wp/v2/taxonomies`` (cf. TaxonomiesCollection.json)."""
    spec = [("category", "Categories", "categories", True), ("post_tag", "Tags", "tags", False)]
    return {
        slug: {
            "name": name,
            "slug": slug,
            "description": "",
            "types": ["post"],
            "hierarchical": hierarchical,
            "rest_base": rest_base,
            "rest_namespace": "wp/v2",
            "_links": {
                "collection": [{"href": rest_href("/wp/v2/taxonomies")}],
                "wp:items": [{"href": rest_href(f"/wp/v2/{rest_base}")}],
                "curies": CURIES,
            },
        }
        for slug, name, rest_base, hierarchical in spec
    }


def _arg(description: str, kind: str, **extra: Any) -> JSON:
    return {"description": description, "type": kind, **extra, "required": False}


_CONTEXT = _arg(
    "Scope under which the request is made; determines fields present in response.",
    "string",
    enum=["view", "embed", "edit"],
    default="view",
)
_IDS = {"type": "array", "items": {"type": "integer"}, "default": []}


def _collection_args(orderby: list[str], default_orderby: str, default_order: str) -> JSON:
    return {
        "context": _CONTEXT,
        "page": _arg("Current page of the collection.", "integer", default=1, minimum=1),
        "per_page": _arg(
            "Maximum number of items to be returned in result set.",
            "integer",
            default=10,
            minimum=1,
            maximum=100,
        ),
        "search": _arg("Limit results to those matching a string.", "string"),
        "after": _arg(
            "Limit response to posts published after a given ISO8601 compliant date.",
            "string",
            format="date-time",
        ),
        "modified_after": _arg(
            "Limit response to posts modified after a given ISO8601 compliant date.",
            "string",
            format="date-time",
        ),
        "before": _arg(
            "Limit response to posts published before a given ISO8601 compliant date.",
            "string",
            format="date-time",
        ),
        "modified_before": _arg(
            "Limit response to posts modified before a given ISO8601 compliant date.",
            "string",
            format="date-time",
        ),
        "exclude": {"description": "Ensure result set excludes specific IDs.", **_IDS},
        "include": {"description": "Limit result set to specific IDs.", **_IDS},
        "offset": _arg("Offset the result set by a specific number of items.", "integer"),
        "order": _arg(
            "Order sort attribute ascending or descending.",
            "string",
            default=default_order,
            enum=["asc", "desc"],
        ),
        "orderby": _arg(
            "Sort collection by post attribute.", "string", default=default_orderby, enum=orderby
        ),
        "slug": {
            "description": "Limit result set to posts with one or more specific slugs.",
            "type": "array",
            "items": {"type": "string"},
            "required": False,
        },
        "status": {
            "default": "publish",
            "description": "Limit result set to posts assigned one or more statuses.",
            "type": "array",
            "items": {"enum": list(POST_STATUSES), "type": "string"},
            "required": False,
        },
    }


POST_STATUSES = (
    "publish",
    "future",
    "draft",
    "pending",
    "private",
    "trash",
    "auto-draft",
    "inherit",
    "request-pending",
    "request-confirmed",
    "request-failed",
    "request-completed",
    "any",
)
POST_ORDERBY = [
    "author",
    "date",
    "id",
    "include",
    "modified",
    "parent",
    "relevance",
    "slug",
    "include_slugs",
    "title",
]


def api_index() -> JSON:
    """The ``rest_route=/`` document: a trimmed Schema.json listing the routes served."""
    single = {
        "id": _arg("Unique identifier for the post.", "integer"),
        "context": _CONTEXT,
        "password": _arg("The password for the post if it is password protected.", "string"),
    }
    revisions = {
        "parent": _arg("The ID for the parent of the revision.", "integer"),
        "context": _CONTEXT,
        "page": _arg("Current page of the collection.", "integer", default=1, minimum=1),
        "per_page": _arg(
            "Maximum number of items to be returned in result set.",
            "integer",
            minimum=1,
            maximum=100,
        ),
    }
    posts_args = _collection_args(POST_ORDERBY, "date", "desc")
    posts_args["categories"] = {
        "description": "Limit result set to items with specific terms assigned in the "
        "categories taxonomy.",
        **_IDS,
    }
    posts_args["tags"] = {
        "description": "Limit result set to items with specific terms assigned in the tags "
        "taxonomy.",
        **_IDS,
    }
    term_args = _collection_args(["id", "include", "name", "slug", "count"], "name", "asc")
    for key in ("after", "modified_after", "before", "modified_before", "offset", "status"):
        del term_args[key]
    term_args["hide_empty"] = _arg(
        "Whether to hide terms not assigned to any posts.", "boolean", default=False
    )
    term_args["post"] = _arg(
        "Limit result set to terms assigned to a specific post.", "integer", default=None
    )
    user_args = _collection_args(
        ["id", "include", "name", "registered_date", "slug"], "name", "asc"
    )
    for key in ("after", "modified_after", "before", "modified_before", "status"):
        del user_args[key]
    ns_args = {"namespace": {"default": "wp/v2", "required": False}, "context": _CONTEXT}

    routes: list[tuple[str, str, JSON]] = [
        ("/", "", {"context": {"default": "view", "required": False}}),
        ("/oembed/1.0", "oembed/1.0", {**ns_args, "namespace": {"default": "oembed/1.0"}}),
        ("/wp/v2", "wp/v2", ns_args),
    ]
    for base in ("posts", "pages", "media"):
        args = posts_args if base == "posts" else _collection_args(POST_ORDERBY, "date", "desc")
        routes.append((f"/wp/v2/{base}", "wp/v2", args))
        routes.append((f"/wp/v2/{base}/(?P<id>[\\d]+)", "wp/v2", single))
        if base != "media":
            routes.append((f"/wp/v2/{base}/(?P<parent>[\\d]+)/revisions", "wp/v2", revisions))
    routes += [
        ("/wp/v2/types", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/types/(?P<type>[\\w-]+)", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/taxonomies", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/taxonomies/(?P<taxonomy>[\\w-]+)", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/categories", "wp/v2", term_args),
        ("/wp/v2/categories/(?P<id>[\\d]+)", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/tags", "wp/v2", term_args),
        ("/wp/v2/tags/(?P<id>[\\d]+)", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/users", "wp/v2", user_args),
        ("/wp/v2/users/(?P<id>[\\d]+)", "wp/v2", {"context": _CONTEXT}),
        ("/wp/v2/comments", "wp/v2", _collection_args(["date", "id"], "date_gmt", "desc")),
    ]
    out: JSON = {}
    for route, namespace, args in routes:
        entry: JSON = {
            "namespace": namespace,
            "methods": ["GET"],
            "endpoints": [{"methods": ["GET"], "args": args}],
        }
        if "(?P<" not in route:
            entry["_links"] = {"self": rest_href(route)}
        out[route] = entry
    return {
        "name": SITE_NAME,
        "description": SITE_DESCRIPTION,
        "url": PLACEHOLDER_ORIGIN,
        "home": PLACEHOLDER_ORIGIN,
        "gmt_offset": "0",
        "timezone_string": "",
        "namespaces": ["oembed/1.0", "wp/v2"],
        "authentication": [],
        "routes": out,
        "site_logo": 0,
        "site_icon": 0,
        "site_icon_url": "",
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    }


def _random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    return day.replace(hour=rng.randint(7, 19), minute=rng.randrange(60), second=rng.randrange(60))


def _pages(rng: random.Random) -> list[JSON]:
    writer = Writer(rng)
    spec: list[tuple[int, str, str, int, int, str, bool]] = [
        (12, "About Sarah", "about", 0, 1, "Eastbridge", True),
        (14, "Contact", "contact", 0, 2, "Hatherby", False),
        (16, "Advice Surgeries", "surgeries", 0, 3, "Kelsford", True),
        (18, "Campaigns", "campaigns", 0, 4, "Wold Ferry", False),
        (
            1931,
            "Save Eastbridge Community Hospital",
            "save-eastbridge-hospital",
            18,
            0,
            "Eastbridge",
            True,
        ),
    ]
    pages = []
    for page_id, title, slug, parent, order, place, revised in spec:
        date = datetime(2022, 12, 1, 10, 0, tzinfo=UTC) + timedelta(days=page_id % 700)
        topic = "Eastbridge Community Hospital" if parent else rng.choice(TOPICS)[0]
        blocks = [writer.paragraph(topic, place) for _ in range(rng.randint(2, 4))]
        if slug == "contact":
            blocks.append(
                '<p>Email: <a href="mailto:sarah.pennington.mp@example-mp.org.uk">'
                "sarah.pennington.mp@example-mp.org.uk</a><br>Telephone: 020 7946 0000</p>"
            )
        if slug == "campaigns":
            blocks.append(
                f'<p>Current campaign: <a href="{PLACEHOLDER_ORIGIN}/?page_id=1931">Save '
                "Eastbridge Community Hospital</a></p>"
            )
        modified = date + timedelta(days=rng.randint(30, 600))
        revisions = (rng.randint(2, 9), page_id + 7000) if revised else None
        pages.append(
            make_page(
                page_id,
                date=date,
                modified=modified,
                title=title,
                content=join_blocks(blocks),
                slug=slug,
                parent=parent,
                menu_order=order,
                revisions=revisions,
            )
        )
    return pages


def build_site(seed_post: JSON) -> JSON:
    """Build the whole bundle; pure function of ``seed_post`` and ``RANDOM_SEED``."""
    rng = random.Random(RANDOM_SEED)
    writer = Writer(rng)
    seed_date = datetime.fromisoformat(seed_post["date_gmt"]).replace(tzinfo=UTC)

    moments = sorted(_random_moment(rng, FIRST_DATE, LAST_DATE) for _ in range(GENERATED_POSTS))
    before = [m for m in moments if m < seed_date]
    after = [m for m in moments if m >= seed_date]
    reserved = {SEED_POST_ID, SEED_MEDIA_ID, SEED_REVISION_ID, 1931}
    ids_before = sorted(rng.sample(range(1400, SEED_POST_ID - 5), len(before)))
    ids_after = sorted(
        rng.sample(sorted(set(range(SEED_POST_ID + 5, 6900)) - reserved), len(after))
    )
    used = set(ids_before) | set(ids_after) | reserved

    def fresh_id(near: int) -> int:
        candidate = near + rng.randint(1, 6)
        while candidate in used:
            candidate += 1
        used.add(candidate)
        return candidate

    # Decide each post's kind up front so the notable lists are well spread over time.
    slots = list(range(GENERATED_POSTS))
    rng.shuffle(slots)
    kinds: dict[int, str] = {}
    plan = [("hansard_clip", 22), ("hansard", 24)] + [
        (k, n) for k, n in zip(EMBED_KINDS, (20, 8, 8, 6, 5), strict=True)
    ]
    cursor = 0
    for kind, count in plan:
        for slot in slots[cursor : cursor + count]:
            kinds[slot] = kind
        cursor += count

    posts: list[JSON] = []
    media: list[JSON] = []
    notable: dict[str, list[int]] = {k: [] for k in ("hansard", *EMBED_KINDS, "outbound_links")}
    notable["revision_links"] = []
    notable["no_revision_links"] = []
    notable["featured_media"] = []
    featured_pool: list[int] = []
    slugs: set[str] = {seed_post["slug"]}
    for index, (post_id, date) in enumerate(
        zip(ids_before + ids_after, before + after, strict=True)
    ):
        kind = kinds.get(index, "plain")
        topic, tag_id = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        title = texturize(writer.fill(rng.choice(TITLES), topic, place))
        if kind.startswith("hansard"):
            title = texturize(f"{MP_FIRST} questions Minister on {topic}")
        base_slug = slug = slugify(title)
        suffix = 2
        while slug in slugs:  # WordPress de-duplicates slugs with -2, -3, ...
            slug = f"{base_slug}-{suffix}"
            suffix += 1
        slugs.add(slug)

        blocks: list[str] = []
        categories: list[int]
        if kind.startswith("hansard"):
            notable["hansard"].append(post_id)
            categories = [4]
            blocks += writer.hansard(topic, place, tag_id)
            if kind == "hansard_clip":
                notable["youtube"].append(post_id)
                blocks.append(
                    "<p><strong>Please see the link below to watch a clip of "
                    f"{MP_FIRST}&#8217;s question:</strong></p>"
                )
                blocks.append(writer.embed("youtube", title, post_id, date)[0])
        else:
            categories = rng.choice([[2], [2], [5], [5], [6], [9], [2, 5], [5, 6]])
            blocks += [writer.paragraph(topic, place) for _ in range(rng.randint(2, 6))]
            if kind in EMBED_KINDS:
                notable[kind].append(post_id)
                html, url = writer.embed(kind, title, post_id, date)
                blocks.insert(rng.randint(1, len(blocks)), html)
                if kind == "video_shortcode":
                    media.append(
                        media_item(
                            fresh_id(post_id),
                            date=date - timedelta(minutes=rng.randint(5, 90)),
                            title=f"{title} (video)",
                            parent=post_id,
                            mime="video/mp4",
                            url=url,
                        )
                    )
        if rng.random() < 0.35:
            notable["outbound_links"].append(post_id)
            blocks.append(writer.outbound_link(topic, date))
        if posts and rng.random() < 0.1:
            earlier = rng.choice(posts)
            blocks.append(
                f'<p>See also: <a href="{PLACEHOLDER_ORIGIN}/?p={earlier["id"]}">'
                f"{earlier['title']['rendered']}</a></p>"
            )

        featured = 0
        if rng.random() < 0.35:
            if not featured_pool or (len(featured_pool) < 12 and rng.random() < 0.5):
                media_id = fresh_id(post_id)
                media.append(
                    media_item(
                        media_id,
                        date=date - timedelta(minutes=rng.randint(5, 90)),
                        title=f"{place} {topic}"[:70],
                        parent=post_id,
                        author=1,
                    )
                )
                featured_pool.append(media_id)
            featured = rng.choice(featured_pool)
            notable["featured_media"].append(post_id)

        revisions = None
        modified = date
        if rng.random() < 0.6:
            modified = min(date + timedelta(minutes=rng.randint(3, 60 * 24 * 40)), MODIFIED_CAP)
        if modified > date and rng.random() < 0.65:
            revisions = (rng.randint(1, 6), fresh_id(post_id))
            notable["revision_links"].append(post_id)
        else:
            notable["no_revision_links"].append(post_id)
        tags = sorted({tag_id, *rng.sample([t for t, _, _ in TAGS], rng.randint(0, 2))})
        if rng.random() < 0.2:
            tags = []
        content = join_blocks(blocks)
        excerpt = auto_excerpt(content)
        posts.append(
            make_post(
                post_id,
                date=date,
                modified=modified,
                title=title,
                content=content,
                excerpt=excerpt,
                slug=slug,
                author=2 if categories in ([9], [2]) and rng.random() < 0.5 else 1,
                featured_media=featured,
                categories=categories,
                tags=tags,
                sticky=False,
                post_format="video" if kind in EMBED_KINDS and rng.random() < 0.3 else "standard",
                revisions=revisions,
            )
        )

    # One sticky post, as MPs' sites often pin a campaign.
    sticky = next(p for p in posts if 6 in p["categories"])
    sticky["sticky"] = True
    notable["sticky"] = [sticky["id"]]

    posts.append(seed_post)
    notable["seed"] = [SEED_POST_ID]
    notable["hansard"].append(SEED_POST_ID)
    notable["youtube"].append(SEED_POST_ID)
    notable["revision_links"].append(SEED_POST_ID)
    notable["featured_media"].append(SEED_POST_ID)
    posts.sort(key=lambda p: int(p["id"]))
    media.append(
        media_item(
            SEED_MEDIA_ID,
            date=datetime(2025, 4, 24, 11, 2, 41, tzinfo=UTC),
            title="Live Facial Recognition",
            parent=SEED_POST_ID,
        )
    )
    media.sort(key=lambda m: int(m["id"]))
    for values in notable.values():
        values.sort()

    cat_counts = {cid: 0 for cid, *_ in CATEGORIES}
    tag_counts = {tid: 0 for tid, *_ in TAGS}
    for post in posts:
        for cid in post["categories"]:
            cat_counts[cid] += 1
        for tid in post["tags"]:
            tag_counts[tid] += 1
    return {
        "format": DATA_FORMAT,
        "site": {
            "name": SITE_NAME,
            "description": SITE_DESCRIPTION,
            "origin": PLACEHOLDER_ORIGIN,
        },
        "index": api_index(),
        "types": type_items(),
        "taxonomies": taxonomy_items(),
        "posts": posts,
        "pages": _pages(rng),
        "media": media,
        "categories": [
            term_item(cid, name, slug, "category", cat_counts[cid], desc)
            for cid, name, slug, desc in CATEGORIES
        ],
        "tags": [
            term_item(tid, name, slug, "post_tag", tag_counts[tid], "") for tid, name, slug in TAGS
        ],
        "users": [
            user_item(1, MP_NAME, "sarah-pennington", SITE_DESCRIPTION + "."),
            user_item(2, "Office Team", "office-team", "Sarah's constituency office."),
        ],
        "notable": notable,
    }


# -------------------------------------------------------------------- synthetic posts

_SYNTH_RNG = random.Random(RANDOM_SEED + 1)
_SYNTH_PARAGRAPHS = [
    Writer(_SYNTH_RNG).paragraph(topic, place, sentences=4)
    for topic, _ in TOPICS
    for place in PLACES[:3]
]


def synthetic_post(post_id: int, modified: datetime | None = None) -> JSON:
    """Post ``post_id`` of a synthetic site: ~3 KB, deterministic, O(1) to build.

    Dates rise with the id (one post every 30 minutes from 2018) so date order equals id
    order, which lets the server page through any N without materialising the list.
    """
    date = synthetic_date(post_id)
    pool = _SYNTH_PARAGRAPHS
    picks = [pool[(post_id * 7919 + k * 104729) % len(pool)] for k in range(6)]
    topic, tag_id = TOPICS[post_id % len(TOPICS)]
    title = f"Synthetic post {post_id}: {topic[0].upper()}{topic[1:]}"
    content = join_blocks(picks)
    category = CATEGORIES[1 + post_id % (len(CATEGORIES) - 1)][0]
    return make_post(
        post_id,
        date=date,
        modified=modified or date,
        title=title,
        content=content,
        excerpt=auto_excerpt(picks[0]),
        slug=f"synthetic-post-{post_id}",
        author=1 + post_id % 2,
        categories=[category],
        tags=[tag_id],
        revisions=(1 + post_id % 3, post_id + 10_000_000) if post_id % 5 == 0 else None,
    )


def synthetic_date(post_id: int) -> datetime:
    return SYNTHETIC_EPOCH + timedelta(minutes=30 * post_id)


# ----------------------------------------------------------------------------- main


def write(data_dir: Path = DATA_DIR) -> Path:
    """Build the bundle from ``data_dir/seed-post-4407.json`` and write ``site.json.gz``."""
    seed_post = json.loads((data_dir / SEED_FILE).read_text(encoding="utf-8"))
    site = build_site(seed_post)
    raw = json.dumps(site, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target = data_dir / SITE_FILE
    target.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    target = write(args.data_dir)
    print(f"wrote {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
