"""The prepared text that every analyser reads.

A :class:`Document` is built once by :func:`storyloom.text.prepare` and never
mutated.  All offsets are character offsets into ``Document.text`` (the
normalised text), so evidence can always be pointed at exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Language(str, Enum):
    """Languages StoryLoom analyses (DESIGN.md vocabulary)."""

    zh = "zh"
    en = "en"


class Script(str, Enum):
    """Writing system of Chinese text; ``none`` for non-Chinese text."""

    simplified = "simplified"
    traditional = "traditional"
    none = "none"


@dataclass(frozen=True, slots=True)
class Token:
    """One word.

    ``text`` is the surface form as written; ``norm`` is the form used for
    lexicon look-ups (lower-cased English, Simplified Chinese).
    """

    text: str
    start: int
    end: int
    norm: str
    is_punct: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence with its offsets, language and words.

    ``in_quote`` marks tokens inside quoted dialogue (parallel to ``tokens``),
    so point-of-view and narration analyses can skip dialogue.
    """

    index: int
    text: str
    start: int
    end: int
    language: Language
    paragraph: int
    tokens: tuple[Token, ...] = ()
    in_quote: tuple[bool, ...] = ()
    is_dialogue: bool = False

    @property
    def words(self) -> list[Token]:
        """Tokens that are not punctuation."""
        return [t for t in self.tokens if not t.is_punct]


@dataclass(frozen=True, slots=True)
class Document:
    """Normalised text split into paragraphs, sentences and tokens."""

    text: str
    language: Language
    script: Script
    sentences: tuple[Sentence, ...]
    paragraphs: tuple[tuple[int, int], ...] = field(default=())
    languages: dict[str, int] = field(default_factory=dict)  # sentence counts per language

    @property
    def is_mixed(self) -> bool:
        """True when sentences in more than one language are present."""
        return sum(1 for n in self.languages.values() if n) > 1
