"""Users' own labels: train a model on them, and evaluate StoryLoom against them.

The CLI's ``storyloom train`` and ``storyloom evaluate`` are thin wrappers
around :func:`train_from_file` and :func:`evaluate_file`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import metrics
from .errors import InvalidOption

TASKS = ("polarity", "emotion", "valence", "arousal")
CLASSIFICATION = ("polarity", "emotion")
DEV_SHARE = 0.1  # held out of a user's file to report how the new model does
SEED = 20261128


@dataclass(slots=True)
class TrainResult:
    """What ``storyloom train`` made and how it did on the held-out part."""

    directory: Path
    task: str
    language: str
    n_train: int
    n_dev: int
    dev: dict[str, float] = field(default_factory=dict)
    started_from: str = "scratch"


@dataclass(slots=True)
class EvaluationResult:
    """Figures of ``storyloom evaluate``: classification or regression."""

    task: str
    n: int
    engine: str
    accuracy: float | None = None
    macro_f1: float | None = None
    labels: list[str] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)
    per_class_f1: dict[str, float] = field(default_factory=dict)
    pearson_r: float | None = None
    mae: float | None = None
    errors: int = 0


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise InvalidOption(f"Unknown task {task!r}; choose one of {', '.join(TASKS)}.")


def majority_language(texts: list[str]) -> str:
    """The language most of the texts are written in (zh or en)."""
    from .text import detect_language

    counts = Counter(detect_language(t) or "zh" for t in texts[:500])
    return counts.most_common(1)[0][0]


def train_from_file(
    data: str | Path, task: str, out: str | Path, *, language: str | None = None,
    from_shipped: bool = False, progress: Callable[[str, float], None] | None = None,
) -> TrainResult:
    """Train a model on a user's label file and save it to ``out``."""
    from .affect import model as model_mod
    from .labels import read_labels

    _check_task(task)
    labelset = read_labels(data, task)
    texts, labels = list(labelset.texts), list(labelset.labels)
    lang = language or majority_language(texts)
    order = list(range(len(texts)))
    random.Random(SEED).shuffle(order)
    n_dev = int(len(order) * DEV_SHARE) if len(order) >= 30 else 0
    dev_idx, train_idx = order[:n_dev], order[n_dev:]
    init = model_mod.shipped(task, lang) if from_shipped else None
    if from_shipped and init is None:
        raise InvalidOption(f"StoryLoom ships no {task} model for {lang!r} to start from; drop --from-shipped.")
    dev = ([texts[i] for i in dev_idx], [labels[i] for i in dev_idx]) if n_dev else None
    model = model_mod.train(task, lang, [texts[i] for i in train_idx], [labels[i] for i in train_idx],
                            init=init, dev=dev, progress=progress)
    model.meta.setdefault("data", str(data))
    out = Path(out)
    model.save(out)
    figures = model_mod.evaluate(model, *dev) if dev else {}
    return TrainResult(out, task, lang, len(train_idx), n_dev, figures, "shipped" if init else "scratch")


def evaluate_file(
    data: str | Path, task: str, *, engine: str | None = None, model: str | Path | None = None,
    language: str | None = None, progress: Callable[[int, int], None] | None = None,
) -> EvaluationResult:
    """Score StoryLoom's story-level reading against a user's labelled file."""
    from . import analyze
    from .errors import StoryLoomError
    from .labels import read_labels

    _check_task(task)
    labelset = read_labels(data, task)
    gold: list[Any] = []
    pred: list[Any] = []
    errors = 0
    engine_name = "lexicon"
    total = len(labelset.texts)
    for i, (text, label) in enumerate(zip(labelset.texts, labelset.labels)):
        try:
            report = analyze(text, language, parts=(), engine=engine,
                             model=str(model) if model is not None else None)
        except StoryLoomError:
            errors += 1
            report = None
        if report is not None:
            engine_name = report.engine.get("name", engine_name)
        if task == "polarity":
            pred.append(report.sentiment.polarity.value if report else "error")
        elif task == "emotion":
            pred.append(report.dominant_emotion if report else "error")
        elif task == "valence":
            pred.append(report.valence if report else 5.0)
        else:
            pred.append(report.arousal if report else 5.0)
        gold.append(label)
        if progress is not None:
            progress(i + 1, total)
    result = EvaluationResult(task=task, n=len(gold), engine=engine_name, errors=errors)
    if task in CLASSIFICATION:
        labels = sorted(set(gold) | set(pred))
        result.accuracy = metrics.accuracy(gold, pred)
        result.macro_f1 = metrics.macro_f1(gold, pred, labels=sorted(set(gold)))
        result.labels = labels
        result.confusion = metrics.confusion_matrix(gold, pred, labels=labels)
        result.per_class_f1 = {str(c.label): c.f1 for c in metrics.per_class(gold, pred, labels=sorted(set(gold)))}
    else:
        result.pearson_r = metrics.pearson_r([float(x) for x in gold], [float(x) for x in pred])
        result.mae = metrics.mae([float(x) for x in gold], [float(x) for x in pred])
    return result
