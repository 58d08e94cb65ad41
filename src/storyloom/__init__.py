"""StoryLoom (叙事工坊): analyse personal stories, offline, in Chinese and English.

>>> import storyloom
>>> report = storyloom.analyze("尽管天气寒冷，但她脸上依然洋溢着慈祥的微笑。")
>>> report.sentiment.polarity.value
'positive'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

__version__ = "0.1.0"

from .analysis.report import SCHEMA, Report  # noqa: E402
from .errors import StoryLoomError  # noqa: E402

__all__ = ["SCHEMA", "Report", "StoryLoomError", "__version__", "analyze", "analyze_many", "write"]


def analyze(
    text: str, lang: str | None = None, *, parts: Iterable[str] | None = None,
    engine: str | None = None, model: str | None = None, safety: str | None = None,
) -> Report:
    """Analyse one story and return its :class:`Report`.

    ``lang`` forces the document language (``"zh"`` or ``"en"``); by default it
    is detected, and mixed texts are analysed sentence by sentence.  Affect
    (sentiment, emotions, valence–arousal, arc) is always computed; ``parts``
    picks the other analysers from ``themes keywords style elements`` (default:
    all; ``parts=()`` for affect only, ~10× faster).  ``engine`` is
    ``"lexicon"`` or ``"model"`` (trained models; see ``Report.engine``), and
    ``model`` a directory made by ``storyloom train`` that replaces the shipped
    model for its task and language.  ``safety`` is how the crisis screen
    reads (see docs/safety.md): by default rules plus sentence/window
    embeddings; ``"rules"`` skips the embeddings (fast, less recall —
    ``Report.safety.method`` says which ran).  Bad input
    (empty, emoji only, too long, not Chinese or English) raises a
    :class:`StoryLoomError` subclass with a message a person can act on.
    """
    from .analysis.pipeline import analyze as _analyze

    return _analyze(text, lang, parts=parts, engine=engine, model=model, safety=safety)


def analyze_many(
    texts: Iterable[str | tuple[Any, str]], lang: str | None = None, *, errors: str = "raise",
    parts: Iterable[str] | None = None, engine: str | None = None, model: str | None = None,
) -> Iterator[Report | tuple[Any, Report | StoryLoomError]]:
    """Analyse many stories, yielding results in input order.

    Pass plain strings to get Reports, or ``(id, text)`` pairs to get
    ``(id, Report)`` pairs; with ``errors="return"`` a bad item yields
    ``(id, StoryLoomError)`` instead of stopping the batch.
    """
    from .analysis.pipeline import analyze_many as _many

    return _many(texts, lang, errors=errors, parts=parts, engine=engine, model=model)


def write(text_or_report: str | Report, target: Any = None, **options: Any) -> Any:
    """Write a personalised story from a user's story; returns a :class:`~storyloom.generate.types.Story`.

    ``target`` is the emotion to aim at (one of our eight, or a word such as
    温暖, hopeful, bittersweet; default: the story's own).  Options: ``pov``
    (``first|second|third``, default second), ``style``, ``length``,
    ``language``, ``close``, ``keep_names``/``names``, ``backend``
    (``builtin``, ``openai``, ``llamacpp``), ``backend_options``, ``n``
    candidates, ``seed``, ``engine``, ``fallback``, ``on_token`` — see
    :func:`storyloom.generate.write.write`.
    """
    from .generate.write import write as _write

    return _write(text_or_report, target, **options)
