"""Labels and small text helpers shared by the renderers (terminal, Markdown, HTML).

Everything here is a pure function of plain values, so both renderers say the
same thing in the same words.  The interface follows the story's language:
a Chinese story gets Chinese labels (in Traditional characters when the story
is written in them, converted with OpenCC), an English story English ones.

Scales (DESIGN.md): intensity in [0, 1]; valence and arousal on 1–9 with 5
neutral; emotion shares sum to 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from functools import lru_cache, partial
from typing import Any

from ..analysis.report import (
    EMOTION_ZH,
    EMOTIONS,
    Arc,
    ArcShape,
    Evidence,
    Polarity,
    Report,
    SentenceAffect,
    Sentiment,
)

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
        # themes, keywords, style, story elements and structure (analysis issue)
        "themes": "主题",
        "theme": "主题",
        "theme_score": "得分",
        "theme_evidence": "依据",
        "similar_sentences": "意思相近的句子",
        "keywords": "关键词",
        "keywords_help": "最能代表这个故事的词，越靠前越重要。",
        "style": "写作风格",
        "figure": "指标",
        "elements": "故事要素",
        "characters": "人物",
        "places": "地点",
        "times": "时间",
        "objects": "物品",
        "structure": "叙事结构",
        "structure_help": "按拉波夫（Labov）的叙事模型给每一句标注作用，可以看出故事在哪里转折。",
        "role": "作用",
        "s_turn": "转折",
        "s_peak": "情感高点",
        "s_resolution": "结局",
        "mark_turn": "转折",
        "mark_peak": "情感高点",
        "mark_resolution": "结局",
        "sentence_range": "（第{a}–{b}句）",
        "sentence_no": "第{n}句",
        "times_count": "{n} 次",
        "list_sep": "，",
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
        # themes, keywords, style, story elements and structure (analysis issue)
        "themes": "Themes",
        "theme": "Theme",
        "theme_score": "Score",
        "theme_evidence": "Evidence",
        "similar_sentences": "similar sentences",
        "keywords": "Keywords",
        "keywords_help": "The words that best characterise this story, most important first.",
        "style": "Style",
        "figure": "Figure",
        "elements": "Story elements",
        "characters": "People",
        "places": "Places",
        "times": "Times",
        "objects": "Objects",
        "structure": "Narrative structure",
        "structure_help": "The role of each sentence in Labov's model of personal narrative — "
        "it shows where the story turns.",
        "role": "Role",
        "s_turn": "Turn",
        "s_peak": "Strongest evaluation",
        "s_resolution": "Resolution",
        "mark_turn": "turn",
        "mark_peak": "emotional peak",
        "mark_resolution": "resolution",
        "sentence_range": " (s{a}–{b})",
        "sentence_no": "Sentence {n}",
        "times_count": "×{n}",
        "list_sep": ", ",
    },
}

# Chinese theme names, as the labels in resources/themes/themes.json.
THEME_NAMES: dict[str, str] = {
    "family": "家庭", "friendship": "友情", "love": "爱情", "loss": "失去", "health": "健康",
    "work": "工作", "school": "学校", "travel": "旅行", "home": "家", "kindness": "善意",
    "conflict": "冲突", "danger": "危险", "animals": "动物", "achievement": "成就",
    "loneliness": "孤独", "change": "变化", "childhood": "童年", "nature": "自然",
}

# Labov (1972) roles of a sentence in a personal narrative.
ROLE_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "abstract": "概要", "orientation": "铺垫", "complicating_action": "发展",
        "evaluation": "评价", "resolution": "结局", "coda": "尾声",
    },
    "en": {
        "abstract": "abstract", "orientation": "orientation", "complicating_action": "complicating action",
        "evaluation": "evaluation", "resolution": "resolution", "coda": "coda",
    },
}
ROLE_HELP: dict[str, dict[str, str]] = {
    "zh": {
        "abstract": "先概括故事讲什么",
        "orientation": "交代时间、地点、人物",
        "complicating_action": "事情发生、推进",
        "evaluation": "讲述者的感受与看法",
        "resolution": "事情的结果",
        "coda": "回到现在、收尾",
    },
    "en": {
        "abstract": "what the story is about",
        "orientation": "who, when and where",
        "complicating_action": "what happened next",
        "evaluation": "how the teller felt and why it mattered",
        "resolution": "how it ended",
        "coda": "back to the present",
    },
}

ELEMENT_KINDS = ("characters", "places", "times", "objects")
MENTION_KINDS_ZH: dict[str, str] = {
    "narrator": "讲述者", "addressee": "主角", "person": "人名", "kinship": "亲属", "role": "身份", "group": "群体",
    "place": "地点", "organisation": "机构", "time": "时间", "object": "物品",
}


# Style figures (keys of the Style JSON) and the words used to show them.
STYLE_NAMES: dict[str, dict[str, str]] = {
    "zh": {
        "pov": "人称", "sentence_length": "平均句长", "sentence_variety": "句长变化", "longest_sentence": "最长的句子",
        "lexical_diversity": "用词丰富度", "ttr": "不重复词比例", "readability": "阅读难度",
        "common_characters": "常用字", "reading_ease": "易读度", "word_length": "平均词长", "dialogue": "对话",
        "figurative": "比喻", "sensory": "感官描写", "tense": "时态", "narrative_arc": "叙事弧（功能词）",
        "staging": "铺陈", "plot_progression": "情节推进", "cognitive_tension": "认知张力",
    },
    "en": {
        "pov": "Point of view", "sentence_length": "Sentence length", "sentence_variety": "Sentence variety",
        "longest_sentence": "Longest sentence", "lexical_diversity": "Lexical diversity (MTLD)",
        "ttr": "Distinct words", "readability": "Reading level", "common_characters": "Common characters",
        "reading_ease": "Reading ease (Flesch)", "word_length": "Word length", "dialogue": "Dialogue",
        "figurative": "Figurative language", "sensory": "Sensory language", "tense": "Tense",
        "narrative_arc": "Narrative arc (function words)", "staging": "staging",
        "plot_progression": "plot progression", "cognitive_tension": "cognitive tension",
    },
}
STYLE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "confidence": "置信度", "spread": "标准差", "cv": "变异系数", "per_sentence": "每句 {n} {unit}",
        "types_tokens": "不同词 / 总词数", "unreliable": "（文本较短，仅供参考）", "grade": "约相当年级",
        "common_2500": "属于 2500 常用字", "common_3500": "3500 常用+次常用字", "utterances": "段数",
        "count": "{n} 处", "per_1000": "每千{unit}", "past_share": "过去式占比", "syllables": "音节",
        "lengths_aria": "每句的长度", "start": "开头", "end": "结尾",
    },
    "en": {
        "confidence": "confidence", "spread": "spread (SD)", "cv": "relative spread",
        "per_sentence": "{n} {unit} per sentence", "types_tokens": "distinct / all words",
        "unreliable": "(short text: a rough guide)", "grade": "grade", "common_2500": "in the 2,500 common characters",
        "common_3500": "in the 3,500", "utterances": "quotes", "count": "{n} found",
        "per_1000": "per 1,000 {unit}", "past_share": "past forms", "syllables": "syllables",
        "lengths_aria": "Length of each sentence", "start": "beginning", "end": "end",
    },
}
UNIT_NAMES: dict[str, dict[str, str]] = {
    "zh": {"characters": "字", "words": "词"},
    "en": {"characters": "characters", "words": "words"},
}
POV_NAMES: dict[str, dict[str, str]] = {
    "zh": {"first": "第一人称", "second": "第二人称", "third": "第三人称"},
    "en": {"first": "first person", "second": "second person", "third": "third person"},
}
SENSE_NAMES: dict[str, str] = {"sight": "视觉", "sound": "听觉", "smell": "嗅觉", "touch": "触觉", "taste": "味觉"}
TENSE_NAMES: dict[str, str] = {"past": "过去时", "present": "现在时", "future": "将来时", "mixed": "混合"}

POLARITY_NAMES: dict[str, dict[str, str]] = {
    "zh": {"positive": "积极", "negative": "消极", "neutral": "中性", "mixed": "悲喜交织"},
    "en": {"positive": "positive", "negative": "negative", "neutral": "neutral", "mixed": "mixed"},
}

# Two-character glosses for the single-character DUTIR names in EMOTION_ZH.
EMOTION_GLOSS_ZH: dict[str, str] = {
    "joy": "喜悦", "love": "喜爱", "sadness": "悲伤", "anger": "愤怒",
    "fear": "恐惧", "disgust": "厌恶", "surprise": "惊讶", "neutral": "无明显情绪",
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


# -- reports in either form ---------------------------------------------------
#
# The renderers accept a Report or its JSON form (``Report.to_dict()``, e.g. a
# stored report).  The analysis sections (themes, keywords, style, elements)
# are always read through their plain JSON-like form, so a Report whose
# ``style`` is a ``Style`` and one whose ``style`` is a dict render alike.


def plain(value: Any) -> Any:
    """Dataclasses and enums as plain dicts, lists and strings (JSON-like)."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _num(value: object, default: float | None = None) -> float | None:
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, (int, float)):
        f = float(value)
        return f if math.isfinite(f) else default
    return default


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _mapping(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _enum(cls: type[Enum], value: object, default: Enum) -> Any:
    try:
        return cls(value)
    except ValueError:
        return value if isinstance(value, str) and value else default


def _known(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def as_report(report: Report | Mapping[str, Any]) -> Report:
    """``report`` itself, or a :class:`Report` rebuilt from its ``to_dict()`` form.

    Missing affect fields get neutral defaults, so a partial stored report
    still renders; the analysis sections stay in their plain form.
    """
    if isinstance(report, Report):
        return report
    if not isinstance(report, Mapping):
        raise TypeError("a renderer needs a Report or its to_dict() form")
    d = report
    sent = _mapping(d.get("sentiment"))
    sentiment = Sentiment(
        polarity=_enum(Polarity, sent.get("polarity"), Polarity.neutral),
        intensity=_num(sent.get("intensity"), 0.0) or 0.0,
        score=_num(sent.get("score"), 0.0) or 0.0,
        positive=_num(sent.get("positive"), 0.0) or 0.0,
        negative=_num(sent.get("negative"), 0.0) or 0.0,
    )
    a = _mapping(d.get("arc"))
    arc = Arc(
        shape=_enum(ArcShape, a.get("shape"), ArcShape.flat),
        values=[v for v in (_num(x) for x in _list(a.get("values"))) if v is not None],
        raw=[v for v in (_num(x) for x in _list(a.get("raw"))) if v is not None],
        confidence=_num(a.get("confidence"), 0.0) or 0.0,
        method=str(a.get("method") or "dct"),
    )
    sentences = []
    for i, s in enumerate(x for x in _list(d.get("sentences")) if isinstance(x, Mapping)):
        text = str(s.get("text") or "")
        start = _int(s.get("start"))
        start = 0 if start is None else start
        end = _int(s.get("end"))
        sentences.append(SentenceAffect(
            index=_int(s.get("index")) if _int(s.get("index")) is not None else i,
            text=text, start=start, end=start + len(text) if end is None else end,
            language=str(s.get("language") or d.get("language") or ""),
            paragraph=_int(s.get("paragraph")) or 0,
            polarity=_enum(Polarity, s.get("polarity"), Polarity.neutral),
            score=_num(s.get("score"), 0.0) or 0.0, intensity=_num(s.get("intensity"), 0.0) or 0.0,
            valence=_num(s.get("valence"), 5.0) or 5.0, arousal=_num(s.get("arousal"), 5.0) or 5.0,
            emotion=str(s.get("emotion") or "neutral"), emotions=_mapping(s.get("emotions")),
            is_dialogue=bool(s.get("is_dialogue")),
        ))
    evidence: dict[str, list[Evidence]] = {}
    for emotion, items in _mapping(d.get("evidence")).items():
        for ev in _list(items):
            if not isinstance(ev, Mapping) or not isinstance(ev.get("text"), str):
                continue
            evidence.setdefault(str(emotion), []).append(Evidence(
                text=ev["text"], sentence=_int(ev.get("sentence")) or 0, start=_int(ev.get("start")) or 0,
                end=_int(ev.get("end")) or 0, weight=_num(ev.get("weight"), 0.0) or 0.0,
                negated=bool(ev.get("negated")),
            ))
    emotions = {str(k): _num(v, 0.0) or 0.0 for k, v in _mapping(d.get("emotions")).items()}
    return Report(
        text=str(d.get("text") or ""),
        language=str(d.get("language") or "en"),
        script=str(d.get("script") or ""),
        sentiment=sentiment,
        emotions=emotions,
        dominant_emotion=str(d.get("dominant_emotion") or "neutral"),
        valence=_num(d.get("valence"), 5.0) or 5.0,
        arousal=_num(d.get("arousal"), 5.0) or 5.0,
        evidence=evidence,
        arc=arc,
        sentences=sentences,
        languages=_mapping(d.get("languages")),
        themes=_list(d.get("themes")),
        keywords=_list(d.get("keywords")),
        style=d.get("style") or None,
        elements=d.get("elements") or None,
        engine=_mapping(d.get("engine")),
        stats=_mapping(d.get("stats")),
        extra=_mapping(d.get("extra")),
        safety=_safety_from(d.get("safety")),
    )


def _safety_from(value: object) -> Any:
    """The ``"safety"`` key back as a :class:`storyloom.safety.Safety` (None when absent)."""
    if not isinstance(value, Mapping):
        return None
    from ..safety import Safety

    try:
        return Safety.from_dict(dict(value))
    except (ValueError, TypeError):
        return None


def _key(value: object) -> str:
    """Enum member or string → plain lower-case key with ``_`` for separators."""
    text = str(getattr(value, "value", value) or "")
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _zh(lang: str, table: Mapping[str, str], key: str, fallback: str) -> str:
    if is_chinese(lang) and key in table:
        return localize(table[key], lang)
    return fallback


def quote(text: str, lang: str) -> str:
    """Story text quoted: “…” (Simplified Chinese, English), 「…」 (Traditional)."""
    return f"「{text}」" if lang == ZH_HANT else f"“{text}”"


def excerpt(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    one = " ".join(text.split()) if not re.search(r"[\u3400-\u9fff]", text) else "".join(text.split())
    return one if len(one) <= limit else one[: max(limit - 1, 1)].rstrip() + "…"


def count_note(count: object, lang: str, kind: str | None = None) -> str:
    """``（讲述者，2 次）`` / `` (narrator, ×2)`` after a mention or keyword, or ``""``."""
    bits = []
    if kind in ("narrator", "addressee"):
        bits.append(_zh(lang, MENTION_KINDS_ZH, kind, kind))
    n = _int(count)
    if n is not None and n > 1:
        bits.append(label(lang, "times_count", n=n))
    return parenthesise(label(lang, "list_sep").join(bits), lang) if bits else ""


def spark(values: Sequence[float], lo: float, hi: float) -> str:
    """Values as ``▁▂▃▄▅▆▇█`` between ``lo`` (▁) and ``hi`` (█)."""
    top = len(SPARK_BLOCKS) - 1
    span = hi - lo
    out = []
    for v in values:
        frac = 0.5 if span <= 0 else min(max((float(v) - lo) / span, 0.0), 1.0)
        out.append(SPARK_BLOCKS[round(frac * top)])
    return "".join(out)


def _text_of(item: object, *keys: str) -> str:
    if isinstance(item, Mapping):
        for key in keys:
            value = item.get(key)
            if isinstance(value, str) and value:
                return value
        return ""
    return str(item) if isinstance(item, str) else ""


# -- themes -----------------------------------------------------------------


def theme_name(name: str, lang: str, own_label: object = None) -> str:
    """A theme's name in the UI language: 善意 / kindness.

    Uses the theme's own ``label`` when the report carries one, else the
    active catalogue (:func:`storyloom.analysis.themes.theme_label`), else
    :data:`THEME_NAMES`.
    """
    base = _base(lang)
    if isinstance(own_label, Mapping):
        own_label = own_label.get(base)
    if isinstance(own_label, str) and own_label:
        return localize(own_label, lang)
    shown = name
    try:
        from ..analysis.themes import theme_label

        shown = theme_label(name, base)
    except Exception:  # no catalogue (broken install, bad STORYLOOM_THEMES): use our table
        shown = name
    if shown == name and base == "zh":
        shown = THEME_NAMES.get(_key(name), name)
    return localize(shown, lang)


@dataclass(frozen=True, slots=True)
class ThemeRow:
    """One theme to show: ``score`` in [0, 1], its cue words and similar sentences (0-based)."""

    name: str
    shown: str
    score: float
    words: tuple[str, ...]
    sentences: tuple[int, ...]


def theme_rows(report: Report, lang: str) -> list[ThemeRow]:
    """The report's themes, in the analyser's order (strongest first)."""
    rows = []
    for t in plain(report.themes) or []:
        if isinstance(t, (list, tuple)) and t:  # (name, score) pairs
            t = {"name": t[0], "score": t[1] if len(t) > 1 else 0.0}
        if not isinstance(t, Mapping) or not t.get("name"):
            continue
        words: list[str] = []
        sentences: list[int] = []
        for ev in _list(t.get("evidence")):
            text = _text_of(ev, "text")
            kind = _key(ev.get("kind")) if isinstance(ev, Mapping) else "word"
            idx = _int(ev.get("sentence")) if isinstance(ev, Mapping) else None
            if kind == "sentence":
                if idx is not None and idx not in sentences:
                    sentences.append(idx)
            elif text and text not in words:
                words.append(text)
        name = str(t["name"])
        score = min(max(_num(t.get("score"), 0.0) or 0.0, 0.0), 1.0)
        rows.append(ThemeRow(name, theme_name(name, lang, t.get("label")), score, tuple(words), tuple(sorted(sentences))))
    return rows


def theme_evidence(row: ThemeRow, lang: str) -> list[str]:
    """Cue words, then ``意思相近的句子（第2、3句）`` when sentences are evidence too."""
    items = list(row.words)
    if row.sentences:
        items.append(label(lang, "similar_sentences") + sentence_refs(row.sentences, lang))
    return items


# -- keywords ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeywordRow:
    term: str
    weight: float
    count: int | None


def keyword_rows(report: Report) -> list[KeywordRow]:
    """Keywords in the analyser's order (most important first), duplicates dropped."""
    rows: list[KeywordRow] = []
    seen: set[str] = set()
    for k in plain(report.keywords) or []:
        if isinstance(k, Mapping):
            term, weight, count = _text_of(k, "term", "text", "word"), _num(k.get("weight"), 0.0), _int(k.get("count"))
        elif isinstance(k, (list, tuple)) and k:
            term, weight, count = str(k[0]), _num(k[1] if len(k) > 1 else None, 0.0), None
        else:
            term, weight, count = _text_of(k), 0.0, None
        if term and term not in seen:
            seen.add(term)
            rows.append(KeywordRow(term, weight or 0.0, count))
    return rows


# -- style ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StyleRow:
    """One style figure: ``main`` (the value to emphasise), ``after`` (text that
    follows it directly), ``details`` (separate facts), ``sparks`` (labelled
    sparklines) and ``note``, the analyser's one-sentence meaning.
    """

    key: str
    name: str
    main: str
    after: str = ""
    details: tuple[str, ...] = ()
    sparks: tuple[tuple[str, str], ...] = ()
    note: str = ""


def style_name(key: str, lang: str) -> str:
    names = STYLE_NAMES[_base(lang)]
    return localize(names[key], lang) if key in names else key.replace("_", " ")


def _style_word(lang: str, key: str, **fmt: object) -> str:
    text = localize(STYLE_WORDS[_base(lang)][key], lang)
    return text.format(**fmt) if fmt else text


def _unit(unit: object, lang: str) -> str:
    key = str(unit or "")
    return localize(UNIT_NAMES[_base(lang)].get(key, key), lang)


def number(value: float) -> str:
    """A figure with as many decimals as it deserves (31, 54.2, 0.77)."""
    if float(value).is_integer() and abs(value) >= 1:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _quotes(examples: Sequence[Any], lang: str, limit: int) -> str:
    texts: list[str] = []
    for ex in examples:
        text = _text_of(ex, "text")
        if text and text not in texts:
            texts.append(text)
    return label(lang, "item_sep").join(quote(t, lang) for t in texts[:limit])


def style_rows(report: Report, lang: str) -> list[StyleRow]:
    """Each style figure present, in reading order, with its note (``Style.notes``).

    Notes for figures not formatted here are kept too (name and note only),
    so a figure added to the analyser is never silently dropped.
    """
    st = _mapping(plain(report.style))
    if not st:
        return []
    notes = {k: v for k, v in _mapping(st.get("notes")).items() if isinstance(v, str) and v}
    rows: list[StyleRow] = []
    sw = partial(_style_word, lang)

    def add(key: str, main: str, after: str = "", details: Sequence[str] = (),
            sparks: Sequence[tuple[str, str]] = ()) -> None:
        rows.append(StyleRow(key, style_name(key, lang), main, after, tuple(d for d in details if d),
                             tuple(sparks), notes.get(key, "")))

    pov = _key(st.get("pov"))
    if pov:
        conf = _num(st.get("pov_confidence"))
        shown = _zh(lang, POV_NAMES["zh"], pov, POV_NAMES["en"].get(pov, pov))
        add("pov", shown, details=[f"{sw('confidence')} {fmt2(conf)}" if conf is not None else ""])

    r = _mapping(st.get("rhythm"))
    unit = _unit(r.get("unit"), lang)
    mean = _num(r.get("mean"))
    if mean is not None:
        lengths = [v for v in (_num(x) for x in _list(r.get("lengths"))) if v is not None]
        sparks = [("", spark(lengths, 0.0, max(lengths)))] if len(lengths) > 1 else []
        add("sentence_length", sw("per_sentence", n=fmt1(mean), unit=unit), sparks=sparks)
    std, cv = _num(r.get("std")), _num(r.get("cv"))
    if std is not None:
        add("sentence_variety", f"{sw('spread')} {fmt1(std)} {unit}",
            details=[f"{sw('cv')} {fmt2(cv)}" if cv is not None else ""])
    longest, li = _num(r.get("longest")), _int(r.get("longest_index"))
    if longest is not None:
        add("longest_sentence", f"{number(longest)} {unit}", sentence_refs([li], lang) if li is not None else "")

    d = _mapping(st.get("lexical_diversity"))
    mtld, ttr = _num(d.get("mtld")), _num(d.get("ttr"))
    if d:
        caveat = sw("unreliable") if d.get("reliable") is False else ""
        if caveat and not is_chinese(lang):
            caveat = " " + caveat
        add("lexical_diversity", f"MTLD {fmt1(mtld) if mtld is not None else '—'}", caveat)
    if ttr is not None:
        tokens, types = _int(d.get("tokens")), _int(d.get("types"))
        add("ttr", fmt2(ttr), details=[f"{sw('types_tokens')} {types} / {tokens}" if tokens and types else ""])

    rd = _mapping(st.get("readability"))
    grade = _num(rd.get("grade"))
    if grade is not None:
        fk = _num(rd.get("flesch_kincaid_grade"))
        add("readability", f"{sw('grade')} {fmt1(grade)}",
            details=[f"Flesch–Kincaid {fmt1(fk)}" if fk is not None and abs(fk - grade) >= 0.05 else ""])
    share, share3 = _num(rd.get("common_char_share")), _num(rd.get("common_char_share_3500"))
    if share is not None:
        add("common_characters", percent(share), " " + sw("common_2500"),
            details=[f"{sw('common_3500')} {percent(share3)}" if share3 is not None else ""])
    fre = _num(rd.get("flesch_reading_ease"))
    if fre is not None:
        add("reading_ease", fmt1(fre), " (0–100)")
    awl = _num(rd.get("avg_word_length"))
    if awl is not None:
        wl_unit = sw("syllables") if _key(rd.get("language")) == "en" else _unit("characters", lang)
        add("word_length", f"{fmt2(awl)} {wl_unit}")

    dl = _mapping(st.get("dialogue"))
    dshare = _num(dl.get("share"))
    if dshare is not None:
        utt = _int(dl.get("utterances"))
        add("dialogue", percent(dshare), details=[f"{sw('utterances')} {utt}" if utt else ""])

    f = _mapping(st.get("figurative"))
    count = _int(f.get("count"))
    if count is not None:
        rate = _num(f.get("per_1000"))
        add("figurative", sw("count", n=count), details=[
            f"{sw('per_1000', unit=_unit(f.get('unit'), lang))} {fmt1(rate)}" if rate is not None and count else "",
            _quotes(_list(f.get("examples")), lang, 4),
        ])

    sn = _mapping(st.get("sensory"))
    counts = _mapping(sn.get("counts"))
    if counts:
        total = _int(sn.get("total"))
        examples = _mapping(sn.get("examples"))
        senses = []
        for sense, n in counts.items():
            n = _num(n, 0.0) or 0.0
            if n:
                ex = _quotes(_list(examples.get(sense)), lang, 3)
                senses.append(f"{_zh(lang, SENSE_NAMES, sense, sense)} {number(n)}" + (f" {ex}" if ex else ""))
        add("sensory", sw("count", n=total) if total is not None else "", details=senses)

    t = st.get("tense")
    if isinstance(t, Mapping):
        tense = _key(t.get("tense"))
        if tense and tense != "unknown":
            ps = _num(t.get("past_share"))
            add("tense", _zh(lang, TENSE_NAMES, tense, tense),
                details=[f"{sw('past_share')} {percent(ps)}" if ps is not None else ""])

    arc = _mapping(st.get("narrative_arc"))
    curves = {
        k: [float(x) for x in arc[k]] for k in ("staging", "plot_progression", "cognitive_tension")
        if isinstance(arc.get(k), (list, tuple)) and len(arc[k]) > 1 and all(_num(x) is not None for x in arc[k])
    }
    if curves:
        vals = [v for series in curves.values() for v in series]
        lo, hi = min(vals + [0.0]), max(vals + [0.0])  # one scale for all three, so they compare
        if "narrative_arc" not in notes and isinstance(arc.get("reading"), str) and arc["reading"]:
            notes["narrative_arc"] = arc["reading"]
        add("narrative_arc", "", sparks=[(style_name(k, lang), spark(v, lo, hi)) for k, v in curves.items()])

    shown = {row.key for row in rows}
    for key, note in notes.items():
        if key not in shown:
            rows.append(StyleRow(key, style_name(key, lang), "", note=note))
    return rows


# -- story elements -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MentionItem:
    text: str
    count: int | None
    kind: str


def element_groups(report: Report) -> list[tuple[str, list[MentionItem]]]:
    """``(kind, mentions)`` for each of characters, places, times, objects that has any."""
    el = _mapping(plain(report.elements))
    out = []
    for kind in ELEMENT_KINDS:
        items: list[MentionItem] = []
        seen: set[str] = set()
        for m in _list(el.get(kind)):
            text = _text_of(m, "text", "name", "term")
            if not text or text in seen:
                continue
            seen.add(text)
            mapping = m if isinstance(m, Mapping) else {}
            items.append(MentionItem(text, _int(mapping.get("count")), _key(mapping.get("kind"))))
        if items:
            out.append((kind, items))
    return out


def mention_text(item: MentionItem, lang: str) -> tuple[str, str]:
    """A mention and its note: ``("我", "（讲述者，2 次）")``."""
    return item.text, count_note(item.count, lang, item.kind)


# -- narrative structure --------------------------------------------------------

STRUCTURE_MARKS = ("turn", "peak", "resolution")


@dataclass(frozen=True, slots=True)
class StructureView:
    """The Labov role of each sentence (``None`` when unknown) and the turning points.

    ``marks`` maps ``turn``/``peak``/``resolution`` to a 0-based sentence index.
    """

    roles: tuple[str | None, ...]
    marks: dict[str, int]

    def marks_at(self, index: int) -> list[str]:
        return [key for key in STRUCTURE_MARKS if self.marks.get(key) == index]


def structure_view(report: Report) -> StructureView | None:
    """``elements.structure`` as roles per sentence, or ``None`` when there is none.

    Accepts ``{"labels": [{"sentence", "role"}…], "turn": …}`` or a plain list
    of labels or role names.
    """
    el = _mapping(plain(report.elements))
    raw = el.get("structure")
    summary = _mapping(raw)
    items = _list(summary.get("labels")) if summary else _list(raw)
    n = len(report.sentences)
    roles: list[str | None] = [None] * n
    for pos, item in enumerate(items):
        if isinstance(item, Mapping):
            role = item.get("role") or item.get("label")
            idx = _int(item.get("sentence", item.get("index", pos)))
        else:
            role, idx = item, pos
        if idx is not None and 0 <= idx < n and role:
            roles[idx] = _key(role)
    if not any(roles):
        return None
    marks = {}
    for key in STRUCTURE_MARKS:
        idx = _int(summary.get(key))
        if idx is not None and 0 <= idx < n:
            marks[key] = idx
    return StructureView(tuple(roles), marks)


def role_name(role: str, lang: str) -> str:
    names = ROLE_NAMES[_base(lang)]
    return localize(names[role], lang) if role in names else role.replace("_", " ")


def role_help(role: str, lang: str) -> str:
    return localize(ROLE_HELP[_base(lang)].get(role, ""), lang)


def mark_name(key: str, lang: str, capital: bool = False) -> str:
    """A turning point's name: 转折 / turn, 情感高点 / emotional peak, 结局 / resolution."""
    name = label(lang, "mark_" + key)
    return name[:1].upper() + name[1:] if capital else name
