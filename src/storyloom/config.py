"""Run-time settings, read from the environment so the CLI, the server and
tests share one source of truth.

``STORYLOOM_MAX_CHARS``  largest text analysed in one piece (default 100,000
                         characters, about a 60,000-word English novella or a
                         long Chinese memoir); larger input is refused with
                         :class:`storyloom.errors.InputTooLong`.
``STORYLOOM_MAX_FILE_BYTES``  largest input file read (default 8 MiB).
``STORYLOOM_USER_DICT``  a jieba user dictionary loaded before segmentation.
``STORYLOOM_SUPPORT_RESOURCES``  a YAML file of support services shown with
                     crisis-language reports, replacing the shipped
                     ``resources/safety/support.yaml`` (same shape; docs/safety.md).
``STORYLOOM_DEBUG``  ``1`` lets logs contain story text (see :mod:`storyloom.logs`);
                     otherwise they show only its length and a hash.
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
    support_resources: str | None = None
    debug: bool = False


_DEFAULTS = Settings()  # class attributes of a slots dataclass are descriptors, not values


def settings() -> Settings:
    """Current settings from the environment (cheap; read on every call)."""
    return Settings(
        max_chars=_int_env("STORYLOOM_MAX_CHARS", _DEFAULTS.max_chars),
        max_file_bytes=_int_env("STORYLOOM_MAX_FILE_BYTES", _DEFAULTS.max_file_bytes),
        user_dict=os.environ.get("STORYLOOM_USER_DICT") or None,
        support_resources=os.environ.get("STORYLOOM_SUPPORT_RESOURCES") or None,
        debug=os.environ.get("STORYLOOM_DEBUG", "").strip().lower() in ("1", "true", "yes", "on"),
    )


def config_path() -> str:
    """The user's config file: ``STORYLOOM_CONFIG`` or ``~/.config/storyloom/config.toml``."""
    explicit = os.environ.get("STORYLOOM_CONFIG")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "storyloom", "config.toml")


def config_section(name: str) -> dict:
    """One ``[name]`` table of the TOML config file (empty when there is no file).

    Backends read their base URL, model and key here; environment variables
    override the file, and explicit arguments override both.
    """
    import tomllib

    path = config_path()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidOption(f"Cannot read the config file {path}: {exc}") from None
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise InvalidOption(f"[{name}] in {path} must be a table of settings.")
    return section
