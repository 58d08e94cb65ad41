"""Errors raised by the story library (and mapped to HTTP statuses by the server).

Codes in the ``E4xx`` range are the server/store's own; they are append-only,
like the codes in :mod:`storyloom.errors`.  Anything a user asks for that is not
theirs is *not found* (never "forbidden"), so ids leak nothing.
"""

from __future__ import annotations

from ..errors import StoryLoomError


class NotFound(StoryLoomError):
    """No such story, version, batch or group — or it belongs to someone else."""

    code = "E404"


class Forbidden(StoryLoomError):
    """The signed-in user's role does not allow this (e.g. only teachers make groups)."""

    code = "E405"


class Conflict(StoryLoomError):
    """The thing already exists (a username that is taken)."""

    code = "E409"
