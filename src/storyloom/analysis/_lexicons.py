"""Word lists for narrative elements and structure, loaded once and cached.

The files live in :mod:`storyloom.resources.elements` (see its docstring for
their formats).  Every loader returns immutable values, so callers may share
them freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_PACKAGE = "storyloom.resources.elements"


def _lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a resource file, stripped."""
    text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _pairs(name: str) -> list[tuple[str, ...]]:
    return [tuple(part.strip() for part in line.split("\t")) for line in _lines(name)]


@dataclass(frozen=True, slots=True)
class ElementLexicon:
    """The word lists of one language."""

    characters: dict[str, str]  # word -> kinship | role | group
    places: frozenset[str]
    place_suffixes: tuple[str, ...]  # longest first
    times: frozenset[str]
    not_elements: dict[str, frozenset[str]]  # which -> words
    max_words: int  # longest character/place entry, in words (en) or LAC tokens (zh)

    def excluded(self, word: str, which: str) -> bool:
        """True when ``word`` must never be reported as ``which``."""
        return word in self.not_elements.get(which, frozenset())


def _not_elements(name: str) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for row in _pairs(name):
        if len(row) >= 2:
            table.setdefault(row[1], set()).add(row[0])
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def zh() -> ElementLexicon:
    """Chinese (Simplified) word lists."""
    characters = {row[0]: row[1] for row in _pairs("zh_characters.tsv") if len(row) >= 2}
    suffixes = tuple(sorted(set(_lines("zh_place_suffixes.txt")), key=lambda w: (-len(w), w)))
    return ElementLexicon(
        characters=characters,
        places=frozenset(_lines("zh_places.txt")),
        place_suffixes=suffixes,
        times=frozenset(_lines("zh_times.txt")),
        not_elements=_not_elements("zh_not_elements.tsv"),
        max_words=3,
    )


@lru_cache(maxsize=1)
def en() -> ElementLexicon:
    """English word lists (lower case)."""
    characters = {row[0]: row[1] for row in _pairs("en_characters.tsv") if len(row) >= 2}
    places = frozenset(_lines("en_places.txt"))
    longest = max(len(w.split()) for w in list(characters) + list(places))
    return ElementLexicon(
        characters=characters,
        places=places,
        place_suffixes=(),
        times=frozenset(_lines("en_times.txt")),
        not_elements=_not_elements("en_not_elements.tsv"),
        max_words=longest,
    )


@dataclass(frozen=True, slots=True)
class StructureCue:
    role: str
    cue: str
    weight: float


@lru_cache(maxsize=1)
def structure_cues() -> dict[str, tuple[StructureCue, ...]]:
    """Labov-role cues per language, longest cue first."""
    table: dict[str, list[StructureCue]] = {"zh": [], "en": []}
    for row in _pairs("structure_cues.tsv"):
        if len(row) < 4:
            continue
        lang, role, cue, weight = row[:4]
        table.setdefault(lang, []).append(StructureCue(role, cue, float(weight)))
    return {
        lang: tuple(sorted(cues, key=lambda c: (-len(c.cue), c.cue, c.role)))
        for lang, cues in table.items()
    }


@lru_cache(maxsize=1)
def en_gazetteer() -> dict[str, str]:
    """Well-known place and organisation names (as written) -> kind."""
    return {row[0]: row[1] for row in _pairs("en_gazetteer.tsv") if len(row) >= 2}


@lru_cache(maxsize=1)
def en_common() -> frozenset[str]:
    """Lower-case words that are not names even when capitalised."""
    return frozenset(w for line in _lines("en_common.txt") for w in line.split())
