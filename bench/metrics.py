"""Metrics for the benchmarks: the package's own (``storyloom.metrics``), so
``storyloom evaluate`` and ``bench/`` compute every figure the same way."""

from storyloom.metrics import (  # noqa: F401
    ClassScore,
    accuracy,
    confusion_matrix,
    format_confusion,
    macro_f1,
    mae,
    pearson_r,
    per_class,
)
