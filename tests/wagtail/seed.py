"""Migrate and seed the Wagtail test site, deterministic (run by wagtailserver.py).

``python -m tests.wagtail.seed MANIFEST`` with ``DJANGO_SETTINGS_MODULE`` and
``MPCRAWL_WAGTAIL_DB`` set. Pages: the home page, a news index with 20 posts (8 print no
date; the others print it as dd/mm/yyyy, several with a day of 12 or less), a contact form
and a gallery index. MANIFEST gets every page's path, type, title, date and body.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any


def seed(manifest: Path) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from wagtail.models import Page, Site

    from tests.wagtail.mpsite.models import (
        BlogIndexPage,
        BlogPage,
        FormField,
        FormPage,
        GalleryIndexPage,
        HomePage,
    )

    root = Page.get_first_root_node()
    for old in Page.objects.filter(depth=2):
        old.delete()
    home = root.add_child(
        instance=HomePage(title="Jane Example MP", slug="home", intro="<p>Working for Maldon.</p>")
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    news = home.add_child(
        instance=BlogIndexPage(title="News", slug="news", intro="<p>The latest from Jane.</p>")
    )
    pages: list[dict[str, Any]] = [
        {"path": "/", "type": "home", "title": home.title, "listing": True},
        {"path": "/news/", "type": "index", "title": news.title, "listing": True},
    ]
    places = ["Maldon", "Heybridge", "Tiptree", "Danbury", "Burnham-on-Crouch"]
    for i in range(20):
        place = places[i % len(places)]
        date = (
            None if i % 5 in (1, 3) else dt.date(2023 + i % 3, 1 + (i * 5) % 12, 1 + (i * 7) % 28)
        )
        body = (
            f"<p>Jane Example MP met residents in {place} to talk about the high street.</p>"
            f"<p><b>Surgery times:</b></p><ul><li>Monday 10:00 to 12:00</li>"
            f"<li>Friday 14:00 to 16:00</li></ul>"
            f"<p>Write to: 1 High Street, {place} CM9 5XX</p>"
            f"<p>She thanked everyone who came along on the day in {place}.</p>"
        )
        title = f"Jane visits {place} high street ({i + 1})"
        post = news.add_child(
            instance=BlogPage(title=title, slug=f"visit-{i + 1}", date=date, body=body)
        )
        pages.append(
            {
                "path": f"/news/visit-{i + 1}/",
                "type": "post",
                "title": title,
                "date": date.isoformat() if date else None,
                "body": body,
                "listing": False,
                "id": post.id,
            }
        )
    form = home.add_child(
        instance=FormPage(title="Contact", slug="contact", intro="<p>Write to Jane.</p>")
    )
    for n, (label, kind) in enumerate([("Your name", "singleline"), ("Message", "multiline")]):
        FormField.objects.create(page=form, sort_order=n, label=label, field_type=kind)
    gallery = home.add_child(
        instance=GalleryIndexPage(title="Gallery", slug="gallery", intro="<p>Photos.</p>")
    )
    pages += [
        {"path": "/contact/", "type": "form", "title": form.title, "listing": True},
        {"path": "/gallery/", "type": "gallery", "title": gallery.title, "listing": True},
    ]
    # Publication times as an editor would have made them, fixed for the tests.
    for n, page in enumerate(Page.objects.filter(depth__gte=2).order_by("path")):
        when = dt.datetime(2024, 1, 2, 9, 0, tzinfo=dt.UTC) + dt.timedelta(days=n)
        Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    manifest.write_text(json.dumps({"pages": pages}, indent=2) + "\n")


if __name__ == "__main__":
    seed(Path(sys.argv[1]))
