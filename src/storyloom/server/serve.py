"""``storyloom serve``: migrate once, then run uvicorn with one or more worker processes."""

from __future__ import annotations

import os
import sys

from ..store import db as store_db
from ..store import migrate
from .settings import ServerSettings


def serve(*, host: str = "127.0.0.1", port: int = 8000, db: str | None = None, workers: int = 1,
          accounts: bool = False, log_level: str = "info") -> None:
    """Start the studio; refuses a non-loopback ``host`` unless accounts are on (InvalidOption E108)."""
    os.environ["STORYLOOM_HOST"] = host
    if db:
        os.environ["STORYLOOM_DATABASE_URL"] = db
    if accounts:
        os.environ["STORYLOOM_AUTH"] = "1"
    settings = ServerSettings.from_env()
    settings.check()
    url = settings.database_url or store_db.default_url()
    migrate(url)  # once here, so worker processes don't race each other
    os.environ["STORYLOOM_DATABASE_URL"] = url
    os.environ["STORYLOOM_MIGRATE"] = "0"
    os.environ.setdefault("STORYLOOM_WARM_UP", "1")
    shown = url.split("@")[-1] if "@" in url else url  # never print a password
    print(f"StoryLoom studio on http://{_url_host(host)}:{port}/  (API docs /docs · {settings.mode} mode · "
          f"{store_db.dialect(url)} {shown} · {workers} worker{'s' if workers != 1 else ''})", file=sys.stderr)
    import uvicorn

    _tcp_nodelay_listener()
    uvicorn.run("storyloom.server.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, proxy_headers=True)


def _tcp_nodelay_listener() -> None:
    """Make uvicorn's multi-worker connections use TCP_NODELAY, as single-process ones do.

    With ``workers > 1`` uvicorn binds the listener itself as ``socket.socket(family)``,
    whose ``proto`` is 0, and asyncio only sets TCP_NODELAY on connections whose
    socket says ``IPPROTO_TCP``; without it every response's second write waits for
    the client's delayed ACK (~40 ms on Linux).  Re-wrapping the same descriptor with
    ``proto=IPPROTO_TCP`` (which multiprocessing passes on to the workers) fixes that.
    """
    import socket

    from uvicorn.config import Config

    original = Config.bind_socket
    if getattr(original, "_storyloom_nodelay", False):
        return

    def bind_socket(self: Config) -> socket.socket:
        sock = original(self)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        return sock

    bind_socket._storyloom_nodelay = True  # type: ignore[attr-defined]
    Config.bind_socket = bind_socket  # type: ignore[method-assign]


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
