"""Trained affect models: small, fast linear models over hashed n-grams + lexicon cues.

One family covers every task:

* ``polarity`` (labels ``negative``/``positive``) and ``emotion`` (our 8 classes)
  — multinomial logistic regression (L-BFGS, L2), optionally with NB-SVM
  log-count-ratio scaling of the n-gram features for polarity (Wang & Manning 2012);
* ``valence`` / ``arousal`` — ridge regression on the 1–9 scale.

Features (see :mod:`storyloom.affect._features`): hashed character 1–3-grams
(Chinese, on the Simplified lower-cased tokens) or word uni+bigrams (English),
plus lexicon features from :mod:`storyloom.affect.cues`.  Runtime needs numpy
and scipy only.  Texts given to ``predict_*`` are sentences or short texts;
:func:`story_proba` / :func:`story_score` combine sentence predictions over a
story.

A model is a directory with ``model.json`` (task, language, labels, feature
configuration, metadata) and ``weights.npz`` (float16 weights).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidOption, ResourceMissing
from . import _features as F

TASKS = ("polarity", "emotion", "valence", "arousal")
CLASSIFICATION = ("polarity", "emotion")
LANGUAGES = ("zh", "en")
POLARITY_LABELS = ["negative", "positive"]
EMOTION_LABELS = list(F.EMOTIONS8)
FORMAT = "storyloom-affect-model/1"

#: Feature/training configuration per (task, language), chosen on the DEV splits
#: (see scripts/train_models.py and each MODEL_CARD.md).
DEFAULT_CONFIG: dict[tuple[str, str], dict[str, Any]] = {
    ("polarity", "zh"): {"dim": 2 ** 19, "ngram": 3, "lam": 1e-5, "nb": False, "class_weight": None},
    ("polarity", "en"): {"dim": 2 ** 19, "ngram": 2, "lam": 1e-5, "nb": False, "class_weight": None},
    ("emotion", "zh"): {"dim": 2 ** 18, "ngram": 3, "lam": 1e-5, "nb": False, "class_weight": "balanced"},
    ("emotion", "en"): {"dim": 2 ** 18, "ngram": 2, "lam": 1e-5, "nb": False, "class_weight": "balanced"},
    ("valence", "zh"): {"dim": 2 ** 17, "ngram": 3, "lam": 1e-4},
    ("arousal", "zh"): {"dim": 2 ** 17, "ngram": 3, "lam": 1e-4},
    ("valence", "en"): {"dim": 2 ** 17, "ngram": 2, "lam": 1e-4, "blend_en_va": 0.5},
    ("arousal", "en"): {"dim": 2 ** 17, "ngram": 2, "lam": 1e-3, "blend_en_va": 0.3},
}
_COMMON = {"binary": True, "l2norm": True, "lex": True, "lex_scale": 0.3, "maxiter": 150, "zh_words": False}


def default_labels(task: str) -> list[str]:
    return list(POLARITY_LABELS) if task == "polarity" else list(EMOTION_LABELS) if task == "emotion" else []


def _check_task(task: str, language: str) -> None:
    if task not in TASKS:
        raise InvalidOption(f"Unknown task {task!r}: choose one of {', '.join(TASKS)}.")
    if language not in LANGUAGES:
        raise InvalidOption(f"Unknown language {language!r}: choose 'zh' or 'en'.")


@dataclass
class AffectModel:
    """A trained affect model (see the module docstring)."""

    task: str
    language: str
    labels: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict, repr=False)
    _W: np.ndarray | None = field(default=None, repr=False)  # (dim + N_LEX, K) float32
    _b: np.ndarray | None = field(default=None, repr=False)  # (K,)
    _nb: np.ndarray | None = field(default=None, repr=False)  # (dim,) NB ratios or None
    _active: np.ndarray | None = field(default=None, repr=False)  # (K,) bool: classes the model can output

    # ------------------------------------------------------------------ predict
    @property
    def is_classifier(self) -> bool:
        return self.task in CLASSIFICATION

    def _inputs(self, texts: Sequence[str]):
        if isinstance(texts, str):
            texts = [texts]
        raw = F.featurize(list(texts), self.language, self.config)
        return F.transform(raw, self.config, self._nb)

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        x = self._inputs(texts)
        return np.asarray(x @ self._W, dtype=np.float64) + self._b

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, len(labels)) class probabilities; rows sum to 1."""
        if not self.is_classifier:
            raise InvalidOption(f"A {self.task} model gives scores, not probabilities: use predict_scores().")
        if len(texts) == 0:
            return np.zeros((0, len(self.labels)))
        return _softmax(self._logits(texts), self._active)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable label of each text."""
        p = self.predict_proba(texts)
        return [self.labels[i] for i in p.argmax(axis=1)]

    def predict_scores(self, texts: Sequence[str]) -> np.ndarray:
        """(n,) scores on the 1–9 scale (valence / arousal models)."""
        if self.is_classifier:
            raise InvalidOption(f"A {self.task} model gives probabilities, not scores: use predict_proba().")
        if len(texts) == 0:
            return np.zeros(0)
        s = self._logits(texts)[:, 0]
        a = float(self.config.get("blend_en_va", 0.0))
        if a and self.language == "en":
            # blend with the English word-level valence–arousal model (storyloom.affect.en_va),
            # weight chosen on the EmoBank dev split
            from . import en_va

            j = 0 if self.task == "valence" else 1
            wv = np.array([en_va.predict(en_va.tokenize(t))[j] for t in texts])
            s = (1.0 - a) * s + a * wv
        return np.clip(s, 1.0, 9.0)

    # ------------------------------------------------------------------ storage
    def save(self, directory: str | Path) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        doc = {
            "format": FORMAT,
            "task": self.task,
            "language": self.language,
            "labels": list(self.labels),
            "active": [bool(a) for a in self._active] if self._active is not None else None,
            "config": self.config,
            "meta": self.meta,
        }
        (d / "model.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=_json_default),
                                      encoding="utf-8")
        arrays = {"W": self._W.astype(np.float16), "b": self._b.astype(np.float32)}
        if self._nb is not None:
            arrays["nb"] = self._nb.astype(np.float16)
        with open(d / "weights.npz", "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, directory: str | Path) -> AffectModel:
        d = Path(directory)
        mj, wz = d / "model.json", d / "weights.npz"
        if not mj.is_file() or not wz.is_file():
            raise ResourceMissing(f"{d} is not a StoryLoom model directory (needs model.json and weights.npz).")
        try:
            doc = json.loads(mj.read_text(encoding="utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError(f"format {doc.get('format')!r}")
            with np.load(wz) as z:
                W = z["W"].astype(np.float32)
                b = z["b"].astype(np.float64)
                nb = z["nb"].astype(np.float32) if "nb" in z.files else None
        except (ValueError, KeyError, OSError) as e:
            raise ResourceMissing(f"Cannot read the model in {d}: {e}") from e
        active = np.array(doc["active"], dtype=bool) if doc.get("active") is not None else None
        return cls(doc["task"], doc["language"], list(doc["labels"]), doc.get("meta", {}), doc["config"],
                   W, b, nb, active)


def _json_default(o: Any) -> Any:
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o).__name__)


def _softmax(z: np.ndarray, active: np.ndarray | None) -> np.ndarray:
    z = np.array(z, dtype=np.float64)
    if active is not None and not active.all():
        z[:, ~active] = -np.inf
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------- stories


def _norm_weights(n: int, weights: Sequence[float] | None) -> np.ndarray:
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise ValueError(f"{n} sentences but {w.shape[0] if w.ndim else 0} weights")
    w = np.clip(w, 0.0, None)
    s = w.sum()
    return w / s if s > 0 else np.full(n, 1.0 / n)


def story_proba(model: AffectModel, sentences: Sequence[str], weights: Sequence[float] | None = None,
                *, proba: np.ndarray | None = None) -> np.ndarray:
    """One distribution for a story: the weighted mean of its sentences' log-probabilities, renormalised.

    Averaging in log-odds space lets a clearly-felt sentence outweigh several
    flat ones.  ``weights`` (e.g. the engine's narrative weights, more on the last
    sentence) are normalised; pass ``proba`` to reuse sentence probabilities.
    """
    n = len(sentences) if proba is None else len(proba)
    if n == 0:
        raise ValueError("story_proba needs at least one sentence")
    p = model.predict_proba(list(sentences)) if proba is None else np.asarray(proba, dtype=np.float64)
    w = _norm_weights(n, weights)
    active = model._active if model._active is not None else np.ones(p.shape[1], bool)
    logp = np.log(np.clip(p, 1e-9, 1.0))
    z = (w[:, None] * logp).sum(axis=0)[None, :]
    return _softmax(z, active)[0]


def story_score(model: AffectModel, sentences: Sequence[str], weights: Sequence[float] | None = None) -> float:
    """Weighted mean of sentence scores (valence / arousal models)."""
    s = model.predict_scores(list(sentences))
    return float((_norm_weights(len(s), weights) * s).sum())


def last_heavy_weights(n: int, last: float = 2.0) -> list[float]:
    """Uniform weights with ``last`` times more on the final sentence (used in the dev figures)."""
    return [1.0] * (n - 1) + [last] if n else []


# ---------------------------------------------------------------------- training


def _nb_ratio(x, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Log-count ratio r = log((p/|p|) / (q/|q|)) over binarised n-gram features (y: 1 = positive)."""
    xb = x.copy()
    xb.data[:] = 1.0
    p = alpha + np.asarray(xb[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(xb[y == 0].sum(axis=0)).ravel()
    r = np.log(p / p.sum()) - np.log(q / q.sum())
    return r.astype(np.float32)


def _lbfgs(fg, x0: np.ndarray, maxiter: int, progress=None, m: int = 10, tol: float = 1e-6):
    """Plain L-BFGS (two-loop recursion, backtracking Armijo line search); deterministic.

    scipy's L-BFGS-B spends most of its time on bound handling for millions of
    unbounded parameters, so this small version is used instead.
    """
    x = x0.copy()
    f, g = fg(x)
    S: list[np.ndarray] = []
    Yv: list[np.ndarray] = []
    rho: list[float] = []
    it = 0
    ok = False
    for it in range(1, maxiter + 1):
        q = g.copy()
        alphas = []
        for s_, y_, r_ in zip(reversed(S), reversed(Yv), reversed(rho)):
            a = r_ * float(s_ @ q)
            alphas.append(a)
            q -= a * y_
        if S:
            q *= float(S[-1] @ Yv[-1]) / float(Yv[-1] @ Yv[-1])
        else:
            q /= max(1.0, float(np.linalg.norm(g)))
        for (s_, y_, r_), a in zip(zip(S, Yv, rho), reversed(alphas)):
            bcoef = r_ * float(y_ @ q)
            q += (a - bcoef) * s_
        d = -q
        gd = float(g @ d)
        if gd >= 0:  # not a descent direction: restart with steepest descent
            S.clear(); Yv.clear(); rho.clear()
            d = -g / max(1.0, float(np.linalg.norm(g)))
            gd = float(g @ d)
        step = 1.0
        for _ in range(30):
            xn = x + step * d
            fn, gn = fg(xn)
            if fn <= f + 1e-4 * step * gd:
                break
            step *= 0.5
        else:
            break
        s_ = xn - x
        y_ = gn - g
        sy = float(s_ @ y_)
        if sy > 1e-12:
            S.append(s_); Yv.append(y_); rho.append(1.0 / sy)
            if len(S) > m:
                S.pop(0); Yv.pop(0); rho.pop(0)
        rel = (f - fn) / max(abs(f), abs(fn), 1e-12)
        x, f, g = xn, fn, gn
        if progress is not None and it % 5 == 0:
            progress("training", min(1.0, it / maxiter))
        if rel < tol * 1e-3 or float(np.max(np.abs(g))) < tol:
            ok = True
            break
    return x, it, float(f), ok


def fit_linear(x, y: np.ndarray, k: int, *, lam: float, sample_weight: np.ndarray | None = None,
               W0: np.ndarray | None = None, b0: np.ndarray | None = None, maxiter: int = 300,
               regression: bool = False, progress: Callable[[str, float], None] | None = None):
    """Multinomial logistic regression (``y`` int classes) or ridge (``y`` floats) by L-BFGS.

    Minimises the weighted mean loss + lam/2 * ||W - W0||^2 (bias not penalised).
    """
    n, d = x.shape
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    sw = sw / sw.sum()
    prior = np.zeros((d, k)) if W0 is None else np.asarray(W0, dtype=np.float64)
    xt = x.T.tocsr()
    if regression:
        Y = np.asarray(y, dtype=np.float64).reshape(n, 1)
        b_init = np.array([float(np.sum(sw * Y[:, 0]))]) if b0 is None else np.asarray(b0, dtype=np.float64)
    else:
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1.0
        if b0 is None:
            freq = np.clip((sw[:, None] * Y).sum(axis=0), 1e-6, None)
            b_init = np.log(freq) - np.log(freq).mean()
        else:
            b_init = np.asarray(b0, dtype=np.float64)

    def unpack(theta):
        return theta[: d * k].reshape(d, k), theta[d * k:]

    def fg(theta):
        W, b = unpack(theta)
        z = np.asarray(x @ W) + b
        if regression:
            r = z - Y
            loss = float(np.sum(sw * r[:, 0] ** 2))
            g = 2.0 * sw[:, None] * r
        else:
            z = z - z.max(axis=1, keepdims=True)
            lse = np.log(np.exp(z).sum(axis=1, keepdims=True))
            logp = z - lse
            loss = float(-np.sum(sw * (logp * Y).sum(axis=1)))
            g = sw[:, None] * (np.exp(logp) - Y)
        dW = np.asarray(xt @ g)
        diff = W - prior
        loss += 0.5 * lam * float(np.sum(diff * diff))
        dW += lam * diff
        db = g.sum(axis=0)
        return loss, np.concatenate([dW.ravel(), db])

    theta0 = np.concatenate([prior.ravel(), b_init])
    theta, nit, fval, ok = _lbfgs(fg, theta0, maxiter, progress)
    W, b = unpack(theta)
    return W, b, {"iterations": nit, "loss": fval, "converged": ok}


def train(task: str, language: str, texts: Sequence[str], labels: Sequence[Any], *,
          init: AffectModel | None = None, dev: tuple[Sequence[str], Sequence[Any]] | None = None,
          progress: Callable[[str, float], None] | None = None, seed: int = 20261128,
          config: dict[str, Any] | None = None) -> AffectModel:
    """Train (or, with ``init``, fine-tune) a model; deterministic for given data and seed.

    ``labels`` are label strings (classification; checked against the label set,
    an unknown one raises :class:`InvalidOption` naming it) or numbers on the
    1–9 scale (valence / arousal).  ``dev`` adds dev metrics to ``meta``.
    ``config`` overrides feature/training settings (dim, ngram, lam, nb,
    class_weight, lex, lex_scale, binary, l2norm, maxiter).
    """
    _check_task(task, language)
    texts = list(texts)
    labels = list(labels)
    if len(texts) != len(labels):
        raise InvalidOption(f"{len(texts)} texts but {len(labels)} labels.")
    if not texts:
        raise InvalidOption("No training examples.")
    if init is not None and (init.task != task or init.language != language):
        raise InvalidOption(f"Cannot fine-tune a {init.task}-{init.language} model for {task}-{language}.")
    np.random.seed(seed % (2 ** 32))  # nothing random today; keeps the contract if SGD is added

    if init is not None:
        cfg = dict(init.config)
        cfg["lam"] = cfg.get("lam_finetune", max(float(cfg.get("lam", 1e-5)) * 10, 1e-4))
    else:
        cfg = {**_COMMON, **DEFAULT_CONFIG[(task, language)]}
    if config:
        cfg.update(config)
    regression = task not in CLASSIFICATION

    if regression:
        label_set: list[str] = []
        y = np.empty(len(labels))
        for i, v in enumerate(labels):
            try:
                y[i] = float(v)
            except (TypeError, ValueError):
                raise InvalidOption(f"Label {v!r} (example {i + 1}) is not a number on the 1–9 scale.") from None
            if not (math.isfinite(y[i]) and 1.0 <= y[i] <= 9.0):
                raise InvalidOption(f"Label {v!r} (example {i + 1}) is outside the 1–9 scale.")
        k = 1
    else:
        label_set = list(init.labels) if init is not None else default_labels(task)
        index = {lab: j for j, lab in enumerate(label_set)}
        yl = []
        for i, v in enumerate(labels):
            key = str(v).strip().lower() if v is not None else ""
            if key not in index:
                raise InvalidOption(f"Unknown label {v!r} (example {i + 1}): a {task} label must be one of "
                                    f"{', '.join(label_set)}.")
            yl.append(index[key])
        y = np.asarray(yl, dtype=np.int64)
        k = len(label_set)

    t0 = time.perf_counter()
    raw = F.featurize(texts, language, cfg, progress)
    nb = None
    if not regression and task == "polarity" and cfg.get("nb"):
        nb = init._nb if init is not None and init._nb is not None else _nb_ratio(
            raw[:, : int(cfg["dim"])], (y == label_set.index("positive")).astype(int))
        nb = nb.astype(np.float16).astype(np.float32)
    x = F.transform(raw, cfg, nb)

    sw = None
    if not regression and cfg.get("class_weight") == "balanced":
        cnt = np.bincount(y, minlength=k).astype(np.float64)
        present = cnt > 0
        cw = np.zeros(k)
        cw[present] = len(y) / (present.sum() * cnt[present])
        sw = cw[y]
    W0 = init._W.astype(np.float64) if init is not None else None
    b0 = init._b if init is not None else None
    W, b, info = fit_linear(x, y, k, lam=float(cfg["lam"]), sample_weight=sw, W0=W0, b0=b0,
                            maxiter=int(cfg.get("maxiter", 300)), regression=regression, progress=progress)
    W = W.astype(np.float16).astype(np.float32)  # exactly what save() stores
    b = b.astype(np.float32).astype(np.float64)

    if regression:
        active = None
    else:
        seen = np.bincount(y, minlength=k) > 0
        active = seen | (init._active if init is not None and init._active is not None else
                         (np.ones(k, bool) if init is not None else np.zeros(k, bool)))
    meta = {
        "created": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "n_train": len(texts),
        "seed": seed,
        "train_seconds": round(time.perf_counter() - t0, 1),
        "optimizer": info,
        "fine_tuned_from": (init.meta.get("name") or f"{init.task}-{init.language}") if init is not None else None,
    }
    model = AffectModel(task, language, label_set, meta, cfg, W, b, nb, active)
    if dev is not None:
        model.meta["metrics"] = {"dev": evaluate(model, dev[0], dev[1])}
    if progress is not None:
        progress("done", 1.0)
    return model


def evaluate(model: AffectModel, texts: Sequence[str], gold: Sequence[Any]) -> dict[str, float]:
    """Accuracy + macro-F1 (classification, macro over the gold classes) or Pearson r + MAE (regression)."""
    texts = list(texts)
    from .. import metrics

    if model.is_classifier:
        pred = list(model.predict(texts))
        gold = [str(g) for g in gold]
        return {"n": len(gold), "accuracy": metrics.accuracy(gold, pred),
                "macro_f1": metrics.macro_f1(gold, pred, labels=sorted(set(gold)))}
    s = [float(x) for x in model.predict_scores(texts)]
    g = [float(x) for x in gold]
    return {"n": len(g), "pearson_r": metrics.pearson_r(s, g) if len(g) > 1 else float("nan"),
            "mae": metrics.mae(s, g)}


# ---------------------------------------------------------------------- shipped models


@lru_cache(maxsize=None)
def shipped(task: str, language: str) -> AffectModel | None:
    """The model shipped in ``storyloom/resources/models/<task>-<language>/``, or None; cached."""
    from importlib import resources

    try:
        base = resources.files("storyloom.resources").joinpath("models", f"{task}-{language}")
        if not base.joinpath("model.json").is_file():
            return None
        with resources.as_file(base) as path:
            m = AffectModel.load(path)
    except (FileNotFoundError, ModuleNotFoundError, ResourceMissing):
        return None
    m.meta.setdefault("name", f"{task}-{language}")
    return m
