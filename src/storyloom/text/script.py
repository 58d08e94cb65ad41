"""Traditional vs Simplified Chinese: cheap detection, OpenCC conversion.

Detection never calls the converter.  Two character sets are built once from
the dictionaries shipped inside the installed ``opencc`` package:

* *Traditional-only*: characters ``c`` of ``TSCharacters.txt`` whose
  Simplified form differs (``經 → 经``);
* *Simplified-only*: characters of ``STCharacters.txt`` whose Traditional form
  differs (``经 → 經``), minus any that are also Traditional-only.

Text is Traditional when it has more Traditional-only than Simplified-only
characters.  The (pure-Python, slower) OpenCC ``t2s`` converter is created
lazily and only run on text that contains a Traditional-only character.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache

_lock = threading.Lock()
_converter = None


def _opencc_dictionary(name: str) -> dict[str, list[str]]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    table: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if key and values:
                table[key] = values.split()
    return table


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class _CharSet:
    """A set of characters with C-speed search and count.

    BMP characters go into one regex character class (compiled to a bitmap);
    the few astral ones (U+20000…) are handled with set operations, because
    mixing them into the class makes the regex an order of magnitude slower.
    """

    __slots__ = ("chars", "bmp", "astral")

    def __init__(self, chars: set[str]) -> None:
        self.chars = frozenset(chars)
        bmp = "".join(re.escape(c) for c in sorted(chars) if ord(c) <= 0xFFFF)
        self.bmp = re.compile(f"[{bmp}]") if bmp else re.compile(r"(?!)")
        self.astral = frozenset(c for c in chars if ord(c) > 0xFFFF)

    def search(self, text: str) -> bool:
        if self.bmp.search(text) is not None:
            return True
        return bool(self.astral) and _ASTRAL.search(text) is not None and not self.astral.isdisjoint(text)

    def count(self, text: str) -> int:
        n = self.bmp.subn("", text)[1]
        if self.astral and _ASTRAL.search(text) is not None:
            n += sum(text.count(c) for c in self.astral.intersection(text))
        return n


@lru_cache(maxsize=1)
def _tables() -> tuple[_CharSet, _CharSet, dict[int, str], frozenset[str], _CharSet]:
    ts = _opencc_dictionary("TSCharacters.txt")
    st = _opencc_dictionary("STCharacters.txt")
    phrases = _opencc_dictionary("TSPhrases.txt")
    trad_only = {c for c, cands in ts.items() if len(c) == 1 and cands[0] != c}
    simp_only = {c for c, cands in st.items() if len(c) == 1 and cands[0] != c} - trad_only
    char_map = {ord(c): ts[c][0] for c in trad_only if len(ts[c][0]) == 1}
    # every Traditional spelling of every Simplified character (for decoding scores)
    variants = frozenset(v for cands in st.values() for v in cands if len(v) == 1)
    # characters that t2s may change only inside a phrase (覆 in 反覆 → 反复)
    gate = set(trad_only)
    for key, cands in phrases.items():
        if len(key) == len(cands[0]):
            gate.update(a for a, b in zip(key, cands[0]) if a != b and a not in simp_only)
    return _CharSet(trad_only), _CharSet(simp_only), char_map, variants, _CharSet(gate)


def traditional_variants() -> frozenset[str]:
    """All Traditional forms of Simplified characters (from STCharacters)."""
    return _tables()[3]


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) character counts in ``text``."""
    tables = _tables()
    return tables[0].count(text), tables[1].count(text)


def has_traditional(text: str) -> bool:
    """True when ``text`` has a character that ``t2s`` could change.

    That is a Traditional-only character, or one that OpenCC only rewrites
    inside a phrase (覆 in 反覆, 瞭 in 明瞭).
    """
    return _tables()[4].search(text)


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in Traditional Chinese.

    Decided by character sets alone (no conversion): more Traditional-only
    characters than Simplified-only ones.  Text without Chinese is ``False``.
    """
    trad, simp = script_counts(text)
    return trad > simp


def _get_converter():
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                from opencc import OpenCC

                _converter = OpenCC("t2s")
    return _converter


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with OpenCC ``t2s``.

    Text without Traditional-only characters is returned unchanged (and the
    converter is not even called).
    """
    if not text or not has_traditional(text):
        return text
    return _get_converter().convert(text)


def to_simplified_chars(text: str) -> str:
    """Character-by-character ``t2s`` (no phrase rules); always keeps the length."""
    return text.translate(_tables()[2])


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Convert Simplified Chinese to Traditional with OpenCC ``s2t``.

    Used to answer a Traditional writer in their own script; text with no
    Chinese is returned unchanged.
    """
    if not text or not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return text
    return _s2t().convert(text)
