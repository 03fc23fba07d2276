"""One HTML page as a publication: WordPress id, type, title, dates, main content, version key.

Measured on the real WordPress fixture (273 public posts and pages, twentytwentythree
theme), against the REST ``content_text`` of the same posts: the element WordPress
renders ``the_content()`` into (``wp-block-post-content`` in block themes,
``entry-content`` in classic ones) gives text similarity 1.0 for every post and the same
embeds; trafilatura's main-content extraction gives a median of 0.9986 but a minimum of
0.16, and drops 6 posts' embeds (it removes iframes). So the WordPress container is used
where the page has one, and trafilatura (well kept, the best-scoring open extractor)
everywhere else. trafilatura also gives the title (273/273 equal to the REST title).
Dates come from the page's own exact metadata first (``article:published_time`` /
``article:modified_time``, JSON-LD read by extruct, the post's ``<time datetime>``);
htmldate (through trafilatura) only gives a day, and guessed wrong on a WordPress page
that shows no date, so it is the last resort, and only for pages of other platforms.
The page's own date is read in :mod:`mpcrawl.web.page_dates`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from mpcrawl.extract.text import html_to_text
from mpcrawl.web.dates import parse_datetime, printed_days
from mpcrawl.web.page_dates import exact, json_ld, published, strings, whole_day
from mpcrawl.web.profiles import Page, Platform, Profile, detect
from mpcrawl.wp.fields import FieldReader

__all__ = [
    "PageInfo",
    "own_date",
    "page_links",
    "page_of",
    "parse_datetime",
    "read_page",
    "version_key",
]

_NONCE_PARAMS = re.compile(r"(?:^|_)(?:wp)?nonce$|^ver$", re.IGNORECASE)
_SKIP_LINK = re.compile(
    r"/(?:wp-admin|wp-login\.php|wp-json|xmlrpc\.php|feed|comments|wp-content|wp-includes)\b"
    r"|\.(?:jpe?g|png|gif|webp|svg|pdf|zip|mp3|mp4|docx?|xlsx?|css|js|xml)$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class PageInfo:
    """What a publication's page says about itself."""

    url: str
    canonical: str | None = None
    wp_id: int | None = None
    post_type: str | None = None
    listing: bool = False
    protected: bool = False
    title: str | None = None
    date_gmt: datetime | None = None
    modified_gmt: datetime | None = None
    content_html: str = ""
    content_text: str = ""
    platform: Platform = "generic"
    # the platform's body element ("wordpress", "drupal7"...), "trafilatura" or "none"
    extractor: str = "none"
    # Where embeds are looked for: the content, or where trafilatura made the content (it
    # drops iframes), the page's one <article> or <main>.
    media_html: str = ""
    links: list[str] = field(default_factory=list)
    # "field: reason" for values the page prints that no column holds (an id beyond
    # int64, a time outside years 1..9999 in UTC): the column is None, the page kept
    bad_values: list[str] = field(default_factory=list)


def read_page(body: str, url: str) -> PageInfo:
    """Read a fetched HTML page (``url`` is where it was fetched from, after redirects).

    >>> page = read_page(
    ...     "<html><head><title>Hi – Site</title>"
    ...     "<link rel='shortlink' href='https://ex.org/?p=42'>"
    ...     '<meta property="article:published_time" content="2024-05-01T10:00:00+01:00">'
    ...     '</head><body class="single single-post postid-42"><h1>Hi</h1>'
    ...     '<div class="entry-content"><p>Text of the post.</p></div></body></html>',
    ...     "https://ex.org/hi/")
    >>> page.wp_id, page.post_type, page.date_gmt.isoformat(), page.content_text
    (42, 'post', '2024-05-01T09:00:00+00:00', 'Text of the post.')
    """
    info = PageInfo(url=url)
    try:
        doc = lxml_html.document_fromstring(body.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return info
    meta = _meta(doc)
    page = Page(doc, frozenset(_body_classes(doc)), meta, _head_links(doc, url))
    profile = detect(page)
    info.platform = profile.name
    info.canonical = page.links.get("canonical")
    read = FieldReader()
    wp_id, info.post_type = profile.identity(page)
    info.wp_id = read.int64("id", wp_id)
    info.protected = "post-password-required" in page.classes or bool(
        doc.xpath('//form[contains(@action, "action=postpass")]')
    )
    info.listing = profile.listing(page)
    ld = json_ld(body, url)
    info.date_gmt = published(doc, profile, meta, ld, read)
    # the page's own exact date is unusable: no day guessed from its text (htmldate below)
    guess = info.date_gmt is None and not any(b.startswith("date_gmt:") for b in read.bad)
    info.modified_gmt = exact(
        read,
        "modified_gmt",
        *strings(doc, profile.modified),
        meta.get("article:modified_time"),
        ld.get("dateModified"),
    )
    info.bad_values = read.bad
    container = None if info.protected else _container(doc, profile)
    if container is not None:  # the content is a password form: keep none, as REST does
        info.extractor = profile.name
        info.content_html = _inner_html(container)
    extracted = _trafilatura(body, url, want_content=container is None and not info.protected)
    info.title = extracted.get("title") or meta.get("og:title") or _title_tag(doc)
    if info.protected and info.title:  # as the REST API gives it (the profile's evidence)
        info.title = profile.unprotected(info.title)
    if container is None and not info.protected:
        info.content_html = extracted.get("html") or ""
        info.extractor = "trafilatura" if info.content_html else "none"
    if guess and info.date_gmt is None and profile.name == "generic" and extracted.get("date"):
        # htmldate's day, where the page prints that day in full: it reads a footer's
        # "© 2019" as 2019-01-01.
        day = whole_day(extracted["date"])
        if day is not None and day.date() in printed_days(doc.text_content()):
            info.date_gmt = day
    info.content_text = html_to_text(info.content_html) if info.content_html else ""
    info.media_html = info.content_html
    if info.extractor == "trafilatura":
        region = _semantic_region(doc)
        if region is not None:
            info.media_html = _inner_html(region)
    info.links = _anchor_links(doc, url)
    return info


def own_date(body: str, url: str) -> tuple[Platform, str | None, datetime | None]:
    """A page's platform, type and the date it prints of itself (:func:`read_page`'s,
    without the content extraction): whether a feed's date is wanted for it."""
    try:
        doc = lxml_html.document_fromstring(body.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return "generic", None, None
    meta = _meta(doc)
    page = Page(doc, frozenset(_body_classes(doc)), meta, _head_links(doc, url))
    profile = detect(page)
    kind = None if profile.listing(page) else profile.identity(page)[1]
    return profile.name, kind, published(doc, profile, meta, json_ld(body, url), FieldReader())


def version_key(info: PageInfo) -> str:
    """sha256 over what a reader of the publication sees, not over the raw page.

    Title, publication date, clean text and the content's link and media targets (nonce
    and cache-busting parameters removed): sidebars, nonces and "recent posts" lists
    change on every request without the publication changing.

    >>> a = PageInfo("u", title="T", content_html='<p>x <a href="/a?_wpnonce=1">l</a></p>',
    ...              content_text="x l")
    >>> b = PageInfo("u", title="T", content_html='<p>x <a href="/a?_wpnonce=2">l</a></p>',
    ...              content_text="x l")
    >>> version_key(a) == version_key(b)
    True
    >>> version_key(a) == version_key(PageInfo("u", title="T2", content_text="x l"))
    False
    """
    targets = sorted(_content_targets(info.content_html, info.url))
    date = info.date_gmt.isoformat() if info.date_gmt else None
    payload = json.dumps([info.title, date, info.content_text, targets], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def page_links(body: str, url: str) -> list[str]:
    """Links of a page that may lead to publications (no admin, feed, media or asset URLs).

    >>> page_links('<a href="/a/">A</a><a href="/a/#c">A</a><a href="/wp-admin/">x</a>'
    ...            '<a href="/f.pdf">f</a><a href="mailto:x@y">m</a>', "https://ex.org/")
    ['https://ex.org/a/']
    """
    try:
        doc = lxml_html.document_fromstring(body.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return []
    return _anchor_links(doc, url)


def page_of(doc: Any, url: str) -> Page:
    """What the platform profiles read of a parsed page (``detect(page_of(doc, url))``)."""
    return Page(doc, frozenset(_body_classes(doc)), _meta(doc), _head_links(doc, url))


def link_target(href: str | None, url: str) -> str | None:
    """Where a link's ``href`` on the page at ``url`` leads: an absolute http(s) address
    without its fragment; None for an anchor, mail, phone or script link, or a bad one.

    >>> link_target(" /a/#c ", "https://ex.org/b"), link_target("mailto:x@y", "https://ex.org/")
    ('https://ex.org/a/', None)
    """
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    try:
        absolute = urljoin(url, href).split("#", 1)[0]
    except ValueError:
        return None
    return absolute if absolute.startswith(("http://", "https://")) else None


def _anchor_links(doc: Any, url: str) -> list[str]:
    seen: dict[str, None] = {}
    for a in doc.iter("a"):
        absolute = link_target(a.get("href"), url)
        if absolute is None or _SKIP_LINK.search(urlsplit(absolute).path):
            continue
        seen.setdefault(absolute, None)
    return list(seen)


def _head_links(doc: Any, url: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = link.get("href")
        if not href:
            continue
        for rel in rels:
            if rel == "alternate" and (link.get("type") or "") == "application/json":
                rel = "rest"
            found.setdefault(rel, urljoin(url, href.strip()))
    return found


def _body_classes(doc: Any) -> set[str]:
    body = doc.find("body")
    return set((body.get("class") or "").split()) if body is not None else set()


def _meta(doc: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = meta.get("content")
        if name and content is not None:
            found.setdefault(name, content.strip())
    return found


def _container(doc: Any, profile: Profile) -> Any:
    """The profile's body element, without what is not the publication (bylines, share bars)."""
    for xpath in profile.content:
        found = doc.xpath(xpath)
        if found:
            element = copy.deepcopy(found[0])
            for drop in profile.drop:
                for el in element.xpath(drop):
                    el.drop_tree()
            return element
    return None


def _semantic_region(doc: Any) -> Any:
    """The page's only ``<article>``, else its only ``<main>``: where its content lives."""
    for tag in ("article", "main"):
        found = doc.findall(f".//{tag}")
        if len(found) == 1:
            return found[0]
    return None


def _inner_html(el: Any) -> str:
    parts = [el.text or ""]
    parts += [lxml_html.tostring(child, encoding="unicode") for child in el]
    return "".join(parts).strip()


def _trafilatura(body: str, url: str, *, want_content: bool) -> dict[str, str]:
    """Title, date and (if wanted) main content as HTML, from trafilatura."""
    # trafilatura (with htmldate, justext, courlan) costs 0.5 s to import: only when used.
    import trafilatura

    found: dict[str, str] = {}
    metadata = trafilatura.extract_metadata(body, default_url=url)
    if metadata is not None:
        found["title"] = metadata.title or ""
        found["date"] = metadata.date or ""
    if want_content:
        found["html"] = (
            trafilatura.extract(
                body,
                url=url,
                output_format="html",
                include_comments=False,
                include_links=True,
                include_images=True,
                include_tables=True,
                favor_recall=True,
            )
            or ""
        )
    return {k: v for k, v in found.items() if v}


def _title_tag(doc: Any) -> str | None:
    title = doc.findtext(".//title")
    return title.strip() if title and title.strip() else None


def _content_targets(content_html: str, url: str) -> set[str]:
    if not content_html or ("href" not in content_html and "src" not in content_html):
        return set()
    try:
        frag = lxml_html.fragment_fromstring(content_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return set()
    targets: set[str] = set()
    for el in frag.iter():
        for attr in ("href", "src"):
            value = el.get(attr) if isinstance(el.tag, str) else None
            if value:
                targets.add(_without_nonces(urljoin(url, value.strip())))
    return targets


def _without_nonces(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query) if not _NONCE_PARAMS.search(k)]
    return urlunsplit(parts._replace(query=urlencode(query)))
