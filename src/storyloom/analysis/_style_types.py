"""Result types of :mod:`storyloom.analysis.style` (plain dataclasses, JSON-ready).

Kept apart from ``style.py`` so the helper modules can build them without a
circular import; ``style.py`` re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class POV(str, Enum):
    """Narrative point of view (DESIGN.md vocabulary)."""

    first = "first"
    second = "second"
    third = "third"


class Tense(str, Enum):
    """Dominant tense of English narration."""

    past = "past"
    present = "present"
    mixed = "mixed"
    unknown = "unknown"  # too few verb forms to say


SENSES: tuple[str, ...] = ("sight", "sound", "smell", "touch", "taste")


@dataclass(slots=True)
class StyleExample:
    """A piece of evidence: ``text`` is ``Document.text[start:end]`` in sentence ``sentence``.

    ``marker`` is the cue that matched (``像…一样``, ``like``, ``as if``; the
    list word for sensory language).
    """

    sentence: int
    start: int
    end: int
    text: str
    marker: str


@dataclass(slots=True)
class Rhythm:
    """Sentence lengths, in ``unit`` (``"characters"`` for zh, ``"words"`` for en).

    ``std`` is the population standard deviation; ``cv`` = std / mean (0 for
    one sentence); ``longest_index``/``shortest_index`` are sentence indices.
    """

    unit: str
    sentences: int
    mean: float
    std: float
    cv: float
    longest: int
    longest_index: int
    shortest: int
    shortest_index: int
    lengths: list[int] = field(default_factory=list)


@dataclass(slots=True)
class LexicalDiversity:
    """Type–token ratio and MTLD (McCarthy & Jarvis 2010) over word tokens.

    ``mtld`` is the mean of the forward and backward passes (threshold 0.72);
    it is ``None`` when the text never repeats enough to complete any part of
    a factor (every word different).  ``reliable`` is False under 50 tokens,
    where MTLD is known to be unstable.
    """

    tokens: int
    types: int
    ttr: float
    mtld: float | None
    mtld_forward: float | None
    mtld_backward: float | None
    threshold: float = 0.72
    reliable: bool = False


@dataclass(slots=True)
class Readability:
    """Readability of the story's main language.

    Common fields: ``avg_sentence_length`` (characters for zh, words for en),
    ``avg_word_length`` (characters per jieba word for zh, syllables per word
    for en) and ``grade`` (a school-grade-like number, higher is harder).
    English adds Flesch reading ease (0–100, higher is easier) and the
    Flesch–Kincaid grade; Chinese adds the share of Han characters that are in
    the 2,500 常用字 and in the 3,500 常用+次常用字 of《现代汉语常用字表》.
    ``method`` names the formulas used.
    """

    language: str
    avg_sentence_length: float
    avg_word_length: float
    grade: float
    flesch_reading_ease: float | None = None
    flesch_kincaid_grade: float | None = None
    common_char_share: float | None = None
    common_char_share_3500: float | None = None
    method: str = ""


@dataclass(slots=True)
class Dialogue:
    """How much of the story is quoted speech.

    ``share`` = characters of words inside quoted speech / characters of all
    words, in [0, 1]; ``utterances`` counts quoted stretches (adjacent quotes
    in one sentence, split by a speech tag, count once).  Quotes that are not
    speech (a scare-quoted word or nickname such as “家” or "Ohio.") count
    towards neither.  ``sentences`` lists the indices of mostly-quoted
    sentences (``Sentence.is_dialogue``).
    """

    share: float
    utterances: int
    sentences: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Figurative:
    """Similes and as-if comparisons: count, rate per 1,000 ``unit``, cue counts, examples."""

    count: int
    per_1000: float
    unit: str
    markers: dict[str, int] = field(default_factory=dict)
    examples: list[StyleExample] = field(default_factory=list)


@dataclass(slots=True)
class Sensory:
    """Sensory words by sense (sight, sound, smell, touch, taste).

    ``counts`` and ``per_1000`` (per 1,000 ``unit``) have every sense as a
    key; ``examples`` holds up to five per sense, distinct words first;
    ``dominant`` is the most used sense (``None`` when there are none).
    """

    counts: dict[str, int]
    per_1000: dict[str, float]
    total: int
    unit: str
    dominant: str | None = None
    examples: dict[str, list[StyleExample]] = field(default_factory=dict)


@dataclass(slots=True)
class TenseProfile:
    """Verb-form evidence for the tense of English narration (dialogue excluded).

    ``past``/``present`` are weighted counts of past and present verb forms;
    ``past_share`` = past / (past + present).  Chinese does not mark tense, so
    a Chinese story gets no TenseProfile.
    """

    tense: Tense
    past: float
    present: float
    past_share: float | None
    examples: list[StyleExample] = field(default_factory=list)


@dataclass(slots=True)
class NarrativeArc:
    """Boyd, Blackburn & Pennebaker's (2020) narrative arc over five segments.

    ``staging``, ``plot_progression`` and ``cognitive_tension`` are z-scores
    of each dimension's rate across the story's five equal word segments
    (mean 0, SD 1 within this story; all 0 when the rate does not vary).
    ``rates`` holds the raw rates per 100 words behind them;
    ``segment_start_sentence`` the index of the sentence where each segment
    begins; ``reading`` one sentence on how to read the curves.
    """

    segments: int
    staging: list[float]
    plot_progression: list[float]
    cognitive_tension: list[float]
    rates: dict[str, list[float]] = field(default_factory=dict)
    segment_words: list[int] = field(default_factory=list)
    segment_start_sentence: list[int] = field(default_factory=list)
    reading: str = ""


@dataclass(slots=True)
class Style:
    """How a story is told.  Build it with :func:`storyloom.analysis.style.analyze_style`.

    ``pov_counts`` are weighted narration counts of first-, second- and
    third-person references (dialogue excluded); ``pov_dialogue_counts`` are
    the pronouns seen inside quotes, which never decide the point of view.
    ``pov_confidence`` is in [0, 1].  ``notes`` maps each figure's name to one
    plain-language sentence in the story's language (keys: see
    ``storyloom.analysis.style.NOTE_KEYS``).
    """

    language: str
    pov: POV
    pov_confidence: float
    pov_counts: dict[str, float]
    pov_dialogue_counts: dict[str, int]
    rhythm: Rhythm
    lexical_diversity: LexicalDiversity
    readability: Readability
    dialogue: Dialogue
    figurative: Figurative
    sensory: Sensory
    tense: TenseProfile | None
    narrative_arc: NarrativeArc
    notes: dict[str, str] = field(default_factory=dict)
