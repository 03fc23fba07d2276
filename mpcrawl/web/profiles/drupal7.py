"""Drupal 7 (core themes such as Bartik, and the Conservative Party's site service).

Evidence, on every node page of Drupal 7.105 as served by ``tests/drupal/``:

- ``<meta name="Generator" content="Drupal 7 (http://drupal.org)">`` in the head;
- the node id in ``<link rel="shortlink" href="/node/N">``;
- the bundle in the body class ``node-type-article`` (``page-node-N`` too);
- the node's own element, as core's ``node.tpl.php`` prints it in every theme:
  ``<div id="node-N" class="node node-article …">`` (with the rdf module also
  ``about="/node/N"``; a site installed with the ``minimal`` profile has no rdf module);
- the creation time, to the second with its offset, in the rdf module's RDFa attribute
  ``property="dc:date dc:created" content="2024-03-14T10:00:00+00:00"`` inside the
  node's own element (comments print their own: not read);
- the body in ``div.field-name-body``; the display date "Submitted by admin on Thu,
  03/14/2024 - 10:00" (``div.submitted``) follows the site's date format, month first by
  default, and is outside the body;
- listings: the front page (body class ``front``), ``/node`` and taxonomy term pages
  (``page-taxonomy-term``), views such as ``/news``: every page without a
  ``node-type-*`` body class is a listing.
"""

from __future__ import annotations

import re

from mpcrawl.web.profiles import Page, Profile, has_class

_NODE = re.compile(r"/node/(\d+)$")


def _matches(page: Page) -> bool:
    generator = page.meta.get("generator", "")
    return generator.startswith("Drupal 7") or bool(
        _NODE.search(page.links.get("shortlink", "")) and "html" in page.classes
    )


def _identity(page: Page) -> tuple[int | None, str | None]:
    m = _NODE.search(page.links.get("shortlink", ""))
    bundle = next(
        (c.removeprefix("node-type-") for c in page.classes if c.startswith("node-type-")), None
    )
    return (int(m[1]) if m else None), bundle


def _listing(page: Page) -> bool:
    return "front" in page.classes or not any(c.startswith("node-type-") for c in page.classes)


_NODE_ELEMENT = f'//*[starts-with(@id, "node-")][@about or {has_class("node")}]'
_CREATED = 'contains(concat(" ", normalize-space(@property), " "), " dc:created ")'
_MODIFIED = 'contains(concat(" ", normalize-space(@property), " "), " dc:modified ")'

PROFILE = Profile(
    name="drupal7",
    matches=_matches,
    identity=_identity,
    listing=_listing,
    content=(f"{_NODE_ELEMENT}//div[{has_class('field-name-body')}]",),
    published=(
        f"({_NODE_ELEMENT})[1]//*[{_CREATED}][not(ancestor::*[{has_class('comment')}])]/@content",
        f"//head/meta[{_CREATED}]/@content",
    ),
    modified=(f"({_NODE_ELEMENT})[1]//*[{_MODIFIED}]/@content",),
    display=(f"({_NODE_ELEMENT})[1]//*[{has_class('submitted')}]",),
)
