"""Small evaluation metrics (pure Python / numpy; no scikit-learn).

Conventions follow scikit-learn's defaults where they matter:
macro-F1 averages the per-class F1 over the given ``labels`` (default: the
sorted union of gold and predicted labels); a class with no predictions and/or
no gold examples has precision/recall 0 where undefined, so its F1 is 0.
Predictions outside ``labels`` still count as misses for the gold class.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


def accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    _same_length(gold, pred)
    if not gold:
        return float("nan")
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: Hashable
    precision: float
    recall: float
    f1: float
    support: int  # gold count
    predicted: int  # predicted count


def per_class(gold: Sequence[Hashable], pred: Sequence[Hashable],
              labels: Sequence[Hashable] | None = None) -> list[ClassScore]:
    """Precision, recall, F1 and support for each label."""
    _same_length(gold, pred)
    labels = _labels(gold, pred, labels)
    out = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        n_pred = sum(1 for p in pred if p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out.append(ClassScore(lab, prec, rec, f1, n_gold, n_pred))
    return out


def macro_f1(gold: Sequence[Hashable], pred: Sequence[Hashable],
             labels: Sequence[Hashable] | None = None) -> float:
    """Unweighted mean of per-class F1 over ``labels``."""
    scores = per_class(gold, pred, labels)
    if not scores:
        return float("nan")
    return sum(s.f1 for s in scores) / len(scores)


def confusion_matrix(gold: Sequence[Hashable], pred: Sequence[Hashable],
                     labels: Sequence[Hashable] | None = None,
                     pred_labels: Sequence[Hashable] | None = None) -> list[list[int]]:
    """Counts with rows = gold ``labels`` and columns = ``pred_labels`` (default: the same).

    Pairs whose gold or predicted label is not listed are left out.
    """
    _same_length(gold, pred)
    rows = _labels(gold, pred, labels)
    cols = list(pred_labels) if pred_labels is not None else rows
    ri = {lab: i for i, lab in enumerate(rows)}
    ci = {lab: i for i, lab in enumerate(cols)}
    m = [[0] * len(cols) for _ in rows]
    for g, p in zip(gold, pred):
        if g in ri and p in ci:
            m[ri[g]][ci[p]] += 1
    return m


def format_confusion(matrix: Sequence[Sequence[int]], row_labels: Sequence[Hashable],
                     col_labels: Sequence[Hashable] | None = None, corner: str = "gold\\pred") -> str:
    """A plain-text table of a confusion matrix (rows gold, columns predicted)."""
    cols = [str(c) for c in (col_labels if col_labels is not None else row_labels)]
    rows = [str(r) for r in row_labels]
    w0 = max(len(corner), *(len(r) for r in rows))
    widths = [max(len(c), *(len(str(row[j])) for row in matrix)) for j, c in enumerate(cols)]
    lines = [corner.ljust(w0) + "  " + "  ".join(c.rjust(w) for c, w in zip(cols, widths)) + "   total"]
    for r, row in zip(rows, matrix):
        lines.append(r.ljust(w0) + "  " + "  ".join(str(v).rjust(w) for v, w in zip(row, widths))
                     + f"   {sum(row):5d}")
    return "\n".join(lines)


def pearson_r(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation; NaN if fewer than 2 points or either side is constant."""
    _same_length(x, y)
    n = len(x)
    if n < 2:
        return float("nan")
    mx = math.fsum(x) / n
    my = math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return float("nan")
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def mae(x: Sequence[float], y: Sequence[float]) -> float:
    """Mean absolute error."""
    _same_length(x, y)
    if not x:
        return float("nan")
    return math.fsum(abs(a - b) for a, b in zip(x, y)) / len(x)


def _labels(gold: Sequence[Hashable], pred: Sequence[Hashable],
            labels: Sequence[Hashable] | None) -> list[Hashable]:
    if labels is not None:
        return list(labels)
    return sorted(set(gold) | set(pred), key=str)


def _same_length(a: Sequence[object], b: Sequence[object]) -> None:
    if len(a) != len(b):
        raise ValueError(f"length mismatch: {len(a)} vs {len(b)}")
