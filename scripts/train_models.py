#!/usr/bin/env python3
"""Train every shipped affect model and write it (weights + MODEL_CARD.md) into
``src/storyloom/resources/models/<task>-<language>/``.

Data: the FIXED train/dev/test splits of ``bench/datasets.py``.  Models are
trained on ``train`` only; settings (``storyloom.affect.model.DEFAULT_CONFIG``)
were chosen on ``dev``; ``test`` is scored ONCE, at the end, with the saved
(float16) models reloaded from disk, with the same metrics as ``bench/evaluate.py``.

    .venv/bin/python scripts/train_models.py                 # all models, dev + test
    .venv/bin/python scripts/train_models.py --only emotion-zh --no-test
    .venv/bin/python scripts/train_models.py --json bench/out/models.json

Chinese valence/arousal: there is no Chinese sentence-level valence–arousal data in
the shared data, so no valence-zh / arousal-zh model is trained.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402

from bench import datasets as D  # noqa: E402
from bench.metrics import accuracy, macro_f1, mae, pearson_r  # noqa: E402
from storyloom.affect import model as M  # noqa: E402
from storyloom.text import prepare  # noqa: E402

OUT = REPO / "src" / "storyloom" / "resources" / "models"
POS, NEG = {"joy", "love"}, {"sadness", "anger", "fear", "disgust"}

LICENCES = {
    "chnsenticorp": "ChnSentiCorp_htl_all (Ctrip hotel reviews, compiled by Tan Songbo, ICT-CAS; via SophonPlus/ChineseNlpCorpus): "
                    "no explicit licence found — research use only.",
    "waimai": "waimai_10k (food-delivery reviews; via SophonPlus/ChineseNlpCorpus, originally a CSDN upload, author unknown): "
              "no licence stated — research use only.",
    "online_shopping": "online_shopping_10_cats (via SophonPlus/ChineseNlpCorpus, 'collected online, author/source unknown'): "
                       "no licence stated — research use only.",
    "nlpcc_weibo": "NLPCC 2013/2014 Weibo emotion evaluation data (Xu Ruifeng HITSZ / Li Shoushan Suda; converted copy in "
                   "kuangkaocompassion/Song_Generator): no licence stated — research/evaluation use only.",
    "goemotions": "GoEmotions (Demszky et al. 2020, google-research; copy in monologg/GoEmotions-pytorch): Apache-2.0.",
    "emobank": "EmoBank (Buechel & Hahn 2017, JULIELab): CC-BY-SA 4.0.",
}
RESEARCH_ONLY = {"chnsenticorp", "waimai", "online_shopping", "nlpcc_weibo"}


# ----------------------------------------------------------------------------- data


def _pol_en(exs):
    return [(e.text, "positive" if e.label in POS else "negative") for e in exs if e.label in POS | NEG]


def _emobank_pol(exs):
    return [(e.text, "positive" if e.valence > 5.6 else "negative") for e in exs
            if e.valence is not None and (e.valence > 5.6 or e.valence < 4.4)]


def with_sentences(rows, lang: str):
    """Reviews plus, for multi-sentence reviews, each sentence with the review's label.

    Chosen on dev: the engine scores stories sentence by sentence, and this raised the
    review-level (story_proba) dev accuracy on all three Chinese review sets.
    """
    extra = []
    for t, y in rows:
        ss = sentences_of(t, lang)
        if len(ss) > 1:
            extra.extend((x, y) for x in ss)
    return list(rows) + extra


def specs(use_emobank_pol: bool) -> list[dict]:
    zh_pol = ("chnsenticorp", "waimai", "online_shopping")
    out = [
        {"name": "polarity-zh", "task": "polarity", "lang": "zh", "data": list(zh_pol),
         "train": lambda: with_sentences([(e.text, e.label) for n in zh_pol for e in D.load(n).train], "zh"),
         "evals": {n: (lambda part, n=n: [(e.text, e.label) for e in D.load(n).part(part)]) for n in zh_pol},
         "labels": D.POLARITIES, "story": True},
        {"name": "polarity-en", "task": "polarity", "lang": "en",
         "data": ["goemotions", *(["emobank"] if use_emobank_pol else [])],
         "train": lambda: _pol_en(D.load("goemotions").train)
                          + (_emobank_pol(D.load("emobank").train) if use_emobank_pol else []),
         "evals": {"goemotions-polarity": lambda part: _pol_en(D.load("goemotions").part(part)),
                   "emobank-polarity": lambda part: _emobank_pol(D.load("emobank").part(part))},
         "labels": D.POLARITIES, "story": False},
        {"name": "emotion-zh", "task": "emotion", "lang": "zh", "data": ["nlpcc_weibo"],
         "train": lambda: [(e.text, e.label) for e in D.load("nlpcc_weibo").train],
         "evals": {"nlpcc_weibo": lambda part: [(e.text, e.label) for e in D.load("nlpcc_weibo").part(part)]},
         "labels": D.EMOTIONS7, "story": False},
        {"name": "emotion-en", "task": "emotion", "lang": "en", "data": ["goemotions"],
         "train": lambda: [(e.text, e.label) for e in D.load("goemotions").train],
         "evals": {"goemotions": lambda part: [(e.text, e.label) for e in D.load("goemotions").part(part)]},
         "labels": D.EMOTIONS, "story": False},
    ]
    for attr in ("valence", "arousal"):
        out.append({"name": f"{attr}-en", "task": attr, "lang": "en", "data": ["emobank"],
                    "train": lambda attr=attr: [(e.text, getattr(e, attr)) for e in D.load("emobank").train],
                    "evals": {"emobank": lambda part, attr=attr: [(e.text, getattr(e, attr))
                                                                 for e in D.load("emobank").part(part)]},
                    "labels": None, "story": False})
    return out


# ----------------------------------------------------------------------------- scoring


def sentences_of(text: str, lang: str) -> list[str]:
    try:
        s = [x.text for x in prepare(text, lang=lang, max_chars=1_000_000).sentences]
    except Exception:
        s = []
    return s or [text]


def score(model: M.AffectModel, rows, labels, story: bool) -> dict:
    texts = [t for t, _ in rows]
    gold = [g for _, g in rows]
    if not model.is_classifier:
        pred = [float(v) for v in model.predict_scores(texts)]
        return {"n": len(rows), "pearson_r": pearson_r(pred, gold), "mae": mae(gold, pred)}
    pred = model.predict(texts)
    out = {"n": len(rows), "accuracy": accuracy(gold, pred), "macro_f1": macro_f1(gold, pred, list(labels))}
    if story:  # review scored as the lead will: per-sentence probabilities, last sentence weighted x2
        sp = []
        for t in texts:
            sents = sentences_of(t, model.language)
            p = M.story_proba(model, sents, M.last_heavy_weights(len(sents)))
            sp.append(model.labels[int(np.argmax(p))])
        out["story_accuracy"] = accuracy(gold, sp)
        out["story_macro_f1"] = macro_f1(gold, sp, list(labels))
    return out


def fmt(m: dict) -> str:
    return ", ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in m.items())


# ----------------------------------------------------------------------------- speed


def speed(lang: str, models: list[M.AffectModel]) -> dict:
    """Sentences/s per model and 300-character stories/s for all models of a language (one process, one core)."""
    if lang == "zh":
        pool = [e.text for e in D.load("chnsenticorp").dev] + [e.text for e in D.load("nlpcc_weibo").dev]
    else:
        pool = [e.text for e in D.load("emobank").dev] + [e.text for e in D.load("goemotions").dev]
    stories, cur = [], ""
    for t in pool:
        cur += t + ("" if lang == "zh" else " ")
        if len(cur) >= 300:
            stories.append(cur[:400])
            cur = ""
        if len(stories) >= 60:
            break
    sents = [s for st in stories for s in sentences_of(st, lang)]
    res = {"stories": len(stories), "mean_story_chars": round(float(np.mean([len(s) for s in stories])), 1),
           "sentences": len(sents)}
    for m in models:
        t0 = time.perf_counter()
        (m.predict_proba if m.is_classifier else m.predict_scores)(sents)
        res[f"{m.task}_sentences_per_s"] = round(len(sents) / (time.perf_counter() - t0), 1)
    t0 = time.perf_counter()
    for st in stories:
        ss = sentences_of(st, lang)
        w = M.last_heavy_weights(len(ss))
        for m in models:
            if m.is_classifier:
                M.story_proba(m, ss, w)
            else:
                M.story_score(m, ss, w)
    res["stories_per_s_all_models"] = round(len(stories) / (time.perf_counter() - t0), 1)
    return res


# ----------------------------------------------------------------------------- cards


def _size(d: Path) -> int:
    return sum(f.stat().st_size for f in d.iterdir() if f.is_file())


def write_card(spec: dict, model: M.AffectModel, d: Path) -> None:
    meta = model.meta
    cfg = model.config
    research = [n for n in spec["data"] if n in RESEARCH_ONLY]
    lines = [f"# StoryLoom model `{spec['name']}`", "",
             f"Task: **{model.task}** ({'classification' if model.is_classifier else 'regression, 1–9 scale'}), "
             f"language: **{model.language}**.", ""]
    if model.is_classifier:
        act = [lab for lab, a in zip(model.labels, model._active) if a]
        lines += [f"Labels: {', '.join(model.labels)}." +
                  (f" The model never outputs {', '.join(l for l in model.labels if l not in act)} "
                   "(no training examples; probability 0)." if len(act) < len(model.labels) else ""), ""]
    lines += ["## Data and licence", ""]
    for n in spec["data"]:
        lines.append(f"- {LICENCES[n]}")
    lines.append("")
    if research:
        lines += ["**The shipped weights were trained on data with no explicit licence "
                  f"({', '.join(research)}), distributed for research use.** The weights contain no text, "
                  "but users must check the data owners' terms before any commercial use of this model.", ""]
    if "emobank" in spec["data"]:
        lines += ["EmoBank is CC-BY-SA 4.0, so this derived model is released under **CC-BY-SA 4.0** "
                  "(attribution: Buechel & Hahn 2017, EmoBank).", ""]
    if "goemotions" in spec["data"]:
        lines += ["GoEmotions is Apache-2.0 (Demszky et al. 2020).", ""]
    lines += ["## Split", "",
              "The fixed seeded train/dev/test splits of `bench/datasets.py` (GoEmotions and EmoBank: their "
              "official splits; others: 80/10/10 stratified, seed 20261128, duplicates kept in one part). "
              f"Trained on train only ({meta.get('n_train')} examples"
              + (", i.e. the reviews plus each sentence of every multi-sentence review labelled with its review's label"
                 if spec["name"] == "polarity-zh" else "") + "); settings chosen on dev; test scored once.", "",
              "## Method", ""]
    feats = ("hashed character 1–3-grams of each sentence's Simplified, lower-cased tokens (with sentence "
             "boundary marks)" if model.language == "zh" else "hashed lower-cased word unigrams + bigrams")
    lines += [f"- Features: {feats}, {cfg['dim']:,} buckets (CRC32), binary, row L2-normalised; plus "
              f"{len(M.F.LEX_NAMES)} lexicon features from `storyloom.affect.cues` (positive/negative cue polarity, "
              "per-emotion cue strength, negations, exclamations, questions, mean cue valence/arousal), "
              f"signed-log scaled ×{cfg.get('lex_scale')}."
              + (" NB-SVM log-count-ratio scaling of the n-grams." if cfg.get("nb") else ""),
              f"- Model: {'multinomial logistic regression' if model.is_classifier else 'ridge regression'}, "
              f"L2 λ = {cfg['lam']:g}, L-BFGS (numpy), {meta.get('optimizer', {}).get('iterations')} iterations"
              + (", class-balanced sample weights" if cfg.get("class_weight") == "balanced" else "") + ".",
              *([f"- Final score = {1 - cfg['blend_en_va']:g} × ridge + {cfg['blend_en_va']:g} × the word-level "
                 "EmoBank model `storyloom.affect.en_va` (blend weight chosen on dev)."] if cfg.get("blend_en_va") else []),
              "- Weights stored as float16 (`weights.npz`); runtime needs numpy + scipy only.",
              "- Input: a sentence or short text. For a story, predict each sentence and combine with "
              "`storyloom.affect.model.story_proba` (weighted mean of log-probabilities) / `story_score`.", "",
              "## Metrics", "", "Same metrics as `bench/evaluate.py` (`bench/metrics.py`; macro-F1 over the dataset's classes: 2 polarities, NLPCC's 7 emotions, GoEmotions' 8). Polarity-zh also gives `story_*`: each review split into sentences, predicted per sentence and combined with `story_proba` (last sentence weight 2), as the engine scores stories.", ""]
    for part in ("dev", "test"):
        for n, m in meta.get("metrics", {}).get(part, {}).items():
            lines.append(f"- {part} / {n}: {fmt(m)}")
    lines += ["", "## Size and speed", "",
              f"- {_size(d) / 1e6:.2f} MB on disk."]
    sp = meta.get("speed")
    if sp:
        lines.append(f"- {fmt(sp)} (one core).")
    lines += ["", f"Created {meta.get('created')} by `scripts/train_models.py`.", ""]
    (d / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")


# ----------------------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="comma-separated model names (default: all)")
    ap.add_argument("--no-test", action="store_true", help="do not score the test split")
    ap.add_argument("--emobank-polarity", action="store_true", help="add EmoBank V>5.6/<4.4 to polarity-en")
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--json", help="write all figures to this file")
    args = ap.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    out = Path(args.out)
    todo = [s for s in specs(args.emobank_polarity) if only is None or s["name"] in only]
    figures: dict = {}
    for spec in todo:
        t0 = time.perf_counter()
        rows = spec["train"]()
        last = [-1.0]

        def prog(stage, frac, name=spec["name"]):
            if frac - last[0] >= 0.25 or frac >= 1.0:
                last[0] = frac
                print(f"  {name}: {stage} {frac:.0%}", file=sys.stderr, flush=True)

        model = M.train(spec["task"], spec["lang"], [t for t, _ in rows], [y for _, y in rows], progress=prog)
        model.meta["name"] = spec["name"]
        model.meta["data"] = spec["data"]
        model.meta["split"] = "bench/datasets.py fixed splits (seed 20261128); trained on train"
        model.meta["licence"] = ("CC-BY-SA-4.0" if "emobank" in spec["data"] else
                                 "research use only (training data has no explicit licence)"
                                 if set(spec["data"]) & RESEARCH_ONLY else "Apache-2.0 data")
        dev = {n: score(model, f("dev"), spec["labels"], spec["story"]) for n, f in spec["evals"].items()}
        model.meta["metrics"] = {"dev": dev}
        d = out / spec["name"]
        model.save(d)
        print(f"{spec['name']}: trained on {len(rows)} in {time.perf_counter() - t0:.0f}s, "
              f"{_size(d) / 1e6:.2f} MB", flush=True)
        for n, m in dev.items():
            print(f"  dev  {n}: {fmt(m)}", flush=True)
        figures[spec["name"]] = {"dev": dev}

    # speed + test, with the saved models reloaded from disk
    by_lang: dict[str, list] = {}
    for spec in todo:
        t0 = time.perf_counter()
        m = M.AffectModel.load(out / spec["name"])
        figures[spec["name"]]["load_seconds"] = round(time.perf_counter() - t0, 3)
        by_lang.setdefault(spec["lang"], []).append((spec, m))
    for lang, pairs in by_lang.items():
        sp = speed(lang, [m for _, m in pairs])
        print(f"speed {lang}: {fmt(sp)}", flush=True)
        figures[f"speed-{lang}"] = sp
        for spec, m in pairs:
            m.meta["speed"] = {k: v for k, v in sp.items() if not k.endswith("_sentences_per_s")
                               or k.startswith(m.task)}
            m.meta["load_seconds"] = figures[spec["name"]]["load_seconds"]
    for lang, pairs in by_lang.items():
        for spec, m in pairs:
            if not args.no_test:
                test = {n: score(m, f("test"), spec["labels"], spec["story"]) for n, f in spec["evals"].items()}
                m.meta.setdefault("metrics", {})["test"] = test
                figures[spec["name"]]["test"] = test
                for n, r in test.items():
                    print(f"  test {spec['name']} / {n}: {fmt(r)}", flush=True)
            d = out / spec["name"]
            # rewrite model.json with the figures (weights unchanged)
            doc = json.loads((d / "model.json").read_text(encoding="utf-8"))
            doc["meta"] = m.meta
            (d / "model.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
            write_card(spec, m, d)
    total = sum(_size(p) for p in out.iterdir() if p.is_dir())
    print(f"total shipped size: {total / 1e6:.2f} MB", flush=True)
    figures["total_mb"] = round(total / 1e6, 2)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
