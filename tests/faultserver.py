"""A fault-injecting HTTP proxy on 127.0.0.1 in front of a real test site.

Rules match a request by a substring of its path and query and answer in its place
(a status with headers, a broken body, a delay, a reset connection) a given number
of times; everything else is passed through to the upstream site, with the
upstream origin rewritten to the proxy's so that discovery stays on the proxy.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Rule:
    """Answer requests whose path+query contains ``match``, ``times`` times (-1: always)."""

    match: str
    status: int = 200
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = -1
    delay: float = 0.0
    reset: bool = False
    transform: Callable[[bytes], bytes] | None = None  # applied to the upstream body
    drop_headers: tuple[str, ...] = ()  # upstream headers a proxy in the way strips
    release: threading.Event | None = None  # set: the delay ends early (a test's cue)
    hits: int = 0


class FaultProxy:
    """``with FaultProxy(upstream_url, [Rule(...)]) as proxy: proxy.url``."""

    def __init__(self, upstream: str, rules: list[Rule] | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.rules = rules or []
        self.log: list[tuple[str, int, dict[str, str]]] = []
        self.times: list[float] = []
        self.arrivals: list[str] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, contains: str = "") -> list[str]:
        return [path for path, _, _ in self.log if contains in path]

    def arrived(self, contains: str = "") -> list[str]:
        """Requests received so far, answered or not (a delayed answer is still pending)."""
        with self._lock:
            return [path for path in self.arrivals if contains in path]

    def times_of(self, contains: str) -> list[float]:
        """When requests whose path contains ``contains`` arrived (monotonic seconds)."""
        return [t for (path, _, _), t in zip(self.log, self.times, strict=True) if contains in path]

    def _rule_for(self, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if rule.match in path and (rule.times < 0 or rule.hits < rule.times):
                    rule.hits += 1
                    return rule
        return None

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.arrivals.append(path)
        rule = self._rule_for(path)
        headers = {k: v for k, v in handler.headers.items()}
        if rule is not None and rule.delay:
            if rule.release is not None:
                rule.release.wait(rule.delay)
            else:
                time.sleep(rule.delay)
        if rule is not None and rule.reset:
            self._record(path, 0, headers)
            # SO_LINGER 0 makes close() send a RST; every reference to the socket must go,
            # or the kernel keeps the connection open and the client just waits.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            handler.close_connection = True
            handler.rfile.close()
            handler.wfile.close()
            handler.connection.close()
            return
        if rule is not None and rule.body is not None:
            self._send(handler, rule.status, rule.body, rule.headers, path, headers)
            return
        status, body, upstream_headers = self._fetch(path)
        if rule is not None and rule.transform is not None:
            body = rule.transform(body)
        if rule is not None:
            status = rule.status if rule.status != 200 else status
            upstream_headers.update(rule.headers)
            for name in rule.drop_headers:
                upstream_headers.pop(name, None)
        self._send(handler, status, body, upstream_headers, path, headers)

    def _record(self, path: str, status: int, headers: dict[str, str]) -> None:
        with self._lock:
            self.log.append((path, status, headers))
            self.times.append(time.monotonic())

    def _fetch(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        request = urllib.request.Request(self.upstream + path)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body, raw = response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            status, body, raw = exc.code, exc.read(), exc.headers
        keep = ("Content-Type", "X-WP-Total", "X-WP-TotalPages", "Link", "Retry-After")
        headers = {k: raw[k].replace(self.upstream, self.url) for k in keep if raw.get(k)}
        return status, body.replace(self.upstream.encode(), self.url.encode()), headers

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        headers: dict[str, str],
        path: str,
        request_headers: dict[str, str],
    ) -> None:
        self._record(path, status, request_headers)
        handler.send_response(status)
        headers = {"Content-Type": "application/json; charset=UTF-8", **headers}
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
