"""Wagtail and other Django sites built on its page tree.

Evidence, on the Wagtail site of ``tests/wagtail/`` (and Wagtail's own project
template, ``wagtail start``, which every Wagtail site begins from):

- the body class ``template-<page type>`` (``template-homepage``,
  ``template-blogpage``, ``template-blogindexpage``, ``template-formpage``…): the page
  type in lower case, as Django's ``slugify`` of its verbose name;
- no machine-readable date, no id; a post prints its date, if at all, as a display date
  inside its ``<article>`` (the sitemap's ``lastmod`` is the publication time of the
  page, not the post's date);
- the body: the page's rich text block (``.blog-body``, ``.rich-text``, ``.block-paragraph``),
  else the ``<article>``;
- listings: the home page, index, form, gallery, search and tag pages
  (``template-homepage``, ``template-*indexpage``, ``template-formpage``…); the footer's
  "© 2019" is never a date of the page.
"""

from __future__ import annotations

import re

from mpcrawl.web.profiles import NOT_ELSEWHERE, Page, Profile, has_class

_TEMPLATE = re.compile(r"^template-([a-z0-9-]+)$")
_LISTING = re.compile(r"(?:^home|index|listing|form|gallery|search|tag|contact)")


def _type(page: Page) -> str | None:
    for cls in page.classes:
        if m := _TEMPLATE.match(cls):
            return m[1].replace("-", "")
    return None


def _listing(page: Page) -> bool:
    kind = _type(page)
    return kind is None or bool(_LISTING.search(kind))


PROFILE = Profile(
    name="wagtail",
    matches=lambda page: _type(page) is not None,
    identity=lambda page: (None, _type(page)),
    listing=_listing,
    content=(
        f"//article//*[{has_class('blog-body')} or {has_class('rich-text')}][{NOT_ELSEWHERE}]",
        f"//main//article[{NOT_ELSEWHERE}]",
    ),
    display=(
        f"//article//*[{has_class('blog-date')} or {has_class('date')} or self::time]"
        f"[{NOT_ELSEWHERE}]",
    ),
    drop=(".//h1",),
)
