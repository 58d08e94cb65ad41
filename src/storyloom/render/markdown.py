"""A :class:`~storyloom.analysis.report.Report` as Markdown (GitHub-flavoured).

Same content as the terminal view: polarity with a text gauge, a table of all
eight emotions, valence/arousal on 1–9, the arc as a text sparkline with its
shape in words, every sentence with evidence words in bold, and the evidence
per emotion; then themes with score bars and their evidence, keywords, style
figures each with its one-sentence meaning, the people, places, times and
objects, and the Labov role of every sentence with the turning points.  A
section whose analyser did not run is left out.  Story text is escaped so it
cannot break tables or emphasis; Chinese text is never re-spaced.
"""

from __future__ import annotations

import re

from collections.abc import Mapping
from typing import Any

from ..analysis.report import Report
from . import common as c

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")

GAUGE_WIDTH = 20
BAR_WIDTH = 20
SCALE_WIDTH = 17


def escape(text: str) -> str:
    """Escape Markdown syntax in story text and fold line breaks (for table cells)."""
    return _MD_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text))


def _sentence_md(report: Report, index: int) -> str:
    s = report.sentences[index]
    out = []
    pos = 0
    for a, b, _neg in c.local_spans(report, s.index, s.text, s.start, merge_touching=True):
        out.append(escape(s.text[pos:a]))
        out.append(f"**{escape(s.text[a:b])}**")
        pos = b
    out.append(escape(s.text[pos:]))
    return "".join(out)


def _table(header: list[str], align: list[str], rows: list[list[str]]) -> list[str]:
    rule = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _themes(report: Report, lang: str) -> list[str]:
    rows = c.theme_rows(report, lang)
    if not rows:
        return []
    table = []
    for row in rows:
        filled, empty = c.gauge(row.score, BAR_WIDTH)
        evidence = c.label(lang, "item_sep").join(escape(item) for item in c.theme_evidence(row, lang))
        table.append([f"**{escape(row.shown)}**", c.fmt2(row.score), f"`{filled}{empty}`", evidence])
    header = [c.label(lang, "theme"), c.label(lang, "theme_score"), " ", c.label(lang, "theme_evidence")]
    return [f"## {c.label(lang, 'themes')}", "", *_table(header, ["l", "r", "l", "l"], table), ""]


def _keywords(report: Report, lang: str) -> list[str]:
    rows = c.keyword_rows(report)
    if not rows:
        return []
    words = [escape(row.term) + c.count_note(row.count, lang) for row in rows]
    return [f"## {c.label(lang, 'keywords')}", "", c.label(lang, "item_sep").join(words), ""]


def _style(report: Report, lang: str) -> list[str]:
    rows = c.style_rows(report, lang)
    if not rows:
        return []
    out = [f"## {c.label(lang, 'style')}", ""]
    colon = c.colon(lang)
    for row in rows:
        parts = []
        value = (f"**{escape(row.main)}**" if row.main else "") + escape(row.after)
        if value:
            parts.append(value)
        parts += [escape(d) for d in row.details]
        parts += [(f"{escape(name)} " if name else "") + f"`{line}`" for name, line in row.sparks]
        line = f"- **{escape(row.name)}**"
        if parts:
            line += colon + " · ".join(parts)
        if row.note:
            line += ("  \n  " if parts else colon) + escape(row.note)
        out.append(line)
    return out + [""]


def _elements(report: Report, lang: str) -> list[str]:
    groups = c.element_groups(report)
    if not groups:
        return []
    out = [f"## {c.label(lang, 'elements')}", ""]
    for kind, mentions in groups:
        items = []
        for m in mentions:
            text, note = c.mention_text(m, lang)
            items.append(escape(text) + note)
        out.append(f"- **{c.label(lang, kind)}**{c.colon(lang)}" + c.label(lang, "item_sep").join(items))
    return out + [""]


def _structure(report: Report, lang: str) -> list[str]:
    view = c.structure_view(report)
    if view is None:
        return []
    out = [f"## {c.label(lang, 'structure')}", "", c.label(lang, "structure_help"), ""]
    if view.marks:
        marks = [
            f"**{c.mark_name(key, lang, capital=True)}**{c.colon(lang)}{c.label(lang, 'sentence_no', n=i + 1)}"
            for key, i in sorted(view.marks.items(), key=lambda kv: kv[1])
        ]
        out += [" · ".join(marks), ""]
    rows = []
    for i, (s, role) in enumerate(zip(report.sentences, view.roles)):
        shown = c.role_name(role, lang) if role else "—"
        marks_here = view.marks_at(i)
        if marks_here:
            shown += " ← " + c.label(lang, "item_sep").join(f"**{c.mark_name(m, lang)}**" for m in marks_here)
        rows.append([str(i + 1), shown, escape(s.text)])
    out += _table(["#", c.label(lang, "role"), c.label(lang, "sentence")], ["r", "l", "l"], rows)
    out.append("")
    for role in dict.fromkeys(r for r in view.roles if r):
        help_text = c.role_help(role, lang)
        if help_text:
            out.append(f"- **{c.role_name(role, lang)}**{c.colon(lang)}{help_text}")
    return out + [""]


def _support(report: Report) -> list[str]:
    """The supportive message and support services, as a quiet blockquote."""
    from ..safety import support_notice

    notice = support_notice(report)
    if notice is None:
        return []
    zh = notice.language != "en"
    out = [f"> **{escape(notice.heading)}**", ">", f"> {escape(notice.message)}", ">"]
    for res in notice.resources:
        extras = [x for x in (res.hours, res.note, res.url) if x]
        tail = ""
        if extras:
            tail = ("（" + "，".join(escape(x) for x in extras) + "）") if zh else f" ({'; '.join(escape(x) for x in extras)})"
        out.append(f"> - **{escape(res.name)}**{'：' if zh else ': '}{escape(res.contact)}{tail}")
    return out + [""]


def render_markdown(report: Report | Mapping[str, Any]) -> str:
    """The report as a Markdown document (ends with a newline).

    Args:
        report: the analysis to show (a Report or its ``to_dict()`` form).
    Returns:
        Markdown text: headings, tables, a text sparkline and bold evidence.
    """
    report = c.as_report(report)
    lang = c.ui_language(report)
    colon = c.colon(lang)
    out: list[str] = [f"# {c.label(lang, 'title')}", ""]

    facts = [c.language_fact(report, lang), *c.size_facts(report, lang)]
    line = f"**{c.label(lang, 'language')}**{colon}" + " · ".join(facts)
    engine = c.engine_fact(report.engine)
    if engine:
        line += f" · **{c.label(lang, 'engine')}**{colon}{escape(engine)}"
    out += [line, ""]
    out += _support(report)  # only at concern/urgent (storyloom.safety)

    # Overall feeling
    s = report.sentiment
    filled, empty = c.gauge(s.intensity, GAUGE_WIDTH)
    out += [f"## {c.label(lang, 'overall')}", ""]
    out.append(
        f"**{c.polarity_name(s.polarity, lang)}** · {c.label(lang, 'intensity')} "
        f"{c.fmt2(s.intensity)} `{filled}{empty}`  "
    )
    detail = f"{c.label(lang, 'score')} {c.signed(s.score)}{c.label(lang, 'score_range')}"
    if s.positive or s.negative:
        detail += " · " + c.label(lang, "pos_neg", pos=c.percent(s.positive), neg=c.percent(s.negative))
    out += [detail, ""]

    # Emotions
    out += [f"## {c.label(lang, 'emotions')}", ""]
    rows = []
    for name, p in c.sorted_emotions(report):
        shown = c.emotion_name(name, lang)
        if name == report.dominant_emotion:
            shown = f"**{shown}**"
        filled, empty = c.gauge(p, BAR_WIDTH)
        rows.append([shown, c.percent(p), f"`{filled}{empty}`"])
    out += _table([c.label(lang, "emotion"), c.label(lang, "share"), " "], ["l", "r", "l"], rows)
    out.append("")

    # Valence and arousal
    out += [f"## {c.label(lang, 'va')}", ""]
    rows = []
    for key, value, word in (
        ("valence", report.valence, c.valence_word(report.valence, lang)),
        ("arousal", report.arousal, c.arousal_word(report.arousal, lang)),
    ):
        left, dot, right = c.scale_marker(value, SCALE_WIDTH)
        rows.append([c.label(lang, key), c.fmt1(value), f"`1 {left}{dot}{right} 9`", word])
    out += _table(
        [c.label(lang, k) for k in ("dimension", "value", "scale", "meaning")],
        ["l", "r", "l", "l"],
        rows,
    )
    out.append("")

    # Arc
    arc = report.arc
    values = list(arc.values) or list(arc.raw)
    out += [f"## {c.label(lang, 'arc')}", ""]
    if values:
        out += [f"`{c.sparkline(values, c.spark_width(len(values), 60))}`", ""]
    shape = f"**{c.arc_name(arc.shape, lang)}**{c.arc_explanation(arc.shape, lang)}"
    if arc.confidence:
        conf = c.label(lang, "confidence", c=c.fmt2(arc.confidence))
        shape += c.parenthesise(conf, lang)
    points = c.arc_points(values)
    if points and len(values) > 1:
        shape += "  \n" + c.label(
            lang,
            "arc_points",
            start=c.fmt1(points.start),
            low=c.fmt1(points.low),
            low_s=points.low_sentence,
            high=c.fmt1(points.high),
            high_s=points.high_sentence,
            end=c.fmt1(points.end),
        )
    out += [shape, ""]

    # Sentences
    out += [f"## {c.label(lang, 'by_sentence')}", ""]
    rows = []
    for i, sent in enumerate(report.sentences):
        rows.append(
            [str(i + 1), c.fmt1(sent.valence), c.emotion_name(sent.emotion, lang), _sentence_md(report, i)]
        )
    out += _table(
        ["#", c.label(lang, "valence"), c.label(lang, "emotion"), c.label(lang, "sentence")],
        ["r", "r", "l", "l"],
        rows,
    )
    out.append("")

    # Evidence
    out += [f"## {c.label(lang, 'evidence')}", ""]
    groups = c.evidence_by_emotion(report)
    if not groups:
        out += [c.label(lang, "no_evidence"), ""]
    for name, items in groups:
        words = []
        for item in items:
            word = f"**{escape(item.text)}**"
            if item.negated:
                word += c.label(lang, "negated")
            words.append(word + c.sentence_refs(item.sentences, lang))
        out.append(f"- **{c.emotion_name(name, lang)}**{colon}" + c.label(lang, "item_sep").join(words))
    if groups:
        out.append("")

    # What the story is about, how it is told, who is in it (skipped when not analysed)
    for section in (_themes, _keywords, _style, _elements, _structure):
        out += section(report, lang)
    return "\n".join(out).rstrip("\n") + "\n"
