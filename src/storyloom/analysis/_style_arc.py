"""The function-word narrative arc of Boyd, Blackburn & Pennebaker (2020).

Boyd, R. L., Blackburn, K. G., & Pennebaker, J. W. (2020). The narrative arc:
Revealing core narrative structures through text analysis. Science Advances,
6(32), eaba2196. https://doi.org/10.1126/sciadv.aba2196

The paper splits each text into five segments of equal word count and scores
three dimensions per segment from LIWC categories: *staging* (articles and
prepositions: setting the scene), *plot progression* (auxiliary verbs,
pronouns, adverbs, conjunctions, negations: who does what, and how) and
*cognitive tension* (cognitive-process words: think, know, because, should,
maybe).  Across ~40,000 traditional narratives, staging is high at the start
and falls, plot progression rises, and cognitive tension rises to a peak in
the later middle before easing at the end.

Here each dimension is the rate per 100 words of its words (open word lists
in ``resources/style/narrative_arc.tsv``, with documented Chinese analogues),
z-scored across the five segments of the one story, so the curves show shape
(where a dimension is relatively high or low in *this* story), not level.
The whole text counts, dialogue included, as in the paper.
"""

from __future__ import annotations

import math

from ..text.document import Document, Language
from . import _style_lexicon as lex
from ._style_types import NarrativeArc

SEGMENTS = 5  # the paper's five segments
DIMENSIONS = ("staging", "plot_progression", "cognitive_tension")
MIN_WORDS_FOR_SHAPE = 50  # under ~10 words a segment, the curves are mostly noise

READING = {
    "en": (
        "Each curve shows where this story uses relatively more (above 0) or fewer (below 0) words of one "
        "kind across its five parts: in typical stories staging words (a, the, in, on) lead at the start, "
        "plot-progression words (pronouns, auxiliaries, adverbs) grow as events unfold, and "
        "cognitive-tension words (think, because, maybe) climb toward a peak late in the story."
    ),
    "zh": (
        "每条曲线显示这类词在故事五个部分中相对多（高于0）或少（低于0）：典型的故事开头多用"
        "铺陈场景的词（一个、在、里、上），随着情节展开，推动情节的词（代词、助词、副词、连词、否定词）"
        "逐渐增多，而表示思考与纠结的词（想、觉得、因为、也许）在故事后段达到高峰。"
    ),
}


def _zscores(values: list[float]) -> list[float]:
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / n)
    if sd < 1e-9:
        return [0.0] * n
    return [round((v - mean) / sd, 3) for v in values]


def narrative_arc(doc: Document) -> NarrativeArc:
    """Staging, plot progression and cognitive tension over five equal word segments."""
    lists = {lang.value: lex.narrative_arc(lang.value) for lang in (Language.zh, Language.en)}
    words: list[tuple[str, str, int]] = []  # (norm, lang, sentence index)
    for s in doc.sentences:
        for t in s.words:
            words.append((t.norm, s.language.value, s.index))
    n = len(words)
    bounds = [round(k * n / SEGMENTS) for k in range(SEGMENTS + 1)]
    rates: dict[str, list[float]] = {d: [] for d in DIMENSIONS}
    seg_words: list[int] = []
    seg_start: list[int] = []
    first_sentence = doc.sentences[0].index if doc.sentences else 0
    for k in range(SEGMENTS):
        seg = words[bounds[k] : bounds[k + 1]]
        seg_words.append(len(seg))
        if seg:
            seg_start.append(seg[0][2])
        else:  # fewer than five words: an empty segment sits where the previous one ended
            seg_start.append(words[bounds[k] - 1][2] if bounds[k] else first_sentence)
        for d in DIMENSIONS:
            hits = sum(1 for norm, lang, _ in seg if norm in lists[lang].get(d, ()))
            rates[d].append(round(100.0 * hits / len(seg), 3) if seg else 0.0)
    return NarrativeArc(
        segments=SEGMENTS,
        staging=_zscores(rates["staging"]),
        plot_progression=_zscores(rates["plot_progression"]),
        cognitive_tension=_zscores(rates["cognitive_tension"]),
        rates=rates,
        segment_words=seg_words,
        segment_start_sentence=seg_start,
        reading=READING["zh" if doc.language is Language.zh else "en"],
    )
