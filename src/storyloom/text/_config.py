"""Settings access for the text package.

Guards against ``config.settings()`` returning a dataclass *field descriptor*
instead of the default value (``Settings.max_chars`` on a ``slots=True``
dataclass is a member descriptor, not ``100_000``): any value that is not an
int falls back to the default of a fresh ``Settings()``.
"""

from __future__ import annotations

from ..config import Settings, settings


def current() -> Settings:
    s = settings()
    if isinstance(s.max_chars, int) and isinstance(s.max_file_bytes, int):
        return s
    d = Settings()
    return Settings(
        max_chars=s.max_chars if isinstance(s.max_chars, int) else d.max_chars,
        max_file_bytes=s.max_file_bytes if isinstance(s.max_file_bytes, int) else d.max_file_bytes,
        user_dict=s.user_dict if isinstance(s.user_dict, str) else None,
    )
