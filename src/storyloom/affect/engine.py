"""Engines: how sentence-level affect is read before the story-level reading.

``lexicon`` — the rule engine over lexicons (fast, explains every number).
``model``   — trained linear models (``storyloom.affect.model``) for polarity,
              emotions and English valence–arousal, read per sentence; the
              lexicon cues still supply the evidence, decide how much of a
              sentence is emotional at all (its neutral share) and keep the
              story-level narrative weighting, so the two engines differ only
              in how each sentence is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..analysis.report import Engine  # noqa: F401  (re-exported: the engine names live with the Report)
from ..errors import InvalidOption, ResourceMissing
from ..text.document import Sentence
from .cues import SentenceCues

EMOTION_LABELS = ("joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral")
# A model's polarity probability p becomes the score 2p − 1; sentences whose
# probability stays within this margin of 0.5 and that carry no lexicon cue
# ("我们坐上了去北京的火车。") are read as neutral rather than forced to a side.
UNDECIDED_MARGIN = 0.2
# Share of the rule score kept beside the model's.  The models already see
# the rule cues as features (affect/_features.py), and on dev keeping none
# was best (ChnSentiCorp 0.869 vs 0.849 at 0.25; NLPCC unchanged).
RULE_SHARE = 0.0
# How far a model with a neutral class (GoEmotions) decides a sentence's
# neutral share, against the lexicon's "no emotion word here".
NEUTRAL_MODEL_SHARE = 0.5  # dev GoEmotions macro-F1: 0.5 → 0.483, 1.0 → 0.479


@dataclass(slots=True)
class ModelSet:
    """The trained models in use, keyed by task then language."""

    models: dict[str, dict[str, object]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def get(self, task: str, language: str):
        return self.models.get(task, {}).get(language)

    def describe(self) -> dict[str, str]:
        return dict(sorted(self.sources.items()))


def _model_module():
    try:
        from . import model
    except ImportError as exc:  # pragma: no cover - only when the package is broken
        raise ResourceMissing(f"The model engine is unavailable: {exc}") from None
    return model


def load_models(user_model: str | Path | None = None) -> ModelSet:
    """Shipped models, with a user's own model (``--model DIR``) taking its task's place."""
    mod = _model_module()
    found = ModelSet()
    for task in ("polarity", "emotion", "valence", "arousal"):
        for lang in ("zh", "en"):
            m = mod.shipped(task, lang)
            if m is not None:
                found.models.setdefault(task, {})[lang] = m
                found.sources[f"{task}-{lang}"] = "shipped"
    if user_model is not None:
        path = Path(user_model)
        if not (path / "model.json").is_file():
            raise InvalidOption(f"{path} is not a StoryLoom model directory (no model.json); "
                                f"create one with `storyloom train`.")
        m = mod.AffectModel.load(path)
        found.models.setdefault(m.task, {})[m.language] = m
        found.sources[f"{m.task}-{m.language}"] = str(path)
    if not found.models:
        raise ResourceMissing("No trained models are installed; use --engine lexicon.")
    return found


def read_sentences(
    sentences: list[Sentence], cues: list[SentenceCues], scores: list[float],
    dists: list[dict[str, float]], models: ModelSet,
) -> tuple[list[float], list[dict[str, float]], list[tuple[float, float, float] | None]]:
    """Model readings of each sentence: scores, emotion distributions and (valence, arousal, 1) where a model exists."""
    scores = list(scores)
    dists = [dict(d) for d in dists]
    vas: list[tuple[float, float, float] | None] = [None] * len(sentences)
    by_lang: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        by_lang.setdefault(s.language.value, []).append(i)
    for lang, idx in by_lang.items():
        texts = [sentences[i].text for i in idx]
        pol = models.get("polarity", lang)
        if pol is not None:
            proba = np.asarray(pol.predict_proba(texts))
            pos = proba[:, list(pol.labels).index("positive")]
            for i, p in zip(idx, pos):
                model_score = float(2.0 * p - 1.0)
                if not cues[i].cues and abs(p - 0.5) < UNDECIDED_MARGIN:
                    model_score = 0.0
                scores[i] = (1 - RULE_SHARE) * model_score + RULE_SHARE * scores[i]
        emo = models.get("emotion", lang)
        if emo is not None:
            proba = np.asarray(emo.predict_proba(texts))
            labels = list(emo.labels)
            for i, row in zip(idx, proba):
                p = {lab: float(v) for lab, v in zip(labels, row)}
                neutral_lex = dists[i].get("neutral", 1.0)
                emo_mass = sum(p.get(e, 0.0) for e in EMOTION_LABELS if e != "neutral")
                if "neutral" in p:
                    neutral = NEUTRAL_MODEL_SHARE * p["neutral"] + (1 - NEUTRAL_MODEL_SHARE) * neutral_lex
                else:
                    # a model trained without a neutral class (NLPCC) says which
                    # emotion, not whether: a sentence the polarity reading
                    # finds strongly felt is emotional even with no cue word
                    neutral = neutral_lex * (1.0 - abs(scores[i]))
                if emo_mass <= 0:
                    continue
                new = {e: (1 - neutral) * p.get(e, 0.0) / emo_mass for e in EMOTION_LABELS if e != "neutral"}
                new["neutral"] = neutral
                dists[i] = new
        val, aro = models.get("valence", lang), models.get("arousal", lang)
        if val is not None and aro is not None:
            v = np.asarray(val.predict_scores(texts))
            a = np.asarray(aro.predict_scores(texts))
            for i, vv, aa in zip(idx, v, a):
                vas[i] = (float(vv), float(aa), 1.0)
    return scores, dists, vas
