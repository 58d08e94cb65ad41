"""Emotion distributions over the shared taxonomy, with their evidence."""

from __future__ import annotations

from ..analysis.report import EMOTIONS, Evidence
from .cues import SentenceCues

# Mass of "no particular emotion" a sentence starts with: one clear emotion
# word (strength 2) leaves the sentence 74 % emotional, 26 % neutral.
NEUTRAL_MASS = 0.7
# A sentence that feels positive or negative without a named emotion still
# leans: pleasant descriptions towards joy/love, unpleasant ones towards
# sadness/disgust (DUTIR files most evaluative words under 好 and 恶).
SPILL = 0.6
EXCLAMATION_GAIN = 0.15
MAX_EVIDENCE = 12
NON_NEUTRAL = tuple(e for e in EMOTIONS if e != "neutral")


def sentence_emotions(sc: SentenceCues, score: float) -> dict[str, float]:
    """Distribution over the 8 emotions for one sentence (sums to 1)."""
    mass = dict.fromkeys(NON_NEUTRAL, 0.0)
    gain = 1.0 + EXCLAMATION_GAIN * sc.exclamations
    for c in sc.cues:
        if sc.rhetorical:
            # A rhetorical question asserts the opposite of its form:
            # "难道这不是幸福吗？" is happiness, "难道这叫幸福吗？" is not.
            if c.negated and c.base_emotion is not None:
                mass[c.base_emotion] += c.base_strength * c.weight * gain
            elif c.emotion in ("joy", "love"):
                mass["sadness"] += 0.5 * c.strength * c.weight * gain
            elif c.emotion is not None:
                mass[c.emotion] += c.strength * c.weight * gain
            continue
        if c.emotion is not None and c.strength > 0:
            mass[c.emotion] += c.strength * c.weight * gain
    total = sum(mass.values())
    if total == 0.0 and abs(score) >= 0.2:
        if score > 0:
            mass["joy"] += SPILL * score * 0.5
            mass["love"] += SPILL * score * 0.5
        else:
            mass["sadness"] += SPILL * -score * 0.5
            mass["disgust"] += SPILL * -score * 0.5
        total = sum(mass.values())
    dist = {e: m / (total + NEUTRAL_MASS) for e, m in mass.items()}
    dist["neutral"] = NEUTRAL_MASS / (total + NEUTRAL_MASS)
    return dist


def story_emotions(dists: list[dict[str, float]], weights: list[float]) -> dict[str, float]:
    """Weighted mixture of sentence distributions; sums to 1."""
    acc = dict.fromkeys(EMOTIONS, 0.0)
    wsum = 0.0
    for d, w in zip(dists, weights):
        # Sentences with no feeling at all count half: a story is not less sad
        # because it also says where it happened.
        w = w * (0.5 if d["neutral"] >= 0.999 else 1.0)
        wsum += w
        for e, p in d.items():
            acc[e] += w * p
    if wsum == 0:
        return {e: (1.0 if e == "neutral" else 0.0) for e in EMOTIONS}
    out = {e: v / wsum for e, v in acc.items()}
    norm = sum(out.values())
    return {e: v / norm for e, v in out.items()}


def dominant(dist: dict[str, float], affective: bool = False) -> str:
    """The strongest non-neutral emotion, unless the text shows none.

    Neutral wins when it outweighs all other emotions together — unless the
    text is known to be ``affective`` (its polarity is not neutral), in which
    case the strongest emotion it shows is named if it has any share at all.
    """
    if all(dist.get(e, 0.0) < 0.02 for e in NON_NEUTRAL):
        return "neutral"
    if not affective and dist.get("neutral", 0.0) >= 0.5 + 1e-9:
        return "neutral"
    return max(NON_NEUTRAL, key=lambda e: (dist.get(e, 0.0), -NON_NEUTRAL.index(e)))


def _strongest_per_word(found: dict[str, dict[str, Evidence]]) -> dict[str, list[Evidence]]:
    return {key: sorted(bucket.values(), key=lambda e: (-e.weight, e.sentence, e.start))[:MAX_EVIDENCE]
            for key, bucket in found.items()}


def _keep(bucket: dict[str, Evidence], norm: str, ev: Evidence) -> None:
    # one entry per word: its strongest occurrence
    if norm not in bucket or bucket[norm].weight < ev.weight:
        bucket[norm] = ev


def collect_evidence(per_sentence: list[tuple[int, SentenceCues]]) -> dict[str, list[Evidence]]:
    """Evidence per emotion: the words behind it, strongest first, one entry per word."""
    found: dict[str, dict[str, Evidence]] = {e: {} for e in NON_NEUTRAL}
    for idx, sc in per_sentence:
        for c in sc.cues:
            if c.emotion is None or c.strength <= 0:
                continue
            _keep(found[c.emotion], c.norm, Evidence(text=c.text, sentence=idx, start=c.start, end=c.end,
                                                    weight=round(c.strength * c.weight, 4), negated=c.negated))
    return _strongest_per_word(found)


def polarity_evidence(per_sentence: list[tuple[int, SentenceCues]]) -> dict[str, list[Evidence]]:
    """Words pulling the story positive and negative, strongest first."""
    found: dict[str, dict[str, Evidence]] = {"positive": {}, "negative": {}}
    for idx, sc in per_sentence:
        for c in sc.cues:
            if abs(c.polarity) < 1e-9:
                continue
            side = "positive" if c.polarity > 0 else "negative"
            _keep(found[side], c.norm, Evidence(text=c.text, sentence=idx, start=c.start, end=c.end,
                                               weight=round(abs(c.polarity * c.weight), 4), negated=c.negated))
    return _strongest_per_word(found)
