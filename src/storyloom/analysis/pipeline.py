"""Report assembly: the one place where analyser results are combined."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from .. import __version__
from ..affect import arc as arc_mod
from ..affect import emotion as emo_mod
from ..affect import sentiment as sent_mod
from ..affect import va as va_mod
from ..affect.cues import SentenceCues, sentence_cues
from ..affect.engine import Engine, ModelSet, load_models, read_sentences
from ..errors import InvalidOption, StoryLoomError
from ..safety import assess as assess_safety
from .. import text as _text
from ..text.document import Document
from .report import Report, SentenceAffect



def _en_model(sentence) -> tuple[float, float, float]:
    from ..affect import en_va

    return en_va.predict([t.norm for t in sentence.tokens if not t.is_punct])


ALL_PARTS = frozenset({"themes", "keywords", "style", "elements"})
DEFAULT_ENGINE = os.environ.get("STORYLOOM_ENGINE", "lexicon")


def read_affect(doc: Document, models: ModelSet | None = None):
    """Per-sentence affect of ``doc``: (sentences, cues, scores, weights, emotion dists, (valence, arousal)).

    The sentence-level reading both engines share; the story-level reading
    (:mod:`storyloom.affect.story`) and its trainer start from it.
    """
    sentences = list(doc.sentences)
    cues: list[SentenceCues] = [sentence_cues(s) for s in sentences]
    scores = [sent_mod.sentence_score(s, sc) for s, sc in zip(sentences, cues)]
    weights = sent_mod.sentence_weights(sentences, cues)
    dists = [emo_mod.sentence_emotions(sc, score) for sc, score in zip(cues, scores)]
    model_vas: list = [None] * len(sentences)
    if models is not None:
        scores, dists, model_vas = read_sentences(sentences, cues, scores, dists, models)
    vas = [
        # a trained valence–arousal model (model engine) is read as it is; it
        # already blends the EmoBank word model in (affect/model.py)
        (va_mod.clamp(mva[0]), va_mod.clamp(mva[1] + va_mod.EXCLAMATION_AROUSAL * sc.exclamations))
        if mva is not None
        else va_mod.sentence_va(sc, score, _en_model(s) if s.language.value == "en" else None)
        for s, sc, score, mva in zip(sentences, cues, scores, model_vas)
    ]
    return sentences, cues, scores, weights, dists, vas


def analyze_document(
    doc: Document, parts: frozenset[str] | set[str] = ALL_PARTS, models: ModelSet | None = None,
    safety: str | None = None,
) -> Report:
    """Analyse a prepared :class:`Document`.

    Affect (sentiment, emotions, valence–arousal, arc) is always computed;
    ``parts`` selects the other analysers — callers that only need affect
    (e.g. scoring many candidates quickly) can pass an empty set.  With
    ``models`` (see :func:`storyloom.affect.engine.load_models`) sentences are
    read by the trained models; otherwise by the lexicon engine.
    """
    sentences, cues, scores, weights, dists, vas = read_affect(doc, models)

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
    dominant = emo_mod.dominant(emotions, sentiment.polarity.value != "neutral")
    extra: dict[str, Any] = {"sentiment_evidence": sentiment_evidence}
    story = _story_reading(doc, parts, models, elements, (sentences, cues, scores, weights, dists, vas))
    if story is not None:
        # the discourse-aware story reading (issue #8); the weighted aggregate stays under extra
        from ..affect import story as story_mod

        extra["story_aggregate"] = story_mod.aggregate_summary(sentiment, emotions, dominant, valence, arousal, arc)
        extra["story_reading"] = story_mod.summary(story)
        sentiment = story_mod.sentiment_of(story, sentiment)
        emotions, dominant = dict(story.emotions), story.emotion
        valence, arousal = story.valence, story.arousal
        arc = story_mod.arc_of(story, arc)
    return Report(
        text=doc.text,
        language=doc.language.value,
        script=doc.script.value,
        sentiment=sentiment,
        emotions={k: round(v, 4) for k, v in emotions.items()},
        dominant_emotion=dominant,
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
        engine={
            "name": Engine.model.value if models is not None else Engine.lexicon.value,
            "version": __version__,
            "parts": sorted(parts),
            **({"models": models.describe()} if models is not None else {}),
        },
        stats={
            "characters": len(doc.text),
            "sentences": len(sentences),
            "paragraphs": len(doc.paragraphs),
            "words": n_words,
        },
        extra=extra,
        # the learned layer of the safety screen reads every sentence and window in a
        # full analysis (themes embeds the sentences anyway, same cache); an affect-only
        # analysis embeds short stories fully and, beyond 20 sentences, only the windows
        # around rule signals (docs/safety.md, "Cost")
        safety=assess_safety(doc, embeddings=_safety_mode(safety, parts)),
    )


def _story_reading(doc: Document, parts, models: ModelSet | None, elements, affect: tuple):
    """The story-level reading (:mod:`storyloom.affect.story`) or None.

    Labov roles come from the elements analyser when it ran; sentence
    embeddings are used when theme detection computes them (and reused from
    its cache), else the cue-only model variant reads the story.
    """
    from ..affect import story as story_mod

    if not story_mod.enabled():
        return None
    structure = getattr(elements, "structure", None)
    roles = [lab.role.value for lab in structure.labels] if structure is not None else None
    use_embeddings = False
    if "themes" in parts:
        from .themes import semantic_available, semantic_default

        use_embeddings = semantic_default() and semantic_available()
    engine = Engine.model.value if models is not None else Engine.lexicon.value
    return story_mod.read_story(*affect, lang=doc.language.value, engine=engine, roles=roles,
                                use_embeddings=use_embeddings)


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


def resolve_engine(engine: str | None, model: str | None = None) -> ModelSet | None:
    """The model set for an engine name (None: the lexicon engine).

    The default engine is the model engine when trained models are installed
    (it reads implicit and domain text far better, see bench/evaluate.py),
    else the lexicon engine.  ``model`` (a directory from ``storyloom train``)
    implies the model engine.
    """
    if engine is None:
        engine = DEFAULT_ENGINE
    try:
        chosen = Engine(engine)
    except ValueError:
        raise InvalidOption(f"Unknown engine {engine!r}; choose 'lexicon' or 'model'.") from None
    if chosen == Engine.lexicon and model is None:
        return None
    return _cached_models(str(model) if model is not None else None)


@lru_cache(maxsize=8)
def _cached_models(model: str | None) -> ModelSet:
    return load_models(model)


def analyze(
    text: str, lang: str | None = None, *, parts: Iterable[str] | None = None,
    engine: str | None = None, model: str | None = None, safety: str | None = None,
) -> Report:
    """Analyse one story. See :func:`storyloom.analyze`."""
    return analyze_document(_text.prepare(text, lang), _parts(parts), resolve_engine(engine, model), safety)


SAFETY_MODES = ("full", "rules")


def _safety_mode(safety: str | None, parts) -> bool | str | None:
    """How the crisis screen reads: the default is the learned layer wherever it is affordable."""
    if safety is None:
        return None if "themes" in parts else "sampled"
    if safety not in SAFETY_MODES:
        raise InvalidOption(f"Unknown safety mode {safety!r}: use full (rules + embeddings) or rules.")
    return True if safety == "full" else False


def analyze_many(
    texts: Iterable[str | tuple[Any, str]], lang: str | None = None, *, errors: str = "raise",
    parts: Iterable[str] | None = None, engine: str | None = None, model: str | None = None,
) -> Iterator[Report | tuple[Any, Report | StoryLoomError]]:
    """Analyse many stories in input order (see :func:`storyloom.analyze_many`)."""
    chosen = _parts(parts)
    models = resolve_engine(engine, model)
    for item in texts:
        if isinstance(item, tuple):
            key, text = item
            try:
                yield key, analyze_document(_text.prepare(text, lang), chosen, models)
            except StoryLoomError as exc:
                if errors == "raise":
                    raise
                yield key, exc
        else:
            yield analyze_document(_text.prepare(item, lang), chosen, models)
