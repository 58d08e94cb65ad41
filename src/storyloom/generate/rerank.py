"""Scoring candidates against the target and the plan; lower is better.

The score is the objective of the closed loop: the emotional distance between
a candidate (as the analyser reads it) and the target, plus its mismatch with
what the user's story fixes.  Every term is in [0, 1] so the weights say
plainly how much each matters.
"""

from __future__ import annotations

import math
import re

from scipy.spatial.distance import jensenshannon

from ..analysis.report import EMOTIONS, Report
from .types import Plan, Score, Target

# Emotion is what the user asked for, so it leads; losing a person or place
# the user wrote is nearly as bad; content and themes keep the story theirs
# without pinning it to the original wording (recolouring changes words).
W_EMOTION = 1.0
W_VALENCE = 0.5
W_ELEMENTS = 0.6
W_THEMES = 0.3
W_CONTENT = 0.3
W_SAFETY = 10.0  # a candidate that raises the risk level is never chosen

_RISK_RANK = {"none": 0, "concern": 1, "urgent": 2}
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# Point-of-view words change by design; they are not lost content.
_POV_CHARS = set("我你他她们咱俺的")
_EN_POV = {
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "you", "your", "yours", "yourself",
    "he", "him", "his", "she", "her", "hers", "they", "them", "their", "the", "and", "was", "were", "that",
    "with", "for", "had", "have", "has", "are", "but", "not", "this", "from",
}


def emotion_distance(target: dict[str, float], found: dict[str, float]) -> float:
    """Jensen–Shannon distance (base 2, so 0–1) between two emotion distributions."""
    p = [target.get(e, 0.0) for e in EMOTIONS]
    q = [found.get(e, 0.0) for e in EMOTIONS]
    if not any(q):
        return 1.0
    d = float(jensenshannon(p, q, base=2))
    return 0.0 if math.isnan(d) else d


def content_units(text: str, language: str) -> set[str]:
    """What content overlap is counted in: CJK character bigrams, or English words."""
    if language == "en":
        return {w.lower() for w in _WORD.findall(text)} - _EN_POV
    units: set[str] = set()
    for run in _CJK.findall(text):
        units.update(
            run[i:i + 2] for i in range(len(run) - 1) if not (_POV_CHARS & set(run[i:i + 2]))
        )
    return units


def lost_elements(plan: Plan, text: str) -> tuple[list[str], int]:
    """The plan's people, places and times that the candidate no longer names."""
    wanted = [c.name for c in plan.characters] + plan.places + plan.times
    low = text.lower() if plan.language == "en" else text
    lost = [w for w in wanted if (w.lower() if plan.language == "en" else w) not in low]
    return lost, len(wanted)


def theme_distance(original: Report, candidate: Report) -> float:
    """1 − cosine similarity of theme score vectors (0 when neither has themes)."""
    a = {t.name: t.score for t in original.themes}
    b = {t.name: t.score for t in candidate.themes}
    if not a:
        return 0.0
    dot = sum(a[k] * b.get(k, 0.0) for k in a)
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return 1.0 if not nb else max(0.0, 1.0 - dot / (na * nb))


def risk_of(report: Report) -> str:
    safety = getattr(report, "safety", None)
    risk = getattr(safety, "risk", None)
    return getattr(risk, "value", risk) or "none"


def score(candidate: Report, text: str, *, target: Target, plan: Plan, original: Report,
          source_units: set[str]) -> Score:
    """Score one analysed candidate (``text`` is its body, close excluded for content)."""
    emo = emotion_distance(target.emotions, candidate.emotions)
    val = min(1.0, abs(candidate.valence - target.valence) / 8.0)
    lost, wanted = lost_elements(plan, text)
    elem = len(lost) / wanted if wanted else 0.0
    units = content_units(text, plan.language)
    content = 1.0 - (len(source_units & units) / len(source_units) if source_units else 1.0)
    themes = theme_distance(original, candidate)
    unsafe = 1.0 if _RISK_RANK.get(risk_of(candidate), 0) > _RISK_RANK.get(risk_of(original), 0) else 0.0
    total = (W_EMOTION * emo + W_VALENCE * val + W_ELEMENTS * elem + W_THEMES * themes
             + W_CONTENT * content + W_SAFETY * unsafe)
    return Score(
        total=round(total, 4), emotion=round(emo, 4), valence=round(val, 4), elements=round(elem, 4),
        content=round(content, 4), themes=round(themes, 4), safety=unsafe,
        dominant=candidate.dominant_emotion, lost=lost,
    )
