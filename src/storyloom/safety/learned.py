"""The learned layer of crisis detection: e5 embeddings → small logistic heads.

Every *unit* of a story is embedded with the model StoryLoom already uses
(:class:`storyloom.analysis.themes._Embedder`: multilingual-e5-small,
L2-normalised, cached per text): each sentence, each window of two and of
three consecutive sentences (intent is often spread over short sentences),
and the whole story when it is short — windows only where the cascade asks
(:func:`cascade_units`).  Two logistic heads read each unit:
``p(urgent)`` and ``p(concern or above)``; four more give the category; a
story-level reader (:class:`Stack`) decides the story from the profile of
those unit scores (:func:`text_features`).
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
class Stack:
    """The story-level reader: two logistic heads over :func:`text_features`.

    A long ordinary story has thirty units, and the highest of thirty unit
    scores is often high by chance; reading the whole profile of scores (the
    top three, the whole story, how many units read warm) next to what the
    rules saw separates a story in danger from a sad one far better than the
    maximum alone (measured in the model card)."""

    mean: np.ndarray  # (k,)
    scale: np.ndarray  # (k,)
    weights: np.ndarray  # (2, k): p(urgent), p(concern or above)
    bias: np.ndarray  # (2,)
    urgent_threshold: float
    concern_threshold: float


@dataclass(frozen=True, slots=True)
class Model:
    mean: np.ndarray  # (d,)
    scale: np.ndarray  # (d,)
    weights: np.ndarray  # (heads, d)
    bias: np.ndarray  # (heads,)
    meta: dict
    stack: Stack | None  # None only while training the unit heads


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
    try:
        stack = Stack(arrays["stack_mean"].astype(np.float32), arrays["stack_scale"].astype(np.float32),
                      arrays["stack_weights"].astype(np.float32), arrays["stack_bias"].astype(np.float32),
                      float(meta["stack"]["urgent_threshold"]), float(meta["stack"]["concern_threshold"]))
        return Model(arrays["mean"].astype(np.float32), arrays["scale"].astype(np.float32),
                     arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32), meta, stack)
    except KeyError:  # a model file from before the story-level reader
        return None


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


def cascade_threshold(model: Model) -> float:
    """``p(concern or above)`` of a sentence (or the whole story) above which its
    windows are embedded too; 0 embeds every window (chosen in training, see the model card)."""
    return float(model.meta.get("cascade_threshold", 0.0))


def cascade_units(
    n: int, first: list[tuple[int, int]], first_probs: np.ndarray, signal: list[bool], cut: float
) -> list[tuple[int, int]]:
    """The windows worth embedding after the ``first`` units (sentences, whole story) were
    scored: those touching a sentence with ``p(concern or above) ≥ cut`` or a rule
    ``signal``, or all of them when the whole story reads at ``cut``."""
    hot = list(signal)
    story_hot = False
    for (a, b), p in zip(first, first_probs):
        if b - a == 1:
            hot[a] = hot[a] or bool(p[1] >= cut)
        else:
            story_hot = story_hot or bool(p[1] >= cut)
    taken = set(first)
    return [u for u in spans(n) if u not in taken and (story_hot or any(hot[u[0]:u[1]]))]


STACK_FEATURES = (
    "top-1 p(urgent)", "mean top-2 p(urgent)", "mean top-3 p(urgent)", "top-1 p(concern)",
    "mean top-3 p(concern)", "widest unit p(urgent)", "widest unit p(concern)", "share of units p(urgent) ≥ .5",
    "share of units p(concern) ≥ .5", "log(1 + sentences)", "rules: urgent", "rules: concern",
    "rules: a medium signal", "rules: a veto", "rules: told as past",
)


def _logit(x: float) -> float:
    x = min(max(x, 1e-4), 1 - 1e-4)
    return float(np.log(x / (1 - x)))


def text_features(
    units: list[tuple[int, int]], probs: np.ndarray, usable: list[bool], n: int,
    rules_rank: int, pair: bool, veto: bool, past: bool,
) -> np.ndarray:
    """The story-level profile :class:`Stack` reads (:data:`STACK_FEATURES` order).
    ``usable`` marks units no rule vetoed; ``rules_rank`` is the rules' own level (0–2)."""
    keep = [i for i, u in enumerate(usable) if u]
    pu = np.sort(probs[keep, 0])[::-1] if keep else np.zeros(1)
    pc = np.sort(probs[keep, 1])[::-1] if keep else np.zeros(1)
    widest = max(range(len(units)), key=lambda i: (units[i][1] - units[i][0], -i)) if units else None
    wu = float(probs[widest, 0]) if widest is not None and usable[widest] else 0.0
    wc = float(probs[widest, 1]) if widest is not None and usable[widest] else 0.0
    return np.array([
        _logit(pu[0]), _logit(float(pu[:2].mean())), _logit(float(pu[:3].mean())), _logit(pc[0]),
        _logit(float(pc[:3].mean())), _logit(wu), _logit(wc), float(np.mean(pu >= 0.5)), float(np.mean(pc >= 0.5)),
        float(np.log1p(n)), float(rules_rank == 2), float(rules_rank == 1), float(pair), float(veto), float(past),
    ], dtype=np.float32)


def stack_score(stack: Stack, features: np.ndarray) -> tuple[float, float]:
    """(p(urgent), p(concern or above)) of the whole story."""
    z = ((features - stack.mean) / stack.scale) @ stack.weights.T + stack.bias
    p = 1.0 / (1.0 + np.exp(-z))
    return float(p[0]), float(p[1])


def score(model: Model, vecs: np.ndarray) -> np.ndarray:
    """Probabilities (units, heads) in :data:`HEADS` order."""
    z = ((vecs - model.mean) / model.scale) @ model.weights.T + model.bias
    return 1.0 / (1.0 + np.exp(-z))
