"""Run-time settings, read from the environment so the CLI, the server and
tests share one source of truth.

``STORYLOOM_MAX_CHARS``  largest text analysed in one piece (default 100,000
                         characters, about a 60,000-word English novella or a
                         long Chinese memoir); larger input is refused with
                         :class:`storyloom.errors.InputTooLong`.
``STORYLOOM_MAX_FILE_BYTES``  largest input file read (default 8 MiB).
``STORYLOOM_USER_DICT``  a jieba user dictionary loaded before segmentation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import InvalidOption


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidOption(f"{name}={raw!r} is not a whole number.") from None
    if value <= 0:
        raise InvalidOption(f"{name} must be positive, got {value}.")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits and paths; build with :func:`settings` to read the environment."""

    max_chars: int = 100_000
    max_file_bytes: int = 8 * 1024 * 1024
    user_dict: str | None = None


_DEFAULTS = Settings()  # class attributes of a slots dataclass are descriptors, not values


def settings() -> Settings:
    """Current settings from the environment (cheap; read on every call)."""
    return Settings(
        max_chars=_int_env("STORYLOOM_MAX_CHARS", _DEFAULTS.max_chars),
        max_file_bytes=_int_env("STORYLOOM_MAX_FILE_BYTES", _DEFAULTS.max_file_bytes),
        user_dict=os.environ.get("STORYLOOM_USER_DICT") or None,
    )
