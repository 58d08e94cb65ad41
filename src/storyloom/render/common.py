"""Labels and small text helpers shared by the terminal and Markdown renderers.

Everything here is a pure function of plain values, so both renderers say the
same thing in the same words.  The interface follows the story's language:
a Chinese story gets Chinese labels (in Traditional characters when the story
is written in them, converted with OpenCC), an English story English ones.

Scales (DESIGN.md): intensity in [0, 1]; valence and arousal on 1–9 with 5
neutral; emotion shares sum to 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..analysis.report import EMOTION_ZH, EMOTIONS, Evidence, Report

# Eight block heights for sparklines, lowest first.
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
# Left-aligned partial blocks (1/8 … 8/8 of a cell) for smooth horizontal bars.
BAR_PARTIALS = "▏▎▍▌▋▊▉█"

# A sparkline's vertical window always spans at least 4–6 on the 1–9 valence
# scale, so a nearly flat story does not look like a roller coaster.
SPARK_MIN_LOW = 4.0
SPARK_MIN_HIGH = 6.0

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "叙事工坊 · 故事情感分析",
        "language": "语言",
        "sentences": "{n} 句",
        "chars": "{n} 字",
        "words": "{n} 词",
        "engine": "引擎",
        "overall": "整体情感",
        "intensity": "强度",
        "score": "得分",
        "score_range": "（−1…+1）",
        "pos_neg": "正向 {pos} · 负向 {neg}",
        "emotions": "情绪分布",
        "emotion": "情绪",
        "share": "占比",
        "va": "效价与唤醒（1–9，5 为中性）",
        "valence": "效价",
        "arousal": "唤醒",
        "dimension": "维度",
        "value": "数值",
        "scale": "刻度",
        "meaning": "含义",
        "arc": "情感弧线",
        "arc_shape": "形状",
        "confidence": "置信度 {c}",
        "arc_points": "开头 {start} · 最低 {low}（第{low_s}句） · 最高 {high}（第{high_s}句） · 结尾 {end}",
        "by_sentence": "逐句情感",
        "sentence": "句子",
        "dialogue": "对话",
        "evidence": "情绪证据",
        "no_evidence": "没有找到明显的情绪词。",
        "negated": "（被否定）",
        "in_sentences": "（第{s}句）",
        "sentence_sep": "、",
        "item_sep": "、",
        "more": "等 {n} 处",
        "languages_mixed": "含{detail}",
    },
    "en": {
        "title": "StoryLoom · story analysis",
        "language": "Language",
        "sentences": "{n} sentences",
        "chars": "{n} characters",
        "words": "{n} words",
        "engine": "Engine",
        "overall": "Overall feeling",
        "intensity": "intensity",
        "score": "score",
        "score_range": " (−1…+1)",
        "pos_neg": "positive {pos} · negative {neg}",
        "emotions": "Emotions",
        "emotion": "Emotion",
        "share": "Share",
        "va": "Valence and arousal (1–9, 5 is neutral)",
        "valence": "Valence",
        "arousal": "Arousal",
        "dimension": "Dimension",
        "value": "Value",
        "scale": "Scale",
        "meaning": "Meaning",
        "arc": "Emotional arc",
        "arc_shape": "Shape",
        "confidence": "confidence {c}",
        "arc_points": "start {start} · low {low} (s{low_s}) · high {high} (s{high_s}) · end {end}",
        "by_sentence": "Sentence by sentence",
        "sentence": "Sentence",
        "dialogue": "dialogue",
        "evidence": "Evidence",
        "no_evidence": "No clear emotion words were found.",
        "negated": " (negated)",
        "in_sentences": " (s{s})",
        "sentence_sep": ", s",
        "item_sep": ", ",
        "more": "+{n} more",
        "languages_mixed": "with {detail}",
    },
}

POLARITY_NAMES: dict[str, dict[str, str]] = {
    "zh": {"positive": "积极", "negative": "消极", "neutral": "中性", "mixed": "悲喜交织"},
    "en": {"positive": "positive", "negative": "negative", "neutral": "neutral", "mixed": "mixed"},
}

# Two-character glosses for the single-character DUTIR names in EMOTION_ZH.
EMOTION_GLOSS_ZH: dict[str, str] = {
    "joy": "喜悦", "love": "喜爱", "sadness": "悲伤", "anger": "愤怒",
    "fear": "恐惧", "disgust": "厌恶", "surprise": "惊讶", "neutral": "平静",
}

LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "zh": {"zh": "中文", "en": "英文"},
    "en": {"zh": "Chinese", "en": "English"},
}

SCRIPT_NAMES: dict[str, dict[str, str]] = {
    "zh": {"simplified": "简体", "traditional": "繁体"},
    "en": {"simplified": "Simplified", "traditional": "Traditional"},
}

ARC_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "rise": "上升",
        "fall": "下降",
        "fall-rise": "先降后升",
        "rise-fall": "先升后降",
        "rise-fall-rise": "升—降—升",
        "fall-rise-fall": "降—升—降",
        "flat": "平稳",
    },
    "en": {
        "rise": "rise",
        "fall": "fall",
        "fall-rise": "fall-rise",
        "rise-fall": "rise-fall",
        "rise-fall-rise": "rise-fall-rise",
        "fall-rise-fall": "fall-rise-fall",
        "flat": "flat",
    },
}

# The six basic shapes of Reagan et al. (2016), with their usual nicknames;
# each text continues the shape's name.
ARC_EXPLANATIONS: dict[str, dict[str, str]] = {
    "zh": {
        "rise": "（白手起家型）：情绪一路向好，越来越明亮。",
        "fall": "（悲剧型）：情绪一路走低，越来越沉重。",
        "fall-rise": "（掉进坑里的人）：先跌入低谷，再慢慢走出来。",
        "rise-fall": "（伊卡洛斯型）：先升到高处，最后跌落。",
        "rise-fall-rise": "（灰姑娘型）：先好转，遇到挫折，最后迎来圆满。",
        "fall-rise-fall": "（俄狄浦斯型）：先跌落，燃起希望，又再次跌落。",
        "flat": "：情绪从头到尾没有明显起伏。",
    },
    "en": {
        "rise": " — rags to riches: things get better.",
        "fall": " — tragedy: things get worse.",
        "fall-rise": " — man in a hole: things go wrong, then recover.",
        "rise-fall": " — Icarus: a rise, then a fall.",
        "rise-fall-rise": " — Cinderella: a rise, a setback, then a happy ending.",
        "fall-rise-fall": " — Oedipus: a fall, a rise of hope, then a deeper fall.",
        "flat": " — steady: the feeling stays about the same.",
    },
}

_VALENCE_WORDS = {
    "zh": ("很不愉快", "不愉快", "中性", "愉快", "很愉快"),
    "en": ("very unpleasant", "unpleasant", "neutral", "pleasant", "very pleasant"),
}
_AROUSAL_WORDS = {
    "zh": ("非常平静", "平静", "适中", "激动", "非常激动"),
    "en": ("very calm", "calm", "moderate", "excited", "very excited"),
}
# Distance from the neutral 5 (on the 1–9 scale) where a value stops being
# "neutral" and where it becomes "very"; applied to the value as displayed
# (one decimal) so the word never contradicts the number next to it.
NEUTRAL_BAND = 0.5
STRONG_BAND = 2.0

_EN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


ZH_HANT = "zh-Hant"  # Chinese UI in Traditional characters, for Traditional stories


def ui_language(report: Report) -> str:
    """The interface language for a report.

    ``zh`` for Chinese stories, ``zh-Hant`` for Chinese stories written in
    Traditional characters, ``en`` otherwise.
    """
    if report.language != "zh":
        return "en"
    return ZH_HANT if str(getattr(report.script, "value", report.script)) == "traditional" else "zh"


def is_chinese(lang: str) -> bool:
    """True for the Chinese interfaces (``zh`` and ``zh-Hant``)."""
    return lang.startswith("zh")


def _base(lang: str) -> str:
    return "zh" if is_chinese(lang) else "en"


@lru_cache(maxsize=1)
def _to_traditional() -> Callable[[str], str] | None:
    try:
        import opencc

        return opencc.OpenCC("s2tw").convert
    except Exception:  # converter unavailable: Simplified labels are still readable
        return None


@lru_cache(maxsize=1024)
def localize(text: str, lang: str) -> str:
    """A Simplified UI string in the script of ``lang`` (converted for ``zh-Hant``).

    Only interface strings go through here, never story text.
    """
    if lang != ZH_HANT:
        return text
    convert = _to_traditional()
    return convert(text) if convert else text


def label(lang: str, key: str, **fmt: object) -> str:
    """One UI label in ``lang`` (``zh``, ``zh-Hant`` or ``en``), formatted with ``fmt``."""
    text = localize(LABELS[_base(lang)][key], lang)
    return text.format(**fmt) if fmt else text


def colon(lang: str) -> str:
    """The colon after a label: full-width in Chinese."""
    return "：" if is_chinese(lang) else ": "


def parenthesise(text: str, lang: str) -> str:
    """``（text）`` in Chinese, `` (text)`` in English."""
    return f"（{text}）" if is_chinese(lang) else f" ({text})"


def emotion_name(emotion: str, lang: str) -> str:
    """Display name of an emotion: ``好·喜爱`` for Chinese, ``love`` for English."""
    if is_chinese(lang) and emotion in EMOTION_ZH:
        gloss = EMOTION_GLOSS_ZH.get(emotion)
        name = f"{EMOTION_ZH[emotion]}·{gloss}" if gloss else EMOTION_ZH[emotion]
        return localize(name, lang)
    return emotion


def polarity_name(polarity: object, lang: str) -> str:
    """Display name of a polarity value (enum member or string)."""
    key = str(getattr(polarity, "value", polarity))
    return localize(POLARITY_NAMES[_base(lang)].get(key, key), lang)


def arc_key(shape: object) -> str:
    """An arc shape (enum member or string) as its plain string value."""
    return str(getattr(shape, "value", shape))


def arc_name(shape: object, lang: str) -> str:
    key = arc_key(shape)
    return localize(ARC_NAMES[_base(lang)].get(key, key), lang)


def arc_explanation(shape: object, lang: str) -> str:
    """What a shape means, written to follow its name ("rise" + this)."""
    return localize(ARC_EXPLANATIONS[_base(lang)].get(arc_key(shape), ""), lang)


def _band(value: float) -> int:
    """Five bands of the 1–9 scale around the neutral 5 (0 = very low … 4 = very high)."""
    d = round(float(value), 1) - 5.0
    if abs(d) < NEUTRAL_BAND:
        return 2
    if d > 0:
        return 4 if d >= STRONG_BAND else 3
    return 0 if -d >= STRONG_BAND else 1


def valence_word(value: float, lang: str) -> str:
    """A word for a valence on 1–9 (1 very unpleasant, 5 neutral, 9 very pleasant)."""
    return localize(_VALENCE_WORDS[_base(lang)][_band(value)], lang)


def arousal_word(value: float, lang: str) -> str:
    """A word for an arousal on 1–9 (1 very calm, 9 very intense)."""
    return localize(_AROUSAL_WORDS[_base(lang)][_band(value)], lang)


def sorted_emotions(report: Report) -> list[tuple[str, float]]:
    """All emotions of the taxonomy, strongest first (ties by taxonomy order).

    Emotions missing from ``report.emotions`` count as 0 so the list always
    has all eight; unknown extra keys are kept after them.
    """
    names = list(EMOTIONS) + sorted(k for k in report.emotions if k not in EMOTIONS)
    order = {name: i for i, name in enumerate(names)}
    items = [(name, float(report.emotions.get(name, 0.0))) for name in names]
    return sorted(items, key=lambda kv: (-kv[1], order[kv[0]]))


def percent(p: float) -> str:
    """A share in [0, 1] as a whole percentage ("42%"); tiny non-zero shares show "<1%"."""
    if 0 < p < 0.005:
        return "<1%"
    return f"{p * 100:.0f}%"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``width`` cells long filled to ``fraction`` (0–1), in eighths."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full
    if part:
        text += BAR_PARTIALS[part - 1]
    return text


def gauge(fraction: float, width: int, empty: str = "·") -> tuple[str, str]:
    """A bar and the padding that completes it to ``width`` cells."""
    filled = bar(fraction, width)
    return filled, empty * (width - len(filled))


def scale_marker(value: float, width: int, lo: float = 1.0, hi: float = 9.0) -> tuple[str, str, str]:
    """A 1–9 scale as (left line, marker, right line), ``width`` cells in all."""
    width = max(width, 3)
    span = hi - lo
    frac = 0.0 if span <= 0 else min(max((value - lo) / span, 0.0), 1.0)
    pos = round(frac * (width - 1))
    return "─" * pos, "●", "─" * (width - 1 - pos)


def resample(values: Sequence[float], n: int) -> list[float]:
    """``values`` stretched (linear interpolation) or shrunk (bucket means) to ``n`` points."""
    vals = [float(v) for v in values]
    if n <= 0 or not vals:
        return []
    if len(vals) == n:
        return vals
    if len(vals) == 1:
        return vals * n
    if len(vals) < n:
        out = []
        for i in range(n):
            x = i * (len(vals) - 1) / (n - 1) if n > 1 else 0.0
            j = min(int(x), len(vals) - 2)
            t = x - j
            out.append(vals[j] * (1 - t) + vals[j + 1] * t)
        return out
    out = []
    for i in range(n):
        a = i * len(vals) // n
        b = max((i + 1) * len(vals) // n, a + 1)
        chunk = vals[a:b]
        out.append(sum(chunk) / len(chunk))
    return out


def sparkline(values: Sequence[float], width: int | None = None) -> str:
    """Values on the 1–9 valence scale as ``▁▂▃▄▅▆▇█``.

    With ``width``, the line is resampled to exactly that many cells; the
    vertical window spans at least 4–6 so small wobbles stay small.
    """
    vals = list(values) if width is None else resample(values, width)
    if not vals:
        return ""
    lo = min(min(vals), SPARK_MIN_LOW)
    hi = max(max(vals), SPARK_MIN_HIGH)
    top = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((v - lo) / (hi - lo) * top)] for v in vals)


def spark_width(n_values: int, available: int, minimum: int = 24, maximum: int = 60) -> int:
    """How many cells a sparkline of ``n_values`` points should take."""
    want = min(max(n_values, minimum), maximum)
    return max(min(want, available), 1)


@dataclass(frozen=True, slots=True)
class ArcPoints:
    """Landmarks of an arc: values at start/end and where it is lowest/highest (1-based)."""

    start: float
    end: float
    low: float
    high: float
    low_sentence: int
    high_sentence: int


def arc_points(values: Sequence[float]) -> ArcPoints | None:
    vals = [float(v) for v in values]
    if not vals:
        return None
    low_i = min(range(len(vals)), key=lambda i: (vals[i], i))
    high_i = min(range(len(vals)), key=lambda i: (-vals[i], i))
    return ArcPoints(vals[0], vals[-1], vals[low_i], vals[high_i], low_i + 1, high_i + 1)


def count_words(text: str) -> int:
    return len(_EN_WORD.findall(text))


def size_facts(report: Report, lang: str) -> list[str]:
    """Sentence and character (Chinese) or word (English) counts, as labels."""
    stats = report.stats or {}
    n_sent = stats.get("sentences", len(report.sentences))
    facts = [label(lang, "sentences", n=n_sent)]
    if report.language == "en":
        n_words = stats.get("words", count_words(report.text))
        facts.append(label(lang, "words", n=n_words))
    else:
        n_chars = stats.get("characters", sum(1 for ch in report.text if not ch.isspace()))
        facts.append(label(lang, "chars", n=n_chars))
    return facts


def language_fact(report: Report, lang: str) -> str:
    """``中文（简体）`` / ``Chinese (Simplified)``, plus other languages present."""
    base = _base(lang)
    names = LANGUAGE_NAMES[base]
    main = names.get(report.language, report.language)
    script = SCRIPT_NAMES[base].get(str(getattr(report.script, "value", report.script)))
    if script:
        main += parenthesise(script, lang)
    others = [
        (code, n) for code, n in sorted((report.languages or {}).items())
        if code != report.language and n
    ]
    if others:
        if is_chinese(lang):
            detail = "、".join(f"{names.get(c, c)} {n} 句" for c, n in others)
            main = f"{main}，{LABELS['zh']['languages_mixed'].format(detail=detail)}"
        else:
            detail = ", ".join(
                f"{n} {names.get(c, c)} sentence{'s' if n != 1 else ''}" for c, n in others
            )
            main = f"{main}, {label(lang, 'languages_mixed', detail=detail)}"
    return localize(main, lang)


def engine_fact(engine: dict) -> str:
    """A short description of ``report.engine``: name and version, else its scalar items."""
    if not engine:
        return ""
    name = engine.get("name")
    if name:
        version = engine.get("version")
        return f"{name} {version}" if version else str(name)
    parts = [f"{k}={v}" for k, v in engine.items() if isinstance(v, (str, int, float))]
    text = ", ".join(parts)
    return text if len(text) <= 60 else text[:59] + "…"


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One evidence word for one emotion, with every sentence (0-based) it appears in."""

    text: str
    negated: bool
    sentences: tuple[int, ...]
    weight: float


def evidence_items(evidence: Sequence[Evidence]) -> list[EvidenceItem]:
    """Evidence words merged by text, strongest first (ties: first appearance)."""
    merged: dict[tuple[str, bool], list] = {}
    for order, ev in enumerate(evidence):
        key = (ev.text, bool(ev.negated))
        entry = merged.setdefault(key, [set(), 0.0, order])
        entry[0].add(int(ev.sentence))
        entry[1] += abs(float(ev.weight))
    items = [
        (EvidenceItem(text, neg, tuple(sorted(sents)), weight), order)
        for (text, neg), (sents, weight, order) in merged.items()
    ]
    items.sort(key=lambda it: (-it[0].weight, it[1]))
    return [item for item, _ in items]


def evidence_by_emotion(report: Report) -> list[tuple[str, list[EvidenceItem]]]:
    """Emotions that have evidence, in the order of ``sorted_emotions``."""
    out = []
    for name, _ in sorted_emotions(report):
        evs = (report.evidence or {}).get(name) or []
        if evs:
            out.append((name, evidence_items(evs)))
    return out


def sentence_refs(sentences: Sequence[int], lang: str) -> str:
    """``（第2、3句）`` / `` (s2, s3)`` for 0-based sentence indices."""
    numbers = [str(i + 1) for i in sentences]
    return label(lang, "in_sentences", s=label(lang, "sentence_sep").join(numbers))


def local_spans(
    report: Report,
    sentence_index: int,
    sentence_text: str,
    sentence_start: int,
    merge_touching: bool = False,
) -> list[tuple[int, int, bool]]:
    """Evidence spans inside one sentence as (start, end, negated), sentence-relative.

    Evidence offsets index ``report.text``; when they do not line up with the
    sentence text (e.g. the sentence was stripped), the word is searched for
    instead.  Overlapping spans are merged; with ``merge_touching`` so are
    spans that meet (Markdown cannot put two bold runs side by side).
    """
    spans: list[tuple[int, int, bool]] = []
    for evs in (report.evidence or {}).values():
        for ev in evs:
            if ev.sentence != sentence_index or not ev.text:
                continue
            a = ev.start - sentence_start
            b = ev.end - sentence_start
            if not (0 <= a < b <= len(sentence_text) and sentence_text[a:b] == ev.text):
                a = sentence_text.find(ev.text)
                if a < 0:
                    continue
                b = a + len(ev.text)
            spans.append((a, b, bool(ev.negated)))
    spans.sort()
    merged: list[tuple[int, int, bool]] = []
    for a, b, neg in spans:
        if merged and (a < merged[-1][1] or (merge_touching and a == merged[-1][1])):
            pa, pb, pneg = merged[-1]
            merged[-1] = (pa, max(pb, b), pneg and neg)
        else:
            merged.append((a, b, neg))
    return merged


def fmt1(value: float) -> str:
    return f"{value:.1f}"


def fmt2(value: float) -> str:
    return f"{value:.2f}"


def signed(value: float) -> str:
    """``+0.62`` / ``−0.08`` (a true minus sign, matching the "−1…+1" range)."""
    return f"{value:+.2f}".replace("-", "−")
