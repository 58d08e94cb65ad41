"""Accuracy of ``storyloom.analyze`` on the fixed splits of the shared datasets.

Usage (from the repository root)::

    .venv/bin/python bench/evaluate.py --split dev            # tune on dev
    .venv/bin/python bench/evaluate.py                        # report: test split
    .venv/bin/python bench/evaluate.py --datasets waimai,nlpcc_weibo --limit 500 --json bench/out/x.json
    .venv/bin/python bench/evaluate.py --standin --limit 200  # harness check without the engine

Figures (see ``bench/datasets.py`` for the data and splits):

* chnsenticorp / waimai / online_shopping -- binary polarity accuracy: anything
  but the gold label (neutral and mixed included) is wrong.  Also: the share
  predicted neutral / mixed, and the accuracy when forced to the sign of
  ``sentiment.score`` (score == 0 is wrong), plus the majority-class baseline.
* nlpcc_weibo -- accuracy and macro-F1 over the 7 emotions of
  ``dominant_emotion`` ("engine"; neutral counts as wrong), and "forced": when
  the engine says neutral, the arg-max over the 7 non-neutral emotions (if all
  seven are 0 the prediction stays neutral).  Confusion matrix printed.
* goemotions -- macro-F1 (and accuracy) over our 8 classes, neutral included,
  on the single-class subset.
* emobank -- Pearson r and MAE of ``valence`` / ``arousal`` against the gold
  values rescaled to 1-9.
* cped (optional, not in the default set) -- 3-way sentiment accuracy/macro-F1.

A text for which ``analyze`` raises a ``StoryLoomError`` counts as a failure:
it is predicted neutral (valence = arousal = 5).  Any other exception is also
counted (as a "crash") and its first message shown; ``--strict`` re-raises it.
``--limit N`` evaluates the first N examples of each part, which are a random
sample because the parts are stored in a seeded random order.
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
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datasets as D  # noqa: E402
from bench.metrics import (  # noqa: E402
    accuracy,
    confusion_matrix,
    format_confusion,
    macro_f1,
    mae,
    pearson_r,
    per_class,
)

Analyze = Callable[..., Any]

DEFAULT_DATASETS = ("chnsenticorp", "waimai", "online_shopping", "nlpcc_weibo", "goemotions", "emobank")
FAILED = "<failed>"


def _user_error_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = []
    try:
        from storyloom.errors import StoryLoomError

        types.append(StoryLoomError)
    except Exception:  # the engine may not be importable yet
        pass
    try:
        from bench.standin import StandinError

        types.append(StandinError)
    except Exception:
        pass
    return tuple(types)


def _value(x: Any) -> str:
    return str(getattr(x, "value", x))


class Runner:
    """Calls ``analyze`` on each text, counting user errors and crashes."""

    def __init__(self, analyze: Analyze, lang_hint: str | None = None, strict: bool = False):
        self.analyze = analyze
        self.lang_hint = lang_hint
        self.strict = strict
        self.user_errors: Counter[str] = Counter()
        self.crashes: Counter[str] = Counter()
        self.first_crash: str | None = None
        self.seconds = 0.0
        self.chars = 0
        self.calls = 0
        self.user_error_types = _user_error_types()

    def __call__(self, text: str) -> Any | None:
        t0 = time.perf_counter()
        self.calls += 1
        self.chars += len(text)
        try:
            return self.analyze(text, lang=self.lang_hint)
        except self.user_error_types as e:
            self.user_errors[type(e).__name__] += 1
            return None
        except Exception as e:
            if self.strict:
                raise
            self.crashes[type(e).__name__] += 1
            if self.first_crash is None:
                self.first_crash = f"{type(e).__name__}: {e} (text {text[:40]!r})\n{traceback.format_exc(limit=-4)}"
            return None
        finally:
            self.seconds += time.perf_counter() - t0

    def stats(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "texts_per_s": round(self.calls / self.seconds, 1) if self.seconds else None,
            "chars_per_s": round(self.chars / self.seconds, 1) if self.seconds else None,
            "user_errors": dict(self.user_errors),
            "crashes": dict(self.crashes),
            "first_crash": self.first_crash,
        }


# --------------------------------------------------------------------------- per-task evaluators


def eval_polarity(examples: Sequence[D.Example], run: Runner) -> dict[str, Any]:
    gold, pred, forced = [], [], []
    for ex in examples:
        r = run(ex.text)
        gold.append(ex.label)
        if r is None:
            pred.append("neutral")
            forced.append("none")
            continue
        pred.append(_value(r.sentiment.polarity))
        s = float(r.sentiment.score)
        forced.append("positive" if s > 0 else "negative" if s < 0 else "none")
    n = len(gold)
    counts = Counter(pred)
    majority = Counter(gold).most_common(1)[0][1] / n if n else float("nan")
    return {
        "n": n,
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred, D.POLARITIES),
        "forced_sign_accuracy": accuracy(gold, forced),
        "share_neutral": counts["neutral"] / n if n else float("nan"),
        "share_mixed": counts["mixed"] / n if n else float("nan"),
        "share_score_zero": forced.count("none") / n if n else float("nan"),
        "majority_baseline": majority,
        "predicted": dict(counts),
        "confusion": {"rows": list(D.POLARITIES), "cols": ["positive", "negative", "neutral", "mixed"],
                      "matrix": confusion_matrix(gold, pred, D.POLARITIES,
                                                 ["positive", "negative", "neutral", "mixed"])},
    }


def _forced7(report: Any) -> str:
    dom = _value(report.dominant_emotion)
    if dom in D.EMOTIONS7:
        return dom
    emos = {k: float(v) for k, v in dict(report.emotions).items()}
    best = max(D.EMOTIONS7, key=lambda e: (emos.get(e, 0.0), -D.EMOTIONS7.index(e)))
    return best if emos.get(best, 0.0) > 0 else "neutral"


def eval_emotion7(examples: Sequence[D.Example], run: Runner) -> dict[str, Any]:
    gold, pred, forced = [], [], []
    for ex in examples:
        r = run(ex.text)
        gold.append(ex.label)
        if r is None:
            pred.append("neutral")
            forced.append("neutral")
            continue
        pred.append(_value(r.dominant_emotion))
        forced.append(_forced7(r))
    n = len(gold)
    cols = list(D.EMOTIONS)
    return {
        "n": n,
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred, D.EMOTIONS7),
        "forced_accuracy": accuracy(gold, forced),
        "forced_macro_f1": macro_f1(gold, forced, D.EMOTIONS7),
        "share_neutral": pred.count("neutral") / n if n else float("nan"),
        "share_forced_still_neutral": forced.count("neutral") / n if n else float("nan"),
        "majority_baseline": Counter(gold).most_common(1)[0][1] / n if n else float("nan"),
        "per_class": {str(s.label): {"p": s.precision, "r": s.recall, "f1": s.f1, "support": s.support}
                      for s in per_class(gold, pred, D.EMOTIONS7)},
        "per_class_forced": {str(s.label): {"p": s.precision, "r": s.recall, "f1": s.f1, "support": s.support}
                             for s in per_class(gold, forced, D.EMOTIONS7)},
        "confusion": {"rows": list(D.EMOTIONS7), "cols": cols,
                      "matrix": confusion_matrix(gold, pred, D.EMOTIONS7, cols)},
        "confusion_forced": {"rows": list(D.EMOTIONS7), "cols": cols,
                             "matrix": confusion_matrix(gold, forced, D.EMOTIONS7, cols)},
    }


def eval_emotion8(examples: Sequence[D.Example], run: Runner) -> dict[str, Any]:
    gold, pred = [], []
    for ex in examples:
        r = run(ex.text)
        gold.append(ex.label)
        pred.append("neutral" if r is None else _value(r.dominant_emotion))
    n = len(gold)
    return {
        "n": n,
        "macro_f1": macro_f1(gold, pred, D.EMOTIONS),
        "accuracy": accuracy(gold, pred),
        "share_neutral": pred.count("neutral") / n if n else float("nan"),
        "majority_baseline": Counter(gold).most_common(1)[0][1] / n if n else float("nan"),
        "per_class": {str(s.label): {"p": s.precision, "r": s.recall, "f1": s.f1, "support": s.support}
                      for s in per_class(gold, pred, D.EMOTIONS)},
        "confusion": {"rows": list(D.EMOTIONS), "cols": list(D.EMOTIONS),
                      "matrix": confusion_matrix(gold, pred, D.EMOTIONS)},
    }


def eval_va(examples: Sequence[D.Example], run: Runner) -> dict[str, Any]:
    gv, ga, pv, pa = [], [], [], []
    for ex in examples:
        r = run(ex.text)
        gv.append(float(ex.valence))
        ga.append(float(ex.arousal))
        pv.append(5.0 if r is None else float(r.valence))
        pa.append(5.0 if r is None else float(r.arousal))
    n = len(gv)

    def mean(xs: Sequence[float]) -> float:
        return sum(xs) / len(xs) if xs else float("nan")

    return {
        "n": n,
        "valence_r": pearson_r(gv, pv),
        "valence_mae": mae(gv, pv),
        "arousal_r": pearson_r(ga, pa),
        "arousal_mae": mae(ga, pa),
        "valence_mae_const5": mae(gv, [5.0] * n),
        "arousal_mae_const5": mae(ga, [5.0] * n),
        "gold_mean": {"valence": mean(gv), "arousal": mean(ga)},
        "pred_mean": {"valence": mean(pv), "arousal": mean(pa)},
    }


def eval_sentiment3(examples: Sequence[D.Example], run: Runner) -> dict[str, Any]:
    gold, pred = [], []
    for ex in examples:
        r = run(ex.text)
        gold.append(ex.label)
        pred.append("neutral" if r is None else _value(r.sentiment.polarity))
    labels = ["positive", "negative", "neutral"]
    cols = labels + ["mixed"]
    n = len(gold)
    return {
        "n": n,
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred, labels),
        "share_mixed": pred.count("mixed") / n if n else float("nan"),
        "majority_baseline": Counter(gold).most_common(1)[0][1] / n if n else float("nan"),
        "confusion": {"rows": labels, "cols": cols, "matrix": confusion_matrix(gold, pred, labels, cols)},
    }


EVALUATORS: dict[str, Callable[[Sequence[D.Example], Runner], dict[str, Any]]] = {
    "polarity": eval_polarity,
    "emotion": eval_emotion7,  # GoEmotions (labels include neutral) uses eval_emotion8, see _evaluator
    "va": eval_va,
    "sentiment3": eval_sentiment3,
}


def _evaluator(split: D.Split) -> Callable[[Sequence[D.Example], Runner], dict[str, Any]]:
    if split.task == "emotion":
        return eval_emotion8 if "neutral" in split.labels else eval_emotion7
    return EVALUATORS[split.task]


# --------------------------------------------------------------------------- driver


def evaluate(
    analyze: Analyze,
    names: Sequence[str] = DEFAULT_DATASETS,
    part: str = "test",
    limit: int | None = None,
    lang_hint: bool = False,
    strict: bool = False,
    log: Callable[[str], None] | None = None,
    loader: Callable[[str], D.Split] = D.load,
) -> dict[str, Any]:
    """Run ``analyze`` over ``part`` of each dataset; returns {name: figures}.

    ``analyze(text, lang=...)`` is any callable returning a Report-like object
    (``bench.standin.analyze`` is one); ``loader`` maps a dataset name to its Split.
    """
    results: dict[str, Any] = {}
    for name in names:
        name = D.canonical(name)
        t0 = time.perf_counter()
        split = loader(name)
        load_s = time.perf_counter() - t0
        examples = split.part(part)
        if limit is not None:
            examples = examples[:limit]
        run = Runner(analyze, split.lang if lang_hint else None, strict)
        if log:
            log(f"{name}: {len(examples)} {part} examples ...")
        t1 = time.perf_counter()
        figures = _evaluator(split)(examples, run)
        wall = time.perf_counter() - t1
        figures.update(task=split.task, part=part, load_seconds=round(load_s, 3),
                       wall_seconds=round(wall, 3), **run.stats())
        results[name] = figures
        if log:
            log(f"{name}: done in {wall:.1f}s")
    return results


def warm_up(analyze: Analyze) -> dict[str, float]:
    """First calls (lazy loading of lexicons/models), timed separately."""
    out = {}
    for lang, text in (("zh", "今天我很开心，也有点紧张。"), ("en", "Today I was happy and a little nervous.")):
        t0 = time.perf_counter()
        try:
            analyze(text)
        except Exception as e:  # reported by the main run anyway
            print(f"warm-up ({lang}) raised {type(e).__name__}: {e}", file=sys.stderr)
        out[lang] = round(time.perf_counter() - t0, 3)
    return out


# --------------------------------------------------------------------------- printing


def _pct(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}"


def _num(x: float | None, fmt: str = "{:.3f}") -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)


def summary_rows(results: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = []
    for name, r in results.items():
        fails = sum(r["user_errors"].values())
        crashes = sum(r["crashes"].values())
        if r["task"] == "polarity":
            main = f"acc {_pct(r['accuracy'])}%"
            extra = (f"sign-forced {_pct(r['forced_sign_accuracy'])}%  neutral {_pct(r['share_neutral'])}%"
                     f"  mixed {_pct(r['share_mixed'])}%  (majority {_pct(r['majority_baseline'])}%)")
        elif r["task"] == "emotion" and "forced_accuracy" in r:
            main = f"acc {_pct(r['accuracy'])}%  macro-F1 {_num(r['macro_f1'])}"
            extra = (f"forced: acc {_pct(r['forced_accuracy'])}%  macro-F1 {_num(r['forced_macro_f1'])}"
                     f"  neutral {_pct(r['share_neutral'])}%")
        elif r["task"] == "emotion":
            main = f"macro-F1 {_num(r['macro_f1'])}"
            extra = f"acc {_pct(r['accuracy'])}%  neutral {_pct(r['share_neutral'])}%  (majority {_pct(r['majority_baseline'])}%)"
        elif r["task"] == "va":
            main = f"V r {_num(r['valence_r'])}  A r {_num(r['arousal_r'])}"
            extra = (f"MAE V {_num(r['valence_mae'], '{:.2f}')} A {_num(r['arousal_mae'], '{:.2f}')}"
                     f"  (const-5 MAE V {_num(r['valence_mae_const5'], '{:.2f}')}"
                     f" A {_num(r['arousal_mae_const5'], '{:.2f}')})")
        else:
            main = f"acc {_pct(r['accuracy'])}%  macro-F1 {_num(r['macro_f1'])}"
            extra = f"mixed {_pct(r['share_mixed'])}%  (majority {_pct(r['majority_baseline'])}%)"
        rows.append((name, str(r["n"]), main, extra, f"{r['wall_seconds']:.1f}s",
                     _num(r["texts_per_s"], "{:.0f}"), f"{fails}/{crashes}"))
    return rows


def format_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


def print_report(results: dict[str, Any], file: Any = sys.stdout) -> None:
    header = ("dataset", "n", "headline", "secondary", "time", "texts/s", "fail/crash")
    print(format_table(summary_rows(results), header), file=file)
    for name, r in results.items():
        if r["task"] == "emotion":
            c = r["confusion"]
            title = "engine (dominant_emotion)" if "forced_accuracy" in r else "dominant_emotion"
            print(f"\n{name} confusion, {title}; rows gold, cols predicted:", file=file)
            print(format_confusion(c["matrix"], c["rows"], c["cols"]), file=file)
            print("per-class F1: " + "  ".join(f"{k} {v['f1']:.2f}" for k, v in r["per_class"].items()), file=file)
            if "confusion_forced" in r and r["confusion_forced"] != r["confusion"]:
                c = r["confusion_forced"]
                print(f"\n{name} confusion, forced (arg-max of the 7 when the engine says neutral):", file=file)
                print(format_confusion(c["matrix"], c["rows"], c["cols"]), file=file)
            if "per_class_forced" in r:
                print("forced F1:    " + "  ".join(f"{k} {v['f1']:.2f}" for k, v in r["per_class_forced"].items()),
                      file=file)
        if r.get("first_crash"):
            print(f"\n{name}: first crash: {r['first_crash']}", file=file)


def _jsonable(x: Any) -> Any:
    if isinstance(x, float):
        return None if math.isnan(x) else round(x, 5)
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("test", "dev"), default="test", help="which part (default test; tune on dev)")
    ap.add_argument("--limit", type=int, default=None, help="at most N examples per dataset")
    ap.add_argument("--datasets", default=",".join(DEFAULT_DATASETS),
                    help=f"comma-separated; known: {','.join(D.NAMES)}; 'all' = every one")
    ap.add_argument("--json", type=Path, default=None, help="write the figures to this JSON file")
    ap.add_argument("--lang-hint", action="store_true", help="pass the dataset language instead of lang=None")
    ap.add_argument("--strict", action="store_true", help="re-raise unexpected exceptions")
    ap.add_argument("--standin", action="store_true", help="use bench/standin.py instead of storyloom (harness test)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    ap.add_argument("--engine", choices=("lexicon", "model"), default="lexicon",
                    help="which StoryLoom engine reads the sentences (default lexicon)")
    args = ap.parse_args(argv)

    names = D.NAMES if args.datasets.strip() == "all" else [n for n in args.datasets.split(",") if n.strip()]
    names = [D.canonical(n) for n in names]
    if not D.available():
        print(f"data directory {D.data_dir()} not found; set STORYLOOM_DATA", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    if args.standin:
        from bench.standin import analyze

        engine = "bench.standin (NOT StoryLoom)"
    else:
        import storyloom

        def analyze(text, lang=None):
            # these figures are about affect; themes/style/elements are not scored here
            return storyloom.analyze(text, lang, parts=(), engine=args.engine)

        engine = f"storyloom {getattr(storyloom, '__version__', '?')} ({args.engine} engine, affect only)"
    import_s = time.perf_counter() - t0
    warm = warm_up(analyze)
    log = None if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    results = evaluate(analyze, names, args.split, args.limit, args.lang_hint, args.strict, log)

    print(f"engine: {engine}   split: {args.split}   limit: {args.limit or 'full'}   "
          f"lang: {'dataset hint' if args.lang_hint else 'auto (None)'}")
    print(f"import {import_s:.2f}s, first call zh {warm['zh']:.2f}s / en {warm['en']:.2f}s (excluded below)\n")
    print_report(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "engine": engine, "split": args.split, "limit": args.limit, "lang_hint": args.lang_hint,
            "import_seconds": round(import_s, 3), "first_call_seconds": warm,
            "python": platform.python_version(), "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "seed": D.SEED, "results": results,
        }
        args.json.write_text(json.dumps(_jsonable(payload), ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
