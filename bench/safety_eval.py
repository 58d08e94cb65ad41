"""Crisis-language detection on the labelled set ``data/safety/crisis.jsonl``.

Prints, per split (dev/test) and per language (zh/en/all): recall and
precision on ``urgent``, the false-urgent rate on hard negatives, recall of
concern-or-above, and the 3×3 confusion matrix (rows gold, columns
predicted).  ``--json`` prints the same figures as JSON.  The issue's targets
are urgent recall ≥ 0.95 and false-urgent rate on hard negatives ≤ 0.05.

    .venv/bin/python bench/safety_eval.py [--batch 1|2|3|6|all] [--split dev|test|all] [--errors] [--json]
    .venv/bin/python bench/safety_eval.py --ordinary   # false alarms on ordinary stories
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "safety" / "crisis.jsonl"
LEVELS = ("none", "concern", "urgent")


def load(path: Path = DATA) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def predict(rows: list[dict]) -> list[str]:
    from storyloom.safety import assess_text

    return [assess_text(r["text"], r["lang"]).risk.value for r in rows]


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def figures(rows: list[dict], preds: list[str]) -> dict:
    """Scores for one group of rows."""
    gold = [r["risk"] for r in rows]
    urgent_gold = sum(g == "urgent" for g in gold)
    urgent_pred = sum(p == "urgent" for p in preds)
    urgent_hit = sum(g == p == "urgent" for g, p in zip(gold, preds))
    hard = [p for r, p in zip(rows, preds) if r.get("hard_negative")]
    risky = [p for g, p in zip(gold, preds) if g != "none"]
    confusion = {g: {p: 0 for p in LEVELS} for g in LEVELS}
    for g, p in zip(gold, preds):
        confusion[g][p] += 1
    return {
        "n": len(rows),
        "urgent": urgent_gold,
        "concern": sum(g == "concern" for g in gold),
        "none": sum(g == "none" for g in gold),
        "hard_negatives": len(hard),
        "urgent_recall": _ratio(urgent_hit, urgent_gold),
        "urgent_precision": _ratio(urgent_hit, urgent_pred),
        "false_urgent_hard_negatives": _ratio(sum(p == "urgent" for p in hard), len(hard)),
        "flagged_hard_negatives": _ratio(sum(p != "none" for p in hard), len(hard)),
        "concern_or_above_recall": _ratio(sum(p != "none" for p in risky), len(risky)),
        "exact_accuracy": _ratio(sum(g == p for g, p in zip(gold, preds)), len(rows)),
        "confusion": confusion,
    }


def evaluate(rows: list[dict], preds: list[str], splits: list[str]) -> dict:
    out: dict = {}
    for split in splits:
        for lang in ("zh", "en", "all"):
            keep = [i for i, r in enumerate(rows)
                    if (split == "all" or r["split"] == split) and (lang == "all" or r["lang"] == lang)]
            out[f"{split}/{lang}"] = figures([rows[i] for i in keep], [preds[i] for i in keep])
    return out


NARRATIVES = ROOT / "data" / "narratives" / "narratives.jsonl"
NARRATIVE_LABELS = ROOT / "data" / "safety" / "narratives_crisis.jsonl"


def ordinary(as_json: bool = False) -> int:
    """Crisis notices on the narrative test split: ordinary personal stories (grief,
    layoffs, quarrels, illness) that a reader labelled ``none``; every notice is a false alarm."""
    from storyloom.safety import assess_text

    labels = {r["id"]: r for r in load(NARRATIVE_LABELS)}
    stories = [s for s in load(NARRATIVES) if s["split"] == "test"]
    t0 = time.perf_counter()
    out: dict = {}
    for lang in ("zh", "en", "all"):
        out[lang] = {"n": 0, "urgent": 0, "concern": 0, "missed_labelled_concern": 0}
    for s in stories:
        pred = assess_text(s["text"], s["lang"]).risk.value
        for lang in (s["lang"], "all"):
            o = out[lang]
            if labels[s["id"]]["risk"] != "none":
                o["missed_labelled_concern"] += pred == "none"
                continue
            o["n"] += 1
            o[pred] = o.get(pred, 0) + 1
    elapsed = time.perf_counter() - t0
    for o in out.values():
        o["false_urgent"] = _ratio(o["urgent"], o["n"])
        o["flagged"] = _ratio(o["urgent"] + o["concern"], o["n"])
    if as_json:
        print(json.dumps({"data": str(NARRATIVES.relative_to(ROOT)), "split": "test", "seconds": round(elapsed, 3),
                          "results": out}, ensure_ascii=False, indent=2))
    else:
        print(f"{len(stories)} ordinary stories (narratives test split) in {elapsed:.2f} s "
              f"({elapsed / max(1, len(stories)) * 1000:.0f} ms each)")
        print(f"{'lang':5} {'n':>4} {'urgent':>6} {'concern':>7} {'falseU':>7} {'flagged':>7}")
        for lang, o in out.items():
            print(f"{lang:5} {o['n']:>4} {o['urgent']:>6} {o['concern']:>7} {_fmt(o['false_urgent']):>7} "
                  f"{_fmt(o['flagged']):>7}")
    return 0


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all", "both"), default="both")
    ap.add_argument("--batch", choices=("1", "2", "3", "6", "all"), default="all",
                    help="1: the first batch; 2: the blind batch written after the rules were frozen; "
                         "3: a second blind batch by a writer who never saw the rules (test only); "
                         "6: a third blind batch, two writers who saw only the labelling guide (test only)")
    ap.add_argument("--ordinary", action="store_true",
                    help="instead: false alarms on the ordinary stories of the narrative corpus's test split "
                         "(data/safety/narratives_crisis.jsonl labels; never fitted)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--errors", action="store_true", help="list misread texts (dev only unless --split test)")
    args = ap.parse_args(argv)
    if args.ordinary:
        return ordinary(args.json)
    if args.errors and args.batch in ("3", "6", "all"):
        ap.error("--errors prints texts: not for the blind batches 3 and 6 (choose --batch 1 or 2)")
    rows = load()
    if args.batch != "all":
        rows = [r for r in rows if str(r.get("batch", 1)) == args.batch]
    t0 = time.perf_counter()
    preds = predict(rows)
    elapsed = time.perf_counter() - t0
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    result = evaluate(rows, preds, splits)
    if args.json:
        print(json.dumps({"data": str(DATA.relative_to(ROOT)), "batch": args.batch, "seconds": round(elapsed, 3), "results": result},
                         ensure_ascii=False, indent=2))
    else:
        print(f"{len(rows)} texts (batch {args.batch}) from {DATA.relative_to(ROOT)} in {elapsed:.2f} s")
        print(f"{'group':10} {'n':>4} {'urg':>4} {'hardneg':>7}  {'urgR':>5} {'urgP':>5} {'falseU@hard':>11} "
              f"{'flag@hard':>9} {'≥concR':>6} {'acc':>5}")
        for key, f in result.items():
            print(f"{key:10} {f['n']:>4} {f['urgent']:>4} {f['hard_negatives']:>7}  {_fmt(f['urgent_recall'])} "
                  f"{_fmt(f['urgent_precision'])} {_fmt(f['false_urgent_hard_negatives']):>11} "
                  f"{_fmt(f['flagged_hard_negatives']):>9} {_fmt(f['concern_or_above_recall']):>6} "
                  f"{_fmt(f['exact_accuracy'])}")
        for key in result:
            if key.endswith("/all"):
                c = result[key]["confusion"]
                print(f"\n{key} confusion (rows gold, columns predicted)")
                print(f"{'':9}" + "".join(f"{p:>9}" for p in LEVELS))
                for g in LEVELS:
                    print(f"{g:9}" + "".join(f"{c[g][p]:>9}" for p in LEVELS))
    if args.errors:
        show = {"dev"} if args.split in ("both", "dev") else ({"test"} if args.split == "test" else {"dev", "test"})
        for r, p in zip(rows, preds):
            if r["split"] in show and r["risk"] != p:
                print(f"{r['split']:4} {r['id']:12} gold={r['risk']:7} pred={p:7} {r['text']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
