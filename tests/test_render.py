"""Renderers on hand-built Reports (no engine needed)."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from storyloom.analysis.report import (
    EMOTION_ZH,
    EMOTIONS,
    SCHEMA,
    Arc,
    ArcShape,
    Evidence,
    Polarity,
    Report,
    SentenceAffect,
    Sentiment,
)
from storyloom.examples import EXAMPLES
from storyloom.render import render_json, render_markdown, render_terminal, render_text
from storyloom.render.common import SPARK_BLOCKS, sparkline

ANSI = re.compile(r"\x1b\[")
# Two CJK characters with a space between them: a renderer re-spaced Chinese text.
SPACED_CJK = re.compile(r"[\u4e00-\u9fff，。] +[\u4e00-\u9fff，。]")


def _locate(text: str, sentences: list[str]) -> list[tuple[str, int, int]]:
    """Each sentence with its (start, end) offsets in ``text``."""
    out, pos = [], 0
    for sentence in sentences:
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        out.append((sentence, start, pos))
    return out


def build_report(
    text: str,
    sentence_texts: list[str],
    language: str,
    script: str,
    valences: list[float],
    sentence_emotions: list[str],
    evidence: dict[str, list[str]],
    emotions: dict[str, float],
    polarity: Polarity = Polarity.positive,
    intensity: float = 0.85,
    shape: ArcShape = ArcShape.rise,
) -> Report:
    """A realistic Report, with evidence offsets found in ``text``."""
    parts = _locate(text, sentence_texts)
    assert len(parts) == len(valences) == len(sentence_emotions)
    sentences = [
        SentenceAffect(
            index=i, text=t, start=a, end=b, language=language, paragraph=0,
            polarity=Polarity.positive if v > 5.5 else Polarity.negative if v < 4.5 else Polarity.neutral,
            score=(v - 5) / 4, intensity=abs(v - 5) / 4, valence=v, arousal=5.5,
            emotion=sentence_emotions[i], emotions={sentence_emotions[i]: 1.0},
        )
        for i, ((t, a, b), v) in enumerate(zip(parts, valences))
    ]
    ev: dict[str, list[Evidence]] = {}
    for emo, words in evidence.items():
        for w in words:
            start = text.index(w)
            idx = next(s.index for s in sentences if s.start <= start < s.end)
            ev.setdefault(emo, []).append(Evidence(w, idx, start, start + len(w), 1.0))
    full = {e: emotions.get(e, 0.0) for e in EMOTIONS}
    total = sum(full.values())
    full = {k: v / total for k, v in full.items()}
    dominant = max(full, key=lambda k: (full[k], k != "neutral"))
    return Report(
        text=text,
        language=language,
        script=script,
        sentiment=Sentiment(polarity, intensity, 0.62, 0.9, 0.1),
        emotions=full,
        dominant_emotion=dominant,
        valence=sum(valences) / len(valences),
        arousal=5.6,
        evidence=ev,
        arc=Arc(shape=shape, values=list(valences), raw=list(valences), confidence=0.8),
        sentences=sentences,
        languages={language: len(sentences)},
        engine={"name": "storyloom-test", "version": "0"},
        stats={},
    )


@pytest.fixture
def night_street() -> Report:
    return build_report(
        EXAMPLES["night-street"].text,
        [
            "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。",
            "尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。",
            "我毫不犹豫地买了她的东西，并告诉她是来自远方的游客。",
        ],
        "zh", "simplified",
        valences=[5.4, 6.9, 7.2],
        sentence_emotions=["neutral", "love", "love"],
        evidence={"love": ["慈祥的微笑", "毫不犹豫"], "joy": ["洋溢"], "sadness": ["寒冷"]},
        emotions={"love": 0.42, "joy": 0.22, "neutral": 0.2, "sadness": 0.08, "surprise": 0.04,
                  "fear": 0.02, "anger": 0.01, "disgust": 0.01},
    )


@pytest.fixture
def first_day() -> Report:
    return build_report(
        EXAMPLES["first-day"].text,
        [
            "On my first day at the new job I was terrified.",
            "I didn't know anyone, and the office felt huge and cold.",
            "At lunch, Mrs. Chen from accounting sat down next to me and asked about my family.",
            "By the end of the week we were laughing together every afternoon.",
            "I am so grateful that she reached out when I felt so alone.",
        ],
        "en", "none",
        valences=[3.1, 3.4, 5.6, 7.1, 7.4],
        sentence_emotions=["fear", "sadness", "love", "joy", "love"],
        evidence={"fear": ["terrified"], "sadness": ["alone", "cold"], "joy": ["laughing"],
                  "love": ["grateful"]},
        emotions={"love": 0.3, "joy": 0.25, "fear": 0.2, "sadness": 0.15, "neutral": 0.1},
        shape=ArcShape.fall_rise,
    )


def _record(report: Report, width: int = 100, **kwargs) -> str:
    console = Console(record=True, width=width, file=io.StringIO(), **kwargs)
    render_terminal(report, console)
    return console.export_text()


# -- Markdown ---------------------------------------------------------------


def test_render_markdown_has_polarity_emotions_sparkline_and_bold_evidence(night_street):
    md = render_markdown(night_street)
    assert md.startswith("# ")
    assert "**积极**" in md and "0.85" in md
    for emotion in EMOTIONS:
        assert EMOTION_ZH[emotion] in md
    assert sparkline([5.4, 6.9, 7.2], 24) in md
    for word in ("慈祥的微笑", "毫不犹豫", "洋溢", "寒冷"):
        assert f"**{word}**" in md
    assert "（第2句）" in md
    assert "42%" in md


def test_render_markdown_english_labels(first_day):
    md = render_markdown(first_day)
    assert "Overall feeling" in md and "**positive**" in md
    for emotion in EMOTIONS:
        assert f"| {emotion} |" in md or f"| **{emotion}** |" in md
    assert "man in a hole" in md
    assert "**terrified** (s1)" in md


def test_render_markdown_escapes_story_text(night_street):
    night_street.sentences[0].text = "a|b *c*"
    md = render_markdown(night_street)
    assert "a\\|b \\*c\\*" in md


def test_render_markdown_keeps_chinese_unspaced(night_street):
    md = render_markdown(night_street)
    # The sentence appears whole once the bold markers are removed.
    plain = md.replace("**", "")
    for s in night_street.sentences:
        assert s.text in plain
    assert not SPACED_CJK.search(plain)


# -- Terminal ---------------------------------------------------------------


def test_render_terminal_contains_the_facts(night_street):
    out = _record(night_street)
    assert "积极" in out and "0.85" in out
    for emotion in EMOTIONS:
        assert EMOTION_ZH[emotion] in out
    assert "42%" in out
    assert any(ch in out for ch in SPARK_BLOCKS)
    assert "先" in out or "上升" in out
    assert "慈祥的微笑（第2句）" in out
    for s in night_street.sentences:
        assert s.text in out.replace("【", "").replace("】", "").replace("\n", "")


def test_render_terminal_english(first_day):
    out = _record(first_day)
    assert "positive" in out and "intensity 0.85" in out
    assert "man in a hole" in out
    for emotion in EMOTIONS:
        assert emotion in out
    assert "terrified (s1)" in out


def test_render_terminal_plain_console_has_no_ansi_and_marks_evidence(night_street):
    buffer = io.StringIO()
    render_terminal(night_street, Console(file=buffer, width=100))  # not a tty
    out = buffer.getvalue()
    assert not ANSI.search(out)
    assert "【慈祥的微笑】" in out


def test_render_terminal_colour_console_underlines_evidence(night_street):
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True, color_system="truecolor")
    render_terminal(night_street, console)
    out = buffer.getvalue()
    assert ANSI.search(out)
    assert "【" not in out  # underlining, not brackets


def test_render_terminal_no_color_keeps_facts(night_street, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, force_terminal=True)
    render_terminal(night_street, console)
    out = buffer.getvalue()
    assert not re.search(r"\x1b\[[0-9;]*3[0-9](;|m)", out)  # no foreground colours
    assert "积极" in out


@pytest.mark.parametrize("width", [40, 60, 100, 160])
def test_render_terminal_any_width(night_street, first_day, width):
    for report in (night_street, first_day):
        out = _record(report, width=width)
        assert max(len(line) for line in out.splitlines()) <= width
        assert "0.85" in out


def test_render_terminal_keeps_chinese_unspaced(night_street):
    out = _record(night_street, width=200).replace("【", "").replace("】", "")
    for s in night_street.sentences:
        line = next(line for line in out.splitlines() if s.text[:6] in line)
        assert s.text in line  # whole, on one line, no spaces inserted


def test_render_one_sentence_report():
    report = build_report(
        "我很开心。", ["我很开心。"], "zh", "simplified",
        valences=[7.5], sentence_emotions=["joy"], evidence={"joy": ["开心"]},
        emotions={"joy": 0.9, "neutral": 0.1},
    )
    out = _record(report)
    assert "我很【开心】。" in out
    md = render_markdown(report)
    assert "我很**开心**。" in md
    assert json.loads(render_json(report))["schema"] == SCHEMA


def test_render_without_evidence_or_arc_values(first_day):
    first_day.evidence = {}
    first_day.arc.values = []
    first_day.arc.raw = []
    assert "No clear emotion words" in _record(first_day)
    assert "No clear emotion words" in render_markdown(first_day)


def test_render_ignores_unknown_extra(night_street):
    night_street.extra = {"themes": [("kindness", 0.8)], "style": {"pov": "first"}, "safety": None}
    assert "kindness" not in _record(night_street)
    assert "kindness" not in render_markdown(night_street)
    assert json.loads(render_json(night_street))["extra"]["style"] == {"pov": "first"}


def test_render_traditional_story_gets_traditional_labels(night_street):
    night_street.script = "traditional"
    out = _record(night_street)
    assert "情緒分佈" in out and "積極" in out
    assert "情绪分布" not in out
    md = render_markdown(night_street)
    assert "## 情緒分佈" in md and "好·喜愛" in md
    assert EXAMPLES["night-street"].text[:10] in md  # story text itself is never converted


def test_render_mixed_language_header(night_street, first_day):
    night_street.languages = {"zh": 2, "en": 1}
    assert "中文（简体），含英文 1 句" in _record(night_street)
    first_day.languages = {"en": 4, "zh": 1}
    assert "English, with 1 Chinese sentence" in render_markdown(first_day)


def test_render_text_is_plain(night_street):
    out = render_text(night_street, width=80)
    assert not ANSI.search(out)
    assert "积极" in out


def test_sparkline_shape():
    assert sparkline([1, 9]) == "▁█"
    assert sparkline([5, 5, 5]) == SPARK_BLOCKS[4] * 3 or len(set(sparkline([5, 5, 5]))) == 1
    assert len(sparkline([3, 7], 24)) == 24
    assert sparkline([]) == ""
