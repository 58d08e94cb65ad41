"""The StoryLoom studio server: a JSON API under ``/api`` and the web page at ``/``.

>>> from storyloom.server import ServerSettings, create_app   # doctest: +SKIP
>>> app = create_app(ServerSettings(database_url="sqlite:///stories.db"))  # doctest: +SKIP

See docs/server.md for modes, limits and error codes.
"""

from __future__ import annotations

from .app import app_from_env, create_app
from .settings import ServerSettings, is_loopback_host

__all__ = ["ServerSettings", "app_from_env", "create_app", "is_loopback_host"]
