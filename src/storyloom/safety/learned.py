"""The learned layer of crisis detection: e5 embeddings → small logistic heads.

Every *unit* of a story is embedded with the model StoryLoom already uses
(:class:`storyloom.analysis.themes._Embedder`: multilingual-e5-small,
L2-normalised, cached per text): each sentence, each window of two and of
three consecutive sentences (intent is often spread over short sentences),
and the whole story when it is short.  Two logistic heads read each unit:
``p(urgent)`` and ``p(concern or above)``; four more give the category.
The weights are a few kilobytes (``resources/safety/crisis_model.npz``,
trained by ``scripts/train_safety_model.py``; data and figures in
``resources/safety/crisis_model.md``).

This module only scores; :mod:`storyloom.safety.crisis` decides how the
scores combine with the rules (rules veto a learned raise where they are
confident: a fiction/news frame, a negated or recovered cue, a joke).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as _res

import numpy as np

HEADS = ("urgent", "concern", "suicide", "self-harm", "abuse", "violence")
MAX_WINDOW = 3
STORY_UNIT_MAX = 20  # the whole story is one more unit up to this many sentences
FULL_WINDOWS_MAX = 40  # beyond this, only windows near a rule signal are embedded; the rest are mean-pooled


@dataclass(frozen=True, slots=True)
class Model:
    mean: np.ndarray  # (d,)
    scale: np.ndarray  # (d,)
    weights: np.ndarray  # (heads, d)
    bias: np.ndarray  # (heads,)
    urgent_threshold: float
    concern_threshold: float
    meta: dict


def _files():
    return _res.files("storyloom.resources").joinpath("safety")


@lru_cache(maxsize=1)
def load_model() -> Model | None:
    """The shipped model, or None when it is missing or unreadable."""
    try:
        base = _files()
        with base.joinpath("crisis_model.npz").open("rb") as fh:
            z = np.load(fh, allow_pickle=False)
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(base.joinpath("crisis_model.json").read_text("utf-8"))
    except (FileNotFoundError, OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    return Model(
        arrays["mean"].astype(np.float32), arrays["scale"].astype(np.float32),
        arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32),
        float(meta["urgent_threshold"]), float(meta["concern_threshold"]), meta,
    )


def enabled() -> bool:
    """``STORYLOOM_SAFETY_EMBEDDINGS`` (default 1): 0 turns the learned layer off everywhere."""
    return os.environ.get("STORYLOOM_SAFETY_EMBEDDINGS", "1").strip().lower() not in ("0", "false", "no", "off")


def available() -> bool:
    if not enabled() or load_model() is None:
        return False
    try:
        from ..analysis.themes import semantic_available

        return bool(semantic_available())
    except Exception:  # noqa: BLE001 - any failure means: rules only
        return False


def spans(n: int, story_unit: bool = True) -> list[tuple[int, int]]:
    """Sentence index ranges ``[start, end)`` read as units."""
    out = [(i, i + 1) for i in range(n)]
    for w in range(2, MAX_WINDOW + 1):
        out += [(i, i + w) for i in range(0, n - w + 1)]
    if story_unit and MAX_WINDOW < n <= STORY_UNIT_MAX:
        out.append((0, n))
    return out


def join(texts: list[str], langs: list[str]) -> str:
    out = ""
    for t, lang in zip(texts, langs):
        t = t.strip()
        if out and not (lang == "zh" and ("\u4e00" <= out[-1] <= "\u9fff" or out[-1] in "。！？…”」")):
            out += " "
        out += t
    return out


# e5 reads at most 512 tokens; cutting the text first keeps a pathological
# 100,000-character "sentence" from costing minutes in the tokenizer.
MAX_UNIT_CHARS = 2000


def embed(texts: list[str]) -> np.ndarray:
    from ..analysis.themes import _Embedder

    return _Embedder.embed([t[:MAX_UNIT_CHARS] for t in texts])


def unit_vectors(
    texts: list[str], langs: list[str], units: list[tuple[int, int]], focus: list[bool] | None = None
) -> np.ndarray:
    """Embeddings of ``units``.

    Up to :data:`FULL_WINDOWS_MAX` sentences every unit is embedded as its
    joined text.  Beyond that every sentence is embedded, windows touching a
    ``focus`` sentence (a rule signal nearby) are embedded as text, and the
    other windows are mean-pooled from their sentence vectors (free, but a
    weaker reading: measured in crisis_model.md).
    """
    n = len(texts)
    if n <= FULL_WINDOWS_MAX:
        return embed([join(texts[a:b], langs[a:b]) for a, b in units])
    focus = focus or [False] * n
    exact = [b - a == 1 or any(focus[a:b]) for a, b in units]
    joined = embed([join(texts[a:b], langs[a:b]) for (a, b), e in zip(units, exact) if e])
    need = sorted({i for (a, b), e in zip(units, exact) if not e for i in range(a, b)})
    sent = dict(zip(need, embed([texts[i] for i in need]))) if need else {}
    out = np.zeros((len(units), 384), np.float32)
    k = 0
    for j, ((a, b), e) in enumerate(zip(units, exact)):
        if e:
            out[j] = joined[k]
            k += 1
        else:
            out[j] = np.mean([sent[i] for i in range(a, b)], axis=0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def score(model: Model, vecs: np.ndarray) -> np.ndarray:
    """Probabilities (units, heads) in :data:`HEADS` order."""
    z = ((vecs - model.mean) / model.scale) @ model.weights.T + model.bias
    return 1.0 / (1.0 + np.exp(-z))
