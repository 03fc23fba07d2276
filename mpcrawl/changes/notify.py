"""Push: each changed site's digest through Apprise (mailto://, slack://, matrix://, json://…).

Apprise is the well-kept notification library that speaks to ~100 services from one URL
form, so the project writes no SMTP, Slack or webhook client. One message per changed
site and URL; nothing is sent when nothing changed. A failed send is one line naming the
site and the service (never the URL's credentials), and the command then exits non-zero.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from mpcrawl.changes.formats import plural, render_site, site_title
from mpcrawl.changes.model import Digest


def service(url: str) -> str:
    """A notification URL without credentials, path or query, for messages.

    >>> service("mailto://user:secret@smtp.example.org:587?to=a@b")
    'mailto://smtp.example.org:587'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def notify(digest: Digest, urls: list[str]) -> list[str]:
    """Send each changed site's digest to every URL; returns one line per failed send."""
    import apprise

    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # failures are told here, once
    failures: list[str] = []
    targets: list[tuple[str, apprise.Apprise]] = []
    for url in urls:
        target = apprise.Apprise()
        if not target.add(url):
            failures.append(f"--notify {service(url)}: not a notification URL Apprise knows")
            continue
        targets.append((url, target))
    for site in digest.sites:
        total = len(site.changes) + sum(site.omitted.values())
        title = f"{site_title(site)}: {plural(total, 'change')}"
        body = "\n".join(render_site(site)).rstrip() + "\n"
        for url, target in targets:
            if not target.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT):
                failures.append(f"--notify {service(url)}: sending {site.site}'s digest failed")
    return failures
