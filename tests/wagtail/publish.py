"""Publish an edit to a post of the Wagtail test site through Wagtail's own API, as an
editor's "Publish" button does (run by ``Wagtail.publish``).

``python -m tests.wagtail.publish SLUG TEXT`` with ``DJANGO_SETTINGS_MODULE`` and
``MPCRAWL_WAGTAIL_DB`` set: the paragraph TEXT goes at the top of the post's body, a new
revision is saved and published (``last_published_at`` now: the sitemap's date-only
``lastmod`` is today). Prints the post's id and new body as JSON.
"""

from __future__ import annotations

import json
import sys
from html import escape


def publish(slug: str, text: str) -> dict[str, object]:
    import django

    django.setup()
    from tests.wagtail.mpsite.models import BlogPage

    post = BlogPage.objects.get(slug=slug)
    post.body = f"<p>{escape(text)}</p>{post.body}"
    post.save_revision().publish()
    return {"id": post.id, "body": post.body}


if __name__ == "__main__":
    print(json.dumps(publish(sys.argv[1], sys.argv[2])))
