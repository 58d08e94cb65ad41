"""Word lists for the style analyser, loaded once, lazily, from ``resources/style``.

Also the two matchers every style rule shares: whole-token matching of a
Chinese word list (a list word may span several jieba tokens, and may be
followed inside its token by a particle such as 的/着), and English word
forms (a base form plus its regular inflections).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from ..errors import ResourceMissing
from ..text.document import Token

_PACKAGE = "storyloom.resources.style"

# A Chinese list word may end inside a jieba token when the rest of the token
# is one of these particles (红红的 → 红红, 看着 → 看, 甜甜的 → 甜甜).
ZH_TRAILING_PARTICLES = frozenset("的地得着了过")


def _read(name: str) -> list[str]:
    try:
        text = resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:  # pragma: no cover - broken install
        raise ResourceMissing(
            f"The style word list {name!r} is missing from the StoryLoom installation; reinstall StoryLoom."
        ) from exc
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def sensory(lang: str) -> dict[str, str]:
    """``{word: sense}`` for ``lang`` (zh: Simplified words; en: every inflected form)."""
    table: dict[str, str] = {}
    for line in _read(f"sensory_{lang}.tsv"):
        word, sense = line.split("\t")
        if lang == "en":
            for form in en_forms(word):
                table.setdefault(form, sense)
        else:
            table[word] = sense
    return table


@lru_cache(maxsize=None)
def narrative_arc(lang: str) -> dict[str, frozenset[str]]:
    """``{dimension: words}`` for the Boyd et al. (2020) dimensions in ``lang``."""
    dims: dict[str, set[str]] = {}
    for line in _read("narrative_arc.tsv"):
        row_lang, dimension, _category, words = line.split("\t")
        if row_lang == lang:
            dims.setdefault(dimension, set()).update(words.split())
    return {k: frozenset(v) for k, v in dims.items()}


@lru_cache(maxsize=None)
def irregular_verbs() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(base forms, past forms, past participles) of common irregular English verbs."""
    bases: set[str] = set()
    pasts: set[str] = set()
    participles: set[str] = set()
    for line in _read("irregular_verbs_en.tsv"):
        base, past, participle = line.split("\t")
        bases.add(base)
        pasts.update(past.split("/"))
        participles.update(participle.split("/"))
    return frozenset(bases), frozenset(pasts), frozenset(participles)


@lru_cache(maxsize=None)
def common_hanzi() -> tuple[frozenset[str], frozenset[str]]:
    """(the 2,500 常用字, the 1,000 次常用字) of《现代汉语常用字表》(1988)."""
    first = "".join(_read("zh_common_2500.txt"))
    second = "".join(_read("zh_common_1000.txt"))
    return frozenset(first), frozenset(second)


_VOWELS = frozenset("aeiou")
# Generated forms that are other words (rub → rubber, ring → ringer).
_NOT_FORMS = frozenset({"rubber", "rubbers", "ringer", "ringers", "hummer", "hummers"})


def en_forms(base: str) -> set[str]:
    """``base`` and its regular inflections (walk → walks, walked, walking, …).

    Over-generation is harmless here: a form that is not a real word never
    appears in text.
    """
    forms = {base, base + "s", base + "es", base + "ed", base + "ing", base + "er", base + "est", base + "ly"}
    if base.endswith("e"):
        stem = base[:-1]
        forms |= {base + "d", stem + "ing", base + "r", base + "st"}
    if base.endswith("y") and len(base) > 2 and base[-2] not in _VOWELS:
        stem = base[:-1]
        forms |= {stem + "ies", stem + "ied", stem + "ier", stem + "iest", stem + "ily"}
    if (
        len(base) >= 3
        and base[-1] not in _VOWELS | {"w", "x", "y"}
        and base[-2] in _VOWELS
        and base[-3] not in _VOWELS
    ):
        double = base + base[-1]
        forms |= {double + "ed", double + "ing", double + "er", double + "est"}
    return forms - _NOT_FORMS


def match_zh(
    tokens: Iterable[Token], lexicon: dict[str, str] | frozenset[str], max_len: int = 5
) -> Iterator[tuple[int, int, str]]:
    """Longest list words found at token starts: yields ``(first_token, end_offset, word)``.

    A match must start where a token starts and end where a token ends, or
    end inside a token whose remainder is a particle (的/地/得/着/了/过).  So
    香 is not found inside 香港 or 苦 inside 辛苦, while 闻 + 到 → 闻到 and
    红红的 → 红红 are.  Matching uses ``Token.norm`` (Simplified Chinese).
    """
    toks = [t for t in tokens]
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.is_punct:
            i += 1
            continue
        # Concatenate norms of following tokens (up to max_len characters).
        text = ""
        ends: list[tuple[int, int, int]] = []  # (length in chars, token index, doc end)
        j = i
        while j < n and len(text) < max_len and not toks[j].is_punct:
            text += toks[j].norm
            ends.append((len(text), j, toks[j].end))
            j += 1
        best: tuple[int, int, str] | None = None
        for length in range(min(max_len, len(text)), 0, -1):
            word = text[:length]
            if word not in lexicon:
                continue
            # Where does this length fall?  Exactly at a token end, or inside a
            # token whose remainder is a particle.
            for tok_len, tok_index, doc_end in ends:
                if tok_len == length:
                    best = (tok_index, doc_end, word)
                    break
                if tok_len > length:
                    rest = text[length:tok_len]
                    if len(rest) == 1 and rest in ZH_TRAILING_PARTICLES:
                        best = (tok_index, doc_end - 1, word)
                    break
            if best is not None:
                break
        if best is None:
            i += 1
            continue
        yield i, best[1], best[2]
        i = best[0] + 1
