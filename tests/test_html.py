"""The HTML report (render/html.py) on hand-built Reports, plus one real analysis.

Pages are checked with Python's own ``html.parser``: balanced tags, the key
sections, one arc point per sentence, every emotion, the story text exactly as
written, nothing external, and hostile input shown as text.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from typer.testing import CliRunner

import storyloom
from storyloom.analysis.report import (
    EMOTIONS,
    Arc,
    ArcShape,
    Evidence,
    Polarity,
    Report,
    SentenceAffect,
    Sentiment,
)
from storyloom.cli import app
from storyloom.examples import EXAMPLES
from storyloom.render import OutputFormat, render_html
from storyloom.render import common as c

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Two CJK characters with a space between them: a renderer re-spaced Chinese text.
SPACED_CJK = re.compile(r"[\u4e00-\u9fff，。] +[\u4e00-\u9fff，。]")


# -- a small DOM from html.parser -----------------------------------------------


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(ch if isinstance(ch, str) else ch.text() for ch in self.children)

    def iter(self):
        yield self
        for ch in self.children:
            if isinstance(ch, Node):
                yield from ch.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [
            n for n in self.iter()
            if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
            and all(n.attrs.get(k) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None


class StrictTree(HTMLParser):
    """Builds a tree and records every structural problem (unclosed, stray or mismatched tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.problems: list[str] = []
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.cur.tag != tag:
            self.problems.append(f"</{tag}> closes <{self.cur.tag}>")
            return
        self.cur = self.cur.parent or self.root

    def handle_data(self, data):
        self.cur.children.append(data)

    def close(self):
        super().close()
        if self.cur is not self.root:
            self.problems.append(f"<{self.cur.tag}> never closed")


def parse(page: str) -> Node:
    tree = StrictTree()
    tree.feed(page)
    tree.close()
    assert tree.doctype and tree.doctype.lower() == "doctype html"
    assert not tree.problems, tree.problems[:5]
    return tree.root


# -- hand-built reports ----------------------------------------------------------


def build_report(
    text: str,
    sentence_texts: list[str],
    language: str,
    script: str,
    valences: list[float],
    sentence_emotions: list[str],
    evidence: dict[str, list[str]],
) -> Report:
    sentences, pos = [], 0
    for i, (t, v) in enumerate(zip(sentence_texts, valences)):
        start = text.index(t, pos)
        pos = start + len(t)
        sentences.append(SentenceAffect(
            index=i, text=t, start=start, end=pos, language=language, paragraph=0,
            polarity=Polarity.positive if v > 5.5 else Polarity.negative if v < 4.5 else Polarity.neutral,
            score=(v - 5) / 4, intensity=abs(v - 5) / 4, valence=v, arousal=4.0 + i * 0.5,
            emotion=sentence_emotions[i], emotions={sentence_emotions[i]: 1.0},
        ))
    ev: dict[str, list[Evidence]] = {}
    for emo, words in evidence.items():
        for w in words:
            start = text.index(w)
            idx = next(s.index for s in sentences if s.start <= start < s.end)
            ev.setdefault(emo, []).append(Evidence(w, idx, start, start + len(w), 1.0))
    emotions = {e: 0.0 for e in EMOTIONS}
    for e in sentence_emotions:
        emotions[e] += 1 / len(sentence_emotions)
    return Report(
        text=text, language=language, script=script,
        sentiment=Sentiment(Polarity.positive, 0.85, 0.62, 0.9, 0.1),
        emotions=emotions, dominant_emotion=max(emotions, key=emotions.get),
        valence=sum(valences) / len(valences), arousal=5.6, evidence=ev,
        arc=Arc(shape=ArcShape.rise, values=list(valences), raw=list(valences), confidence=0.8),
        sentences=sentences, languages={language: len(sentences)},
        engine={"name": "storyloom-test", "version": "0"}, stats={},
    )


NIGHT_SENTENCES = [
    "在深夜的街头，我遇到了一位老奶奶，她卖力的推着一辆满载货物的三轮车。",
    "尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。",
    "我毫不犹豫地买了她的东西，并告诉她是来自远方的游客。",
]


@pytest.fixture
def night_street() -> Report:
    return build_report(
        EXAMPLES["night-street"].text, NIGHT_SENTENCES, "zh", "simplified",
        valences=[5.4, 6.9, 7.2], sentence_emotions=["neutral", "love", "joy"],
        evidence={"love": ["慈祥", "毫不犹豫"], "joy": ["微笑"], "sadness": ["寒冷"]},
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
        valences=[3.1, 3.4, 5.6, 7.1, 7.4], sentence_emotions=["fear", "sadness", "love", "joy", "love"],
        evidence={"fear": ["terrified"], "sadness": ["alone"], "joy": ["laughing"], "love": ["grateful"]},
    )


def with_analysis(report: Report) -> dict[str, Any]:
    """The report's JSON form with themes, keywords, style and elements in the analysers' shapes."""
    data = report.to_dict()
    n = len(data["sentences"])
    data["themes"] = [
        {"name": "kindness", "score": 0.81, "evidence": [
            {"text": "慈祥", "sentence": 1, "kind": "word"},
            {"text": NIGHT_SENTENCES[2], "sentence": 2, "kind": "sentence"},
        ]},
        {"name": "travel", "score": 0.4, "evidence": [{"text": "游客", "sentence": 2, "kind": "word"}]},
    ]
    data["keywords"] = [{"term": "老奶奶", "weight": 1.0, "count": 1}, {"term": "三轮车", "weight": 0.7, "count": 1}]
    data["style"] = {
        "language": "zh", "pov": "first", "pov_confidence": 0.9, "pov_counts": {"first": 3.0},
        "pov_dialogue_counts": {},
        "rhythm": {"unit": "characters", "sentences": n, "mean": 27.3, "std": 4.9, "cv": 0.18, "longest": 34,
                   "longest_index": 0, "shortest": 22, "shortest_index": 1, "lengths": [34, 22, 26]},
        "lexical_diversity": {"tokens": 44, "types": 38, "ttr": 0.86, "mtld": None, "mtld_forward": None,
                              "mtld_backward": None, "threshold": 0.72, "reliable": False},
        "readability": {"language": "zh", "avg_sentence_length": 27.3, "avg_word_length": 1.6, "grade": 4.8,
                        "flesch_reading_ease": None, "flesch_kincaid_grade": None, "common_char_share": 0.95,
                        "common_char_share_3500": 0.99, "method": "test"},
        "dialogue": {"share": 0.0, "utterances": 0, "sentences": []},
        "figurative": {"count": 0, "per_1000": 0.0, "unit": "characters", "markers": {}, "examples": []},
        "sensory": {"counts": {"sight": 1, "sound": 0, "smell": 0, "touch": 1, "taste": 0}, "per_1000": {},
                    "total": 2, "unit": "characters", "dominant": "sight",
                    "examples": {"sight": [{"sentence": 1, "start": 53, "end": 55, "text": "微笑", "marker": "微笑"}]}},
        "tense": None,
        "narrative_arc": {"segments": 5, "staging": [1.5, 0.5, -0.2, -0.8, -1.0],
                          "plot_progression": [-1.2, -0.3, 0.4, 0.9, 0.2],
                          "cognitive_tension": [0.0, -0.5, 1.6, 0.2, -1.3], "rates": {}, "reading": ""},
        "notes": {"pov": "故事用“我”来讲。", "sentence_length": "句子偏长。", "readability": "用字浅显。",
                  "narrative_arc": "开头铺陈多，随后情节推进。"},
    }
    mention = {"count": 1, "sentences": [0], "first": 0, "spans": [], "weight": 1.0, "source": "rules"}
    data["elements"] = {
        "characters": [{**mention, "text": "我", "kind": "narrator", "count": 3},
                       {**mention, "text": "老奶奶", "kind": "role"}],
        "places": [{**mention, "text": "街头", "kind": "place"}],
        "times": [{**mention, "text": "深夜", "kind": "time"}],
        "objects": [{**mention, "text": "三轮车", "kind": "object"}],
        "structure": {
            "labels": [{"sentence": i, "role": r, "cues": [], "confidence": 0.5, "scores": {}}
                       for i, r in enumerate(["orientation", "complicating-action", "evaluation"][:n])],
            "turn": 1, "peak": 2, "resolution": None, "coda": None, "roles": {},
        },
        "engine": {},
    }
    return data


def story_text(root: Node) -> str:
    story = root.find("div", cls="story-text")
    assert story is not None
    return story.text()


# -- structure and content -------------------------------------------------------


def test_html_is_one_balanced_page_with_the_key_sections(night_street):
    page = render_html(night_street)
    root = parse(page)
    html = root.find("html")
    assert html is not None and html.attrs["lang"] == "zh-Hans"
    assert root.find("meta", name="viewport") is not None
    assert root.find("meta", charset="utf-8") is not None
    for section in ("summary", "arc", "emotions", "va", "story"):
        assert root.find("section", id=section) is not None, section
    assert len(root.find_all("script")) == 1 and len(root.find_all("style")) == 1
    assert page.endswith("</html>\n")


def test_html_arc_has_one_point_per_sentence_with_its_text(night_street):
    root = parse(render_html(night_street))
    arc = root.find("svg", cls="arc")
    assert arc is not None and arc.attrs.get("role") == "group" and arc.find("desc") is not None
    points = arc.find_all("circle", cls="pt")
    assert len(points) == len(night_street.sentences)
    for i, (point, sentence) in enumerate(zip(points, night_street.sentences)):
        assert point.attrs["data-i"] == str(i)
        title = point.find("title")
        assert title is not None and sentence.text in title.text()
        assert f"第{i + 1}句" in title.text()
    # higher valence is drawn higher (smaller y)
    ys = [float(p.attrs["cy"]) for p in points]
    assert ys[0] > ys[1] > ys[2]
    assert arc.find("path", cls="line") is not None
    # the valence–arousal plot has the story and one point per sentence
    va = root.find("svg", cls="va")
    assert len(va.find_all("circle", cls="story-pt")) == 1
    assert len(va.find_all("circle", cls="va-pt")) == len(night_street.sentences)


def test_html_shows_every_emotion(night_street, first_day):
    for report, lang in ((night_street, "zh"), (first_day, "en")):
        root = parse(render_html(report))
        section = root.find("section", id="emotions")
        rows = section.find_all("li", cls="bar-row")
        assert sorted(r.attrs["data-emotion"] for r in rows) == sorted(EMOTIONS)
        assert len(rows) == len(EMOTIONS)
        text = section.text()
        for emotion in EMOTIONS:
            assert c.emotion_name(emotion, lang) in text


def test_html_shows_the_story_exactly_with_marked_evidence(night_street):
    root = parse(render_html(night_street))
    assert story_text(root) == night_street.text  # not one character added or lost
    spans = root.find("div", cls="story-text").find_all("span", cls="s")
    assert len(spans) == 3
    assert "background-color:rgba(244,162,40" in spans[2].attrs["style"]  # pleasant: warm tint
    marks = {m.text(): m.attrs["title"] for m in root.find_all("mark")}
    assert marks["慈祥"] == c.emotion_name("love", "zh")
    assert marks["寒冷"] == c.emotion_name("sadness", "zh")
    assert not SPACED_CJK.search(root.find("section", id="story").text())


def test_html_language_follows_the_story(night_street, first_day):
    zh = render_html(night_street)
    en = render_html(first_day)
    assert '<html lang="zh-Hans">' in zh and '<html lang="en">' in en
    for label in ("情感弧线", "情绪分布", "故事原文", "效价"):
        assert label in zh and label not in en
    for label in ("Emotional arc", "Emotions", "The story", "Valence"):
        assert label in en
    assert story_text(parse(en)) == first_day.text


def test_html_traditional_story_keeps_its_text(night_street):
    text = EXAMPLES["grandpa-letter"].text
    sentences = [s + "。" for s in text.split("。") if s]
    report = build_report(text, sentences, "zh", "traditional", [4.0, 5.5, 4.5, 5.0],
                          ["sadness", "love", "love", "sadness"], {"sadness": ["難過"]})
    root = parse(render_html(report))
    assert root.find("html").attrs["lang"] == "zh-Hant"
    assert story_text(root) == text
    assert "情感弧線" in root.text()  # interface labels follow the script


def test_html_one_sentence_story():
    text = "今天终于拿到了offer，我开心得跳了起来！"
    report = build_report(text, [text], "zh", "simplified", [8.1], ["joy"], {"joy": ["开心"]})
    root = parse(render_html(report))
    assert len(root.find("svg", cls="arc").find_all("circle", cls="pt")) == 1
    assert story_text(root) == text
    page = render_html(report)
    assert not re.search(r'="[^"]*\b(?:nan|inf)\b', page, re.IGNORECASE)  # no NaN coordinates


def test_html_skips_empty_sections_and_missing_keys(night_street):
    page = render_html(night_street)  # themes [], keywords [], style None, elements None
    root = parse(page)
    for section in ("themes", "keywords", "style", "elements", "structure"):
        assert root.find("section", id=section) is None
    data = night_street.to_dict()
    for key in ("themes", "keywords", "style", "elements", "evidence", "arc", "emotions", "sentiment"):
        data.pop(key)
    root = parse(render_html(data))
    assert story_text(root) == night_street.text
    assert root.find("section", id="emotions") is None
    partial = night_street.to_dict()
    partial["style"] = {"pov": "third"}  # an analyser that filled only part of its result
    partial["elements"] = {"characters": ["妈妈"], "structure": ["orientation", "coda"]}
    root = parse(render_html(partial))
    assert "第三人称" in root.find("section", id="style").text()
    assert "妈妈" in root.find("section", id="elements").text()
    assert len(root.find("ol", cls="strip").find_all("li")) == 3


def test_html_renders_themes_keywords_style_elements_and_structure(night_street):
    root = parse(render_html(with_analysis(night_street)))
    themes = root.find("section", id="themes")
    assert [t.attrs["data-theme"] for t in themes.find_all("li", cls="theme")] == ["kindness", "travel"]
    assert "善意" in themes.text() and NIGHT_SENTENCES[2] in themes.text()
    assert "老奶奶" in root.find("section", id="keywords").text()
    style = root.find("section", id="style")
    keys = [r.attrs["data-key"] for r in style.find_all("div", cls="fig-row")]
    assert keys[:3] == ["pov", "sentence_length", "sentence_variety"]
    assert "narrative_arc" in keys and "tense" not in keys
    assert "故事用“我”来讲。" in style.text()  # the analyser's plain-language note
    assert len(style.find_all("path")) == 3  # staging, progression, tension
    elements = root.find("section", id="elements")
    for word in ("老奶奶", "街头", "深夜", "三轮车", "讲述者"):
        assert word in elements.text()
    structure = root.find("section", id="structure")
    segs = structure.find("ol", cls="strip").find_all("li")
    assert [s.classes[1] for s in segs] == ["role-orientation", "role-complicating_action", "role-evaluation"]
    assert "转折" in structure.text() and "铺垫" in structure.text()


def test_html_english_sections_are_english(first_day):
    data = with_analysis(first_day)
    data["style"]["language"] = "en"
    data["style"]["tense"] = {"tense": "past", "past": 8.0, "present": 1.0, "past_share": 0.89, "examples": []}
    data["style"]["readability"] = {"language": "en", "avg_sentence_length": 12.0, "avg_word_length": 1.3,
                                    "grade": 5.1, "flesch_reading_ease": 81.2, "flesch_kincaid_grade": 5.1}
    data["style"]["notes"] = {"tense": "Told in the past tense."}
    root = parse(render_html(data))
    style = root.find("section", id="style").text()
    assert "Point of view" in style and "first person" in style and "Told in the past tense." in style
    assert "Reading ease" in style
    assert "People" in root.find("section", id="elements").text()
    assert "Narrative structure" in root.find("section", id="structure").text()
    assert not re.search(r"[\u4e00-\u9fff]", root.find("section", id="structure").text())


# -- safety ---------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title></svg><script>alert(2)</script>",
    "</style><style>body{display:none}</style>",
    "&lt;b&gt;already escaped&lt;/b&gt; & more",
]


def hostile_report() -> dict[str, Any]:
    """A report whose every user-text field carries markup (the engine strips markup, a stored report may not)."""
    sentences = [f"我写下{h}这句话。" for h in HOSTILE]
    text = "".join(sentences)
    report = build_report(text, sentences, "zh", "simplified", [5.0 + i * 0.5 for i in range(len(HOSTILE))],
                          ["joy"] * len(HOSTILE), {})
    for i, h in enumerate(HOSTILE):  # evidence covering the markup itself
        start = report.sentences[i].start + 3
        report.evidence.setdefault("joy", []).append(Evidence(h, i, start, start + len(h), 1.0))
    data = with_analysis(report)
    data["evidence"]['"><script>alert(3)</script>'] = [
        {"text": HOSTILE[0], "sentence": 0, "start": 3, "end": 3 + len(HOSTILE[0]), "weight": 2.0, "negated": False}
    ]
    data["themes"] = [{"name": h, "score": 0.5, "evidence": [{"text": h, "sentence": 0, "kind": k}]}
                      for h, k in zip(HOSTILE, ("word", "sentence") * 3)]
    data["keywords"] = [{"term": h, "weight": 1.0, "count": 2} for h in HOSTILE]
    data["style"]["notes"] = {"pov": HOSTILE[1], "narrative_arc": HOSTILE[3]}
    data["style"]["figurative"]["examples"] = [{"text": HOSTILE[0]}]
    data["style"]["figurative"]["count"] = 1
    data["elements"]["characters"] = [{"text": h, "kind": h, "count": 2, "sentences": [0]} for h in HOSTILE]
    data["elements"]["structure"]["labels"][0]["role"] = HOSTILE[1]
    data["engine"] = {"name": HOSTILE[0], "version": HOSTILE[1]}
    data["dominant_emotion"] = HOSTILE[1]
    data["sentences"][0]["emotion"] = HOSTILE[0]
    data["sentences"][1]["language"] = HOSTILE[1]
    return data


def test_html_escapes_hostile_input_everywhere():
    data = hostile_report()
    page = render_html(data)
    root = parse(page)
    assert len(root.find_all("script")) == 1  # ours, and it holds no user data
    assert len(root.find_all("style")) == 1
    assert root.find("img") is None
    assert not [n for n in root.iter() if any(k.startswith("on") for k in n.attrs)]
    # at most the chart and mini-chart SVGs we draw: no injected <svg onload>
    assert all(n.attrs.get("role") in ("img", "group") for n in root.find_all("svg"))
    script = root.find("script").text()
    for h in HOSTILE:
        assert h not in script
    assert "alert(" not in script
    # the user's text is shown, exactly, as text
    assert story_text(root) == data["text"]
    for h in HOSTILE:
        assert h in root.find("section", id="keywords").text()
        assert h in root.find("section", id="themes").text()
        assert h in root.find("section", id="elements").text()
    titles = [t.text() for t in root.find("svg", cls="arc").find_all("title")]
    assert any(HOSTILE[3] in t for t in titles)  # "</title></svg>…" stays inside its title
    assert "&amp;lt;b&amp;gt;" in page  # already-escaped text is escaped again, not trusted


def test_html_loads_nothing_external(night_street):
    page = render_html(with_analysis(night_street))
    root = parse(page)
    for node in root.iter():
        for attr in ("src", "href", "xlink:href", "action", "poster", "srcset"):
            value = node.attrs.get(attr)
            assert value is None or value.startswith("#"), (node.tag, attr, value)
    assert root.find("link") is None and root.find("iframe") is None
    assert "url(" not in page and "@import" not in page and "http://" not in page and "https://" not in page


def test_html_survives_offsets_that_do_not_match(night_street):
    data = copy.deepcopy(night_street.to_dict())
    data["text"] = "（前言）" + data["text"]  # offsets now point at the wrong characters
    root = parse(render_html(data))
    shown = story_text(root)
    for sentence in NIGHT_SENTENCES:
        assert sentence in shown
    assert not SPACED_CJK.search(shown)


def test_html_names_every_emotion_of_a_shared_word(night_street):
    start = night_street.text.index("慈祥")
    night_street.evidence.setdefault("joy", []).append(Evidence("慈祥", 1, start, start + 2, 0.5))
    marks = {m.text(): m.attrs["title"] for m in parse(render_html(night_street)).find_all("mark")}
    assert marks["慈祥"] == f"{c.emotion_name('love', 'zh')} / {c.emotion_name('joy', 'zh')}"


def test_html_accepts_report_or_its_json_form(night_street):
    assert render_html(night_street) == render_html(night_street.to_dict())
    with pytest.raises(TypeError):
        render_html("not a report")


def test_html_real_analysis_of_the_reference_story():
    report = storyloom.analyze(EXAMPLES["night-street"].text)
    root = parse(render_html(report))
    assert len(root.find("svg", cls="arc").find_all("circle", cls="pt")) == len(report.sentences)
    assert story_text(root) == report.text
    for section in ("summary", "arc", "emotions", "va", "story"):
        assert root.find("section", id=section) is not None


def _analysed_in_full(text: str) -> Report:
    """``storyloom.analyze`` plus any of themes/keywords/style/elements the pipeline does not fill yet."""
    import importlib

    from storyloom import text as text_mod

    report = storyloom.analyze(text)
    doc = None
    for field, module, func, kwargs in (
        ("themes", "themes", "detect_themes", {"k": 5}),
        ("keywords", "keywords", "extract_keywords", {}),
        ("style", "style", "analyze_style", {}),
        ("elements", "elements", "extract_elements", {}),
    ):
        if getattr(report, field):
            continue
        try:
            fn = getattr(importlib.import_module(f"storyloom.analysis.{module}"), func)
        except (ImportError, AttributeError):
            pytest.skip(f"storyloom.analysis.{module}.{func} is not available")
        doc = doc or text_mod.prepare(text)
        setattr(report, field, fn(doc, **kwargs))
    return report


def test_html_with_the_real_analysers():
    report = _analysed_in_full(EXAMPLES["exam"].text)
    n = len(report.sentences)
    root = parse(render_html(report))
    for section in ("themes", "keywords", "style", "elements", "structure"):
        assert root.find("section", id=section) is not None, section
    assert root.find_all("li", cls="theme")
    rows = root.find("section", id="style").find_all("div", cls="fig-row")
    assert len(rows) >= 8
    assert sum(1 for r in rows if r.find("p", cls="note")) >= len(rows) - 1  # each figure explained
    assert len(root.find("ol", cls="strip").find_all("li")) == n
    assert "妈妈" in root.find("section", id="elements").text()
    assert story_text(root) == report.text


# -- command line ------------------------------------------------------------------


def test_cli_html_format_to_file_and_stdout(tmp_path):
    runner = CliRunner()
    assert OutputFormat("html") is OutputFormat.html
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["analyze", "--example", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    page = out.read_text(encoding="utf-8")
    root = parse(page)
    assert story_text(root) == EXAMPLES["night-street"].text
    result = runner.invoke(app, ["analyze", "--text", EXAMPLES["night-street"].text, "-f", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout == page
