"""One ASGI middleware for the limits every request passes through, before any work:

* **Host** (local mode): only loopback names, so a web page can't reach the
  local library through DNS rebinding.
* **Origin**: an unsafe request (POST, PATCH, DELETE…) whose ``Origin`` is not
  this server, or whose ``Sec-Fetch-Site`` is ``cross-site``, is refused (E403).
* **Rate limit**: a token bucket per client address over ``/api/`` (except
  ``/api/health``): ``rate_burst`` requests at once, refilled at
  ``rate_per_second``.  Buckets live in this process; behind a load balancer
  with N processes a client gets up to N× the rate — use the proxy's limiter
  for a hard global limit (docs/server.md).
* **Body size**: ``Content-Length`` over the limit is refused before reading;
  a chunked body is counted as it streams and cut off at the limit (E413).

Every response also gets ``X-Content-Type-Options: nosniff``,
``X-Frame-Options: DENY`` and ``Referrer-Policy: same-origin``.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import StoryLoomError
from .errors import CsrfFailed, PayloadTooLarge, RateLimited, error_body, status_of
from .settings import ServerSettings, is_loopback_host

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UPLOAD_PATHS = ("/api/batches", "/api/import")
UNLIMITED_PATHS = frozenset({"/api/health"})
MAX_BUCKETS = 10_000  # clients remembered per process (least recently seen are forgotten)
TEST_CLIENT_HOST = "testserver"  # Starlette's TestClient; not resolvable, so no rebinding risk
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # no framing: clickjacking
    (b"referrer-policy", b"same-origin"),
)


class TokenBuckets:
    """Thread-safe token buckets keyed by client; ``take`` returns seconds to wait (0 = allowed)."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > MAX_BUCKETS:
                self._buckets.popitem(last=False)
        return wait


class BodyTooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings
        self.buckets = TokenBuckets(settings.rate_per_second, settings.rate_burst)
        self.local_hosts = {TEST_CLIENT_HOST, settings.host.lower(), *settings.allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        try:
            self._check_host(headers)
            if method not in SAFE_METHODS:
                self._check_origin(headers)
            if path.startswith("/api/") and path not in UNLIMITED_PATHS:
                client = scope.get("client") or ("?", 0)
                wait = self.buckets.take(str(client[0]))
                if wait > 0:
                    raise RateLimited(
                        f"Too many requests; try again in {max(1, round(wait))} s "
                        f"(limit: {self.settings.rate_burst} at once, {self.settings.rate_per_second:g} per second).",
                        retry_after=wait,
                    )
            limit = self.settings.max_upload_bytes if path.startswith(UPLOAD_PATHS) else self.settings.max_json_bytes
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > limit:
                raise PayloadTooLarge(_too_large(int(length), limit))
        except StoryLoomError as exc:
            await _send_error(send, exc)
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if not started:
                await _send_error(send, PayloadTooLarge(_too_large(received, limit, at_least=True)))

    def _check_host(self, headers: dict[str, str]) -> None:
        if self.settings.accounts:
            return
        host = headers.get("host", "")
        name = urlsplit(f"//{host}").hostname or ""
        if not (is_loopback_host(name) or name in self.local_hosts):
            raise CsrfFailed(f"This local StoryLoom answers only on loopback addresses, not {host!r}.")

    def _check_origin(self, headers: dict[str, str]) -> None:
        if headers.get("sec-fetch-site") == "cross-site":
            raise CsrfFailed("Requests from other web sites are not accepted.")
        origin = headers.get("origin")
        if origin and origin != "null":
            if urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
                raise CsrfFailed(f"Requests from {origin} are not accepted; use StoryLoom's own page.")


def _too_large(n: int, limit: int, at_least: bool = False) -> str:
    size = f"over {limit:,}" if at_least else f"{n:,}"
    return f"The request body is {size} bytes; the limit is {limit:,}. Send a smaller text or file."


async def _send_error(send: Send, exc: StoryLoomError) -> None:
    body = json.dumps(error_body(exc), ensure_ascii=False).encode("utf-8")
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
    ]
    if isinstance(exc, RateLimited):
        headers.append((b"retry-after", str(max(1, round(exc.retry_after + 0.5))).encode()))
    start: dict[str, Any] = {"type": "http.response.start", "status": status_of(exc), "headers": headers}
    await send(start)
    await send({"type": "http.response.body", "body": body})
