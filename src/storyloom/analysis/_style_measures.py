"""Sentence rhythm, lexical diversity (TTR, MTLD), readability and dialogue share."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from ..text import quote_spans
from ..text.document import Document, Language, Sentence
from . import _style_lexicon as lex
from ._style_types import Dialogue, LexicalDiversity, Readability, Rhythm

# --- MTLD (McCarthy & Jarvis 2010) ---------------------------------------------
# McCarthy, P. M., & Jarvis, S. (2010). MTLD, vocd-D, and HD-D: A validation
# study of sophisticated approaches to lexical diversity assessment. Behavior
# Research Methods, 42(2), 381–392.
MTLD_THRESHOLD = 0.72  # the paper's default factor size
MTLD_MIN_TOKENS = 50  # the paper finds MTLD unstable below ~100 tokens; under 50 we flag it

# --- Chinese grade-like estimate ------------------------------------------------
# Flesch–Kincaid's grade formula (Kincaid et al. 1975) transplanted to Chinese,
# with a character counting as a syllable (every Han character is one), jieba
# words as words, plus RARE_CHAR_GRADES grades for each 1.0 share of characters
# outside the 2,500 常用字 (so 5% rare characters add one grade).  It is a
# documented heuristic for comparing stories, not a validated Chinese formula.
FK_WORDS = 0.39
FK_SYLLABLES = 11.8
FK_CONSTANT = -15.59
RARE_CHAR_GRADES = 20.0
GRADE_MIN, GRADE_MAX = 0.0, 18.0

_HAN_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # CJK ideographs (BMP)
_ZH_TERMINAL = re.compile(r"[。！？!?，,…]")
_EN_EXCLAIM = re.compile(r"[!?]")


def _length(sentence: Sentence, unit_zh: bool) -> int:
    words = sentence.words
    if unit_zh:
        return sum(len(t.text) for t in words)
    return len(words)


def main_sentences(doc: Document) -> list[Sentence]:
    """Sentences in the document's main language (all sentences if none match)."""
    chosen = [s for s in doc.sentences if s.language is doc.language]
    return chosen or list(doc.sentences)


def rhythm(doc: Document) -> Rhythm:
    """Sentence length statistics over the main-language sentences."""
    zh = doc.language is Language.zh
    sents = main_sentences(doc)
    lengths = [_length(s, zh) for s in sents]
    n = len(lengths)
    mean = sum(lengths) / n if n else 0.0
    std = math.sqrt(sum((x - mean) ** 2 for x in lengths) / n) if n else 0.0
    # enumerate: the first of equal lengths wins (never locate by value)
    longest_k = max(range(n), key=lambda k: (lengths[k], -k)) if n else 0
    shortest_k = min(range(n), key=lambda k: (lengths[k], k)) if n else 0
    return Rhythm(
        unit="characters" if zh else "words",
        sentences=n,
        mean=round(mean, 2),
        std=round(std, 2),
        cv=round(std / mean, 3) if mean else 0.0,
        longest=lengths[longest_k] if n else 0,
        longest_index=sents[longest_k].index if n else 0,
        shortest=lengths[shortest_k] if n else 0,
        shortest_index=sents[shortest_k].index if n else 0,
        lengths=lengths,
    )


def mtld_pass(tokens: Sequence[str], threshold: float = MTLD_THRESHOLD) -> float | None:
    """One MTLD pass: ``len(tokens) / factors`` (None when no factor is even partly complete).

    The running type–token ratio is computed word by word; each time it falls
    to ``threshold`` or below, a factor is complete and the count restarts.
    What is left at the end adds a partial factor ``(1 - TTR) / (1 - threshold)``.
    """
    factors = 0.0
    types: set[str] = set()
    count = 0
    ttr = 1.0
    for tok in tokens:
        count += 1
        types.add(tok)
        ttr = len(types) / count
        if ttr <= threshold:
            factors += 1.0
            types = set()
            count = 0
            ttr = 1.0
    if count:
        factors += (1.0 - ttr) / (1.0 - threshold)
    if factors <= 0:
        return None
    return len(tokens) / factors


def mtld(tokens: Sequence[str], threshold: float = MTLD_THRESHOLD) -> tuple[float | None, float | None, float | None]:
    """(MTLD, forward, backward): the bidirectional average of McCarthy & Jarvis (2010)."""
    forward = mtld_pass(tokens, threshold)
    backward = mtld_pass(list(reversed(tokens)), threshold)
    if forward is None or backward is None:
        return None, forward, backward
    return (forward + backward) / 2.0, forward, backward


def word_tokens(doc: Document) -> list[str]:
    """Normalised words of the whole story (jieba words for Chinese), in order."""
    return [t.norm for s in doc.sentences for t in s.tokens if not t.is_punct]


def lexical_diversity(doc: Document) -> LexicalDiversity:
    words = word_tokens(doc)
    n = len(words)
    types = len(set(words))
    value, fwd, bwd = mtld(words)
    r = lambda x: None if x is None else round(x, 2)  # noqa: E731
    return LexicalDiversity(
        tokens=n,
        types=types,
        ttr=round(types / n, 4) if n else 0.0,
        mtld=r(value),
        mtld_forward=r(fwd),
        mtld_backward=r(bwd),
        threshold=MTLD_THRESHOLD,
        reliable=n >= MTLD_MIN_TOKENS,
    )


# --- readability -----------------------------------------------------------------


TEXTSTAT_VERSION = "0.7.8"  # later versions download NLTK's cmudict at run time


def _vowel_group_syllables(words: Sequence[str]) -> int:
    total = 0
    for w in words:
        w = w.lower()
        n = len(_VOWEL_GROUP.findall(w))
        if w.endswith("e") and not w.endswith(("le", "ee")) and n > 1:
            n -= 1  # silent final e
        total += max(1, n)
    return total


_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=1)
def _syllable_counter():
    """textstat 0.7.8's syllable counter (CMUdict, Pyphen for unknown words).

    Any other textstat version (which would try to download data) or none at
    all falls back to counting vowel groups, and ``Readability.method`` says so.
    """
    try:
        from importlib.metadata import version

        import textstat

        if version("textstat") != TEXTSTAT_VERSION:
            raise ImportError(f"textstat {version('textstat')} is not {TEXTSTAT_VERSION}")
    except ImportError:
        return _vowel_group_syllables, "vowel-group syllables (textstat 0.7.8 not installed)"

    def count(words: Sequence[str]) -> int:
        return int(textstat.syllable_count(" ".join(words))) if words else 0

    return count, "textstat 0.7.8 syllables (CMUdict, Pyphen fallback)"


def _clamp_grade(x: float) -> float:
    return round(min(GRADE_MAX, max(GRADE_MIN, x)), 1)


def readability(doc: Document) -> Readability:
    sents = main_sentences(doc)
    n_sent = len(sents) or 1
    if doc.language is Language.zh:
        common, second = lex.common_hanzi()
        chars = [c for s in sents for t in s.words for c in t.norm if _HAN_CHAR.match(c)]
        han_words = [t.norm for s in sents for t in s.words if t.norm and all(_HAN_CHAR.match(c) for c in t.norm)]
        n_chars = len(chars)
        share = sum(1 for c in chars if c in common) / n_chars if n_chars else 0.0
        share_3500 = sum(1 for c in chars if c in common or c in second) / n_chars if n_chars else 0.0
        cpw = sum(len(w) for w in han_words) / len(han_words) if han_words else 0.0
        asl = sum(_length(s, True) for s in sents) / n_sent
        wps = sum(len(s.words) for s in sents) / n_sent
        grade = FK_WORDS * wps + FK_SYLLABLES * cpw + FK_CONSTANT + RARE_CHAR_GRADES * (1.0 - share) if n_chars else 0.0
        return Readability(
            language="zh",
            avg_sentence_length=round(asl, 2),
            avg_word_length=round(cpw, 3),
            grade=_clamp_grade(grade),
            common_char_share=round(share, 4),
            common_char_share_3500=round(share_3500, 4),
            method=(
                "Flesch–Kincaid grade transplanted to Chinese (jieba words; one syllable per character) "
                f"+ {RARE_CHAR_GRADES:g} × share of characters outside the 2,500 常用字; "
                "character lists from 《现代汉语常用字表》(1988)"
            ),
        )
    count_syllables, how = _syllable_counter()
    words = [t.norm for s in sents for t in s.words if any(c.isalpha() for c in t.norm)]
    n_words = len(words) or 1
    syllables = count_syllables(words)
    wps = len(words) / n_sent
    spw = syllables / n_words
    fre = 206.835 - 1.015 * wps - 84.6 * spw
    fk = FK_WORDS * wps + FK_SYLLABLES * spw + FK_CONSTANT
    return Readability(
        language="en",
        avg_sentence_length=round(wps, 2),
        avg_word_length=round(spw, 3),
        grade=_clamp_grade(fk),
        flesch_reading_ease=round(fre, 1),
        flesch_kincaid_grade=round(fk, 1),
        method=f"Flesch (1948) reading ease and Flesch–Kincaid grade on StoryLoom sentences and words; {how}",
    )


# --- dialogue ----------------------------------------------------------------------


def dialogue(doc: Document) -> Dialogue:
    """Share of quoted speech and the number of utterances.

    Quoted spans come from :func:`storyloom.text.quote_spans`; spans that are
    not speech (a scare-quoted word, a nickname) count neither as utterances
    nor towards the share.
    """
    zh = doc.language is Language.zh
    spans: list[tuple[int, int]] = []
    for ps, pe in doc.paragraphs or ((0, len(doc.text)),):
        spans.extend(q for q in quote_spans(doc.text, ps, pe) if _is_utterance(doc.text[q[0] : q[1]], zh))
    spans.sort()
    span_starts = [q[0] for q in spans]
    quoted = total = 0
    for s in doc.sentences:
        for t in s.words:
            size = t.end - t.start
            total += size
            k = bisect_right(span_starts, t.start) - 1
            if k >= 0 and t.start < spans[k][1]:
                quoted += size
    sentence_starts = [s.start for s in doc.sentences]
    utterances = 0
    last_sentence = -1
    for qs, _qe in spans:
        sentence = bisect_right(sentence_starts, qs) - 1
        if sentence == last_sentence:
            continue  # “…，”她说，“…。” is one utterance
        utterances += 1
        last_sentence = sentence
    return Dialogue(
        share=round(quoted / total, 4) if total else 0.0,
        utterances=utterances,
        sentences=[s.index for s in doc.sentences if s.is_dialogue],
    )


def _is_utterance(span: str, zh: bool) -> bool:
    """Speech rather than a scare-quoted word, a nickname or a title (“家”, "Ohio.").

    Chinese: sentence punctuation inside (“好。”) or at least five characters;
    English: at least two words ("Chin up.") or a ! or ? ("No!").
    """
    inner = span[1:-1] if len(span) >= 2 else span
    if zh:
        return bool(_ZH_TERMINAL.search(inner)) or len(_HAN_CHAR.findall(inner)) >= 5
    return len(inner.split()) >= 2 or bool(_EN_EXCLAIM.search(inner))
