"""Story generation: the closed emotional loop (DESIGN.md, "Generation contract").

``write(text_or_report, target)`` plans from the Report, asks a backend for
candidates, analyses each with the same engine, keeps the one closest to the
target and fuses it with a reflective close.
"""

from .types import (
    Backend,
    Candidate,
    Length,
    Plan,
    PointOfView,
    Score,
    Story,
    StoryPrompt,
    Style,
    Target,
)

__all__ = [
    "Backend", "Candidate", "Length", "Plan", "PointOfView", "Score", "Story", "StoryPrompt", "Style", "Target",
    "write",
]


def write(*args, **kwargs):  # noqa: D103 - documented on storyloom.generate.write.write
    from .write import write as _write

    return _write(*args, **kwargs)
