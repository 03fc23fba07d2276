"""Plain text, word counts and outbound links from a post's rendered HTML.

HTML to text is the costliest step of parsing a post, so this module parses once with
lxml (C) and touches Python only per block element. w3lib's ``remove_tags`` is no
substitute: it keeps script text and runs paragraphs together.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

__all__ = ["html_to_text", "outbound_links", "parse_fragment", "word_count"]

# A byte-input parser: lxml refuses str input that carries an XML encoding declaration.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")
_BLOCKS = frozenset((
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure",
    "figcaption", "tr", "ul", "ol", "dl", "dt", "dd", "table", "pre", "section",
    "article", "header", "footer", "aside", "hr", "address", "caption", "td", "th",
))  # fmt: skip
# Private-use marks for breaks: text splits on them in C, cheaper than any regex.
_PARA, _LINE = "\ue000", "\ue001"
# Characters libxml2 parses into text but lxml will not write back.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WORD = re.compile(r"\w+(?:['’\-]\w+|(?<=\d)[.,:]\d+)*")


def parse_fragment(html: str) -> etree._Element | None:
    """Parse a post body with libxml2's forgiving HTML parser; None when nothing is there.

    >>> parse_fragment("<p>Hi</p>").findtext("body/p")
    'Hi'
    >>> parse_fragment("  ") is None
    True
    """
    if not html or html.isspace():
        return None
    if "\x00" in html:  # libxml2 stops reading at a NUL
        html = html.replace("\x00", "")
    try:
        return etree.fromstring(html.encode("utf-8", "replace"), _PARSER)
    except (etree.ParserError, ValueError):
        return None


def html_to_text(html: str, *, tree: etree._Element | None = None) -> str:
    """Readable text: one blank line between blocks, ``<br>`` a newline, spaces folded.

    ``tree``, the :func:`parse_fragment` of ``html``, saves a parse; it is changed here,
    so other readers of the same tree must come first.

    >>> html_to_text("<h2>Title</h2><p>One&nbsp;two<br>three</p><script>x()</script><p>4</p>")
    'Title\\n\\nOne two\\nthree\\n\\n4'
    """
    if "\ue000" in html or "\ue001" in html:  # our break marks; never real text
        html, tree = html.replace("\ue000", "").replace("\ue001", ""), None
    try:
        return _text(html, tree)
    except ValueError:  # rare: control characters; cleaning them first costs every post
        return _text(_NOT_XML.sub("", html), None)


def _text(html: str, tree: etree._Element | None) -> str:
    root = tree if tree is not None else parse_fragment(html)
    if root is None:
        return ""
    etree.strip_elements(root, *_DROP, with_tail=False)
    for el in root.iter():
        tag = el.tag
        if tag in _BLOCKS:
            el.text = _PARA + (el.text or "")
            el.tail = _PARA + (el.tail or "")
        elif tag == "br":
            el.tail = _LINE + (el.tail or "")
    paragraphs = []
    for para in "".join(root.itertext()).split(_PARA):
        if _LINE in para:
            para = "\n".join(" ".join(line.split()) for line in para.split(_LINE)).strip()
            while "\n\n\n" in para:
                para = para.replace("\n\n\n", "\n\n")
        else:
            para = " ".join(para.split())
        if para:
            paragraphs.append(para)
    return "\n\n".join(paragraphs)


def word_count(text: str) -> int:
    """Words as a reader counts them: "right hon." is two, "2024-25" and "£3,000" one each.

    >>> word_count("I thank the right hon. Member: £3,000 in 2024-25, isn’t it?")
    11
    """
    return len(_WORD.findall(text))  # a list of matches beats a match object per word


def outbound_links(
    html: str,
    base_url: str | None,
    site_host: str | None = None,
    *,
    tree: etree._Element | None = None,
) -> list[str]:
    """Absolute http(s) links of ``<a href>`` to other hosts, first occurrence first.

    The site's host comes from ``site_host`` or else ``base_url``; its www/apex twin is
    the same site. ``tree``, the :func:`parse_fragment` of ``html``, saves a parse.

    >>> outbound_links('<a href="/a">in</a> <a href="https://www.ex.org/b">twin</a>'
    ...                '<a href="//bbc.co.uk/n#x">out</a><a href="mailto:a@b">m</a>',
    ...                "https://ex.org/post/", None)
    ['https://bbc.co.uk/n#x']
    """
    if "href" not in html:
        return []
    root = tree if tree is not None else parse_fragment(html)
    if root is None:
        return []
    own = _site_key(site_host if site_host else _host(base_url or ""))
    seen: dict[str, None] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        url = _absolute(href, base_url)
        if url is None or url in seen:
            continue
        host = _site_key(_host(url))
        if host and host != own:
            seen[url] = None
    return list(seen)


def _absolute(href: str, base_url: str | None) -> str | None:
    if not href or href.startswith("#"):
        return None
    try:
        if base_url:
            href = urljoin(base_url, href)
        elif href.startswith("//"):
            href = "https:" + href
    except ValueError:
        return None
    if not href[:8].lower().startswith(("http://", "https://")):
        return None
    return href


def _host(url: str) -> str:
    if "//" not in url:
        url = "//" + url  # a bare host such as "example.org:8080"
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _site_key(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    return host.removeprefix("www.")
