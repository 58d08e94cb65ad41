"""The :class:`Report`: everything StoryLoom understood about one story.

The JSON form (``Report.to_dict()``) is a public contract identified by
``SCHEMA``: keys may be added, never renamed or removed without bumping it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

SCHEMA = "storyloom.report/1"


class Polarity(str, Enum):
    """Overall direction of feeling."""

    positive = "positive"
    negative = "negative"
    neutral = "neutral"
    mixed = "mixed"


class Emotion(str, Enum):
    """The emotion taxonomy shared by both languages (DUTIR 7 classes + neutral)."""

    joy = "joy"  # 乐
    love = "love"  # 好: liking, warmth, gratitude, admiration
    sadness = "sadness"  # 哀
    anger = "anger"  # 怒
    fear = "fear"  # 惧
    disgust = "disgust"  # 恶
    surprise = "surprise"  # 惊
    neutral = "neutral"


EMOTIONS: tuple[str, ...] = tuple(e.value for e in Emotion)
EMOTION_ZH: dict[str, str] = {
    "joy": "乐", "love": "好", "sadness": "哀", "anger": "怒",
    "fear": "惧", "disgust": "恶", "surprise": "惊", "neutral": "中",
}


class Engine(str, Enum):
    """Which reader of sentences produced a Report (``Report.engine["name"]``)."""

    lexicon = "lexicon"
    model = "model"


class ArcShape(str, Enum):
    """Emotional arc shapes after Reagan et al. (2016)."""

    rise = "rise"  # rags to riches
    fall = "fall"  # tragedy
    fall_rise = "fall-rise"  # man in a hole
    rise_fall = "rise-fall"  # Icarus
    rise_fall_rise = "rise-fall-rise"  # Cinderella
    fall_rise_fall = "fall-rise-fall"  # Oedipus
    flat = "flat"


@dataclass(slots=True)
class Sentiment:
    """Polarity with ``score`` in [-1, 1] and ``intensity`` in [0, 1].

    ``positive`` and ``negative`` are the shares of affective weight pulling
    each way (they sum to 1 when the text carries any sentiment, else 0).
    """

    polarity: Polarity
    intensity: float
    score: float
    positive: float = 0.0
    negative: float = 0.0


@dataclass(slots=True)
class Evidence:
    """A word or phrase that shows an emotion, and where it is."""

    text: str
    sentence: int
    start: int
    end: int
    weight: float
    negated: bool = False


@dataclass(slots=True)
class Arc:
    """Per-sentence valence (1–9), its low-pass smoothing and its shape."""

    shape: ArcShape
    values: list[float]
    raw: list[float]
    confidence: float = 0.0
    method: str = "dct"


@dataclass(slots=True)
class SentenceAffect:
    """Affect of one sentence; offsets index ``Report.text``."""

    index: int
    text: str
    start: int
    end: int
    language: str
    paragraph: int
    polarity: Polarity
    score: float
    intensity: float
    valence: float
    arousal: float
    emotion: str
    emotions: dict[str, float] = field(default_factory=dict)
    is_dialogue: bool = False


@dataclass(slots=True)
class Report:
    """The analysis of one story. Build it with :func:`storyloom.analyze`."""

    text: str
    language: str
    script: str
    sentiment: Sentiment
    emotions: dict[str, float]
    dominant_emotion: str
    valence: float
    arousal: float
    evidence: dict[str, list[Evidence]]
    arc: Arc
    sentences: list[SentenceAffect]
    languages: dict[str, int] = field(default_factory=dict)
    # What the story is about, how it is told, who is in it (analysis issue).
    # Typed by their analyser modules (analysis.themes, .style, .elements);
    # empty or None when that analyser did not run.
    themes: list[Any] = field(default_factory=list)
    keywords: list[Any] = field(default_factory=list)
    style: Any | None = None
    elements: Any | None = None
    engine: dict[str, Any] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # Crisis-language reading, typed by storyloom.safety (Safety): JSON key "safety" =
    # {"risk": none|concern|urgent, "categories": [...], "evidence": [{"text", "sentence", ...}]}.
    safety: Any | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, with enum members as plain strings."""
        data = _plain(asdict(self))
        if isinstance(data.get("safety"), dict) and data["safety"].get("risk", "none") != "none":
            # what a person at risk should see travels with the report, so every
            # consumer (web page, export, another program) can show it
            from ..safety import support_notice

            notice = support_notice(self)
            if notice is not None:
                data["safety"]["heading"] = notice.heading
                data["safety"]["message"] = notice.message
                data["safety"]["resources"] = [_plain(asdict(r)) for r in notice.resources]
        ordered: dict[str, Any] = {"schema": SCHEMA}
        ordered.update(data)
        return ordered

    def to_json(self, indent: int | None = 2) -> str:
        """``to_dict()`` as JSON text; Chinese is kept readable (not escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def top_emotions(self, k: int = 3, include_neutral: bool = False) -> list[tuple[str, float]]:
        """The ``k`` strongest emotions, strongest first (ties broken by name)."""
        items = [
            (name, p) for name, p in self.emotions.items() if include_neutral or name != "neutral"
        ]
        return sorted(items, key=lambda kv: (-kv[1], kv[0]))[:k]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value
