"""A :class:`~storyloom.analysis.report.Report` as one self-contained HTML page.

The page works offline and from a single file: inline CSS, charts drawn here
as inline SVG, and one small vanilla script that only improves the hover
tooltips (every chart point also carries an SVG ``<title>``, so nothing is
lost without JavaScript).  No CDN, web font or external request of any kind.

It reads the Report through its JSON form (``Report.to_dict()``), so a stored
report renders the same way, and a section whose data is missing or empty
(themes, keywords, style, elements before their analysers ran) is skipped.

Safety: every piece of user text — the story, sentences, evidence, names,
keywords, even unknown keys — goes through :func:`esc` before it reaches the
page, in text and in attributes alike.  No user data is ever put inside the
``<script>`` element.  The story is shown exactly as analysed (never
re-spaced or converted); only interface labels follow the story's language
(Chinese for Chinese stories, in Traditional characters for Traditional ones).

Scales (DESIGN.md): intensity in [0, 1]; valence and arousal on 1–9 with 5
neutral; emotion shares sum to 1.
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from . import common as c
from .common import (  # label tables shared with the terminal and Markdown renderers
    ELEMENT_KINDS,
    MENTION_KINDS_ZH,
    POV_NAMES,
    ROLE_HELP,
    ROLE_NAMES,
    SENSE_NAMES,
    STYLE_NAMES,
    STYLE_WORDS,
    TENSE_NAMES,
    THEME_NAMES,
    UNIT_NAMES,
)

# -- labels --------------------------------------------------------------------

# Interface strings beyond common.LABELS (Simplified Chinese; common.localize
# converts them for Traditional stories); section names shared with the
# terminal and Markdown views (themes, elements, structure…) are in common.LABELS.
HTML_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "summary": "概览",
        "dominant": "主要情绪",
        "arc_shape": "弧线形状",
        "arc_help": "横轴是句子顺序，纵轴是效价（1 很不愉快，5 中性，9 很愉快）。"
        "圆点是每一句的效价，曲线是平滑后的走势；把鼠标移到圆点上（或用 Tab 键选中）可以看到那一句。",
        "arc_aria": "情感弧线：{n} 句，形状为{shape}。开头 {start}，最低 {low}，最高 {high}，结尾 {end}。",
        "smoothed": "平滑走势",
        "per_sentence": "逐句效价",
        "emotions_help": "八种情绪在整个故事中所占的比例，合计为 100%。",
        "va_help": "横轴为效价（愉快程度），纵轴为唤醒（激动程度），都是 1–9，5 为中性。"
        "大圆点是整个故事，小圆点是每一句。",
        "va_aria": "效价—唤醒图：整个故事的效价 {v}，唤醒 {a}。",
        "story_point": "整个故事",
        "q_hh": "愉快 · 激动",
        "q_hl": "愉快 · 平静",
        "q_lh": "不快 · 激动",
        "q_ll": "不快 · 平静",
        "themes_help": "故事在讲什么：得分越高，这个主题越明显；下面列出支持它的词句。",
        "keywords_help": "最能代表这个故事的词，字越大越重要；小字是出现次数。",
        "style_help": "故事是怎么讲的：每个数字后面是一句话的解释。",
        "structure_aria": "叙事结构：每一句的作用",
        "story": "故事原文",
        "story_help": "每句的底色表示效价：越暖越愉快，越冷越不愉快，白色为中性；"
        "标记的词是情绪证据，把鼠标移上去可看到对应的情绪。",
        "tint_low": "不愉快",
        "tint_mid": "中性",
        "tint_high": "愉快",
        "footer": "由叙事工坊在本机离线生成；本页不加载任何外部资源。",
        "bar_aria": "{name}：{value}",
        "curve_aria": "{name}：随故事进展的变化曲线",
    },
    "en": {
        "summary": "Summary",
        "dominant": "Main emotion",
        "arc_shape": "Arc shape",
        "arc_help": "Left to right is the order of sentences; up and down is valence "
        "(1 very unpleasant, 5 neutral, 9 very pleasant). Dots are sentences, the line is the smoothed trend; "
        "hover over a dot (or Tab to it) to read the sentence.",
        "arc_aria": "Emotional arc over {n} sentences, shape {shape}: start {start}, low {low}, high {high}, end {end}.",
        "smoothed": "smoothed trend",
        "per_sentence": "sentence valence",
        "emotions_help": "How much of the story each of the eight emotions takes up; they add up to 100%.",
        "va_help": "Across: valence (how pleasant); up: arousal (how intense); both 1–9 with 5 neutral. "
        "The big dot is the whole story, small dots are sentences.",
        "va_aria": "Valence–arousal plot: the story has valence {v} and arousal {a}.",
        "story_point": "whole story",
        "q_hh": "pleasant · excited",
        "q_hl": "pleasant · calm",
        "q_lh": "unpleasant · excited",
        "q_ll": "unpleasant · calm",
        "themes_help": "What the story is about: the higher the score, the clearer the theme; "
        "the words and sentences behind it are listed.",
        "keywords_help": "The words that best characterise this story (larger is more important); "
        "the count is how often each appears.",
        "style_help": "How the story is told: each figure comes with a sentence saying what it means.",
        "structure_aria": "Narrative structure: the role of each sentence",
        "story": "The story",
        "story_help": "Each sentence is tinted by its valence: warmer is more pleasant, cooler less pleasant, "
        "white neutral. Marked words are emotion evidence; hover over one to see its emotion.",
        "tint_low": "unpleasant",
        "tint_mid": "neutral",
        "tint_high": "pleasant",
        "footer": "Made offline on this computer by StoryLoom; this page loads nothing from the internet.",
        "bar_aria": "{name}: {value}",
        "curve_aria": "{name}: how it changes through the story",
    },
}

ROLE_COLORS: dict[str, str] = {
    "abstract": "#8e8cd8",
    "orientation": "#6ba3d6",
    "complicating_action": "#e8864a",
    "evaluation": "#c264a8",
    "resolution": "#4fae7a",
    "coda": "#9aa0a6",
}

# Emotion colours (used with labels and numbers, never as the only cue).
EMOTION_COLORS: dict[str, str] = {
    "joy": "#e0a800",
    "love": "#d9537a",
    "sadness": "#3f73c4",
    "anger": "#cf3f31",
    "fear": "#7d5ba6",
    "disgust": "#5f8f2f",
    "surprise": "#e07b16",
    "neutral": "#8a9097",
}
POLARITY_COLORS: dict[str, str] = {
    "positive": "#c77700",
    "negative": "#2f62b3",
    "neutral": "#5f6670",
    "mixed": "#8a4fa8",
}
# Diverging valence tint: warm amber above 5, cool blue below (colour-blind safe).
WARM = (244, 162, 40)
COOL = (70, 130, 220)
TINT_MAX_ALPHA = 0.38  # keeps dark text above 7:1 contrast on the strongest tint

ARC_CURVE_COLORS = ("#3f73c4", "#e07b16", "#c264a8", "#4fae7a")

TITLE_SNIPPET = 24  # characters of the story shown in the page title

_CLASS_SAFE = re.compile(r"[^a-z0-9_-]")


# -- small helpers ---------------------------------------------------------------


def esc(value: object) -> str:
    """HTML-escape any value for text or a double- or single-quoted attribute."""
    return _html.escape("" if value is None else str(value), quote=True)


_num = c._num  # shared value coercions (render/common.py)


def _key(value: object) -> str:
    """Enum member or string → plain lower-case key with ``_`` for separators."""
    text = str(getattr(value, "value", value) or "")
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _class(value: object) -> str:
    return _CLASS_SAFE.sub("", _key(value))


def _base(lang: str) -> str:
    return "zh" if c.is_chinese(lang) else "en"


def _t(lang: str, key: str, **fmt: object) -> str:
    table = HTML_LABELS[_base(lang)]
    if key not in table:  # a label shared with the other renderers
        return c.label(lang, key, **fmt)
    text = c.localize(table[key], lang)
    return text.format(**fmt) if fmt else text


def _zh(lang: str, table: Mapping[str, str], key: str, fallback: str) -> str:
    if c.is_chinese(lang) and key in table:
        return c.localize(table[key], lang)
    return fallback


def _f(x: float) -> str:
    """An SVG coordinate."""
    return f"{x:.1f}"


def _pct(p: float) -> str:
    return c.percent(min(max(p, 0.0), 1.0))


def _fmt_number(value: float) -> str:
    return c.number(value)


def _rgba(rgb: tuple[int, int, int], alpha: float) -> str:
    return f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha:.2f})"


def valence_tint(valence: float | None) -> str:
    """Background for a sentence: transparent at 5, amber up to 9, blue down to 1."""
    if valence is None:
        return "transparent"
    d = (min(max(valence, 1.0), 9.0) - 5.0) / 4.0
    if abs(d) < 0.03:
        return "transparent"
    return _rgba(WARM if d > 0 else COOL, abs(d) * TINT_MAX_ALPHA)


def _emotion_color(name: str) -> str:
    return EMOTION_COLORS.get(name, "#8a9097")


def _as_dict(report: Any) -> dict[str, Any]:
    if hasattr(report, "to_dict"):
        return report.to_dict()
    if isinstance(report, Mapping):
        return dict(report)
    raise TypeError("render_html needs a Report or its to_dict() form")


_list = c._list
_mapping = c._mapping


def _text_of(item: object, *keys: str) -> str:
    """The display text of a mention/keyword given as a string or a mapping."""
    if isinstance(item, Mapping):
        for key in keys:
            value = item.get(key)
            if isinstance(value, str) and value:
                return value
        return ""
    return str(item) if item is not None else ""


# -- the page ------------------------------------------------------------------


class _Page:
    """Builds the page from the JSON form of a report."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.d = data
        shim = SimpleNamespace(
            language=data.get("language") or "en",
            script=data.get("script") or "",
            stats=_mapping(data.get("stats")),
            languages=_mapping(data.get("languages")),
            text=data.get("text") or "",
            sentences=_list(data.get("sentences")),
            engine=_mapping(data.get("engine")),
        )
        self.shim = shim
        self.lang = c.ui_language(shim)  # type: ignore[arg-type]
        self.sentences: list[dict[str, Any]] = [s for s in _list(data.get("sentences")) if isinstance(s, Mapping)]

    # labels
    def L(self, key: str, **fmt: object) -> str:  # noqa: N802 - short on purpose
        return c.label(self.lang, key, **fmt)

    def T(self, key: str, **fmt: object) -> str:  # noqa: N802
        return _t(self.lang, key, **fmt)

    def emotion(self, name: str) -> str:
        return c.emotion_name(name, self.lang)

    @property
    def zh(self) -> bool:
        return c.is_chinese(self.lang)

    def html_lang(self) -> str:
        if self.lang == c.ZH_HANT:
            return "zh-Hant"
        return "zh-Hans" if self.zh else "en"

    def sentence_no(self, i: int) -> str:
        return self.T("sentence_no", n=i + 1)

    def sentence_tip(self, i: int, valence: float | None, arousal: float | None = None) -> str:
        """``第2句 · 效价 7.2 · 乐·喜悦`` and, on the next line, the sentence itself."""
        s = self.sentences[i] if i < len(self.sentences) else {}
        head = [self.sentence_no(i)]
        if valence is not None:
            head.append(f"{self.L('valence')} {c.fmt1(valence)}")
        if arousal is not None:
            head.append(f"{self.L('arousal')} {c.fmt1(arousal)}")
        emo = s.get("emotion")
        if isinstance(emo, str) and emo:
            head.append(self.emotion(emo))
        text = s.get("text") or ""
        return " · ".join(head) + ("\n" + text if text else "")

    # -- assembly ------------------------------------------------------------

    def render(self) -> str:
        sections = [
            self.support(),  # only at concern/urgent (storyloom.safety)
            self.summary(),
            self.arc(),
            self.emotions(),
            self.valence_arousal(),
            self.themes(),
            self.keywords(),
            self.style(),
            self.elements(),
            self.structure(),
            self.story(),
        ]
        body = "\n".join(s for s in sections if s)
        title = self.L("title")
        # The story's opening, for browser tabs and file lists (Chinese lines join without spaces).
        opening = ("" if self.d.get("language") == "zh" else " ").join((self.d.get("text") or "").split())
        if opening:
            cut = opening[:TITLE_SNIPPET]
            title += f" — {cut}{'…' if len(opening) > TITLE_SNIPPET else ''}"
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{self.html_lang()}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="color-scheme" content="light">\n'
            '<meta name="generator" content="StoryLoom">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<main class="page">\n{self.header()}\n{body}\n</main>\n'
            f'<footer class="page foot"><p>{esc(self.T("footer"))}</p></footer>\n'
            '<div id="tip" role="tooltip" hidden></div>\n'
            f"<script>{JS}</script>\n</body>\n</html>\n"
        )

    def section(self, key: str, title: str, inner: str, help_text: str | None = None) -> str:
        help_html = f'<p class="help">{esc(help_text)}</p>' if help_text else ""
        return (
            f'<section id="{key}" class="card" aria-labelledby="h-{key}">'
            f'<h2 id="h-{key}">{esc(title)}</h2>{help_html}{inner}</section>'
        )

    # -- header and summary --------------------------------------------------

    def header(self) -> str:
        facts = [c.language_fact(self.shim, self.lang), *c.size_facts(self.shim, self.lang)]  # type: ignore[arg-type]
        engine = c.engine_fact(self.shim.engine)
        line = " · ".join(esc(f) for f in facts)
        if engine:
            line += f' · <span class="muted">{esc(self.L("engine"))}{esc(c.colon(self.lang))}{esc(engine)}</span>'
        return f'<header class="top"><h1>{esc(self.L("title"))}</h1><p class="facts">{line}</p></header>'

    def support(self) -> str:
        """The supportive message and support services, in a calm card."""
        from ..safety import support_notice

        notice = support_notice(self.d)
        if notice is None:
            return ""
        zh = notice.language != "en"
        items = []
        for res in notice.resources:
            name = esc(res.name)
            if res.url and res.url.startswith(("https://", "http://")):
                name = f'<a href="{esc(res.url)}" rel="noopener">{name}</a>'
            extras = [x for x in (res.hours, res.note) if x]
            tail = ""
            if extras:
                joined = ("，" if zh else "; ").join(esc(x) for x in extras)
                tail = f' <span class="muted">{"（" + joined + "）" if zh else "(" + joined + ")"}</span>'
            items.append(f"<li><strong>{name}</strong>{'：' if zh else ': '}{esc(res.contact)}{tail}</li>")
        return (
            f'<section id="support" class="card support" role="note" aria-labelledby="h-support" '
            f'data-risk="{esc(notice.risk.value)}"><h2 id="h-support">{esc(notice.heading)}</h2>'
            f'<p>{esc(notice.message)}</p><ul class="support-list">{"".join(items)}</ul></section>'
        )

    def summary(self) -> str:
        cards = []
        sent = _mapping(self.d.get("sentiment"))
        if sent:
            pol = _key(sent.get("polarity"))
            intensity = _num(sent.get("intensity"), 0.0) or 0.0
            score = _num(sent.get("score"))
            color = POLARITY_COLORS.get(pol, "#5f6670")
            detail = []
            if score is not None:
                detail.append(f"{self.L('score')} {c.signed(score)}{self.L('score_range')}")
            pos, neg = _num(sent.get("positive"), 0.0) or 0.0, _num(sent.get("negative"), 0.0) or 0.0
            if pos or neg:
                detail.append(self.L("pos_neg", pos=_pct(pos), neg=_pct(neg)))
            cards.append(
                f'<div class="stat" id="polarity"><div class="stat-k">{esc(self.L("overall"))}</div>'
                f'<div class="stat-v" style="color:{color}">{esc(c.polarity_name(pol, self.lang))}</div>'
                f'<div class="stat-d">{esc(self.L("intensity"))} {esc(c.fmt2(intensity))}</div>'
                f"{self.meter(intensity, color, self.L('intensity'), c.fmt2(intensity))}"
                + "".join(f'<div class="stat-d">{esc(x)}</div>' for x in detail)
                + "</div>"
            )
        dom = self.d.get("dominant_emotion")
        emotions = _mapping(self.d.get("emotions"))
        if isinstance(dom, str) and dom:
            share = _num(emotions.get(dom))
            cards.append(
                f'<div class="stat"><div class="stat-k">{esc(self.T("dominant"))}</div>'
                f'<div class="stat-v"><span class="dot" style="background:{_emotion_color(dom)}"></span>'
                f"{esc(self.emotion(dom))}</div>"
                + (f'<div class="stat-d">{esc(self.L("share"))} {esc(_pct(share))}</div>' if share is not None else "")
                + "</div>"
            )
        v, a = _num(self.d.get("valence")), _num(self.d.get("arousal"))
        if v is not None and a is not None:
            cards.append(
                f'<div class="stat"><div class="stat-k">{esc(self.L("valence"))} / {esc(self.L("arousal"))}</div>'
                f'<div class="stat-v">{esc(c.fmt1(v))} / {esc(c.fmt1(a))}</div>'
                f'<div class="stat-d">{esc(c.valence_word(v, self.lang))} · {esc(c.arousal_word(a, self.lang))}</div>'
                "</div>"
            )
        arc = _mapping(self.d.get("arc"))
        if arc.get("shape"):
            shape = arc["shape"]
            cards.append(
                f'<div class="stat"><div class="stat-k">{esc(self.T("arc_shape"))}</div>'
                f'<div class="stat-v">{esc(c.arc_name(shape, self.lang))}</div>'
                f'<div class="stat-d">{esc(c.arc_explanation(shape, self.lang).lstrip(" —：:"))}</div></div>'
            )
        if not cards:
            return ""
        return self.section("summary", self.T("summary"), f'<div class="stats">{"".join(cards)}</div>')

    def meter(self, fraction: float, color: str, name: str, shown: str) -> str:
        frac = min(max(fraction, 0.0), 1.0)
        return (
            f'<div class="track" role="img" aria-label="{esc(self.T("bar_aria", name=name, value=shown))}">'
            f'<span class="fill" style="width:{frac * 100:.1f}%;background:{color}"></span></div>'
        )

    # -- emotional arc -------------------------------------------------------

    def arc(self) -> str:
        arc = _mapping(self.d.get("arc"))
        n = len(self.sentences)
        raw = [_num(v) for v in _list(arc.get("raw"))]
        if len(raw) != n:
            raw = [_num(s.get("valence")) for s in self.sentences]
        smooth = [v for v in (_num(x) for x in _list(arc.get("values"))) if v is not None]
        if n == 0 and not smooth:
            return ""
        W, H = 720.0, 300.0
        left, right, top, bottom = 48.0, 16.0, 14.0, 54.0
        pw, ph = W - left - right, H - top - bottom

        inset = 14.0  # keeps the first and last points inside the plot

        def x_at(pos: float, count: int) -> float:
            if count <= 1:
                return left + pw / 2
            return left + inset + (pw - 2 * inset) * pos / (count - 1)

        def y_at(v: float) -> float:
            return top + ph * (9.0 - min(max(v, 1.0), 9.0)) / 8.0

        parts = [
            f'<svg class="chart arc" viewBox="0 0 {W:.0f} {H:.0f}" role="group" '
            f'aria-labelledby="arc-title arc-desc" preserveAspectRatio="xMidYMid meet">'
        ]
        values = smooth or [v for v in raw if v is not None]
        pts = c.arc_points(values) if values else None
        shape = arc.get("shape")
        aria = (
            self.T(
                "arc_aria", n=n, shape=c.arc_name(shape, self.lang) if shape else "—",
                start=c.fmt1(pts.start), low=c.fmt1(pts.low), high=c.fmt1(pts.high), end=c.fmt1(pts.end),
            )
            if pts
            else self.L("arc")
        )
        parts.append(f'<title id="arc-title">{esc(self.L("arc"))}</title><desc id="arc-desc">{esc(aria)}</desc>')
        # background bands: pleasant above 5, unpleasant below
        parts.append(
            f'<rect x="{_f(left)}" y="{_f(top)}" width="{_f(pw)}" height="{_f(ph / 2)}" fill="{_rgba(WARM, 0.07)}"/>'
            f'<rect x="{_f(left)}" y="{_f(top + ph / 2)}" width="{_f(pw)}" height="{_f(ph / 2)}" '
            f'fill="{_rgba(COOL, 0.07)}"/>'
        )
        for g in (1, 3, 5, 7, 9):
            y = y_at(g)
            cls = "grid mid" if g == 5 else "grid"
            parts.append(
                f'<line class="{cls}" x1="{_f(left)}" x2="{_f(W - right)}" y1="{_f(y)}" y2="{_f(y)}"/>'
                f'<text class="tick" x="{_f(left - 8)}" y="{_f(y + 4)}" text-anchor="end">{g}</text>'
            )
        # x ticks: sentence numbers, thinned to at most ~16 labels
        step = max(1, math.ceil(n / 16)) if n else 1
        for i in range(0, n, step):
            x = x_at(i, n)
            parts.append(f'<text class="tick" x="{_f(x)}" y="{_f(H - bottom + 22)}" text-anchor="middle">{i + 1}</text>')
        parts.append(
            f'<text class="axis" x="{_f(left + pw / 2)}" y="{_f(H - 6)}" text-anchor="middle">'
            f"{esc(self.L('sentence'))}</text>"
            f'<text class="axis y-axis" x="14" y="{_f(top + ph / 2)}" text-anchor="middle" '
            f'transform="rotate(-90 14 {_f(top + ph / 2)})">{esc(self.L("valence"))}</text>'
        )
        if smooth:
            coords = [(x_at(i, len(smooth)), y_at(v)) for i, v in enumerate(smooth)]
            if len(coords) == 1:
                coords = [(left, coords[0][1]), (W - right, coords[0][1])]
            d = "M" + " L".join(f"{_f(x)},{_f(y)}" for x, y in coords)
            area = d + f" L{_f(coords[-1][0])},{_f(y_at(5))} L{_f(coords[0][0])},{_f(y_at(5))} Z"
            parts.append(f'<path class="area" d="{area}"/><path class="line" d="{d}"><title>'
                         f"{esc(self.T('smoothed'))}</title></path>")
        radius = 6.0 if n <= 40 else 4.5 if n <= 100 else 3.0
        parts.append('<g class="points">')
        for i, v in enumerate(raw):
            if v is None:
                continue
            emo = self.sentences[i].get("emotion") if i < len(self.sentences) else None
            color = _emotion_color(emo if isinstance(emo, str) else "")
            parts.append(
                f'<circle class="pt" data-i="{i}" tabindex="0" role="img" cx="{_f(x_at(i, n))}" cy="{_f(y_at(v))}" '
                f'r="{radius:.1f}" fill="{color}"><title>{esc(self.sentence_tip(i, v))}</title></circle>'
            )
        parts.append("</g></svg>")
        legend_emotions = []
        for s in self.sentences:
            emo = s.get("emotion")
            if isinstance(emo, str) and emo and emo not in legend_emotions:
                legend_emotions.append(emo)
        legend = (
            '<ul class="legend">'
            f'<li><span class="swatch line-swatch"></span>{esc(self.T("smoothed"))}</li>'
            + "".join(
                f'<li><span class="dot" style="background:{_emotion_color(e)}"></span>{esc(self.emotion(e))}</li>'
                for e in legend_emotions
            )
            + "</ul>"
        )
        caption = ""
        if shape:
            text = c.arc_explanation(shape, self.lang)
            conf = _num(arc.get("confidence"))
            if conf:
                text += c.parenthesise(self.L("confidence", c=c.fmt2(conf)), self.lang)
            caption = f'<p class="caption"><strong>{esc(c.arc_name(shape, self.lang))}</strong>{esc(text)}</p>'
        figure = f'<figure class="fig">{"".join(parts)}{legend}</figure>'
        return self.section("arc", self.L("arc"), caption + figure, self.T("arc_help"))

    # -- emotions ------------------------------------------------------------

    def emotions(self) -> str:
        dist = _mapping(self.d.get("emotions"))
        if not dist:
            return ""
        shim = SimpleNamespace(emotions={k: (_num(v, 0.0) or 0.0) for k, v in dist.items()})
        dom = self.d.get("dominant_emotion")
        rows = []
        for name, p in c.sorted_emotions(shim):  # type: ignore[arg-type]
            shown = self.emotion(name)
            cls = "bar-row dominant" if name == dom else "bar-row"
            rows.append(
                f'<li class="{cls}" data-emotion="{esc(name)}"><span class="bar-name">'
                f'<span class="dot" style="background:{_emotion_color(name)}"></span>{esc(shown)}</span>'
                f"{self.meter(p, _emotion_color(name), shown, _pct(p))}"
                f'<span class="bar-val">{esc(_pct(p))}</span></li>'
            )
        return self.section("emotions", self.L("emotions"), f'<ul class="bars">{"".join(rows)}</ul>',
                            self.T("emotions_help"))

    # -- valence–arousal -----------------------------------------------------

    def valence_arousal(self) -> str:
        v, a = _num(self.d.get("valence")), _num(self.d.get("arousal"))
        if v is None or a is None:
            return ""
        S, pad = 320.0, 40.0
        inner = S - pad - 12.0

        def px(val: float) -> float:
            return pad + inner * (min(max(val, 1.0), 9.0) - 1.0) / 8.0

        def py(val: float) -> float:
            return 12.0 + inner * (9.0 - min(max(val, 1.0), 9.0)) / 8.0

        mid_x, mid_y = px(5), py(5)
        parts = [
            f'<svg class="chart va" viewBox="0 0 {S:.0f} {S:.0f}" role="group" aria-labelledby="va-title va-desc">',
            f'<title id="va-title">{esc(self.L("va"))}</title>'
            f'<desc id="va-desc">{esc(self.T("va_aria", v=c.fmt1(v), a=c.fmt1(a)))}</desc>',
            f'<rect x="{_f(pad)}" y="12" width="{_f(inner)}" height="{_f(inner)}" class="plot-bg"/>',
            f'<rect x="{_f(mid_x)}" y="12" width="{_f(inner / 2)}" height="{_f(inner)}" fill="{_rgba(WARM, 0.08)}"/>',
            f'<rect x="{_f(pad)}" y="12" width="{_f(inner / 2)}" height="{_f(inner)}" fill="{_rgba(COOL, 0.08)}"/>',
            f'<line class="grid mid" x1="{_f(mid_x)}" x2="{_f(mid_x)}" y1="12" y2="{_f(12 + inner)}"/>',
            f'<line class="grid mid" x1="{_f(pad)}" x2="{_f(pad + inner)}" y1="{_f(mid_y)}" y2="{_f(mid_y)}"/>',
        ]
        q = [("q_lh", pad + 6, 26, "start"), ("q_hh", pad + inner - 6, 26, "end"),
             ("q_ll", pad + 6, 12 + inner - 8, "start"), ("q_hl", pad + inner - 6, 12 + inner - 8, "end")]
        for key, x, y, anchor in q:
            parts.append(f'<text class="quad" x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}">{esc(self.T(key))}</text>')
        for g in (1, 5, 9):
            parts.append(f'<text class="tick" x="{_f(px(g))}" y="{_f(12 + inner + 16)}" text-anchor="middle">{g}</text>')
            parts.append(f'<text class="tick" x="{_f(pad - 6)}" y="{_f(py(g) + 4)}" text-anchor="end">{g}</text>')
        parts.append(
            f'<text class="axis" x="{_f(pad + inner / 2)}" y="{_f(S - 4)}" text-anchor="middle">{esc(self.L("valence"))}</text>'
            f'<text class="axis" x="12" y="{_f(12 + inner / 2)}" text-anchor="middle" '
            f'transform="rotate(-90 12 {_f(12 + inner / 2)})">{esc(self.L("arousal"))}</text>'
        )
        anchor = "start" if v < 7 else "end"
        story_tip = f"{self.T('story_point')} · {self.L('valence')} {c.fmt1(v)} · {self.L('arousal')} {c.fmt1(a)}"
        parts.append(
            f'<circle class="story-pt" role="img" cx="{_f(px(v))}" cy="{_f(py(a))}" r="9"><title>{esc(story_tip)}</title></circle>'
            f'<text class="story-label" x="{_f(px(v) + (10 if v < 7 else -10))}" y="{_f(py(a) - 12)}" '
            f'text-anchor="{anchor}">{esc(self.T("story_point"))}</text>'
        )
        parts.append('<g class="points">')  # sentences on top of the story's point
        for i, s in enumerate(self.sentences):
            sv, sa = _num(s.get("valence")), _num(s.get("arousal"))
            if sv is None or sa is None:
                continue
            emo = s.get("emotion")
            parts.append(
                f'<circle class="pt va-pt" data-i="{i}" tabindex="0" role="img" cx="{_f(px(sv))}" cy="{_f(py(sa))}" r="4.5" '
                f'fill="{_emotion_color(emo if isinstance(emo, str) else "")}">'
                f"<title>{esc(self.sentence_tip(i, sv, sa))}</title></circle>"
            )
        parts.append("</g></svg>")
        values = (
            f'<dl class="va-values"><dt>{esc(self.L("valence"))}</dt><dd><strong>{esc(c.fmt1(v))}</strong> '
            f'{esc(c.valence_word(v, self.lang))}</dd><dt>{esc(self.L("arousal"))}</dt><dd><strong>{esc(c.fmt1(a))}'
            f"</strong> {esc(c.arousal_word(a, self.lang))}</dd></dl>"
        )
        inner_html = f'<div class="va-wrap"><figure class="fig va-fig">{"".join(parts)}</figure>{values}</div>'
        return self.section("va", self.L("va"), inner_html, self.T("va_help"))

    # -- themes and keywords -------------------------------------------------

    def theme_name(self, name: str, label: object = None) -> str:
        """A theme's display name: its own label in the UI language if given, else ours."""
        if isinstance(label, Mapping):
            label = label.get(_base(self.lang))
        if isinstance(label, str) and label:
            return c.localize(label, self.lang) if self.zh else label
        return _zh(self.lang, THEME_NAMES, _key(name), name)

    def themes(self) -> str:
        themes = [t for t in _list(self.d.get("themes")) if isinstance(t, Mapping) and t.get("name")]
        if not themes:
            return ""
        top = max((_num(t.get("score"), 0.0) or 0.0) for t in themes) or 1.0
        items = []
        for t in themes:
            name = str(t["name"])
            shown_name = self.theme_name(name, t.get("label"))
            score = _num(t.get("score"), 0.0) or 0.0
            frac = score / top if top > 1 else score
            words, sentences = [], []
            for ev in _list(t.get("evidence")):
                text = _text_of(ev, "text")
                if not text:
                    continue
                kind = _key(ev.get("kind")) if isinstance(ev, Mapping) else "word"
                ref = ""
                if isinstance(ev, Mapping) and isinstance(ev.get("sentence"), int):
                    ref = c.sentence_refs([ev["sentence"]], self.lang)
                if kind == "sentence":
                    sentences.append(f'<li><q>{esc(text)}</q><span class="muted">{esc(ref)}</span></li>')
                elif text not in [w for w, _ in words]:
                    words.append((text, ref))
            ev_html = ""
            if words:
                ev_html += '<ul class="chips small">' + "".join(
                    f'<li class="chip" title="{esc(ref.strip(" （()）"))}">{esc(w)}</li>' for w, ref in words
                ) + "</ul>"
            if sentences:
                ev_html += f'<ul class="evidence">{"".join(sentences[:3])}</ul>'
            items.append(
                f'<li class="theme" data-theme="{esc(name)}"><div class="theme-head">'
                f'<span class="theme-name">{esc(shown_name)}</span>'
                f"{self.meter(frac, '#4f7fbf', shown_name, _fmt_number(score))}"
                f'<span class="bar-val">{esc(_fmt_number(score))}</span></div>{ev_html}</li>'
            )
        return self.section("themes", self.T("themes"), f'<ol class="themes">{"".join(items)}</ol>', self.T("themes_help"))

    def keywords(self) -> str:
        words = []
        for k in _list(self.d.get("keywords")):
            if isinstance(k, Mapping):
                term = _text_of(k, "term", "text", "word")
                weight = _num(k.get("weight"), 0.0) or 0.0
                count = k.get("count")
            elif isinstance(k, (list, tuple)) and k:
                term, weight, count = str(k[0]), (_num(k[1], 0.0) if len(k) > 1 else 0.0) or 0.0, None
            else:
                term, weight, count = _text_of(k), 0.0, None
            if term:
                words.append((term, weight, count))
        if not words:
            return ""
        top = max(w for _, w, _ in words) or 1.0
        chips = []
        for term, weight, count in words:
            size = 0.95 + 0.6 * (weight / top if top > 0 else 0)
            extra = ""
            if isinstance(count, int) and not isinstance(count, bool):
                extra = f'<span class="count">{esc(self.T("times_count", n=count))}</span>'
            chips.append(
                f'<li class="chip kw" style="font-size:{size:.2f}em" title="{esc(_fmt_number(weight))}">'
                f"{esc(term)}{extra}</li>"
            )
        return self.section("keywords", self.T("keywords"), f'<ul class="chips">{"".join(chips)}</ul>',
                            self.T("keywords_help"))

    # -- style ---------------------------------------------------------------

    def style_name(self, key: str) -> str:
        names = STYLE_NAMES[_base(self.lang)]
        if key in names:
            return c.localize(names[key], self.lang)
        return key.replace("_", " ")

    def unit(self, unit: object) -> str:
        table = UNIT_NAMES[_base(self.lang)]
        key = str(unit or "")
        return c.localize(table.get(key, key), self.lang)

    def quotes(self, examples: Sequence[Any], limit: int = 4) -> str:
        texts = []
        for ex in examples:
            text = _text_of(ex, "text")
            if text and text not in texts:
                texts.append(text)
        if not texts:
            return ""
        sep = "、" if self.zh else ", "
        return '<span class="examples">' + sep.join(f"<q>{esc(t)}</q>" for t in texts[:limit]) + "</span>"

    def kv(self, name: str, value: str) -> str:
        return f'<span class="kv"><span class="k">{esc(name)}</span> {esc(value)}</span>'

    def length_bars(self, lengths: Sequence[float], unit: str) -> str:
        """A small bar chart of sentence lengths, one bar per sentence."""
        H, gap = 40.0, 2.0
        bw = 16.0 if len(lengths) <= 40 else 6.0
        W = max(len(lengths) * (bw + gap) - gap, 1.0)
        top = max(lengths) or 1.0
        bars = []
        for i, v in enumerate(lengths):
            h = max(H * v / top, 1.0)
            tip = f"{self.sentence_no(i)} · {_fmt_number(v)} {unit}"
            bars.append(
                f'<rect x="{_f(i * (bw + gap))}" y="{_f(H - h)}" width="{_f(bw)}" height="{_f(h)}" fill="#8aa4c8">'
                f"<title>{esc(tip)}</title></rect>"
            )
        return (
            f'<svg class="chart lengths" viewBox="0 0 {W:.0f} {H:.0f}" width="{W:.0f}" height="{H:.0f}" '
            f'role="img" aria-label="{esc(self.S("lengths_aria"))}">{"".join(bars)}</svg>'
        )

    def style_figures(self, st: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(note key, value HTML) for each style figure present, in reading order.

        The keys are those of ``Style.notes`` (analysis.style.NOTE_KEYS), so
        each figure is shown beside its own plain-language sentence.
        """
        out: list[tuple[str, str]] = []

        def add(key: str, html: str | None) -> None:
            if html:
                out.append((key, html))

        pov = _key(st.get("pov"))
        if pov:
            shown = _zh(self.lang, POV_NAMES["zh"], pov, POV_NAMES["en"].get(pov, pov))
            conf = _num(st.get("pov_confidence"))
            add("pov", f"<strong>{esc(shown)}</strong>"
                + (" " + self.kv(self.S("confidence"), c.fmt2(conf)) if conf is not None else ""))

        r = _mapping(st.get("rhythm"))
        unit = self.unit(r.get("unit"))
        mean = _num(r.get("mean"))
        if mean is not None:
            lengths = [v for v in (_num(x) for x in _list(r.get("lengths"))) if v is not None]
            chart = self.length_bars(lengths, unit) if len(lengths) > 1 else ""
            add("sentence_length", f"<strong>{esc(self.S('per_sentence', n=c.fmt1(mean), unit=unit))}</strong>{chart}")
        std, cv = _num(r.get("std")), _num(r.get("cv"))
        if std is not None:
            add("sentence_variety", f"<strong>{esc(self.S('spread'))} {esc(c.fmt1(std))} {esc(unit)}</strong>"
                + (" " + self.kv(self.S("cv"), c.fmt2(cv)) if cv is not None else ""))
        longest, li = _num(r.get("longest")), r.get("longest_index")
        if longest is not None:
            where = c.sentence_refs([li], self.lang) if isinstance(li, int) else ""
            add("longest_sentence", f"<strong>{esc(_fmt_number(longest))} {esc(unit)}</strong>{esc(where)}")

        d = _mapping(st.get("lexical_diversity"))
        mtld, ttr = _num(d.get("mtld")), _num(d.get("ttr"))
        if d:
            shown = f"<strong>MTLD {esc(c.fmt1(mtld) if mtld is not None else '—')}</strong>"
            if d.get("reliable") is False:
                shown += f' <span class="muted">{esc(self.S("unreliable"))}</span>'
            add("lexical_diversity", shown)
        if ttr is not None:
            shown = f"<strong>{esc(c.fmt2(ttr))}</strong>"
            tokens, types = d.get("tokens"), d.get("types")
            if isinstance(tokens, int) and isinstance(types, int):
                shown += " " + self.kv(self.S("types_tokens"), f"{types} / {tokens}")
            add("ttr", shown)

        rd = _mapping(st.get("readability"))
        grade = _num(rd.get("grade"))
        if grade is not None:
            fk = _num(rd.get("flesch_kincaid_grade"))
            shown = f"<strong>{esc(self.S('grade'))} {esc(c.fmt1(grade))}</strong>"
            if fk is not None and abs(fk - grade) >= 0.05:
                shown += " " + self.kv("Flesch–Kincaid", c.fmt1(fk))
            add("readability", shown)
        share, share3 = _num(rd.get("common_char_share")), _num(rd.get("common_char_share_3500"))
        if share is not None:
            shown = f"<strong>{esc(_pct(share))}</strong> {esc(self.S('common_2500'))}"
            if share3 is not None:
                shown += " " + self.kv(self.S("common_3500"), _pct(share3))
            add("common_characters", shown)
        fre = _num(rd.get("flesch_reading_ease"))
        if fre is not None:
            add("reading_ease", f"<strong>{esc(c.fmt1(fre))}</strong> <span class=\"muted\">(0–100)</span>")
        awl = _num(rd.get("avg_word_length"))
        if awl is not None:
            wl_unit = self.S("syllables") if _key(rd.get("language")) == "en" else self.unit("characters")
            add("word_length", f"<strong>{esc(c.fmt2(awl))} {esc(wl_unit)}</strong>")

        dl = _mapping(st.get("dialogue"))
        dshare = _num(dl.get("share"))
        if dshare is not None:
            utt = dl.get("utterances")
            add("dialogue", f"<strong>{esc(_pct(dshare))}</strong>"
                + (" " + self.kv(self.S("utterances"), str(utt)) if isinstance(utt, int) else ""))

        f = _mapping(st.get("figurative"))
        count = f.get("count")
        if isinstance(count, int) and not isinstance(count, bool):
            shown = f"<strong>{esc(self.S('count', n=count))}</strong>"
            rate = _num(f.get("per_1000"))
            if rate is not None and count:
                shown += " " + self.kv(self.S("per_1000", unit=self.unit(f.get("unit"))), c.fmt1(rate))
            add("figurative", shown + " " + self.quotes(_list(f.get("examples"))))

        sn = _mapping(st.get("sensory"))
        counts = _mapping(sn.get("counts"))
        if counts:
            total = sn.get("total")
            shown = f"<strong>{esc(self.S('count', n=total))}</strong> " if isinstance(total, int) else ""
            examples = _mapping(sn.get("examples"))
            bits = []
            for sense, n in counts.items():
                n = _num(n, 0) or 0
                if n:
                    name = _zh(self.lang, SENSE_NAMES, sense, sense)
                    ex = self.quotes(_list(examples.get(sense)), 3)
                    bits.append(f'<span class="kv"><span class="k">{esc(name)}</span> {esc(_fmt_number(n))} {ex}</span>')
            add("sensory", shown + " ".join(bits))

        t = st.get("tense")
        if isinstance(t, Mapping):
            tense = _key(t.get("tense"))
            if tense and tense != "unknown":
                shown = f"<strong>{esc(_zh(self.lang, TENSE_NAMES, tense, tense))}</strong>"
                ps = _num(t.get("past_share"))
                if ps is not None:
                    shown += " " + self.kv(self.S("past_share"), _pct(ps))
                add("tense", shown)

        arc = _mapping(st.get("narrative_arc"))
        curves = {
            k: arc[k] for k in ("staging", "plot_progression", "cognitive_tension")
            if isinstance(arc.get(k), (list, tuple)) and len(arc[k]) > 1 and all(_num(x) is not None for x in arc[k])
        }
        if curves:
            add("narrative_arc", self.curves(curves))
        return out

    def S(self, key: str, **fmt: object) -> str:  # noqa: N802
        text = c.localize(STYLE_WORDS[_base(self.lang)][key], self.lang)
        return text.format(**fmt) if fmt else text

    def curves(self, curves: Mapping[str, Sequence[Any]]) -> str:
        """Small multi-line chart of curves over story position (Boyd's narrative arc)."""
        W, H, padx, pady = 320.0, 96.0, 6.0, 8.0
        vals = [float(x) for v in curves.values() for x in v]
        lo, hi = min(vals + [0.0]), max(vals + [0.0])
        if hi - lo < 1e-9:
            lo, hi = lo - 1, hi + 1

        def y_at(v: float) -> float:
            return pady + (H - 2 * pady) * (1 - (v - lo) / (hi - lo))

        lines, legend = [], []
        for k, (name, series) in enumerate(curves.items()):
            color = ARC_CURVE_COLORS[k % len(ARC_CURVE_COLORS)]
            n = len(series)
            coords = [(padx + (W - 2 * padx) * (i / (n - 1)), y_at(float(y))) for i, y in enumerate(series)]
            d = "M" + " L".join(f"{_f(x)},{_f(y)}" for x, y in coords)
            shown = self.style_name(name)
            dash = ' stroke-dasharray="6 3"' if k == 1 else ' stroke-dasharray="2 3"' if k == 2 else ""
            lines.append(
                f'<path d="{d}" fill="none" stroke="{color}" stroke-width="2.4"{dash}><title>{esc(shown)}</title></path>'
            )
            legend.append(f'<li><span class="swatch" style="background:{color}"></span>{esc(shown)}</li>')
        sep = "；" if self.zh else "; "
        aria = sep.join(self.T("curve_aria", name=self.style_name(n)) for n in curves)
        zero = y_at(0.0)
        return (
            f'<svg class="chart mini" viewBox="0 0 {W:.0f} {H:.0f}" role="img" aria-label="{esc(aria)}">'
            f'<rect class="plot-bg" x="0" y="0" width="{W:.0f}" height="{H:.0f}"/>'
            f'<line class="grid mid" x1="0" x2="{W:.0f}" y1="{_f(zero)}" y2="{_f(zero)}"/>{"".join(lines)}</svg>'
            f'<div class="ends"><span>{esc(self.S("start"))}</span><span>{esc(self.S("end"))}</span></div>'
            f'<ul class="legend">{"".join(legend)}</ul>'
        )

    def style(self) -> str:
        st = _mapping(self.d.get("style"))
        if not st:
            return ""
        notes = _mapping(st.get("notes"))
        rows = []
        for key, shown in self.style_figures(st):
            note = notes.get(key)
            if not (isinstance(note, str) and note) and key == "narrative_arc":
                note = _mapping(st.get("narrative_arc")).get("reading")
            note_html = f'<p class="note">{esc(note)}</p>' if isinstance(note, str) and note else ""
            rows.append(
                f'<div class="fig-row" data-key="{esc(key)}"><dt>{esc(self.style_name(key))}</dt>'
                f'<dd><div class="fig-v">{shown}</div>{note_html}</dd></div>'
            )
        if not rows:
            return ""
        return self.section("style", self.T("style"), f'<dl class="figures">{"".join(rows)}</dl>', self.T("style_help"))

    # -- elements and structure ----------------------------------------------

    def elements(self) -> str:
        el = _mapping(self.d.get("elements"))
        groups = []
        for kind in ELEMENT_KINDS:
            chips = []
            seen: set[str] = set()
            for m in _list(el.get(kind)):
                text = _text_of(m, "text", "name", "term")
                if not text or text in seen:
                    continue
                seen.add(text)
                extra, tip = "", []
                if isinstance(m, Mapping):
                    mkind = _key(m.get("kind"))
                    if mkind and mkind != kind.rstrip("s"):
                        tip.append(_zh(self.lang, MENTION_KINDS_ZH, mkind, mkind))
                    if mkind == "narrator":
                        extra += f'<span class="count">{esc(tip[-1])}</span>'
                    count = m.get("count")
                    if isinstance(count, int) and not isinstance(count, bool) and count > 1:
                        extra += f'<span class="count">{esc(self.T("times_count", n=count))}</span>'
                    sents = [i for i in _list(m.get("sentences")) if isinstance(i, int)]
                    if sents:
                        tip.append(c.sentence_refs(sents[:12], self.lang).strip(" （()）"))
                title = f' title="{esc(" · ".join(tip))}"' if tip else ""
                chips.append(f'<li class="chip el-{kind}"{title}>{esc(text)}{extra}</li>')
            if chips:
                groups.append(
                    f'<div class="el-group" data-kind="{kind}"><h3>{esc(self.T(kind))}</h3>'
                    f'<ul class="chips">{"".join(chips)}</ul></div>'
                )
        if not groups:
            return ""
        return self.section("elements", self.T("elements"), f'<div class="el-grid">{"".join(groups)}</div>')

    def structure_data(self) -> tuple[list[str | None], dict[str, Any]]:
        """The Labov role of each sentence (None when unknown) and the summary (turn, peak…).

        Accepts ``elements.structure`` as ``{"labels": [{"sentence", "role"}…], "turn": …}``
        or as a plain list of labels or role names.
        """
        el = _mapping(self.d.get("elements"))
        raw = el.get("structure")
        summary = _mapping(raw)
        items = _list(summary.get("labels")) if summary else _list(raw)
        roles: list[str | None] = [None] * len(self.sentences)
        for pos, item in enumerate(items):
            if isinstance(item, Mapping):
                role = item.get("role") or item.get("label")
                idx = item.get("sentence", item.get("index", pos))
            else:
                role, idx = item, pos
            if isinstance(idx, int) and not isinstance(idx, bool) and 0 <= idx < len(roles) and role:
                roles[idx] = _key(role)
        return roles, summary

    def role_name(self, role: str) -> str:
        names = ROLE_NAMES[_base(self.lang)]
        return c.localize(names[role], self.lang) if role in names else role.replace("_", " ")

    def structure(self) -> str:
        roles, summary = self.structure_data()
        if not any(roles):
            return ""
        segs = []
        for i, role in enumerate(roles):
            s = self.sentences[i]
            weight = max(len(s.get("text") or ""), 1)
            color = ROLE_COLORS.get(role or "", "#d0d4d9")
            name = self.role_name(role) if role else "—"
            tip = f"{self.sentence_no(i)} · {name}\n{s.get('text') or ''}"
            segs.append(
                f'<li class="seg role-{_class(role)}" style="flex-grow:{weight};background:{color}" '
                f'title="{esc(tip)}"><span>{i + 1}</span></li>'
            )
        runs: list[tuple[str | None, int, int]] = []
        for i, role in enumerate(roles):
            if runs and runs[-1][0] == role:
                runs[-1] = (role, runs[-1][1], i)
            else:
                runs.append((role, i, i))
        steps = []
        for role, a, b in runs:
            if not role:
                continue
            color = ROLE_COLORS.get(role, "#d0d4d9")
            if b - a >= 2:
                sents = self.T("sentence_range", a=a + 1, b=b + 1)
            else:
                sents = c.sentence_refs(list(range(a, b + 1)), self.lang)
            help_text = ROLE_HELP[_base(self.lang)].get(role, "")
            help_html = f'<span class="muted"> — {esc(c.localize(help_text, self.lang))}</span>' if help_text else ""
            steps.append(
                f'<li class="role-{_class(role)}"><span class="badge" style="background:{color}">'
                f"{esc(self.role_name(role))}</span>{esc(sents)}{help_html}</li>"
            )
        marks = []
        for key in ("turn", "peak", "resolution"):
            idx = summary.get(key)
            if isinstance(idx, int) and not isinstance(idx, bool) and 0 <= idx < len(self.sentences):
                marks.append(
                    f'<li><strong>{esc(self.T("s_" + key))}</strong>{esc(c.colon(self.lang))}'
                    f'<a href="#s{idx + 1}">{esc(self.sentence_no(idx))}</a></li>'
                )
        inner = (
            f'<ol class="strip" aria-label="{esc(self.T("structure_aria"))}">{"".join(segs)}</ol>'
            + (f'<ul class="turns">{"".join(marks)}</ul>' if marks else "")
            + f'<ol class="runs">{"".join(steps)}</ol>'
        )
        return self.section("structure", self.T("structure"), inner, self.T("structure_help"))

    # -- the story -----------------------------------------------------------

    def marks(self, index: int, s_text: str, s_start: int) -> list[tuple[int, int, list[str], bool]]:
        """Evidence spans in one sentence: (start, end, emotions strongest first, negated).

        Offsets are sentence-relative; overlapping spans keep the strongest.
        """
        found: list[tuple[float, int, int, str, bool]] = []
        for emotion, evs in _mapping(self.d.get("evidence")).items():
            for ev in _list(evs):
                if not isinstance(ev, Mapping) or ev.get("sentence") != index:
                    continue
                text = ev.get("text")
                if not isinstance(text, str) or not text:
                    continue
                a = (_num(ev.get("start"), -1) or 0) - s_start
                b = (_num(ev.get("end"), -1) or 0) - s_start
                a, b = int(a), int(b)
                if not (0 <= a < b <= len(s_text) and s_text[a:b] == text):
                    a = s_text.find(text)
                    if a < 0:
                        continue
                    b = a + len(text)
                weight = abs(_num(ev.get("weight"), 0.0) or 0.0)
                found.append((weight, a, b, str(emotion), bool(ev.get("negated"))))
        found.sort(key=lambda x: (-x[0], x[1], x[3]))
        chosen: list[tuple[int, int, list[str], bool]] = []
        for _, a, b, emo, neg in found:
            same = next((m for m in chosen if m[0] == a and m[1] == b), None)
            if same is not None:  # one word showing several emotions: name them all
                if emo not in same[2]:
                    same[2].append(emo)
            elif all(b <= ca or a >= cb for ca, cb, _, _ in chosen):
                chosen.append((a, b, [emo], neg))
        return sorted(chosen)

    def sentence_html(self, i: int) -> str:
        s = self.sentences[i]
        text = s.get("text") or ""
        start = int(_num(s.get("start"), 0) or 0)
        out, pos = [], 0
        for a, b, emos, neg in self.marks(i, text, start):
            out.append(esc(text[pos:a]))
            title = " / ".join(self.emotion(e) for e in emos) + (self.L("negated") if neg else "")
            cls = f"ev e-{_class(emos[0])}" + (" neg" if neg else "")
            out.append(f'<mark class="{cls}" title="{esc(title)}">{esc(text[a:b])}</mark>')
            pos = b
        out.append(esc(text[pos:]))
        v = _num(s.get("valence"))
        tip = self.sentence_tip(i, v).split("\n", 1)[0]
        lang_attr = ""
        s_lang = s.get("language")
        if isinstance(s_lang, str) and s_lang and s_lang != self.d.get("language"):
            lang_attr = f' lang="{esc("zh" if s_lang == "zh" else s_lang)}"'
        return (
            f'<span class="s" id="s{i + 1}" data-i="{i}"{lang_attr} style="background-color:{valence_tint(v)}" '
            f'title="{esc(tip)}">{"".join(out)}</span>'
        )

    def story(self) -> str:
        text = self.d.get("text") or ""
        if not text and not self.sentences:
            return ""
        consistent = all(
            isinstance(s.get("start"), int) and isinstance(s.get("end"), int)
            and text[s["start"]:s["end"]] == (s.get("text") or "")
            for s in self.sentences
        ) and all(
            self.sentences[k]["end"] <= self.sentences[k + 1]["start"] for k in range(len(self.sentences) - 1)
        )
        out = []
        if consistent:
            pos = 0
            for i, s in enumerate(self.sentences):
                out.append(esc(text[pos:s["start"]]))
                out.append(self.sentence_html(i))
                pos = s["end"]
            out.append(esc(text[pos:]))
        else:  # offsets do not match the text: show the sentences, paragraphs kept apart
            prev = None
            for i, s in enumerate(self.sentences):
                if prev is not None:
                    if s.get("paragraph") != prev.get("paragraph"):
                        out.append("\n\n")
                    elif "zh" not in (s.get("language"), prev.get("language")):
                        out.append(" ")
                out.append(self.sentence_html(i))
                prev = s
            if not self.sentences:
                out.append(esc(text))
        legend = (
            '<div class="tint-legend" aria-hidden="true">'
            f'<span>{esc(self.T("tint_low"))}</span><span class="tint-bar"></span>'
            f'<span>{esc(self.T("tint_high"))}</span></div>'
        )
        body = f'<div class="story-text">{"".join(out)}</div>'
        return self.section("story", self.T("story"), legend + body, self.T("story_help"))


def render_html(report: Any) -> str:
    """The report as one self-contained, offline HTML page.

    Args:
        report: a :class:`~storyloom.analysis.report.Report`, or its
            ``to_dict()`` form (e.g. a stored JSON report).
    Returns:
        A complete HTML5 document (UTF-8 text, ends with a newline) with inline
        CSS, inline SVG charts and a tiny inline script for tooltips; all user
        text is escaped.
    """
    return _Page(_as_dict(report)).render()


# -- static parts ----------------------------------------------------------------

CSS = """
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--bg:#f6f7f9;--card:#fff;--accent:#2f62b3;
--warm:rgb(244,162,40);--cool:rgb(70,130,220)}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.6;
font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",
"Noto Sans CJK SC","Source Han Sans SC","Noto Sans SC","WenQuanYi Micro Hei",Roboto,"Helvetica Neue",Arial,sans-serif}
html[lang="zh-Hant"] body{font-family:system-ui,-apple-system,"Segoe UI","PingFang TC","Microsoft JhengHei",
"Noto Sans CJK TC","Source Han Sans TC","Noto Sans TC",Roboto,Arial,sans-serif}
.page{max-width:60rem;margin:0 auto;padding:1rem}
.top h1{font-size:1.6rem;margin:.5rem 0 .25rem}
.facts{margin:0 0 .5rem;color:var(--ink)}
.muted{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem;margin:1rem 0}
.card h2{font-size:1.2rem;margin:0 0 .25rem}
.support{background:#f3f7fb;border-color:#c5d5e8}
.support-list{margin:.5rem 0 0;padding-left:1.2rem}
.support-list li{margin:.15rem 0}
.card h3{font-size:1rem;margin:.25rem 0}
.help{color:var(--muted);font-size:.9rem;margin:0 0 .75rem}
.caption{margin:.25rem 0 .5rem}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem}
.stat{border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}
.stat-k{font-size:.85rem;color:var(--muted)}
.stat-v{font-size:1.35rem;font-weight:700;line-height:1.3}
.stat-d{font-size:.85rem;color:var(--ink)}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.35em;vertical-align:baseline}
.swatch{display:inline-block;width:1.1em;height:.3em;margin-right:.35em;vertical-align:middle;border-radius:2px}
.line-swatch{background:var(--ink)}
.track{position:relative;height:.7rem;background:#eef0f3;border-radius:4px;overflow:hidden;margin:.3rem 0}
.fill{position:absolute;left:0;top:0;bottom:0;border-radius:4px}
.fig{margin:0}
.chart{display:block;width:100%;height:auto;max-width:100%}
.chart text{font-family:inherit;fill:#3d444d}
.chart .tick{font-size:12px}
.chart .axis{font-size:13px;font-weight:600}
.chart .grid{stroke:#dfe3e8;stroke-width:1}
.chart .grid.mid{stroke:#8c959f;stroke-dasharray:4 4}
.chart .plot-bg{fill:#fafbfc;stroke:#dfe3e8}
.chart .line{fill:none;stroke:var(--ink);stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}
.chart .area{fill:rgba(140,149,159,.12);stroke:none}
.chart .pt{stroke:#fff;stroke-width:2;cursor:pointer}
.chart .pt:hover,.chart .pt:focus,.chart .pt.on{stroke:var(--ink);stroke-width:3;outline:none}
.chart .story-pt{fill:var(--ink);stroke:#fff;stroke-width:3}
.chart .quad{font-size:11px;fill:#57606a}
.chart .story-label{font-size:12px;font-weight:700;fill:var(--ink);paint-order:stroke;stroke:#fff;stroke-width:3px}
.ends{display:flex;justify-content:space-between;max-width:22rem;font-size:.8rem;color:var(--muted)}
.chart.va{max-width:22rem}
.chart.mini{max-width:22rem;margin:.25rem 0}
.chart.lengths{width:auto;max-width:100%;margin:.3rem 0 0}
.legend{list-style:none;padding:0;margin:.4rem 0 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.85rem}
.bars{list-style:none;margin:0;padding:0}
.bar-row{display:grid;grid-template-columns:minmax(6rem,9rem) 1fr 3.2rem;gap:.6rem;align-items:center;padding:.1rem 0}
.bar-row.dominant .bar-name{font-weight:700}
.bar-val{text-align:right;font-variant-numeric:tabular-nums}
.va-wrap{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
.va-fig{flex:1 1 16rem;max-width:22rem}
.va-values{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0}
.va-values dt{color:var(--muted)}
.va-values dd{margin:0}
.themes{list-style:none;margin:0;padding:0}
.theme{padding:.4rem 0;border-top:1px solid #eef0f3}
.theme:first-child{border-top:0}
.theme-head{display:grid;grid-template-columns:minmax(5rem,8rem) 1fr 3.2rem;gap:.6rem;align-items:center}
.theme-name{font-weight:600}
.evidence{margin:.2rem 0 0;padding-left:1.2rem;font-size:.9rem}
.chips{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
.chip{background:#eef2f7;border:1px solid #d5dde8;border-radius:999px;padding:.1rem .7rem;line-height:1.5}
.chips.small{margin:.3rem 0 0;gap:.3rem}.chips.small .chip{font-size:.85rem;padding:0 .55rem}
.chip .count{color:var(--muted);font-size:.8em;margin-left:.3em}
.el-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem 1rem}
.figures{margin:0}
.fig-row{display:grid;grid-template-columns:minmax(7rem,11rem) 1fr;gap:.2rem 1rem;padding:.5rem 0;border-top:1px solid #eef0f3}
.fig-row:first-child{border-top:0}
.fig-row dt{font-weight:600}
.fig-row dd{margin:0}
.fig-v{font-variant-numeric:tabular-nums}
.kv{display:inline-block;margin-right:.9rem}
.kv .k{color:var(--muted)}
.note{margin:.1rem 0 0;color:var(--muted);font-size:.9rem}
.strip{list-style:none;margin:.25rem 0 .75rem;padding:0;display:flex;height:2rem;border-radius:6px;overflow:hidden;
border:1px solid var(--line)}
.seg{flex-basis:0;min-width:1.4rem;display:flex;align-items:center;justify-content:center;border-right:2px solid #fff;
color:#111;font-size:.8rem;font-weight:600}
.seg:last-child{border-right:0}
.runs{margin:0;padding-left:1.4rem}
.turns{list-style:none;margin:0 0 .5rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;font-size:.95rem}
a{color:var(--accent)}
.runs li{margin:.2rem 0}
.badge{display:inline-block;border-radius:4px;padding:0 .45rem;margin-right:.4rem;color:#111;font-weight:600;font-size:.9rem}
.tint-legend{display:flex;align-items:center;gap:.5rem;font-size:.85rem;color:var(--muted);margin-bottom:.5rem}
.tint-bar{display:inline-block;width:8rem;height:.7rem;border-radius:3px;border:1px solid var(--line);
background:linear-gradient(90deg,rgba(70,130,220,.38),rgba(255,255,255,0) 50%,rgba(244,162,40,.38))}
.story-text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1.08rem;line-height:2;
font-family:inherit}
.story-text .s{border-radius:3px;padding:.12em 0;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.story-text .s.hl{outline:2px solid var(--ink);outline-offset:1px}
mark.ev{background:transparent;color:inherit;border-bottom:3px solid #8a9097;font-weight:600;padding:0 1px}
mark.ev.neg{border-bottom-style:dashed}
mark.e-joy{border-color:#e0a800}mark.e-love{border-color:#d9537a}mark.e-sadness{border-color:#3f73c4}
mark.e-anger{border-color:#cf3f31}mark.e-fear{border-color:#7d5ba6}mark.e-disgust{border-color:#5f8f2f}
mark.e-surprise{border-color:#e07b16}
q{quotes:"\\201C" "\\201D"}
html[lang^="zh"] q{quotes:"\\300C" "\\300D"}
#tip{position:fixed;z-index:10;max-width:min(26rem,90vw);background:#1f2328;color:#fff;padding:.45rem .65rem;
border-radius:6px;font-size:.9rem;line-height:1.5;white-space:pre-line;pointer-events:none;
box-shadow:0 4px 14px rgba(0,0,0,.25)}
#tip b{display:block;font-weight:600;color:#ffd58a}
.foot{color:var(--muted);font-size:.85rem;text-align:center;padding-bottom:2rem}
@media (max-width:40rem){.chart.arc .tick{font-size:24px}.chart.arc .axis{font-size:26px}
.chart.arc .pt{r:11px;stroke-width:3}.chart.arc .y-axis{display:none}.chart.arc .line{stroke-width:4}.page{padding:.5rem}.card{padding:.8rem}.bar-row,.theme-head{grid-template-columns:6rem 1fr 3rem}
.fig-row{grid-template-columns:1fr}.top h1{font-size:1.3rem}}
@media print{body{background:#fff;font-size:11pt}.page{max-width:none;padding:0}
.card{border:0;border-top:1px solid #999;border-radius:0;padding:.6rem 0;margin:.6rem 0;break-inside:avoid}
#story{break-inside:auto}#tip,script{display:none!important}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

# Hover/focus tooltips for chart points; moves each SVG <title> into the tooltip
# (so the native tooltip does not appear twice) and highlights the sentence in
# the story.  Uses textContent only: no user text is ever parsed as HTML.
JS = """
(function(){
var tip=document.getElementById('tip');if(!tip)return;
function show(el,x,y){var t=el.getAttribute('data-tip')||'';var nl=t.indexOf('\\n');
tip.textContent='';var b=document.createElement('b');b.textContent=nl<0?t:t.slice(0,nl);tip.appendChild(b);
if(nl>=0)tip.appendChild(document.createTextNode(t.slice(nl+1)));tip.hidden=false;
var w=tip.offsetWidth,h=tip.offsetHeight,vw=window.innerWidth,vh=window.innerHeight;
var left=Math.min(Math.max(8,x+14),vw-w-8),top=y+16;if(top+h>vh-8)top=Math.max(8,y-h-12);
tip.style.left=left+'px';tip.style.top=top+'px';el.classList.add('on');
var s=document.getElementById('s'+(+el.getAttribute('data-i')+1));if(s)s.classList.add('hl')}
function hide(el){tip.hidden=true;el.classList.remove('on');
var s=document.getElementById('s'+(+el.getAttribute('data-i')+1));if(s)s.classList.remove('hl')}
var pts=document.querySelectorAll('svg .pt');
for(var i=0;i<pts.length;i++){(function(el){var t=el.querySelector('title');if(t){el.setAttribute('data-tip',t.textContent);
el.setAttribute('aria-label',t.textContent);el.removeChild(t)}
el.addEventListener('mouseenter',function(e){show(el,e.clientX,e.clientY)});
el.addEventListener('mousemove',function(e){show(el,e.clientX,e.clientY)});
el.addEventListener('mouseleave',function(){hide(el)});
el.addEventListener('focus',function(){var r=el.getBoundingClientRect();show(el,r.right,r.bottom)});
el.addEventListener('blur',function(){hide(el)})})(pts[i])}
})();
"""
