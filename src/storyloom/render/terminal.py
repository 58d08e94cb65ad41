"""A :class:`~storyloom.analysis.report.Report` for people at a terminal (rich).

:class:`ReportView` is a rich renderable that lays itself out for the width it
is given, so it reads well from ~40 columns up.  Colour is a bonus, never the
only carrier of meaning: valence and shares are always printed as numbers, and
when the console has no colour system at all (a pipe, a file, ``TERM=dumb``)
evidence words are marked with brackets instead of underlining.  ``NO_COLOR``
is honoured by rich itself.

After the affect sections come those of the other analysers — themes,
keywords, style figures with their one-sentence meaning, story elements and
the Labov structure — each skipped when its analyser did not run.  Lists of
words wrap only between items, never inside a word, and Chinese is never
re-spaced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import zip_longest
from typing import Any

from rich import box
from rich.color import Color, ColorTriplet, blend_rgb
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..analysis.report import Report
from . import common as c

# Valence colours: 1 (very unpleasant) red, 5 grey, 9 (very pleasant) green.
_RED = ColorTriplet(220, 80, 80)
_GREY = ColorTriplet(150, 150, 150)
_GREEN = ColorTriplet(80, 190, 100)

POLARITY_STYLES = {
    "positive": "bold green",
    "negative": "bold red",
    "neutral": "bold grey62",
    "mixed": "bold yellow",
}

EMOTION_STYLES = {
    "joy": "yellow",
    "love": "magenta",
    "sadness": "blue",
    "anger": "red",
    "fear": "purple",
    "disgust": "green",
    "surprise": "cyan",
    "neutral": "grey50",
}

ROLE_STYLES = {
    "abstract": "medium_purple",
    "orientation": "steel_blue1",
    "complicating_action": "dark_orange",
    "evaluation": "orchid",
    "resolution": "green",
    "coda": "grey62",
}
THEME_STYLE = "steel_blue1"

EVIDENCE_STYLE = Style(bold=True, underline=True)
NEGATED_EVIDENCE_STYLE = Style(bold=True, underline=True, italic=True)
HEADING_STYLE = "bold"
DIM = "dim"

# Below this width the layout drops decorations (panel borders, the emotion
# column of the sentence list) and shortens bars.
NARROW = 60
# A list of words beside a label moves onto its own lines when fewer cells than
# this remain beside it.
MIN_LIST_WIDTH = 16
STYLE_NAME_MAX = 18  # the style figure names wrap beyond this many cells


def valence_color(valence: float) -> Color:
    """Red (1) → grey (5) → green (9) for a valence on the 1–9 scale."""
    v = min(max(float(valence), 1.0), 9.0)
    if v < 5.0:
        rgb = blend_rgb(_RED, _GREY, (v - 1.0) / 4.0)
    else:
        rgb = blend_rgb(_GREY, _GREEN, (v - 5.0) / 4.0)
    return Color.from_triplet(rgb)


def valence_style(valence: float) -> Style:
    return Style(color=valence_color(valence))


# Line breaking for mixed Chinese/English text.  rich breaks lines only at
# spaces, which strands "44 个词" across lines and can start a line with "。";
# these helpers break between ideographs or at spaces, never before closing
# punctuation nor after opening punctuation (the common 禁则 rules).
_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
NBSP = "\u00a0"  # joins what must stay on one line (a curve's name and its sparkline)
_TOKEN = re.compile(rf"[^\S{NBSP}]+|[{_CJK}]|(?:[^\s{_CJK}]|{NBSP})+")
_IS_CJK = re.compile(rf"[{_CJK}]")
NO_LINE_START = frozenset("，。、；：！？）」』》〉】〕”’…—·,.;:!?)]}%" + NBSP)
NO_LINE_END = frozenset("（「『《〈【〔“‘([{")


def _breakable(before: str, after: str) -> bool:
    """May a line break between tokens ``before`` and ``after``?"""
    if after[0] in NO_LINE_START or before[-1] in NO_LINE_END:
        return False
    return before.isspace() or after.isspace() or bool(_IS_CJK.match(before) or _IS_CJK.match(after))


def break_lines(plain: str, width: int, first: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``plain`` (no newlines) wrapped to ``width`` cells.

    The first line may have a different width (``first``).  A token wider
    than a line (a long URL) is left whole on its own line.
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(plain)]
    out: list[tuple[int, int]] = []
    room = width if first is None else first
    i, n = 0, len(tokens)
    while i < n:
        while i < n and tokens[i][2].isspace():
            i += 1
        if i == n:
            break
        start, used, last_break, j = i, 0, None, i
        cut = n
        while j < n:
            tok = tokens[j][2]
            # no break at a space either when what follows must not start a line ("next ·")
            glued = tok.isspace() and j + 1 < n and tokens[j + 1][2][0] in NO_LINE_START
            if j > start and not glued and _breakable(tokens[j - 1][2], tok):
                last_break = j
            w = cell_len(tok)
            if used + w > max(room, 1) and j > start:
                if tok.isspace() and not glued:
                    cut = j
                else:
                    cut = last_break if last_break is not None and last_break > start else j
                break
            used += w
            j += 1
        end = cut
        while end > start and tokens[end - 1][2].isspace():
            end -= 1
        out.append((tokens[start][0], tokens[end - 1][1]))
        i, room = cut, width
    return out or [(0, 0)]


def wrap_text(text: Text, width: int, first: int | None = None) -> list[Text]:
    """``text`` as lines of at most ``width`` cells (styles kept; ``\n`` starts a new line)."""
    lines: list[Text] = []
    for para in text.split("\n", allow_blank=True):
        for a, b in break_lines(para.plain, width, first if not lines else None):
            lines.append(para[a:b])
    return lines or [Text()]


def clip(text: str, width: int) -> Text:
    """``text`` cut to ``width`` cells, ending in "…" when cut (never half a wide character)."""
    if cell_len(text) <= width:
        return Text(text)
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > max(width - 1, 0):
            break
        out.append(ch)
        used += w
    cut = "".join(out)
    if not _IS_CJK.search(cut[-1:] or " ") and " " in cut[-16:]:  # end on a whole word
        cut = cut[: cut.rindex(" ")]
    return Text(cut.rstrip(" ,;:") + "…")


def pad(text: Text, width: int) -> Text:
    """``text`` followed by spaces up to ``width`` cells."""
    return text + Text(" " * max(width - text.cell_len, 0))


def join_lines(lines: Sequence[Text]) -> Text:
    out = Text()
    for k, line in enumerate(lines):
        if k:
            out.append("\n")
        out.append_text(line)
    return out


def hanging(head: Text, body: Text, width: int, head_width: int | None = None) -> Text:
    """``head`` then ``body`` wrapped beside it, continuation lines aligned under the body.

    When ``head`` is wider than ``head_width`` (default: its own width) it
    wraps too.  Below :data:`MIN_LIST_WIDTH` cells of room, ``body`` goes
    under ``head`` indented by two.
    """
    hw = head.cell_len if head_width is None else head_width
    if width - hw - 1 < MIN_LIST_WIDTH:
        lines = wrap_text(head, width)
        lines += [Text("  ") + ln for ln in wrap_text(body, width - 2)]
        return join_lines(lines)
    left = wrap_text(head, hw)
    right = wrap_text(body, width - hw - 1)
    lines = []
    for a, b in zip_longest(left, right):
        line = pad(a or Text(), hw) + Text(" ") + (b or Text())
        line.rstrip()
        lines.append(line)
    return join_lines(lines)


def wrap_items(items: Sequence[Text], sep: str, width: int, first: int | None = None, indent: int = 0) -> Text:
    """Items joined by ``sep``, broken into lines only between items.

    The first line holds ``first`` cells (default ``width``), the others
    ``width - indent`` after ``indent`` spaces.  An item longer than a whole
    line starts a line of its own and is wrapped like text.
    """
    lines: list[Text] = []
    line, used = Text(), 0
    room = width if first is None else first
    for k, item in enumerate(items):
        piece = item.copy()
        if k < len(items) - 1:
            piece.append(sep)
        need = cell_len(piece.plain.rstrip())
        if used and used + need > room:
            line.rstrip()
            lines.append(line)
            line, used, room = Text(" " * indent), 0, width - indent
        if need > room:  # too long for any line: wrap the item itself
            parts = wrap_text(piece, width - indent, room)
            for part in parts[:-1]:
                lines.append(line + part)
                line, room = Text(" " * indent), width - indent
            piece = parts[-1]
            if k < len(items) - 1:
                piece.append(sep[len(sep.rstrip()):])  # the wrap dropped the separator's trailing space
        line.append_text(piece)
        used += piece.cell_len
    line.rstrip()
    lines.append(line)
    return join_lines(lines)


class ReportView:
    """A rich renderable of a whole report, adapting to the available width.

    Args:
        report: the analysis to show (a Report or its ``to_dict()`` form).
        mark_evidence: wrap evidence words in brackets (【…】 in Chinese, […]
            in English).  ``None`` (default) marks them only when the console
            cannot show underlining (no colour system, e.g. output to a file).
    """

    def __init__(self, report: Report | Mapping[str, Any], mark_evidence: bool | None = None) -> None:
        report = c.as_report(report)
        self.report = report
        self.lang = c.ui_language(report)
        self.mark_evidence = mark_evidence
        self._width = 80  # set from the console on each render

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        self._width = width
        plain = console.color_system is None
        mark = plain if self.mark_evidence is None else self.mark_evidence
        narrow = width < NARROW
        yield self._header(narrow)
        notice = self._support(narrow)
        if notice is not None:  # only at concern/urgent (storyloom.safety)
            yield notice
        yield self._overall(width)
        yield self._section(c.label(self.lang, "emotions"))
        yield self._emotions(width)
        yield self._section(c.label(self.lang, "va"))
        yield self._valence_arousal(width)
        yield self._section(c.label(self.lang, "arc"))
        yield self._arc(width)
        yield self._section(c.label(self.lang, "by_sentence"))
        yield self._sentences(narrow, mark)
        yield self._section(c.label(self.lang, "evidence"))
        yield self._evidence()
        # what the story is about, how it is told, who is in it: skipped when not analysed
        for key, part in (
            ("themes", self._themes),
            ("keywords", self._keywords),
            ("style", self._style),
            ("elements", self._elements),
            ("structure", self._structure),
        ):
            body = part(width)
            if body is not None:
                yield self._section(c.label(self.lang, key))
                yield body

    # -- pieces ------------------------------------------------------------

    def _section(self, title: str) -> RenderableType:
        rule = Rule(Text(title, style=HEADING_STYLE), align="left", style="grey50")
        return Padding(rule, (1, 0, 0, 0))

    def _header(self, narrow: bool) -> RenderableType:
        r, lang = self.report, self.lang
        facts = Text()
        parts = [c.language_fact(r, lang), *c.size_facts(r, lang)]
        facts.append(" · ".join(parts))
        engine = c.engine_fact(r.engine)
        if engine:
            facts.append(f"\n{c.label(lang, 'engine')}{c.colon(lang)}", style=DIM)
            facts.append(engine, style=DIM)
        title = Text(c.label(lang, "title"), style="bold")
        if narrow:
            return Group(title, facts)
        return Panel(facts, title=title, title_align="left", box=box.ROUNDED, border_style="grey50", expand=True)

    def _support(self, narrow: bool) -> RenderableType | None:
        """The supportive message and support services, in calm colours."""
        from ..safety import support_notice

        notice = support_notice(self.report)
        if notice is None:
            return None
        zh = notice.language != "en"
        body = Text(notice.message)
        for res in notice.resources:
            line = Text("\n• ")
            line.append(res.name, style="bold")
            line.append("：" if zh else ": ")
            line.append(res.contact)
            extras = [x for x in (res.hours, res.note, res.url) if x]
            if extras:
                line.append(("（" + "，".join(extras) + "）") if zh else f" ({'; '.join(extras)})", style=DIM)
            body.append_text(line)
        title = Text(notice.heading, style="bold")
        if narrow:
            return Padding(Group(title, body), (1, 0, 0, 0))
        return Padding(
            Panel(body, title=title, title_align="left", box=box.ROUNDED, border_style="steel_blue", expand=True),
            (1, 0, 0, 0),
        )

    def _overall(self, width: int) -> RenderableType:
        r, lang = self.report, self.lang
        s = r.sentiment
        pol = c.arc_key(s.polarity)
        style = POLARITY_STYLES.get(pol, "bold")
        gauge_w = 20 if width >= NARROW else 10
        filled, empty = c.gauge(s.intensity, gauge_w)
        line = Text()
        line.append(f"{c.label(lang, 'overall')}  ", style=HEADING_STYLE)
        line.append(c.polarity_name(s.polarity, lang), style=style)
        line.append(f" · {c.label(lang, 'intensity')} {c.fmt2(s.intensity)}  ")
        line.append(filled, style=style.replace("bold ", ""))
        line.append(empty, style="grey35")
        detail = Text(style=DIM)
        detail.append(f"{c.label(lang, 'score')} {c.signed(s.score)}{c.label(lang, 'score_range')}")
        if s.positive or s.negative:
            detail.append(" · " + c.label(lang, "pos_neg", pos=c.percent(s.positive), neg=c.percent(s.negative)))
        return Padding(Group(line, detail), (1, 0, 0, 0))

    def _emotions(self, width: int) -> RenderableType:
        lang = self.lang
        items = c.sorted_emotions(self.report)
        names = [c.emotion_name(name, lang) for name, _ in items]
        name_w = max(Text(n).cell_len for n in names)
        # name, space, bar, space, "100%"
        bar_w = max(min(width - name_w - 7, 30), 6)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        dominant = self.report.dominant_emotion
        for (name, p), shown in zip(items, names):
            style = EMOTION_STYLES.get(name, "white")
            label = Text(shown, style=f"bold {style}" if name == dominant else style)
            filled, empty = c.gauge(p, bar_w, empty=" ")
            bar = Text(filled, style=style) + Text(empty)
            table.add_row(label, bar, Text(c.percent(p), style="bold" if name == dominant else ""))
        return table

    def _valence_arousal(self, width: int) -> RenderableType:
        r, lang = self.report, self.lang
        scale_w = 17 if width >= NARROW else 9
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for key, value, word, marker_style in (
            ("valence", r.valence, c.valence_word(r.valence, lang), valence_style(r.valence)),
            ("arousal", r.arousal, c.arousal_word(r.arousal, lang), Style(color="cyan")),
        ):
            left, dot, right = c.scale_marker(value, scale_w)
            scale = Text("1 ", style=DIM) + Text(left, style="grey50")
            scale += Text(dot, style=marker_style + Style(bold=True))
            scale += Text(right, style="grey50") + Text(" 9", style=DIM)
            table.add_row(c.label(lang, key), Text(c.fmt1(value), style="bold"), scale, word)
        return table

    def _arc(self, width: int) -> RenderableType:
        r, lang = self.report, self.lang
        arc = r.arc
        values = list(arc.values) or list(arc.raw)
        lines: list[RenderableType] = []
        if values:
            n = c.spark_width(len(values), width - 2)
            spark = c.sparkline(values, n)
            start_style = valence_style(values[0])
            end_style = valence_style(values[-1])
            line = Text()
            half = len(spark) // 2
            line.append(spark[:half], style=start_style)
            line.append(spark[half:], style=end_style)
            lines.append(line)
        shape = Text()
        shape.append(c.arc_name(arc.shape, lang), style="bold")
        shape.append(c.arc_explanation(arc.shape, lang))
        if arc.confidence:
            conf = c.label(lang, "confidence", c=c.fmt2(arc.confidence))
            shape.append(c.parenthesise(conf, lang), style=DIM)
        lines.append(shape)
        points = c.arc_points(values)
        if points and len(values) > 1:
            lines.append(
                Text(
                    c.label(
                        lang,
                        "arc_points",
                        start=c.fmt1(points.start),
                        low=c.fmt1(points.low),
                        low_s=points.low_sentence,
                        high=c.fmt1(points.high),
                        high_s=points.high_sentence,
                        end=c.fmt1(points.end),
                    ),
                    style=DIM,
                )
            )
        return Group(*lines)

    def sentence_text(self, index: int, mark: bool) -> Text:
        """One sentence, coloured by its valence, evidence words emphasised."""
        s = self.report.sentences[index]
        base = valence_style(s.valence)
        spans = c.local_spans(self.report, s.index, s.text, s.start)
        text = Text(style=base)
        pos = 0
        open_mark, close_mark = ("【", "】") if c.is_chinese(self.lang) else ("[", "]")
        for a, b, neg in spans:
            text.append(s.text[pos:a])
            word = s.text[a:b]
            if mark:
                word = f"{open_mark}{word}{close_mark}"
            text.append(word, style=NEGATED_EVIDENCE_STYLE if neg else EVIDENCE_STYLE)
            pos = b
        text.append(s.text[pos:])
        return text

    def _sentences(self, narrow: bool, mark: bool) -> RenderableType:
        r, lang = self.report, self.lang
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", no_wrap=True, style=DIM)
        table.add_column(justify="right", no_wrap=True)
        if not narrow:
            table.add_column(no_wrap=True)
        # fold: a run of Chinese has no spaces to wrap at, so wrap it anywhere
        table.add_column(ratio=1, overflow="fold")
        # Sentences are pre-wrapped to the room left by the other columns, so
        # Chinese breaks between characters (and never before "。").
        used = len(str(len(r.sentences))) + max((len(c.fmt1(s.valence)) for s in r.sentences), default=3)
        if not narrow:
            used += max((cell_len(c.emotion_name(s.emotion, lang)) for s in r.sentences), default=0)
        text_w = max(self._width - used - (len(table.columns) - 1), 8)
        previous_paragraph = None
        for i, s in enumerate(r.sentences):
            if previous_paragraph is not None and s.paragraph != previous_paragraph:
                table.add_row(*([""] * len(table.columns)))
            previous_paragraph = s.paragraph
            cells: list[RenderableType] = [
                Text(str(i + 1)),
                Text(c.fmt1(s.valence), style=valence_style(s.valence)),
            ]
            if not narrow:
                emo = s.emotion
                cells.append(Text(c.emotion_name(emo, lang), style=EMOTION_STYLES.get(emo, "")))
            cells.append(join_lines(wrap_text(self.sentence_text(i, mark), text_w)))
            table.add_row(*cells)
        return table

    def _evidence(self) -> RenderableType:
        lang = self.lang
        groups = c.evidence_by_emotion(self.report)
        if not groups:
            return Text(c.label(lang, "no_evidence"), style=DIM)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        limit = 8
        sep = "：" if c.is_chinese(lang) else ":"
        name_w = max(cell_len(c.emotion_name(name, lang) + sep) for name, _ in groups)
        for name, items in groups:
            words = []
            for item in items[:limit]:
                word = Text(item.text, style=NEGATED_EVIDENCE_STYLE if item.negated else EVIDENCE_STYLE)
                if item.negated:
                    word.append(c.label(lang, "negated"), style=DIM)
                word.append(c.sentence_refs(item.sentences, lang), style=DIM)
                words.append(word)
            if len(items) > limit:
                words.append(Text(c.label(lang, "more", n=len(items) - limit), style=DIM))
            line = wrap_items(words, c.label(lang, "item_sep"), max(self._width - name_w - 1, 8))
            style = EMOTION_STYLES.get(name, "")
            table.add_row(Text(c.emotion_name(name, lang) + sep, style=style), line)
        return table

    # -- themes, keywords, style, elements, structure -------------------------

    @property
    def _sep(self) -> str:
        return c.label(self.lang, "item_sep")

    def _beside(self, head: Text, items: list[Text], width: int) -> Text:
        """``head`` then ``items`` wrapped beside it, or under it when an item would not fit beside it."""
        indent = head.cell_len + 1
        out = head.copy()
        widest = max((item.cell_len for item in items), default=0) + cell_len(self._sep.rstrip())
        if width - indent >= max(MIN_LIST_WIDTH, widest):
            out.append(" ")
            out.append_text(wrap_items(items, self._sep, width, width - indent, indent))
        else:
            out.rstrip()
            out.append("\n  ")
            out.append_text(wrap_items(items, self._sep, width, width - 2, 2))
        return out

    def _themes(self, width: int) -> RenderableType | None:
        rows = c.theme_rows(self.report, self.lang)
        if not rows:
            return None
        narrow = width < NARROW
        name_w = max(cell_len(r.shown) for r in rows)
        bar_w = 20 if not narrow else 10
        lines = []
        for row in rows:
            filled, empty = c.gauge(row.score, bar_w)
            line = pad(Text(row.shown, style="bold"), name_w) + " "
            line.append(filled, style=THEME_STYLE)
            line.append(empty, style="grey35")
            line.append(f" {c.fmt2(row.score)} ")
            words = [Text(item) for item in c.theme_evidence(row, self.lang)]
            if words:
                line = self._beside(line, words, width)
            line.rstrip()
            lines.append(line)
        return Group(*lines)

    def _keywords(self, width: int) -> RenderableType | None:
        rows = c.keyword_rows(self.report)
        if not rows:
            return None
        items = []
        for row in rows:
            item = Text(row.term)
            note = c.count_note(row.count, self.lang)
            if note:
                item.append(note, style=DIM)
            items.append(item)
        return wrap_items(items, self._sep, width)

    def _style(self, width: int) -> RenderableType | None:
        rows = c.style_rows(self.report, self.lang)
        if not rows:
            return None
        name_w = min(max(cell_len(r.name) for r in rows), STYLE_NAME_MAX, max(width // 4, 6))
        dot = " · "
        out = []
        for row in rows:
            value = Text()
            if row.main:
                value.append(row.main, style="bold")
            value.append(row.after)
            for detail in row.details:
                if value.plain:
                    value.append(dot, style=DIM)
                value.append(detail)
            for name, line in row.sparks:
                if value.plain:
                    value.append(dot, style=DIM)
                if name:  # keep a curve's name and its line together
                    value.append(name.replace(" ", NBSP) + NBSP)
                value.append(line, style=THEME_STYLE)
            if row.note:
                if value.plain:
                    value.append("\n")
                value.append(row.note)
            out.append(hanging(Text(row.name, style="bold"), value, width, name_w))
        return Group(*out)

    def _elements(self, width: int) -> RenderableType | None:
        groups = c.element_groups(self.report)
        if not groups:
            return None
        titles = {kind: c.label(self.lang, kind) for kind, _ in groups}
        title_w = max(cell_len(t) for t in titles.values())
        lines = []
        for kind, mentions in groups:
            items = []
            for m in mentions:
                text, note = c.mention_text(m, self.lang)
                item = Text(text)
                if note:
                    item.append(note, style=DIM)
                items.append(item)
            line = pad(Text(titles[kind], style="bold"), title_w) + " "
            lines.append(self._beside(line, items, width))
        return Group(*lines)

    def _structure(self, width: int) -> RenderableType | None:
        view = c.structure_view(self.report)
        if view is None:
            return None
        lang = self.lang
        sentences = self.report.sentences
        num_w = len(str(len(sentences)))
        names = {role: c.role_name(role, lang) if role else "—" for role in view.roles}
        role_w = max(cell_len(n) for n in names.values())
        marks = {
            i: "← " + self._sep.join(c.mark_name(m, lang) for m in view.marks_at(i))
            for i in range(len(sentences)) if view.marks_at(i)
        }
        marks_w = max((cell_len(m) for m in marks.values()), default=0)
        text_w = width - num_w - role_w - 2
        inline = bool(marks) and text_w - marks_w - 1 >= MIN_LIST_WIDTH
        if inline:
            text_w -= marks_w + 1
        lines = []
        for i, (s, role) in enumerate(zip(sentences, view.roles)):
            line = Text(str(i + 1).rjust(num_w), style=DIM) + " "
            line += pad(Text(names[role], style=ROLE_STYLES.get(role or "", DIM)), role_w) + " "
            line += clip(c.excerpt(s.text, 1000), text_w)
            if inline and i in marks:
                line = pad(line, width - marks_w) + Text(marks[i], style="bold")
            lines.append(line)
        parts: list[RenderableType] = [join_lines(lines)]
        if view.marks and not inline:
            summary = [
                Text(f"{c.mark_name(k, lang, capital=True)}{c.colon(lang)}{c.label(lang, 'sentence_no', n=i + 1)}")
                for k, i in sorted(view.marks.items(), key=lambda kv: kv[1])
            ]
            parts.append(wrap_items(summary, " · ", width))
        legend = []
        for role in dict.fromkeys(r for r in view.roles if r):
            help_text = c.role_help(role, lang)
            if help_text:
                legend.append(Text(f"{names[role]}{c.colon(lang)}{help_text}", style=DIM))
        if legend:
            parts.append(wrap_items(legend, " · ", width))
        return Group(*parts)

def render_terminal(report: Report | Mapping[str, Any], console: Console | None = None) -> None:
    """Print ``report`` for a person to read.

    Args:
        report: the analysis to show (a Report or its ``to_dict()`` form).
        console: where to print; by default a new rich ``Console`` on stdout,
            which picks colour and width from the terminal (plain text without
            ANSI codes when stdout is not a terminal or ``NO_COLOR`` is set).
    """
    console = console or Console()
    console.print(ReportView(report))
