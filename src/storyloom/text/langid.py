"""Language identification by character classes (no model, robust for short text).

Only two languages are analysed: ``zh`` (Han characters) and ``en`` (Latin
letters).  A text is Chinese when its Han characters make up at least a
quarter of its Han + Latin letters — one Han character carries about as much
as three English letters, so this is the "weighted majority" rule and it also
keeps 今天终于拿到了offer Chinese.  Other scripts (kana, Hangul, Cyrillic,
Arabic …) are counted so that text in another language can be refused, while a
story with a few foreign words passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._chars import (
    HAN_RUN,
    KANA_RUN,
    LATIN_RUN,
    LETTER_RUN,
    OTHER_SCRIPTS,
    run_length,
)

HAN_WEIGHT = 3  # one Han character ≈ three Latin letters


def language_of_counts(han: int, latin: int) -> str | None:
    """``zh``/``en``/``None`` from Han and Latin letter counts."""
    if han and han * HAN_WEIGHT >= latin:
        return "zh"
    if latin:
        return "en"
    return None


@dataclass(frozen=True, slots=True)
class ScriptCounts:
    """Letter counts of a text by script."""

    han: int
    latin: int
    kana: int
    letters: int  # all letters, any script (Han and kana included)

    @property
    def supported(self) -> int:
        return self.han + self.latin

    @property
    def other(self) -> int:
        return max(0, self.letters - self.han - self.latin)


def count_scripts(text: str) -> ScriptCounts:
    """Count Han, Latin, kana and all letters (a few C-speed regex passes)."""
    letters = run_length(LETTER_RUN, text)
    if not letters:
        return ScriptCounts(0, 0, 0, 0)
    han = run_length(HAN_RUN, text)
    latin = run_length(LATIN_RUN, text) if han < letters else 0
    kana = run_length(KANA_RUN, text) if han + latin < letters else 0
    return ScriptCounts(han, latin, kana, letters)


def foreign_script(text: str, counts: ScriptCounts | None = None) -> str | None:
    """Name of the non-Chinese, non-English script the text is written in, if any.

    ``None`` when the text is (mostly) Chinese/English, possibly with a few
    foreign words.  Japanese is recognised by its kana even though it also
    uses Han characters.
    """
    c = counts or count_scripts(text)
    if not c.letters:
        return None
    # Japanese: kana are at least 30% of the Han + kana characters (Japanese
    # prose is mostly kana; a Chinese story quoting ありがとう stays Chinese).
    if c.kana >= 2 and c.kana * 100 >= 30 * (c.han + c.kana) and c.kana * 2 >= c.latin:
        return "Japanese"
    if c.other > c.supported:
        best, best_n = "a language other than Chinese or English", 0
        for name, pattern in OTHER_SCRIPTS:
            n = run_length(pattern, text)
            if n > best_n:
                best, best_n = name, n
        return best
    return None


def detect_language(text: str) -> str | None:
    """``"zh"``, ``"en"`` or ``None`` (no Chinese/English letters, or another language).

    Character classes only: Han characters vs Latin letters, Han weighted
    three to one.  Works on a single word (``"好"`` → zh, ``"ok"`` → en).
    """
    counts = count_scripts(text)
    if not counts.supported or foreign_script(text, counts):
        return None
    return language_of_counts(counts.han, counts.latin)


# --- Latin-script languages other than English ------------------------------
# A conservative check: only long-ish texts with almost no English function
# words and many function words of one other language are refused.
_EN_FUNCTION = frozenset(
    "the and of to a in is it i you that was he she for on with as my me we they at be "
    "this have had not but his her are were so all when what there from by an or one our "
    "your will would can do did just no if out up about been him them then than very into "
    "like".split()
)
_OTHER_FUNCTION: dict[str, frozenset[str]] = {
    "French": frozenset(
        "le la les et est une des du je il elle nous vous que qui dans pour pas avec sur mais "
        "ce cette très mon ma mes au aux être suis était j'ai c'est sont ont".split()
    ),
    "Spanish": frozenset(
        "el los las y es una que en por para con mi muy pero yo fue era está del al se lo "
        "como más su sus estoy".split()
    ),
    "German": frozenset(
        "der das und ist ein eine ich nicht mit zu auf für es sie wir den dem war sehr auch "
        "aber mein meine von sich ist".split()
    ),
    "Portuguese": frozenset(
        "o os e é um uma que em por para com meu minha muito mas eu foi era está do da dos "
        "das não".split()
    ),
    "Italian": frozenset(
        "il lo gli e è un una che di per con mio mia molto ma io era sono del della non "
        "anche".split()
    ),
    "Dutch": frozenset(
        "de het een en ik niet met op voor zijn maar ook mijn van dat".split()
    ),
}


def other_latin_language(words: list[str]) -> str | None:
    """Name of a non-English Latin-script language, when clearly so.

    ``words`` are lower-cased Latin words.  Needs at least 12 words, under 8%
    English function words and at least 20% function words of one language.
    """
    n = len(words)
    if n < 12:
        return None
    english = sum(1 for w in words if w in _EN_FUNCTION)
    if english * 100 >= 8 * n:
        return None
    best, best_n = None, 0
    for name, vocab in _OTHER_FUNCTION.items():
        k = sum(1 for w in words if w in vocab)
        if k > best_n:
            best, best_n = name, k
    if best is not None and best_n * 100 >= 20 * n:
        return best
    return None
