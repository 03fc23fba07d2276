"""WordPress, block themes (twentytwentythree to twentytwentyfive) and classic themes.

Evidence, on the real WordPress 6.1 and 7.1 of ``tests/wordpress*/``:

- the post id in ``<link rel="shortlink" href="…/?p=N">``, the body class ``postid-N`` /
  ``page-id-N``, the REST ``alternate`` link ``/wp/v2/posts/N`` or ``<article id="post-N">``;
- the type in the body class ``single-TYPE`` (``page`` with ``page-id-N``);
- the content in ``.wp-block-post-content`` (block themes) or ``.entry-content`` (classic);
- dates: ``article:published_time`` where an SEO plugin prints it, else the post's own
  ``<time>`` in a ``wp-block-post-date`` or ``entry-date`` element. Since 6.7 the default
  theme prints no date of the post itself, but its "More posts" block (a query loop,
  ``wp-block-query`` / ``wp-block-post-template``) prints other posts' ``<time>``: those
  are never the page's;
- a password-protected post's title: ``get_the_title()`` prints it as "Protected: %s"
  (``protected_title_format``), the REST API without it (its own filter returns "%s"): the
  prefix is taken off once, as on WordPress 6.1's ``seed.php`` post "Protected: surgery
  notes", which its page prints "Protected: Protected: surgery notes";
- listings: body classes ``home``, ``blog``, ``archive``, ``category``, ``tag``,
  ``author``, ``date``, ``search``, ``error404``.
"""

from __future__ import annotations

import re

from mpcrawl.web.profiles import NOT_ELSEWHERE, Page, Profile, has_class

_ID_QUERY = re.compile(r"[?&](?:p|page_id)=(\d+)(?:&|$)")
_BODY_ID = re.compile(r"^(?:postid|page-id)-(\d+)$")
_REST_ID = re.compile(r"/wp/v2/[a-z0-9_-]+/(\d+)(?:$|[/?&])|%2Fwp%2Fv2%2F[a-z0-9_-]+%2F(\d+)$")
_ARTICLE_ID = re.compile(r"^post-(\d+)$")
_LISTING_CLASSES = frozenset(
    ("home", "blog", "archive", "category", "tag", "author", "date", "search", "error404")
)
_NOT_A_LOOP = (
    f"not(ancestor::*[{has_class('wp-block-query')} or {has_class('wp-block-post-template')}"
    f" or {has_class('wp-block-latest-posts')} or {has_class('related-posts')}])"
)

_DATE_CLASSES = " or ".join(
    has_class(name) for name in ("wp-block-post-date", "entry-date", "post-date", "published")
)


def _matches(page: Page) -> bool:
    return (
        "https://api.w.org/" in page.links
        or page.meta.get("generator", "").startswith("WordPress")
        or any(_BODY_ID.match(c) for c in page.classes)
        or bool(_ID_QUERY.search(page.links.get("shortlink", "")))
    )


def _identity(page: Page) -> tuple[int | None, str | None]:
    return _post_id(page), _post_type(page.classes)


def _post_id(page: Page) -> int | None:
    short = page.links.get("shortlink")
    if short and (m := _ID_QUERY.search(short)):
        return int(m.group(1))
    for cls in page.classes:
        if m := _BODY_ID.match(cls):
            return int(m.group(1))
    rest = page.links.get("rest")
    if rest and (m := _REST_ID.search(rest)):
        return int(m.group(1) or m.group(2))
    for article in page.doc.iter("article"):
        if m := _ARTICLE_ID.match(article.get("id") or ""):
            return int(m.group(1))
    return None


def _post_type(classes: frozenset[str]) -> str | None:
    if "page" in classes and any(c.startswith("page-id-") for c in classes):
        return "page"
    for cls in sorted(classes):
        if cls.startswith("single-") and not cls.startswith("single-format"):
            return cls.removeprefix("single-")
    return None


def _listing(page: Page) -> bool:
    return bool(page.classes & _LISTING_CLASSES) or (
        not page.classes and page.meta.get("og:type") == "website"
    )


PROFILE = Profile(
    name="wordpress",
    matches=_matches,
    identity=_identity,
    listing=_listing,
    content=(
        f"//*[{has_class('wp-block-post-content')}][{_NOT_A_LOOP}]",
        f"//*[{has_class('entry-content')}][{_NOT_A_LOOP}]",
    ),
    protected_title="Protected: %s",
    times=(f"//time[ancestor-or-self::*[{_DATE_CLASSES}]][{_NOT_A_LOOP}][{NOT_ELSEWHERE}]",),
)
