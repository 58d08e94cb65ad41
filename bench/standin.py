"""A tiny stand-in for ``storyloom.analyze`` used to test the benchmark harness.

It returns an object shaped like a Report (``sentiment.polarity.value``,
``sentiment.score``, ``emotions``, ``dominant_emotion``, ``valence``,
``arousal``, ``sentences``) from a dozen hand-picked cue words.  Its figures
mean nothing; never report them as StoryLoom's.
"""

from __future__ import annotations

import re
from enum import Enum
from types import SimpleNamespace

EMOTIONS = ("joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral")

_CUES: dict[str, tuple[str, ...]] = {
    "joy": ("开心", "高兴", "哈哈", "快乐", "不错", "好吃", "满意", "happy", "glad", "lol", "great", "fun"),
    "love": ("喜欢", "爱", "感谢", "谢谢", "推荐", "love", "thank", "thanks", "like", "awesome", "beautiful"),
    "sadness": ("难过", "伤心", "哭", "失望", "可惜", "sad", "sorry", "miss", "disappointed"),
    "anger": ("生气", "愤怒", "气死", "滚", "垃圾", "angry", "hate", "stupid", "annoying"),
    "fear": ("害怕", "担心", "恐怖", "怕", "scared", "afraid", "worried", "fear"),
    "disgust": ("恶心", "讨厌", "差", "脏", "难吃", "gross", "disgusting", "awful", "terrible"),
    "surprise": ("竟然", "居然", "没想到", "天哪", "wow", "surprised", "really", "?"),
}
_POSITIVE = {"joy", "love"}
_NEGATIVE = {"sadness", "anger", "fear", "disgust"}


class _Polarity(str, Enum):
    positive = "positive"
    negative = "negative"
    neutral = "neutral"
    mixed = "mixed"


class StandinError(Exception):
    """Raised for text with no letters or CJK characters (like EmptyText)."""


def analyze(text: str, lang: str | None = None) -> SimpleNamespace:
    if not re.search(r"[A-Za-z\u4e00-\u9fff]", text):
        raise StandinError("no words")
    low = text.lower()
    counts = {e: sum(low.count(c) for c in cues) for e, cues in _CUES.items()}
    total = sum(counts.values())
    if total == 0:
        emotions = {e: (1.0 if e == "neutral" else 0.0) for e in EMOTIONS}
    else:
        emotions = {e: counts.get(e, 0) * 0.8 / total for e in EMOTIONS}
        emotions["neutral"] = 0.2
    dominant = max(EMOTIONS, key=lambda e: (emotions[e], -EMOTIONS.index(e)))
    pos = sum(counts[e] for e in _POSITIVE)
    neg = sum(counts[e] for e in _NEGATIVE)
    score = (pos - neg) / (pos + neg) if pos + neg else 0.0
    if pos and neg and abs(score) < 0.34:
        polarity = _Polarity.mixed
    elif score > 0:
        polarity = _Polarity.positive
    elif score < 0:
        polarity = _Polarity.negative
    else:
        polarity = _Polarity.neutral
    sentences = [s for s in re.split(r"(?<=[。！？!?.])\s*", text) if s.strip()]
    return SimpleNamespace(
        sentiment=SimpleNamespace(polarity=polarity, score=score, intensity=abs(score)),
        emotions=emotions,
        dominant_emotion=dominant,
        valence=5.0 + 2.5 * score,
        arousal=5.0 + min(3.0, total * 0.5),
        sentences=sentences,
    )
