"""The server's own error codes (``E4xx``) and the one table mapping every code to an HTTP status.

Errors leave the server as ``{"error": {"code", "type", "message"}}``; messages
never contain ``str()`` of an internal exception.
"""

from __future__ import annotations

from ..errors import StoryLoomError


class NotSignedIn(StoryLoomError):
    """Accounts mode and no (live) session cookie."""

    code = "E401"


class BadCredentials(StoryLoomError):
    """Wrong username or password."""

    code = "E402"


class CsrfFailed(StoryLoomError):
    """An unsafe request without the session's CSRF token, or from another site."""

    code = "E403"


class NotInThisMode(StoryLoomError):
    """Accounts endpoints in local mode (or local-only endpoints with accounts)."""

    code = "E406"


class PayloadTooLarge(StoryLoomError):
    """The request body is over the size limit."""

    code = "E413"


class BadUpload(StoryLoomError):
    """An uploaded file is not a CSV, JSONL, zip of .txt/.docx, or StoryLoom export."""

    code = "E415"


class ValidationFailed(StoryLoomError):
    """The request body or query does not match the API schema."""

    code = "E422"


class RateLimited(StoryLoomError):
    """Too many requests from this client; wait ``retry_after`` seconds."""

    code = "E429"

    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AnalysisTimeout(StoryLoomError):
    """The analysis or generation did not finish in time (server busy or text very long)."""

    code = "E431"


class BackendUnavailable(StoryLoomError):
    """The generation backend is not installed, not configured or not answering."""

    code = "E450"


class InternalError(StoryLoomError):
    """A bug: the server logs the traceback; the client sees only this."""

    code = "E500"


STATUS: dict[str, int] = {
    "E101": 400, "E102": 413, "E103": 400, "E104": 400, "E105": 400, "E106": 400, "E107": 400,
    "E108": 422, "E109": 400, "E201": 503, "E301": 503,
    "E401": 401, "E402": 401, "E403": 403, "E404": 404, "E405": 403, "E406": 400, "E409": 409,
    "E413": 413, "E415": 400, "E422": 422, "E429": 429, "E431": 504, "E450": 503, "E500": 500,
}


def status_of(error: StoryLoomError) -> int:
    """The HTTP status of an error code (400 for codes not in the table)."""
    return STATUS.get(error.code, 400)


def error_body(error: StoryLoomError) -> dict[str, object]:
    return {"error": {"code": error.code, "type": type(error).__name__, "message": error.message}}
