"""Valence and arousal on the 1–9 scales of CVAW / Chinese EmoBank (5 = neutral).

Word ratings come from Chinese EmoBank (CVAW) for Chinese and from the
EmoBank-trained word model (``resources/en_va``) for English.  The sentence's
polarity score is blended in, so sentences whose words are unrated — or rated
but negated by the rules — still get a sensible reading.
"""

from __future__ import annotations

import os

from .cues import SentenceCues

NEUTRAL = 5.0
SCORE_SPAN = 3.4  # a sentence scoring ±1 reads as valence 8.4 / 1.6
LEXICON_SHARE = 0.5  # share of rated words in the blend when some are present
BASE_AROUSAL = 4.0  # plain narration is calm rather than neutral-excited
EXCLAMATION_AROUSAL = 0.5


def clamp(x: float) -> float:
    """Keep a reading on the 1–9 scale."""
    return max(1.0, min(9.0, x))



# English sentences also have the EmoBank-trained sentence-level reading
# (resources/en_va), which is calibrated to human ratings.  Its share, by
# EmoBank dev valence r (bench/evaluate.py --split dev --datasets emobank):
# 0 → 0.50, 0.8 → 0.545, 0.9 → 0.547 with the confidence cap below; 0.8
# keeps the spread of valence that clearly felt personal stories need.
EN_MODEL_SHARE = float(os.environ.get("STORYLOOM_EN_MODEL_SHARE", "0.8"))


def sentence_va(sc: SentenceCues, score: float, model: tuple[float, float, float] | None = None) -> tuple[float, float]:
    """(valence, arousal) of one sentence.

    ``model`` is an optional (valence, arousal, coverage) reading from a
    trained sentence model (English); it is blended in by its coverage.
    """
    v_sum = a_sum = w_sum = 0.0
    for c in sc.cues:
        if c.valence is None:
            continue
        w = c.weight * (0.5 + abs(c.valence - NEUTRAL))
        v_sum += w * c.valence
        a_sum += w * (c.arousal if c.arousal is not None else BASE_AROUSAL)
        w_sum += w
    score_v = NEUTRAL + SCORE_SPAN * score
    if w_sum > 0:
        valence = LEXICON_SHARE * (v_sum / w_sum) + (1 - LEXICON_SHARE) * score_v
        arousal = a_sum / w_sum
    else:
        valence = score_v
        arousal = BASE_AROUSAL + 2.0 * abs(score)
    if model is not None and model[2] > 0:
        share = EN_MODEL_SHARE * model[2]
        # The model ignores negators ("not happy"); the rule score does not,
        # so when they disagree in sign the model's valence is not trusted.
        if (model[0] - NEUTRAL) * (valence - NEUTRAL) < 0 and abs(score) >= 0.3:
            share *= 0.3
        # EmoBank's ratings crowd around 5, so its model understates clearly
        # felt sentences ("I was so happy … I screamed with joy!" → 5.2);
        # when the rules are confident they keep at least half the say.
        share = min(share, 1.0 - 0.5 * min(1.0, abs(score) / 0.6))
        valence = share * model[0] + (1 - share) * valence
        arousal = share * model[1] + (1 - share) * arousal
    arousal += EXCLAMATION_AROUSAL * sc.exclamations
    return clamp(valence), clamp(arousal)


def story_va(values: list[tuple[float, float]], scores: list[float], weights: list[float]) -> tuple[float, float]:
    """Story valence and arousal: affective sentences count more than plain ones."""
    v_sum = a_sum = w_sum = 0.0
    for (v, a), s, w in zip(values, scores, weights):
        ww = w * (0.3 + abs(s))
        v_sum += ww * v
        a_sum += ww * a
        w_sum += ww
    if w_sum == 0:
        return NEUTRAL, BASE_AROUSAL
    return clamp(v_sum / w_sum), clamp(a_sum / w_sum)
