"""How a story is told: point of view, rhythm, vocabulary, readability, dialogue,
figurative and sensory language, tense and the function-word narrative arc.

Public API::

    analyze_style(doc: Document) -> Style

Every figure comes with a one-sentence note in the story's language
(``Style.notes``; keys in :data:`NOTE_KEYS`).  The rules live in small helper
modules, one concern each:

* ``_style_pov``       point of view from narration only (dialogue never decides it)
* ``_style_measures``  sentence rhythm, TTR and MTLD (McCarthy & Jarvis 2010),
  readability (textstat 0.7.8 syllables for English; 常用字 share and a
  Flesch–Kincaid-style estimate for Chinese), dialogue share
* ``_style_figures``   similes / as-if comparisons and sensory words
* ``_style_tense``     rule-based tense of English narration
* ``_style_arc``       Boyd, Blackburn & Pennebaker (2020), five segments
* ``_style_lexicon``   word lists under ``storyloom/resources/style``

Scales: ``pov_confidence``, ``dialogue.share``, ``lexical_diversity.ttr`` and
the common-character shares are in [0, 1]; ``readability.grade`` is in
[0, 18]; Flesch reading ease is nominally 0–100 (higher is easier);
per-1000 rates are per 1,000 characters (Chinese) or words (English);
narrative-arc curves are z-scores (mean 0 within the story).
"""

from __future__ import annotations

import threading
from functools import lru_cache

from ..text.document import Document, Language, Script
from . import _style_arc, _style_figures, _style_measures, _style_notes, _style_pov, _style_tense
from ._style_types import (
    POV,
    SENSES,
    Dialogue,
    Figurative,
    LexicalDiversity,
    NarrativeArc,
    Readability,
    Rhythm,
    Sensory,
    Style,
    StyleExample,
    Tense,
    TenseProfile,
)

__all__ = [
    "NOTE_KEYS",
    "POV",
    "SENSES",
    "Dialogue",
    "Figurative",
    "LexicalDiversity",
    "NarrativeArc",
    "Readability",
    "Rhythm",
    "Sensory",
    "Style",
    "StyleExample",
    "Tense",
    "TenseProfile",
    "analyze_style",
]

#: Keys of ``Style.notes`` per story language.
NOTE_KEYS: dict[str, tuple[str, ...]] = {"zh": _style_notes.NOTE_KEYS_ZH, "en": _style_notes.NOTE_KEYS_EN}


_opencc_lock = threading.Lock()


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC  # opencc-python-reimplemented (a pinned dependency)

    return OpenCC("s2tw")  # Taiwan-standard forms (為, 裡), the commoner Traditional norm


def _to_traditional(text: str) -> str:
    """Notes for a Traditional-script story are written in Traditional characters."""
    with _opencc_lock:  # the pure-Python converter keeps state between calls
        return _s2t().convert(text)


def _units(doc: Document) -> tuple[int, str]:
    """Denominator for per-1000 rates: characters of words (zh) or words (en)."""
    if doc.language is Language.zh:
        return sum(len(t.text) for s in doc.sentences for t in s.words), "characters"
    return sum(len(s.words) for s in doc.sentences), "words"


def analyze_style(doc: Document) -> Style:
    """Analyse how ``doc`` is told.

    Args:
        doc: a prepared :class:`~storyloom.text.Document` (``storyloom.text.prepare``).

    Returns:
        A :class:`Style`; ``tense`` is ``None`` for Chinese stories (Chinese
        does not mark tense).  All counts that decide the point of view come
        from narration; dialogue inside quotation marks is reported separately.
    """
    sentences = list(doc.sentences)
    counts, dialogue_counts = _style_pov.count_pov(sentences)
    pov, confidence = _style_pov.decide_pov(counts)
    rhythm = _style_measures.rhythm(doc)
    lexdiv = _style_measures.lexical_diversity(doc)
    read = _style_measures.readability(doc)
    dia = _style_measures.dialogue(doc)
    units, unit = _units(doc)
    fig = _style_figures.figurative(doc.text, sentences, units, unit)
    sens = _style_figures.sensory(doc.text, sentences, units, unit)
    tense = _style_tense.tense_profile(sentences) if doc.language is Language.en else None
    arc = _style_arc.narrative_arc(doc)
    if doc.language is Language.zh:
        notes = _style_notes.notes_zh(pov, rhythm, lexdiv, read, dia, fig, sens, arc)
        if doc.script is Script.traditional:
            notes = {k: _to_traditional(v) for k, v in notes.items()}
            arc.reading = _to_traditional(arc.reading)
    else:
        notes = _style_notes.notes_en(pov, rhythm, lexdiv, read, dia, fig, sens, tense, arc)
    return Style(
        language=doc.language.value,
        pov=pov,
        pov_confidence=confidence,
        pov_counts={k: round(v, 2) for k, v in counts.items()},
        pov_dialogue_counts=dialogue_counts,
        rhythm=rhythm,
        lexical_diversity=lexdiv,
        readability=read,
        dialogue=dia,
        figurative=fig,
        sensory=sens,
        tense=tense,
        narrative_arc=arc,
        notes=notes,
    )
