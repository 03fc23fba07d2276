"""Feeds per subject: the digest filtered by member, party or constituency, or split into
one Atom feed per site, member, party or constituency with an OPML file listing them.

Subjects come from the ``sites`` table (the site list's metadata, newest row per site),
so a journalist following one MP, one party or one constituency subscribes to one feed.
A site whose list row does not name the subject is in no feed of that split.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from mpcrawl.changes.atom import render_atom, xml_safe
from mpcrawl.changes.formats import replace_file
from mpcrawl.changes.model import Digest

Subject = Literal["site", "member", "party", "constituency"]
SUBJECTS: tuple[Subject, ...] = ("site", "member", "party", "constituency")
About = Mapping[str, tuple[Any, ...]]  # site -> (name, party, constituency, member_id)
OPML_FILE = "feeds.opml"


def subject_of(site: str, about: About, by: Subject) -> str | None:
    """The value of ``by`` for ``site``: its name, member, party or constituency."""
    name, party, constituency, _ = about.get(site, (None,) * 4)
    value = {"site": site, "member": name, "party": party, "constituency": constituency}[by]
    return str(value) if value else None


def _same(a: str | None, b: str) -> bool:
    return a is not None and a.casefold().strip() == b.casefold().strip()


def select_sites(
    about: About,
    *,
    member: list[str] | None = None,
    party: list[str] | None = None,
    constituency: list[str] | None = None,
) -> list[str] | None:
    """The sites every given filter admits (any of its values); None: no filter given.

    >>> about = {"a": ("Jane Smith", "Labour", "Anytown", 4001), "b": ("Tom", "Green", "X", None)}
    >>> select_sites(about, party=["labour"]), select_sites(about, member=["4001"])
    (['a'], ['a'])
    >>> select_sites(about, member=["Tom"], party=["Labour"]), select_sites(about)
    ([], None)
    """
    if not (member or party or constituency):
        return None
    chosen = []
    for site, (name, site_party, site_constituency, member_id) in sorted(about.items()):
        ok = not member or any(_same(name, m) or m.strip() == str(member_id) for m in member)
        ok = ok and (not party or any(_same(site_party, p) for p in party))
        ok = ok and (not constituency or any(_same(site_constituency, c) for c in constituency))
        if ok:
            chosen.append(site)
    return chosen


def slug(value: str) -> str:
    """A file name for a subject's feed.

    >>> slug("Ynys Môn"), slug("Labour & Co-operative"), slug("www.example-mp.org.uk")
    ('ynys-mon', 'labour-co-operative', 'www.example-mp.org.uk')
    """
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower()).strip("-.") or "unnamed"


def split(digest: Digest, about: About, by: Subject) -> dict[str, Digest]:
    """One digest per value of ``by`` among the archive's sites, each holding its sites'
    changes (a value with no change has an empty digest: its feed still exists)."""
    values: dict[str, str] = {}
    for site in sorted({*about, *(s.site for s in digest.sites)}):
        value = subject_of(site, about, by)
        if value:
            values[site] = value
    out: dict[str, Digest] = {v: replace(digest, sites=()) for v in sorted(set(values.values()))}
    for changed in digest.sites:
        value = values.get(changed.site)
        if value:
            out[value] = replace(out[value], sites=(*out[value].sites, changed))
    return out


def opml(title: str, feeds: list[tuple[str, str]], now: datetime) -> bytes:
    """An OPML 2.0 subscription list: one ``rss`` outline per ``(text, feed URL)``."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = xml_safe(title)[0]
    ET.SubElement(head, "dateCreated").text = now.strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    for text, url in feeds:
        safe = xml_safe(text)[0]
        ET.SubElement(body, "outline", type="rss", text=safe, title=safe, xmlUrl=url)
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _file_name(stem: str, taken: set[str]) -> str:
    """``stem.xml``, numbered where two values share a slug ("Labour", "labour.").

    >>> _file_name("party-labour", {"party-labour.xml"})
    'party-labour-2.xml'
    """
    n = 1
    while (name := f"{stem}-{n}.xml" if n > 1 else f"{stem}.xml") in taken:
        n += 1
    return name


def write_split(
    digest: Digest,
    about: About,
    by: Subject,
    folder: Path,
    *,
    feed_base: str | None = None,
    now: datetime | None = None,
) -> dict[str, Path]:
    """Write ``<by>-<value>.xml`` per value and ``feeds.opml`` into ``folder``; returns the
    feed file of each value. ``feed_base``: the URL the folder is served from."""
    moment = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    listed: list[tuple[str, str]] = []
    taken: set[str] = set()
    for value, part in split(digest, about, by).items():
        name = _file_name(f"{by}-{slug(value)}", taken)
        taken.add(name)
        url = f"{feed_base.rstrip('/')}/{name}" if feed_base else name
        title = f"mpcrawl: what changed, {by} {value}"
        self_link = url if feed_base else None
        feed_id = f"changes/{name.removesuffix('.xml')}"
        feed = render_atom(part, title=title, feed_url=self_link, feed_id=feed_id, now=moment)
        replace_file(folder / name, feed)
        written[value] = folder / name
        listed.append((f"{by}: {value}", url))
    replace_file(folder / OPML_FILE, opml(f"mpcrawl: what changed, by {by}", listed, moment))
    return written
