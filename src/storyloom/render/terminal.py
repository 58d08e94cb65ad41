"""A :class:`~storyloom.analysis.report.Report` for people at a terminal (rich).

:class:`ReportView` is a rich renderable that lays itself out for the width it
is given, so it reads well from ~40 columns up.  Colour is a bonus, never the
only carrier of meaning: valence and shares are always printed as numbers, and
when the console has no colour system at all (a pipe, a file, ``TERM=dumb``)
evidence words are marked with brackets instead of underlining.  ``NO_COLOR``
is honoured by rich itself.
"""

from __future__ import annotations

from rich import box
from rich.color import Color, ColorTriplet, blend_rgb
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

EVIDENCE_STYLE = Style(bold=True, underline=True)
NEGATED_EVIDENCE_STYLE = Style(bold=True, underline=True, italic=True)
HEADING_STYLE = "bold"
DIM = "dim"

# Below this width the layout drops decorations (panel borders, the emotion
# column of the sentence list) and shortens bars.
NARROW = 60


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


class ReportView:
    """A rich renderable of a whole report, adapting to the available width.

    Args:
        report: the analysis to show.
        mark_evidence: wrap evidence words in brackets (【…】 in Chinese, […]
            in English).  ``None`` (default) marks them only when the console
            cannot show underlining (no colour system, e.g. output to a file).
    """

    def __init__(self, report: Report, mark_evidence: bool | None = None) -> None:
        self.report = report
        self.lang = c.ui_language(report)
        self.mark_evidence = mark_evidence

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        plain = console.color_system is None
        mark = plain if self.mark_evidence is None else self.mark_evidence
        narrow = width < NARROW
        yield self._header(narrow)
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
            cells.append(self.sentence_text(i, mark))
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
        for name, items in groups:
            line = Text()
            for k, item in enumerate(items[:limit]):
                if k:
                    line.append(c.label(lang, "item_sep"))
                line.append(item.text, style=NEGATED_EVIDENCE_STYLE if item.negated else EVIDENCE_STYLE)
                if item.negated:
                    line.append(c.label(lang, "negated"), style=DIM)
                line.append(c.sentence_refs(item.sentences, lang), style=DIM)
            if len(items) > limit:
                line.append(c.label(lang, "item_sep") + c.label(lang, "more", n=len(items) - limit), style=DIM)
            style = EMOTION_STYLES.get(name, "")
            sep = "：" if c.is_chinese(lang) else ":"
            table.add_row(Text(c.emotion_name(name, lang) + sep, style=style), line)
        return table


def render_terminal(report: Report, console: Console | None = None) -> None:
    """Print ``report`` for a person to read.

    Args:
        report: the analysis to show.
        console: where to print; by default a new rich ``Console`` on stdout,
            which picks colour and width from the terminal (plain text without
            ANSI codes when stdout is not a terminal or ``NO_COLOR`` is set).
    """
    console = console or Console()
    console.print(ReportView(report))
