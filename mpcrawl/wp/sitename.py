"""The archive's name for a site, and the checks that keep it a safe folder name.

A site's name is derived from the URL it was listed under and never from what the
site later redirects to, so the name (and its partition folder) is stable across
runs. The name is also a path component, so it is built from a strict alphabet.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{0,252}(_[0-9]{1,5})?$")
MAX_NAME = 260


class BadSiteURL(ValueError):
    """A site list entry that cannot name a site safely."""


def normalise_url(url: str) -> str:
    """Add a scheme to a bare host so lists of ``example.org`` work.

    >>> normalise_url("www.example.org/about")
    'http://www.example.org/about'
    >>> normalise_url(" https://example.org ")
    'https://example.org'
    """
    url = url.strip()
    if "://" not in url:
        url = "http://" + url.lstrip("/")
    return url


def site_name(url: str) -> str:
    """Name a site: host lower-cased, IDN as punycode, ``_<port>`` if not default.

    >>> site_name("https://WWW.Example-MP.org.uk/index.php/about/")
    'www.example-mp.org.uk'
    >>> site_name("http://127.0.0.1:8080/")
    '127.0.0.1_8080'
    >>> site_name("https://bücher.example/")
    'xn--bcher-kva.example'
    >>> site_name("https://example.org:443/")
    'example.org'
    """
    if "\x00" in url:
        raise BadSiteURL("site URL contains a NUL byte")
    url = normalise_url(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadSiteURL(f"site URL {url[:200]!r} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise BadSiteURL(f"site URL {url[:200]!r} must be http or https")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadSiteURL(f"site URL {url[:200]!r} has no host")
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise BadSiteURL(f"site host {host[:200]!r} is not a valid domain name: {exc}") from None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise BadSiteURL(f"site host {host[:200]!r} is not a valid domain name")
    name = ascii_host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        name = f"{name}_{port}"
    return check_safe_name(name)


def check_safe_name(name: str) -> str:
    """Refuse any site name that could leave its partition folder.

    >>> check_safe_name("example.org")
    'example.org'
    >>> check_safe_name("../etc")
    Traceback (most recent call last):
    ...
    mpcrawl.wp.sitename.BadSiteURL: unsafe site name '../etc'
    """
    if not _SAFE_NAME.match(name) or ".." in name or len(name) > MAX_NAME:
        raise BadSiteURL(f"unsafe site name {name[:200]!r}")
    return name


def twin_hosts(host: str) -> frozenset[str]:
    """A host and its www/apex twin: redirects between them stay on the site.

    >>> sorted(twin_hosts("www.example.org"))
    ['example.org', 'www.example.org']
    """
    host = host.lower().rstrip(".")
    bare = host[4:] if host.startswith("www.") else host
    return frozenset({bare, "www." + bare})


def host_key(url: str) -> str:
    """``host:port`` of a URL with the scheme's port filled in: what a site may reach.

    >>> host_key("https://Example.org/x"), host_key("http://127.0.0.1:8080/")
    ('example.org:443', '127.0.0.1:8080')
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = _DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    return f"{(parts.hostname or '').lower().rstrip('.')}:{port}"


def site_host_keys(url: str) -> frozenset[str]:
    """Every ``host:port`` a site listed as ``url`` may use: its twin, both schemes.

    >>> sorted(site_host_keys("http://www.example.org"))
    ['example.org:443', 'example.org:80', 'www.example.org:443', 'www.example.org:80']
    >>> sorted(site_host_keys("http://127.0.0.1:8080/"))
    ['127.0.0.1:8080']
    """
    parts = urlsplit(normalise_url(url))
    try:
        explicit = parts.port
    except ValueError:
        explicit = None
    ports = {explicit} if explicit is not None else set(_DEFAULT_PORTS.values())
    hosts = twin_hosts(parts.hostname or "")
    if parts.hostname and _is_ip(parts.hostname):
        hosts = frozenset({parts.hostname})
    return frozenset(f"{h}:{p}" for h in hosts for p in ports)


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
