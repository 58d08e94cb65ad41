"""Sentence and story polarity: score in [−1, 1], intensity in [0, 1].

Chinese sentences are scored by the cue rules (cues.py); English sentences by
VADER (Hutto & Gilbert 2014), which already implements negation, boosters,
"but" and punctuation emphasis for English and is the field's reference
lexicon method.  The story-level reading weighs sentences by their place in
the narrative (see :data:`FINAL_SENTENCE_WEIGHT`).
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..analysis.report import Polarity, Sentiment
from ..text.document import Language, Sentence
from . import rules
from .cues import SentenceCues

# Normalisation constant: score = s / sqrt(s² + ALPHA).  With Chinese word
# weights around ±1.3 for a clear word ("开心"), one word gives ≈ 0.6 and two
# agreeing words ≈ 0.83, mirroring VADER's behaviour on its ±4 scale (alpha 15).
ALPHA = 3.0
NEUTRAL_BAND = 0.05  # |score| below this is neutral (sentence and story)
# Personal narratives tend to state their feeling at the end ("那一刻，我觉得特别温暖").
FINAL_SENTENCE_WEIGHT = 1.5
TURN_SENTENCE_WEIGHT = 1.3  # a sentence opening with 但是/But outweighs…
BEFORE_TURN_SENTENCE_WEIGHT = 0.6  # …the sentence it turns against
DIALOGUE_WEIGHT = 0.8  # what others say colours the story less than narration
NON_AFFECTIVE_SHARE = 0.3  # how much sentences without feeling dilute the story score
# A story is "mixed" when the weaker side carries at least this share of the
# affective weight and is itself substantial (≈ one clearly felt sentence).
MIXED_MIN_SHARE = 0.35
MIXED_MIN_MASS = 0.45
# VADER's negation check re-lowercases the whole sentence for every word, so
# its cost grows with the square of the sentence length (a 99,000-character
# English sentence took 33 s).  Longer sentences are scored in windows of this
# many words and the window scores averaged by length; real sentences are far
# shorter, so their scores do not change.
VADER_MAX_WORDS = 300


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def normalise(total: float) -> float:
    """Squash an unbounded cue sum into [−1, 1]."""
    return total / math.sqrt(total * total + ALPHA)


def _vader_compound(text: str) -> float:
    """VADER's compound score, in windows of :data:`VADER_MAX_WORDS` words for very long text."""
    words = text.split()
    if len(words) <= VADER_MAX_WORDS:
        return _vader().polarity_scores(text)["compound"]
    total = 0.0
    for a in range(0, len(words), VADER_MAX_WORDS):
        window = words[a:a + VADER_MAX_WORDS]
        total += _vader().polarity_scores(" ".join(window))["compound"] * len(window)
    return total / len(words)


def sentence_score(sentence: Sentence, sc: SentenceCues) -> float:
    """Polarity score of one sentence in [−1, 1]."""
    if sentence.language == Language.en:
        compound = _vader_compound(sentence.text)
        if compound == 0.0 and sc.cues:
            # VADER knows no word here, but a curated emotion word may ("grateful" does; "grieve" doesn't)
            return normalise(sum(c.polarity * c.weight for c in sc.cues))
        return compound
    total = sum(c.polarity * c.weight for c in sc.cues)
    total *= 1.0 + rules.EXCLAMATION_BOOST * sc.exclamations
    if sc.rhetorical:
        total = -total
    elif sc.question:
        total *= rules.QUESTION_SCALAR
    return normalise(total)


def polarity_of(score: float) -> Polarity:
    """The polarity label of a single sentence score."""
    if score >= NEUTRAL_BAND:
        return Polarity.positive
    if score <= -NEUTRAL_BAND:
        return Polarity.negative
    return Polarity.neutral


def sentence_weights(sentences: list[Sentence], cues: list[SentenceCues]) -> list[float]:
    """How much each sentence counts in the story-level reading."""
    n = len(sentences)
    weights = [1.0] * n
    for i, (s, sc) in enumerate(zip(sentences, cues)):
        if s.is_dialogue:
            weights[i] *= DIALOGUE_WEIGHT
        if sc.starts_with_turn and i > 0:
            weights[i] *= TURN_SENTENCE_WEIGHT
            weights[i - 1] *= BEFORE_TURN_SENTENCE_WEIGHT
    if n > 1:
        weights[-1] *= FINAL_SENTENCE_WEIGHT
    return weights


def story_sentiment(scores: list[float], weights: list[float]) -> Sentiment:
    """Combine sentence scores into the story's polarity and intensity."""
    pos = neg = aff_w = all_w = 0.0
    peak = 0.0
    for s, w in zip(scores, weights):
        all_w += w
        if abs(s) < NEUTRAL_BAND:
            continue
        aff_w += w
        peak = max(peak, abs(s))
        if s > 0:
            pos += w * s
        else:
            neg += w * -s
    if aff_w == 0:
        return Sentiment(Polarity.neutral, 0.0, 0.0, 0.0, 0.0)
    denom = aff_w + NON_AFFECTIVE_SHARE * (all_w - aff_w)
    score = (pos - neg) / denom
    mass = pos + neg
    weaker = min(pos, neg)
    # Intensity: how strongly the story feels, whichever way. The strength of
    # its net reading, lifted by its most intense sentence, so a story with one
    # overwhelming moment is not averaged into tepidness.
    strength = mass / denom
    intensity = min(1.0, 0.55 * strength + 0.45 * peak)
    if weaker / mass >= MIXED_MIN_SHARE and weaker >= MIXED_MIN_MASS:
        polarity = Polarity.mixed
    else:
        polarity = polarity_of(score)
        if polarity == Polarity.neutral:
            intensity = min(intensity, 0.2)
    return Sentiment(polarity, intensity, max(-1.0, min(1.0, score)), pos / mass, neg / mass)
