"""What the language-specific element taggers return."""

from __future__ import annotations

from dataclasses import dataclass

# Element categories (the four lists of :class:`storyloom.analysis.elements.Elements`).
CHARACTER = "character"
PLACE = "place"
TIME = "time"
OBJECT = "object"


@dataclass(slots=True)
class Found:
    """One occurrence of an element in one sentence.

    ``start``/``end`` index ``Document.text``; ``key`` is the merge key
    (Simplified Chinese, lower-case English); ``text`` is what the writer
    wrote there, or the canonical narrator form (``我`` / ``I``).
    """

    category: str
    kind: str
    sentence: int
    start: int
    end: int
    key: str
    text: str
    source: str
    weight: float = 1.0
