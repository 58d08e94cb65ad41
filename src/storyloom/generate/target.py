"""Turning what the user asks for (乐, 温暖, hopeful, bittersweet…) into a :class:`Target`."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..analysis.report import EMOTION_ZH, EMOTIONS, Report
from ..errors import InvalidOption
from .types import Target

# Where each emotion sits on the 1–9 valence scale (CVAW/ANEW-like centroids),
# so a target blend has a valence the reranker can aim at.
EMOTION_VALENCE: dict[str, float] = {
    "joy": 7.6, "love": 7.2, "surprise": 6.0, "neutral": 5.0,
    "sadness": 2.8, "fear": 3.0, "anger": 2.9, "disgust": 2.9,
}
# A story's own feeling as the default target: its dominant emotion, with
# the rest of its non-neutral mix kept as a minority so blends survive.
DOMINANT_SHARE = 0.7


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    text = resources.files("storyloom.resources.generate").joinpath("targets.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, spec = line.split("\t")[:2]
        dist = {k: float(v) for k, v in (item.split(":") for item in spec.split())}
        table[word.strip().lower()] = _normalise(dist)
    for name in EMOTIONS:
        table.setdefault(name, {name: 1.0})
    for name, zh in EMOTION_ZH.items():
        table.setdefault(zh, {name: 1.0})
    return table


def _normalise(dist: dict[str, float]) -> dict[str, float]:
    unknown = set(dist) - set(EMOTIONS)
    if unknown:
        raise ValueError(f"unknown emotions in targets.tsv: {sorted(unknown)}")
    total = sum(dist.values()) or 1.0
    return {e: dist.get(e, 0.0) / total for e in EMOTIONS}


def known_labels() -> list[str]:
    """Every free word :func:`resolve_target` understands without analysis."""
    return sorted(_words())


def target_valence(dist: dict[str, float]) -> float:
    """The 1–9 valence of an emotion distribution, from each emotion's centroid."""
    return sum(p * EMOTION_VALENCE[e] for e, p in dist.items())


def _from_analysis(label: str) -> dict[str, float] | None:
    """Read an unlisted word (欣慰, 心碎, "elated") with the affect engine itself."""
    from .. import analyze
    from ..errors import StoryLoomError

    try:
        report = analyze(label, parts=())
    except StoryLoomError:
        return None
    emotions = {e: p for e, p in report.emotions.items() if e != "neutral"}
    if not emotions or max(emotions.values()) < 0.25:
        return None
    return _normalise(emotions)


def resolve_target(label: str | Target | None, report: Report) -> Target:
    """The target for a new story.

    ``label`` may be one of our emotions (``love``, ``乐``), a free word
    (温暖, 治愈, hopeful, bittersweet — see ``resources/generate/targets.tsv``;
    other words are read by the affect engine), a ready :class:`Target`, or
    ``None`` for the story's own dominant emotion.  A user's label always wins
    over what the analysis found.
    """
    if isinstance(label, Target):
        return label
    if label is None or not str(label).strip():
        return _story_target(report)
    raw = str(label).strip()
    key = raw.lower()
    table = _words()
    dist = table.get(key)
    if dist is None:
        from ..text import to_simplified

        dist = table.get(to_simplified(key))
    if dist is None:
        dist = _from_analysis(raw)
    if dist is None:
        examples = "joy, love, sadness, anger, fear, disgust, surprise, neutral, 温暖, 治愈, hopeful, bittersweet"
        raise InvalidOption(
            f"Unknown target emotion {raw!r}: use one of our emotions or a feeling word such as {examples}."
        )
    dominant = max(dist, key=lambda e: (dist[e], e == "neutral"))
    return Target(emotion=dominant, emotions=dist, valence=round(target_valence(dist), 3), label=raw, source="user")


def _story_target(report: Report) -> Target:
    feelings = {e: p for e, p in report.emotions.items() if e != "neutral" and p > 0}
    if not feelings:
        dist = _normalise({"neutral": 1.0})
        return Target("neutral", dist, 5.0, label="", source="story")
    dominant = max(feelings, key=feelings.__getitem__)
    rest = sum(p for e, p in feelings.items() if e != dominant)
    dist = {
        e: DOMINANT_SHARE if e == dominant else ((1 - DOMINANT_SHARE) * feelings.get(e, 0.0) / rest if rest else 0.0)
        for e in EMOTIONS
    }
    if not rest:
        dist[dominant] = 1.0
    dist = _normalise(dist)
    return Target(dominant, dist, round(report.valence, 3), label="", source="story")
