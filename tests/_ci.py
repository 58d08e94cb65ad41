"""What a test does when something it needs is not installed: skip locally, fail in CI.

One reading of the ``CI`` variable for every such test (they had three), and
one Chromium lookup for the two browser tests.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def in_ci() -> bool:
    """True when ``CI`` is set to anything but an empty/false value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(what: str, hint: str) -> None:
    """Fail under CI (which must install ``what``), else skip with ``hint``."""
    if in_ci():
        pytest.fail(f"CI is set but {what} is missing ({hint}).", pytrace=False)
    pytest.skip(f"{what} is missing ({hint}); CI always runs this test.")


def find_chromium() -> str | None:
    """``STORYLOOM_CHROMIUM`` or the first Chromium-like browser on PATH."""
    explicit = os.environ.get("STORYLOOM_CHROMIUM")
    if explicit:
        return explicit
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None
