"""Top-3 theme hit rate on a labelled set of short personal narratives (issue 3 §6).

Reads ``tests/data/narratives_labelled.jsonl`` when it exists (else
``tests/data/themes_eval.jsonl``), or the file given as the first argument.
Each line is a JSON object with ``text`` and ``theme`` (the intended theme; a
list, or several names joined by ``|``, count a hit for any of them) and
optionally ``lang``/``id``.  Prints the hit rate of the top 1 and top 3 themes,
with and without the semantic signal, per language, the misses, and timing.
Never asserts.

    .venv/bin/python bench/themes_eval.py [path.jsonl]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from storyloom.analysis import themes as th
from storyloom.text import prepare

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = (ROOT / "tests/data/narratives_labelled.jsonl", ROOT / "tests/data/themes_eval.jsonl")


def _gold(row: dict) -> set[str]:
    value = row.get("theme") or row.get("themes") or []
    if isinstance(value, str):
        value = value.split("|")
    return {v.strip() for v in value if v and v.strip()}


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 else next((p for p in DEFAULTS if p.exists()), DEFAULTS[-1])
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("text") and _gold(r)]
    unknown = sorted({g for r in rows for g in _gold(r)} - set(th.theme_names()))
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(rows)} labelled stories")
    if unknown:
        print(f"  labels outside the theme list (always misses): {unknown}")
    docs = [prepare(r["text"], r.get("lang")) for r in rows]

    t0 = time.perf_counter()
    th.prototypes()
    th._Embedder.model()
    print(f"model + prototypes load: {time.perf_counter() - t0:.2f} s")

    for semantic in (False, True):
        hits1 = hits3 = 0
        by_lang: dict[str, list[int]] = {}
        misses = []
        times = []
        for row, doc in zip(rows, docs):
            t = time.perf_counter()
            got = th.detect_themes(doc, 3, semantic=semantic)
            times.append(time.perf_counter() - t)
            names = [x.name for x in got]
            gold = _gold(row)
            h1 = bool(names[:1]) and names[0] in gold
            h3 = bool(gold & set(names))
            hits1 += h1
            hits3 += h3
            lang = row.get("lang") or doc.language.value
            by_lang.setdefault(lang, [0, 0])
            by_lang[lang][0] += h3
            by_lang[lang][1] += 1
            if not h3:
                misses.append((row.get("id", "?"), "|".join(sorted(gold)), [(x.name, x.score) for x in got]))
        n = len(rows)
        mode = "lexical + semantic" if semantic else "lexical only"
        sents = sum(len(d.sentences) for d in docs) / max(1, n)
        print(f"\n[{mode}] top-1 {hits1 / n:.3f}  top-3 {hits3 / n:.3f}  (n={n})")
        for lang, (h, m) in sorted(by_lang.items()):
            print(f"  {lang}: top-3 {h}/{m} = {h / m:.3f}")
        print(f"  time per story: mean {sum(times) / n * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
              f"({sents:.1f} sentences on average)")
        for ident, gold, got in misses:
            print(f"  miss {ident}: intended {gold}, got {got}")


if __name__ == "__main__":
    main(sys.argv)
