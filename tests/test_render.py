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


# -- themes, keywords, style, story elements, structure ---------------------------
#
# The reference story is analysed for real (all analysers); English stories use
# the hand-built affect of ``first_day`` plus the real theme, keyword, style and
# element analysers, which need no English valence–arousal model.

from importlib import resources  # noqa: E402

import storyloom  # noqa: E402
from storyloom.analysis.themes import theme_label  # noqa: E402
from storyloom.render import common as c  # noqa: E402
from storyloom.render.terminal import NO_LINE_START, break_lines  # noqa: E402
from storyloom.render.markdown import escape as escape_md  # noqa: E402

SECTIONS_ZH = ("主题", "关键词", "写作风格", "故事要素", "叙事结构")
SECTIONS_EN = ("Themes", "Keywords", "Style", "Story elements", "Narrative structure")
EN_VA_MODEL = resources.files("storyloom") / "resources" / "en_va" / "en_va.json"


@pytest.fixture(scope="module")
def reference() -> Report:
    """The night-street story through every analyser."""
    return storyloom.analyze(EXAMPLES["night-street"].text)


@pytest.fixture(scope="module")
def reference_affect_only() -> Report:
    return storyloom.analyze(EXAMPLES["night-street"].text, parts=())


@pytest.fixture
def first_day_full(first_day) -> Report:
    from storyloom.analysis.elements import extract_elements
    from storyloom.analysis.keywords import extract_keywords
    from storyloom.analysis.style import analyze_style
    from storyloom.analysis.themes import detect_themes
    from storyloom.text import prepare

    doc = prepare(first_day.text)
    assert [s.text for s in doc.sentences] == [s.text for s in first_day.sentences]
    first_day.themes = detect_themes(doc)
    first_day.keywords = extract_keywords(doc)
    first_day.style = analyze_style(doc)
    first_day.elements = extract_elements(doc)
    return first_day


def _md_line(md: str, start: str) -> str:
    return next(line for line in md.splitlines() if line.startswith(start))


def _term_line(out: str, start: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(start))


def _roles_zh(report: Report) -> list[str]:
    return [c.role_name(c._key(lab.role), "zh") for lab in report.elements.structure.labels]


def test_render_markdown_reference_story_sections(reference):
    md = render_markdown(reference)
    top = theme_label(reference.themes[0].name, "zh")
    assert top == "善意"
    assert "## 主题" in md
    assert _md_line(md, f"| **{top}** |").count("|") == 5  # name, score, bar, evidence
    assert f"{reference.themes[0].score:.2f}" in _md_line(md, f"| **{top}** |")
    assert "老奶奶" in _md_line(md, f"| **{top}** |")  # evidence word
    assert "## 关键词" in md and "三轮车" in md
    assert "老奶奶" in _md_line(md, "- **人物**：")
    assert "街头" in _md_line(md, "- **地点**：")
    assert "深夜" in _md_line(md, "- **时间**：")
    assert "（讲述者，2 次）" in _md_line(md, "- **人物**：")  # counts shown when above one
    assert "## 叙事结构" in md
    structure = md.split("## 叙事结构", 1)[1]
    for i, role in enumerate(_roles_zh(reference)):
        assert re.search(rf"^\| {i + 1} \| {role}( |$)", structure, re.M) or f"| {i + 1} | {role} " in structure
    turn = reference.elements.structure.turn
    assert f"**转折**：第{turn + 1}句" in structure
    # every style figure with its one-sentence meaning
    assert "## 写作风格" in md
    for note in reference.style.notes.values():
        assert escape_md(note) in md
    assert "- **人称**：**第一人称**" in md
    assert not SPACED_CJK.search(md.replace("**", ""))


def test_render_terminal_reference_story_sections(reference):
    out = _record(reference, width=80)
    assert max(len(line) for line in out.splitlines()) <= 80
    top = theme_label(reference.themes[0].name, "zh")
    assert "主题" in out and top in _term_line(out, top)
    assert "老奶奶" in _term_line(out, top)
    assert "关键词" in out
    assert "老奶奶" in _term_line(out, "人物")
    assert "街头" in _term_line(out, "地点")
    assert "深夜" in _term_line(out, "时间")
    assert "叙事结构" in out
    structure = out.split("叙事结构", 1)[1]
    for i, role in enumerate(_roles_zh(reference)):
        assert re.search(rf"^{i + 1} {role} ", structure, re.M)
    turn = reference.elements.structure.turn
    assert "← 转折" in _term_line(structure.lstrip("─ \n"), f"{turn + 1} ")
    assert "写作风格" in out and "第一人称" in out


def test_render_terminal_style_notes_whole_when_wide(reference):
    out = _record(reference, width=200)
    for note in reference.style.notes.values():
        assert any(line.strip().endswith(note) for line in out.splitlines()), note


def test_render_terminal_reference_plain_console_no_ansi(reference):
    buffer = io.StringIO()
    render_terminal(reference, Console(file=buffer, width=80))  # not a tty: no colour
    out = buffer.getvalue()
    assert not ANSI.search(out)
    assert "善意" in out and "老奶奶" in out and "叙事结构" in out


def test_render_terminal_reference_no_color(reference, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    buffer = io.StringIO()
    render_terminal(reference, Console(file=buffer, width=80, force_terminal=True))
    out = buffer.getvalue()
    assert not re.search(r"\x1b\[[0-9;]*3[0-9](;|m)", out)  # no foreground colours
    assert "善意" in out and "转折" in out


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_render_terminal_sections_fit_any_width(reference, first_day_full, width):
    for report in (reference, first_day_full):
        out = _record(report, width=width)
        assert max(len(line) for line in out.splitlines()) <= width
        for line in out.splitlines():
            assert not line.lstrip()[:1] in ("。", "，", "、", "）"), line  # never starts a line


def test_render_affect_only_report_has_no_analysis_sections(reference_affect_only):
    report = reference_affect_only
    assert report.themes == [] and report.keywords == [] and report.style is None and report.elements is None
    md = render_markdown(report)
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings and not any(name in h for h in headings for name in SECTIONS_ZH)
    out = _record(report, width=80)
    for name in SECTIONS_ZH:
        assert f"{name} ─" not in out
    assert "情绪证据" in out


def test_render_english_sections(first_day_full):
    md = render_markdown(first_day_full)
    for name in SECTIONS_EN:
        assert f"## {name}" in md
    assert "## 主题" not in md and "人物" not in md
    assert "Mrs. Chen" in _md_line(md, "- **People**: ")
    assert "office" in _md_line(md, "- **Places**: ")
    assert "At lunch" in _md_line(md, "- **Times**: ")
    top = first_day_full.themes[0].name
    assert f"| **{theme_label(top, 'en')}** |" in md
    assert "complicating action ← **turn**" in md
    assert "- **Point of view**: **first person**" in md
    out = _record(first_day_full, width=80)
    for name in SECTIONS_EN:
        assert f"{name} ─" in out
    assert "Mrs. Chen" in _term_line(out, "People")
    assert "complicating action" in out and "← turn" in out


@pytest.mark.skipif(not EN_VA_MODEL.is_file(), reason="resources/en_va/en_va.json not built yet")
def test_render_english_story_end_to_end():
    report = storyloom.analyze(EXAMPLES["first-day"].text)
    md = render_markdown(report)
    for name in SECTIONS_EN:
        assert f"## {name}" in md
    out = _record(report, width=80)
    assert "People" in out and "Narrative structure" in out


def test_render_dict_form_matches_report(reference):
    data = json.loads(reference.to_json())
    assert render_markdown(data) == render_markdown(reference)
    assert render_text(data, width=80) == render_text(reference, width=80)


def test_render_sections_given_as_plain_dicts(reference):
    data = reference.to_dict()
    mixed = build_report(
        reference.text, [s.text for s in reference.sentences], "zh", "simplified",
        valences=[s.valence for s in reference.sentences], sentence_emotions=[s.emotion for s in reference.sentences],
        evidence={}, emotions=reference.emotions,
    )
    mixed.themes, mixed.keywords, mixed.style, mixed.elements = (
        data["themes"], data["keywords"], data["style"], data["elements"],
    )
    md = render_markdown(mixed)
    assert "善意" in md and "老奶奶" in _md_line(md, "- **人物**：") and "## 叙事结构" in md
    assert "善意" in _record(mixed)


def test_render_partial_sections_degrade(reference):
    data = reference.to_dict()
    data["themes"] = [{"name": "kindness"}, {"bogus": 1}, "not a theme"]
    data["keywords"] = [["老奶奶", 0.9], {"term": ""}, 3]
    data["style"] = {"notes": {"pov": "故事用第一人称讲述。"}}
    data["elements"] = {"characters": ["老奶奶", {"text": "我", "kind": "narrator", "count": 3}], "structure": None}
    md = render_markdown(data)
    assert "| **善意** | 0.00 |" in md
    assert "## 关键词\n\n老奶奶\n" in md
    assert "- **人称**：故事用第一人称讲述。" in md
    assert "- **人物**：老奶奶、我（讲述者，3 次）" in md
    assert "## 叙事结构" not in md
    out = _record(data, width=80)
    assert "善意" in out and "叙事结构" not in out


def test_render_markdown_escapes_section_text(reference):
    data = reference.to_dict()
    data["elements"]["characters"].append({"text": "a|b*c*", "kind": "person", "count": 1})
    data["keywords"].append({"term": "<script>", "weight": 0.1, "count": 1})
    md = render_markdown(data)
    assert "a\\|b\\*c\\*" in md and "\\<script\\>" in md


def test_render_traditional_story_sections():
    report = storyloom.analyze(EXAMPLES["grandpa-letter"].text)
    md = render_markdown(report)
    assert "## 主題" in md and "## 敘事結構" in md and "- **人物**：" in md
    assert "## 叙事结构" not in md and "## 写作风格" not in md
    out = _record(report, width=80)
    assert "敘事結構" in out and "寫作風格" in out and "外公" in _term_line(out, "人物")


@pytest.mark.parametrize("text, width", [
    ("用词丰富度（MTLD）为 54，用词比较丰富（全文只有 44 个词，数值仅供参考）。", 30),
    ("在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。", 66),
    ("Scene-setting words peak in part 4 of 5, plot-driving words rise.", 20),
])
def test_break_lines_cjk_and_english(text, width):
    from rich.cells import cell_len

    spans = break_lines(text, width)
    lines = [text[a:b] for a, b in spans]
    assert all(cell_len(line) <= width for line in lines)
    assert all(line[:1] not in NO_LINE_START for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    if re.search(r"[\u4e00-\u9fff]", text):
        # Chinese breaks between characters, so every line but the last is (nearly) full
        assert all(cell_len(line) >= width - 3 for line in lines[:-1]), lines
    else:
        assert " ".join(lines).split() == text.split()  # English breaks only at spaces
