"""Report assembly: the one place where analyser results are combined."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .. import __version__
from ..affect import arc as arc_mod
from ..affect import emotion as emo_mod
from ..affect import sentiment as sent_mod
from ..affect import va as va_mod
from ..affect.cues import SentenceCues, sentence_cues
from ..errors import InvalidOption, StoryLoomError
from .. import text as _text
from ..text.document import Document
from .report import Report, SentenceAffect

ENGINE = "lexicon"


def _en_model(sentence) -> tuple[float, float, float]:
    from ..affect import en_va

    return en_va.predict([t.norm for t in sentence.tokens if not t.is_punct])


ALL_PARTS = frozenset({"themes", "keywords", "style", "elements"})


def analyze_document(doc: Document, parts: frozenset[str] | set[str] = ALL_PARTS) -> Report:
    """Analyse a prepared :class:`Document`.

    Affect (sentiment, emotions, valence–arousal, arc) is always computed;
    ``parts`` selects the other analysers — callers that only need affect
    (e.g. scoring many candidates quickly) can pass an empty set.
    """
    sentences = list(doc.sentences)
    cues: list[SentenceCues] = [sentence_cues(s) for s in sentences]
    scores = [sent_mod.sentence_score(s, sc) for s, sc in zip(sentences, cues)]
    weights = sent_mod.sentence_weights(sentences, cues)
    dists = [emo_mod.sentence_emotions(sc, score) for sc, score in zip(cues, scores)]
    vas = [
        va_mod.sentence_va(sc, score, _en_model(s) if s.language.value == "en" else None)
        for s, sc, score in zip(sentences, cues, scores)
    ]

    rows: list[SentenceAffect] = []
    for s, sc, score, dist, (v, a) in zip(sentences, cues, scores, dists, vas):
        rows.append(SentenceAffect(
            index=s.index, text=s.text, start=s.start, end=s.end, language=s.language.value,
            paragraph=s.paragraph, polarity=sent_mod.polarity_of(score), score=round(score, 4),
            intensity=round(abs(score), 4), valence=round(v, 3), arousal=round(a, 3),
            emotion=emo_mod.dominant(dist, abs(score) >= sent_mod.NEUTRAL_BAND), emotions={k: round(p, 4) for k, p in dist.items()},
            is_dialogue=s.is_dialogue,
        ))

    sentiment = sent_mod.story_sentiment(scores, weights)
    indexed = [(s.index, sc) for s, sc in zip(sentences, cues)]
    sentiment_evidence = emo_mod.polarity_evidence(indexed)
    emotions = emo_mod.story_emotions(dists, weights)
    valence, arousal = va_mod.story_va(vas, scores, weights)
    arc = arc_mod.emotional_arc([v for v, _ in vas])
    n_words = sum(len(s.words) for s in sentences)
    themes: list = []
    keywords: list = []
    style = elements = None
    if "themes" in parts:
        from .themes import detect_themes

        themes = detect_themes(doc)
    if "keywords" in parts:
        from .keywords import extract_keywords

        keywords = extract_keywords(doc)
    if "style" in parts:
        from .style import analyze_style

        style = analyze_style(doc)
    if "elements" in parts:
        from .elements import extract_elements

        elements = extract_elements(doc)
    return Report(
        text=doc.text,
        language=doc.language.value,
        script=doc.script.value,
        sentiment=sentiment,
        emotions={k: round(v, 4) for k, v in emotions.items()},
        dominant_emotion=emo_mod.dominant(emotions, sentiment.polarity.value != "neutral"),
        valence=round(valence, 3),
        arousal=round(arousal, 3),
        evidence=emo_mod.collect_evidence(indexed),
        arc=arc,
        sentences=rows,
        languages=dict(doc.languages),
        themes=themes,
        keywords=keywords,
        style=style,
        elements=elements,
        engine={"name": ENGINE, "version": __version__, "parts": sorted(parts)},
        stats={
            "characters": len(doc.text),
            "sentences": len(sentences),
            "paragraphs": len(doc.paragraphs),
            "words": n_words,
        },
        extra={"sentiment_evidence": sentiment_evidence},
    )


def _parts(parts: Iterable[str] | None) -> frozenset[str]:
    if parts is None:
        return ALL_PARTS
    chosen = frozenset(parts)
    unknown = chosen - ALL_PARTS
    if unknown:
        raise InvalidOption(
            f"Unknown analysis part(s): {', '.join(sorted(unknown))}. Choose from {', '.join(sorted(ALL_PARTS))}."
        )
    return chosen


def analyze(text: str, lang: str | None = None, *, parts: Iterable[str] | None = None) -> Report:
    """Analyse one story. See :func:`storyloom.analyze`."""
    return analyze_document(_text.prepare(text, lang), _parts(parts))


def analyze_many(
    texts: Iterable[str | tuple[Any, str]], lang: str | None = None, *, errors: str = "raise",
    parts: Iterable[str] | None = None,
) -> Iterator[Report | tuple[Any, Report | StoryLoomError]]:
    """Analyse many stories in input order (see :func:`storyloom.analyze_many`)."""
    chosen = _parts(parts)
    for item in texts:
        if isinstance(item, tuple):
            key, text = item
            try:
                yield key, analyze_document(_text.prepare(text, lang), chosen)
            except StoryLoomError as exc:
                if errors == "raise":
                    raise
                yield key, exc
        else:
            yield analyze_document(_text.prepare(item, lang), chosen)
