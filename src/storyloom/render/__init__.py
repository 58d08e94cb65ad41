"""Renderers: pure functions of a :class:`~storyloom.analysis.report.Report`.

``render_terminal`` prints a rich view for people, ``render_markdown`` returns
the same content as Markdown, ``render_html`` one self-contained HTML page
with SVG charts, ``render_json`` the public JSON contract
(``Report.to_json()``, schema ``storyloom.report/1``).  ``render_text`` is the
terminal view as plain text (no ANSI codes), for files.

Keys in ``Report.extra`` are not rendered yet; they never break a renderer.
"""

from __future__ import annotations

import io
from enum import Enum

from ..analysis.report import Report
from .html import render_html
from .markdown import render_markdown
from .terminal import ReportView, render_terminal


class OutputFormat(str, Enum):
    """Output formats of ``storyloom analyze --format``."""

    text = "text"  # the rich terminal view (plain text when not a terminal)
    json = "json"  # Report.to_json(): exactly what the server returns
    markdown = "markdown"
    html = "html"  # one self-contained offline page (render/html.py)


def render_json(report: Report) -> str:
    """The report as JSON text (``Report.to_json()``), Chinese kept readable."""
    return report.to_json()


def render_text(report: Report, width: int = 100) -> str:
    """The terminal view as plain text without ANSI codes, ``width`` cells wide."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False,
        no_color=True, highlight=False, emoji=False,
    )
    console.print(ReportView(report))
    return buffer.getvalue()


__all__ = [
    "OutputFormat", "ReportView", "render_html", "render_json", "render_markdown", "render_terminal", "render_text",
]
