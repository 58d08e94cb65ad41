"""Reading users' own label files (for ``storyloom train`` / ``storyloom evaluate``).

>>> ls = read_labels("my_labels.csv", "emotion")          # doctest: +SKIP
>>> ls.texts[0], ls.labels[0], ls.lines[0]                # doctest: +SKIP
('今天终于收到了录取通知书', 'joy', 2)

Formats
    * **CSV** (``.csv``; ``.tsv`` = tab-separated): UTF-8 with or without a BOM,
      GB18030/GBK, UTF-16 with a BOM… (decoded by :func:`storyloom.text.decode_bytes`).
      The first line is a header with a ``text`` column and a ``label`` column; if
      there is no ``label`` column, the column named after the task is used
      (``polarity`` / ``emotion`` / ``valence`` / ``arousal``).  Other columns are
      ignored.  Quoted fields may hold commas and line breaks.
    * **JSONL** (``.jsonl`` / ``.ndjson``; or any file whose first non-blank
      character is ``{``): one object per line with ``"text"`` and ``"label"`` (or
      the task-named key).

    Blank lines are skipped.  Line numbers are 1-based lines of the file (the CSV
    header is line 1; a quoted record spanning lines is reported at its first line).

Tasks and labels (normalised; case and surrounding spaces are ignored)
    ``polarity``  positive / negative; also pos/neg, 1/0, 正面/负面, 积极/消极.
    ``emotion``   joy love sadness anger fear disgust surprise neutral; also the DUTIR
                  names 乐 好 哀 怒 惧 恶 惊 and 喜悦 喜爱 悲伤 愤怒 恐惧 厌恶 惊讶 中性.
    ``valence`` / ``arousal``  a number from 1 to 9 (``float``).

Errors
    Every problem in the file's content raises one :class:`~storyloom.errors.LabelFileError`
    (E109) naming the file, the line and the problem -- unknown label (with the allowed
    ones), missing column (with the header found), empty text, empty label, a score
    that is not a number or not in 1-9, invalid JSON, a row with the wrong number of
    fields, no rows at all.  Up to :data:`MAX_PROBLEMS` problems are listed together.
    A missing file or directory raises :class:`~storyloom.errors.InputFileError`; bytes
    that are not text raise :class:`~storyloom.errors.NotText` /
    :class:`~storyloom.errors.DecodingError` (message prefixed with the file name).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DecodingError, InputFileError, InvalidOption, LabelFileError, NotText

TASKS: tuple[str, ...] = ("polarity", "emotion", "valence", "arousal")
CLASSIFICATION_TASKS: tuple[str, ...] = ("polarity", "emotion")
POLARITY_LABELS: tuple[str, ...] = ("positive", "negative")
EMOTION_LABELS: tuple[str, ...] = ("joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral")
SCORE_RANGE: tuple[float, float] = (1.0, 9.0)
MAX_PROBLEMS = 10

_POLARITY_ALIASES: dict[str, str] = {
    "positive": "positive", "pos": "positive", "1": "positive", "正面": "positive", "积极": "positive",
    "negative": "negative", "neg": "negative", "0": "negative", "负面": "negative", "消极": "negative",
}
_EMOTION_ALIASES: dict[str, str] = {
    **{e: e for e in EMOTION_LABELS},
    "乐": "joy", "好": "love", "哀": "sadness", "怒": "anger", "惧": "fear", "恶": "disgust", "惊": "surprise",
    "喜悦": "joy", "喜爱": "love", "悲伤": "sadness", "愤怒": "anger", "恐惧": "fear", "厌恶": "disgust",
    "惊讶": "surprise", "中性": "neutral",
}
_ALIASES: dict[str, dict[str, str]] = {"polarity": _POLARITY_ALIASES, "emotion": _EMOTION_ALIASES}

#: Accepted column / key names for the text, in order of preference.
TEXT_COLUMNS: tuple[str, ...] = ("text",)
#: Accepted label column / key names per task, in order of preference.
LABEL_COLUMNS: dict[str, tuple[str, ...]] = {t: ("label", t) for t in TASKS}

_JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(slots=True)
class LabelSet:
    """Texts with their normalised labels, read from a user's file.

    ``labels`` are strings in our vocabulary (``"positive"``, ``"joy"``…) for
    ``polarity`` / ``emotion`` and floats on 1-9 for ``valence`` / ``arousal``.
    ``lines[i]`` is the 1-based line of the file where example ``i`` starts.
    """

    texts: list[str]
    labels: list[Any]
    task: str
    source: str
    lines: list[int]
    format: str = "csv"  # "csv" | "tsv" | "jsonl"

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(zip(self.texts, self.labels))

    @property
    def is_classification(self) -> bool:
        return self.task in CLASSIFICATION_TASKS

    @property
    def classes(self) -> list[str]:
        """The labels present, in canonical order (empty for score tasks)."""
        if not self.is_classification:
            return []
        present = set(self.labels)
        return [lab for lab in allowed_labels(self.task) if lab in present]

    def counts(self) -> dict[str, int]:
        """Examples per label, in canonical order (empty for score tasks)."""
        c = Counter(self.labels) if self.is_classification else Counter()
        return {lab: c[lab] for lab in self.classes}


def allowed_labels(task: str) -> tuple[str, ...]:
    """The normalised label set of a classification task."""
    _check_task(task)
    return POLARITY_LABELS if task == "polarity" else EMOTION_LABELS if task == "emotion" else ()


def normalise_label(task: str, raw: Any) -> Any:
    """The normalised label for ``raw``, or raise ``ValueError`` with a short reason.

    Classification: a label of :func:`allowed_labels`; score tasks: a float in 1-9.
    """
    _check_task(task)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValueError("empty label")
    if task in CLASSIFICATION_TASKS:
        if isinstance(raw, bool):
            raise ValueError(f"unknown {task} label {raw!r}; {_allowed_text(task)}")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        key = str(raw).strip().replace("\ufeff", "").casefold()
        try:
            return _ALIASES[task][key]
        except KeyError:
            raise ValueError(f"unknown {task} label {str(raw).strip()!r}; {_allowed_text(task)}") from None
    if isinstance(raw, bool):
        raise ValueError(f"{task} score {raw!r} is not a number")
    try:
        x = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{task} score {raw!r} is not a number") from None
    if math.isnan(x):
        raise ValueError(f"{task} score {raw!r} is not a number")
    lo, hi = SCORE_RANGE
    if not lo <= x <= hi:
        raise ValueError(f"{task} score {raw!r} is out of range; scores go from {lo:g} to {hi:g}")
    return x


def read_labels(path: str | os.PathLike[str], task: str) -> LabelSet:
    """Read a CSV/TSV/JSONL label file for ``task`` (see the module docstring)."""
    _check_task(task)
    name = os.fspath(path)
    data = _read_bytes(name)
    try:
        from .text import decode_bytes

        content = decode_bytes(data)
    except (NotText, DecodingError) as e:
        raise type(e)(f"{name}: {e.message}") from None
    content = content.replace("\ufeff", "")
    if not content.strip():
        raise LabelFileError(f"{name}: the file is empty; it needs a header line and at least one row.",
                             name, [(0, "the file is empty")])
    fmt = _format(name, content)
    reader = _Reader(name, task)
    if fmt == "jsonl":
        reader.jsonl(content)
    else:
        reader.csv(content, "\t" if fmt == "tsv" else ",")
    reader.finish()
    return LabelSet(reader.texts, reader.labels, task, name, reader.lines, fmt)


# --------------------------------------------------------------------------- internals


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise InvalidOption(f"Unknown task {task!r}: choose one of {', '.join(TASKS)}.")


def _allowed_text(task: str) -> str:
    if task == "polarity":
        return "allowed: positive, negative (also pos/neg, 1/0, 正面/负面, 积极/消极)"
    return ("allowed: " + ", ".join(EMOTION_LABELS)
            + " (also 乐 好 哀 怒 惧 恶 惊, 喜悦 喜爱 悲伤 愤怒 恐惧 厌恶 惊讶 中性)")


def _read_bytes(name: str) -> bytes:
    try:
        if os.path.isdir(name):
            raise InputFileError(f"{name} is a directory; give the path of a CSV or JSONL label file.")
        with open(name, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputFileError(f"No such file: {name}") from None
    except PermissionError:
        raise InputFileError(f"Permission denied: cannot read {name}") from None
    except IsADirectoryError:
        raise InputFileError(f"{name} is a directory; give the path of a CSV or JSONL label file.") from None
    except OSError as exc:
        raise InputFileError(f"Cannot read {name}: {exc.strerror or exc}") from None


def _format(name: str, content: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".csv":
        return "csv"
    return "jsonl" if content.lstrip().startswith("{") else "csv"


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


class _Reader:
    def __init__(self, name: str, task: str) -> None:
        self.name = name
        self.task = task
        self.texts: list[str] = []
        self.labels: list[Any] = []
        self.lines: list[int] = []
        self.problems: list[tuple[int, str]] = []
        self.total = 0
        self.last_line = 0

    def problem(self, line: int, message: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))

    def fatal(self, line: int, message: str) -> LabelFileError:
        where = f"line {line}: " if line else ""
        return LabelFileError(f"{self.name}: {where}{message}", self.name, [(line, message)])

    def add(self, line: int, text: Any, raw_label: Any) -> None:
        text = "" if text is None else str(text).replace("\ufeff", "").strip()
        ok = True
        if not text:
            self.problem(line, "empty text")
            ok = False
        try:
            label = normalise_label(self.task, raw_label)
        except ValueError as e:
            self.problem(line, str(e))
            ok = False
        if ok:
            self.texts.append(text)
            self.labels.append(label)
            self.lines.append(line)

    # ------------------------------------------------------------------ CSV
    def _columns(self, header: list[str], line: int) -> tuple[int, int]:
        names = [h.replace("\ufeff", "").strip().casefold() for h in header]
        ti = next((names.index(c) for c in TEXT_COLUMNS if c in names), None)
        li = next((names.index(c) for c in LABEL_COLUMNS[self.task] if c in names), None)
        missing = []
        if ti is None:
            missing.append("'text'")
        if li is None:
            first, *rest = LABEL_COLUMNS[self.task]
            missing.append(repr(first) + "".join(f" (or {c!r})" for c in rest))
        if missing:
            found = ", ".join(repr(h.strip()) for h in header) or "(nothing)"
            hint = ""
            others = [t for t in TASKS if t != self.task and t in names]
            if li is None and others:
                hint = f" (there is a {others[0]!r} column: did you mean --task {others[0]}?)"
            elif ti is None and li is None:
                hint = " (the first line must be a header such as: text,label)"
            raise self.fatal(line, f"missing column{'s' if len(missing) > 1 else ''} {' and '.join(missing)}{hint}; "
                                  f"header found: {found}")
        return ti, li

    def csv(self, content: str, delimiter: str) -> None:
        reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
        header: list[str] | None = None
        ti = li = width = 0
        prev = 0
        try:
            for row in reader:
                start, prev = prev + 1, reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if header is None:
                    header = row
                    ti, li = self._columns(row, start)
                    width = len(row)
                    continue
                if max(ti, li) >= len(row):
                    self.problem(start, f"only {len(row)} field(s) but the header has {width} "
                                        "(a missing separator?)")
                    continue
                if len(row) > width and any(c.strip() for c in row[width:]):
                    self.problem(start, f"{len(row)} fields but the header has {width} "
                                        "(put texts that contain the separator in double quotes)")
                    continue
                self.add(start, row[ti], row[li])
        except csv.Error as e:
            self.problem(prev + 1, f"malformed CSV ({e})")
        if header is None:
            raise self.fatal(0, "no header and no rows; the first line must be a header such as: text,label")
        self.last_line = prev

    # ------------------------------------------------------------------ JSONL
    def jsonl(self, content: str) -> None:
        keys_t = TEXT_COLUMNS
        keys_l = LABEL_COLUMNS[self.task]
        n = 0
        for n, raw in enumerate(content.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as e:
                self.problem(n, f"invalid JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(obj, dict):
                self.problem(n, f"expected a JSON object like {{\"text\": …, \"label\": …}}, "
                                f"got {type(obj).__name__}")
                continue
            tk = next((k for k in keys_t if k in obj), None)
            lk = next((k for k in keys_l if k in obj), None)
            if tk is None or lk is None:
                label_keys = repr(keys_l[0]) + "".join(f" (or {k!r})" for k in keys_l[1:])
                missing = [m for m, k in (("'text'", tk), (label_keys, lk)) if k is None]
                found = ", ".join(repr(k) for k in obj) or "(none)"
                self.problem(n, f"missing key {' and '.join(missing)}; keys found: {found}")
                continue
            text = obj[tk]
            if text is not None and not isinstance(text, str):
                self.problem(n, f"'text' must be a string, got {type(text).__name__}")
                continue
            self.add(n, text, obj[lk])
        self.last_line = n

    # ------------------------------------------------------------------ end
    def finish(self) -> None:
        if not self.problems and not self.texts:
            raise self.fatal(0, "no rows at all (the file has a header but no labelled texts)"
                             if self.last_line else "no rows at all")
        if not self.problems:
            return
        lines = [f"line {ln}: {msg}" if ln else msg for ln, msg in self.problems]
        more = self.total - len(self.problems)
        head = (f"{self.name}: {self.total} problem{'s' if self.total != 1 else ''} "
                f"in the {self.task} label file:")
        tail = [f"… and {more} more" if more else "", "Fix these lines and try again."]
        message = "\n  ".join([head, *lines]) + "\n" + "\n".join(t for t in tail if t)
        raise LabelFileError(message, self.name, self.problems, self.total)


__all__ = [
    "EMOTION_LABELS", "MAX_PROBLEMS", "POLARITY_LABELS", "TASKS", "LabelSet",
    "allowed_labels", "normalise_label", "read_labels",
]
