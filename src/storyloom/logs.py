"""Logging convention: story text never reaches a log unless debugging is on.

Loggers are ``logging.getLogger(__name__)`` under the ``storyloom`` logger.
Anything derived from a user's story (the text, a sentence, a prompt, a
model's reply, a redaction mapping) goes through :func:`log_text`::

    from ..logs import log_text
    log.debug("sending prompt %s", log_text(prompt))

which returns the text itself only when debug logging is on —
``STORYLOOM_DEBUG=1`` (see :mod:`storyloom.config`) or the ``storyloom``
logger set to ``DEBUG`` — and otherwise a summary such as
``<text: 1,234 chars, sha256 3f2a9c1b>`` (enough to tell two inputs apart,
not to read them).  Never ``print`` story text; results go to stdout only
through the CLI's renderers.
"""

from __future__ import annotations

import hashlib
import logging as _logging

from .config import settings

LOGGER_NAME = "storyloom"
HASH_CHARS = 8  # hex digits of the SHA-256 shown in summaries


def debug_enabled() -> bool:
    """Whether logs may contain story text (``STORYLOOM_DEBUG=1`` or the logger at DEBUG)."""
    try:
        if settings().debug:
            return True
    except Exception:  # a malformed unrelated setting must not break logging
        pass
    return _logging.getLogger(LOGGER_NAME).getEffectiveLevel() <= _logging.DEBUG


def summarize(text: object) -> str:
    """``<text: N chars, sha256 XXXXXXXX>`` for ``text`` (no content)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    return f"<text: {len(text):,} chars, sha256 {digest}>"


def log_text(text: object) -> str:
    """``text`` when debug logging is on, else :func:`summarize` of it."""
    if debug_enabled():
        return text if isinstance(text, str) else str(text)
    return summarize(text)
