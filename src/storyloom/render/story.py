"""Renderers for a written :class:`~storyloom.generate.types.Story`: the story, then the proof.

The reader sees the new story first, then the original's analysis and the new
story's side by side, then every candidate with the score that ranked it —
so "this one feels warmer" is shown, not asserted.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..analysis.report import Report
from .common import arc_name, emotion_name, localize, polarity_name, ui_language

_LABELS = {
    "zh": {
        "analysis": "原文与新故事", "original": "原文", "new": "新故事", "polarity": "情感倾向",
        "dominant": "主导情绪", "valence": "效价（1–9）", "arousal": "唤醒度（1–9）", "arc": "情感弧线",
        "themes": "主题", "people": "人物", "target": "目标情绪", "from_user": "由你指定", "from_story": "沿用原文",
        "candidates": "候选故事", "total": "总分", "emotion": "情绪距离", "gap": "效价差", "lost": "缺失要素",
        "theme_d": "主题差", "content": "内容差", "chosen": "✓ 选中", "why": "分数越低越接近目标；选中的是最低分。",
        "support": "我们注意到你可能正在经历很艰难的时刻", "resources": "可以联系的支持", "backend": "生成方式",
        "notes": "说明", "timings": "耗时", "none": "无",
    },
    "en": {
        "analysis": "Original and new story", "original": "Original", "new": "New story", "polarity": "Polarity",
        "dominant": "Dominant emotion", "valence": "Valence (1–9)", "arousal": "Arousal (1–9)", "arc": "Arc",
        "themes": "Themes", "people": "People", "target": "Target emotion", "from_user": "your choice",
        "from_story": "the story's own", "candidates": "Candidates", "total": "total", "emotion": "emotion",
        "gap": "valence", "lost": "lost", "theme_d": "themes", "content": "content", "chosen": "✓ chosen",
        "why": "Lower scores are closer to the target; the lowest is chosen.",
        "support": "It sounds like you may be going through something very hard", "resources": "Where to find support",
        "backend": "Backend", "notes": "Notes", "timings": "Time", "none": "none",
    },
}


def _ui(story: Any) -> str:
    return ui_language(story.original)


def _l(lang: str, key: str) -> str:
    return localize(_LABELS["zh" if lang.startswith("zh") else "en"][key], lang)


def _people(report: Report | None, lang: str) -> str:
    if report is None or report.elements is None:
        return "—"
    names = [m.text for m in report.elements.characters if getattr(m.kind, "value", m.kind) not in ("narrator", "addressee")]
    sep = "、" if lang.startswith("zh") else ", "
    return sep.join(names[:6]) or _l(lang, "none")


def _themes(report: Report | None, lang: str) -> str:
    if report is None:
        return "—"
    sep = "、" if lang.startswith("zh") else ", "
    return sep.join(t.name for t in report.themes[:3]) or _l(lang, "none")


def comparison_rows(story: Any) -> list[tuple[str, str, str]]:
    """(label, original, new story) rows shared by every story renderer."""
    lang = _ui(story)
    rows = []
    for key, get in (
        ("polarity", lambda r: f"{polarity_name(r.sentiment.polarity, lang)} {r.sentiment.intensity:.2f}"),
        ("dominant", lambda r: emotion_name(r.dominant_emotion, lang)),
        ("valence", lambda r: f"{r.valence:.1f}"),
        ("arousal", lambda r: f"{r.arousal:.1f}"),
        ("arc", lambda r: arc_name(r.arc.shape, lang)),
        ("themes", lambda r: _themes(r, lang)),
        ("people", lambda r: _people(r, lang)),
    ):
        rows.append((_l(lang, key), get(story.original), get(story.report) if story.report is not None else "—"))
    return rows


def _target_line(story: Any) -> str:
    lang = _ui(story)
    t = story.target
    where = _l(lang, "from_user") if t.source == "user" else _l(lang, "from_story")
    label = f"{t.label} → " if t.label else ""
    sep = "：" if lang.startswith("zh") else ": "
    return f"{_l(lang, 'target')}{sep}{label}{emotion_name(t.emotion, lang)}（{where}）" if lang.startswith("zh") \
        else f"{_l(lang, 'target')}{sep}{label}{t.emotion} ({where})"


def _candidate_rows(story: Any) -> list[list[str]]:
    rows = []
    for i, c in enumerate(story.candidates, 1):
        s = c.score
        rows.append([
            str(i), f"{s.total:.3f}", f"{s.emotion:.3f}", f"{s.valence:.3f}", f"{s.elements:.2f}", f"{s.themes:.2f}",
            f"{s.content:.2f}", emotion_name(s.dominant, _ui(story)) if s.dominant else "—",
            _l(_ui(story), "chosen") if c.chosen else ("⚠ safety" if s.safety else ""),
        ])
    return rows


def _candidate_header(lang: str) -> list[str]:
    return ["#", _l(lang, "total"), _l(lang, "emotion"), _l(lang, "gap"), _l(lang, "lost"), _l(lang, "theme_d"),
            _l(lang, "content"), _l(lang, "dominant"), ""]


def _resources_lines(story: Any) -> list[str]:
    out = []
    for r in story.resources:
        parts = [r.get("name", ""), r.get("contact", "")]
        if r.get("hours"):
            parts.append(r["hours"])
        region = f"[{r['region']}] " if r.get("region") else ""
        out.append(region + " · ".join(p for p in parts if p))
    return out


def render_story_markdown(story: Any) -> str:
    """The story, both analyses side by side, and every candidate's score, as Markdown."""
    lang = _ui(story)
    lines: list[str] = []
    if story.status == "support":
        lines += [f"# {_l(lang, 'support')}", "", story.text, "", f"## {_l(lang, 'resources')}", ""]
        lines += [f"- {line}" for line in _resources_lines(story)]
        return "\n".join(lines) + "\n"
    lines += [f"# {story.title}", "", *story.body.split("\n"), ""]
    if story.close:
        lines += [f"*{story.close}*", ""]
    lines += ["---", "", f"**{_target_line(story)}** · {_l(lang, 'backend')}: {story.backend} · seed {story.seed}", ""]
    lines += [f"## {_l(lang, 'analysis')}", "", f"| | {_l(lang, 'original')} | {_l(lang, 'new')} |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in comparison_rows(story)]
    lines += ["", f"## {_l(lang, 'candidates')}", "", _l(lang, "why"), ""]
    header = _candidate_header(lang)
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in _candidate_rows(story)]
    for i, c in enumerate(story.candidates, 1):
        lines += ["", f"<details><summary>{i}. {c.score.total:.3f}</summary>", "", c.text.replace("\n", "<br>"), "",
                  "</details>"]
    if story.notes:
        lines += ["", f"## {_l(lang, 'notes')}", ""] + [f"- {n}" for n in story.notes]
    return "\n".join(lines) + "\n"


def render_story_text(story: Any) -> str:
    """Plain text for files and pipes: the story, then the comparison and scores."""
    lang = _ui(story)
    if story.status == "support":
        return "\n".join([story.text, "", _l(lang, "resources") + ":", *("  " + s for s in _resources_lines(story))]) + "\n"
    out = [story.title, "", story.body]
    if story.close:
        out += ["", story.close]
    out += ["", "—" * 20, _target_line(story), ""]
    width = max(len(a) for a, _, _ in comparison_rows(story))
    out += [f"{a.ljust(width)}  {b}  →  {c}" for a, b, c in comparison_rows(story)]
    why = f"（{_l(lang, 'why')}）" if lang.startswith("zh") else f" ({_l(lang, 'why')})"
    out += ["", _l(lang, "candidates") + why]
    out += ["  ".join(_candidate_header(lang))] + ["  ".join(r) for r in _candidate_rows(story)]
    if story.notes:
        out += [""] + [f"* {n}" for n in story.notes]
    return "\n".join(out) + "\n"


def render_story_terminal(story: Any, console: Console | None = None) -> None:
    """The rich view: the story in a panel, then the comparison and the candidates."""
    console = console or Console()
    lang = _ui(story)
    if story.status == "support":
        body = Text(story.text + "\n\n")
        body.append(_l(lang, "resources") + "\n", style="bold")
        for line in _resources_lines(story):
            body.append("  " + line + "\n")
        console.print(Panel(body, title=_l(lang, "support"), border_style="cyan"))
        return
    text = Text(story.body)
    if story.close:
        text.append("\n\n" + story.close, style="italic")
    console.print(Panel(text, title=Text(story.title, style="bold"), border_style="green", padding=(1, 2)))
    console.print(Text(_target_line(story), style="bold"))
    table = Table(title=_l(lang, "analysis"), header_style="bold", title_justify="left")
    table.add_column("")
    table.add_column(_l(lang, "original"))
    table.add_column(_l(lang, "new"))
    for row in comparison_rows(story):
        table.add_row(*row)
    cands = Table(title=_l(lang, "candidates"), caption=_l(lang, "why"), header_style="bold", title_justify="left")
    for h in _candidate_header(lang):
        cands.add_column(h)
    for row in _candidate_rows(story):
        cands.add_row(*row, style="green" if row[-1] == _l(lang, "chosen") else None)
    console.print(Group(table, cands))
    for note in story.notes:
        console.print(Text("• " + note, style="dim"))
