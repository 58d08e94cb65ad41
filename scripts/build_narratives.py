"""Assemble data/narratives/narratives.jsonl from the two readings and the fixed split.

Inputs (all in data/narratives/):
  raw/<part>.jsonl                     the first reading: texts and labels as written
  second_pass/<part>.jsonl             the second, blind reading of the same texts
  second_pass/<part>.adjudication.jsonl  the final label of every field the readings disagreed on

Output: narratives.jsonl — one story per line with the final labels, both readings'
values where they differed (``disagreed``), and ``split`` (train/dev/test).

The split is seeded (20261129) and stratified by language × polarity: inside each
stratum stories are sorted by id, shuffled, and cut 20 % test, 15 % dev, the rest
train.  Re-running the script gives the same split; adding stories only moves
new ones.  The test split is never used for training or tuning.

    .venv/bin/python scripts/build_narratives.py
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIR = ROOT / "data" / "narratives"
SEED = 20261129
TEST, DEV = 0.20, 0.15
FIELDS = ("polarity", "valence", "arousal", "emotion", "secondary", "arc")
POLARITIES = {"positive", "negative", "neutral", "mixed"}
EMOTIONS = {"joy", "love", "sadness", "anger", "fear", "disgust", "surprise", "neutral"}
ARCS = {"rise", "fall", "fall-rise", "rise-fall", "rise-fall-rise", "fall-rise-fall", "flat"}


def _read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _check(row: dict) -> None:
    assert row["polarity"] in POLARITIES, row["id"]
    assert row["emotion"] in EMOTIONS, row["id"]
    assert row["arc"] in ARCS, row["id"]
    assert 1 <= float(row["valence"]) <= 9 and 1 <= float(row["arousal"]) <= 9, row["id"]
    assert all(e in EMOTIONS for e in row.get("secondary", [])), row["id"]


def build() -> list[dict]:
    stories: list[dict] = []
    for raw in sorted((DIR / "raw").glob("*.jsonl")):
        part = raw.stem
        second = {r["id"]: r for r in _read(DIR / "second_pass" / f"{part}.jsonl")}
        adjudicated = {r["id"]: r["fields"] for r in _read(DIR / "second_pass" / f"{part}.adjudication.jsonl")}
        for row in _read(raw):
            row = dict(row)
            row["source"] = part
            other = second.get(row["id"])
            row["second_reading"] = other is not None
            disagreed = {}
            for field, verdict in adjudicated.get(row["id"], {}).items():
                disagreed[field] = {"first": verdict.get("first"), "second": verdict.get("second")}
                if field in FIELDS and verdict.get("final") is not None:
                    row[field] = verdict["final"]
            if disagreed:
                row["disagreed"] = disagreed
            _check(row)
            stories.append(row)
    strata: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for s in stories:
        strata[(s["lang"], s["polarity"])].append(s)
    rng = random.Random(SEED)
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda s: s["id"])
        rng.shuffle(group)
        n_test = round(len(group) * TEST)
        n_dev = round(len(group) * DEV)
        for i, s in enumerate(group):
            s["split"] = "test" if i < n_test else "dev" if i < n_test + n_dev else "train"
    stories.sort(key=lambda s: (s["lang"], s["id"]))
    return stories


def main() -> None:
    stories = build()
    out = DIR / "narratives.jsonl"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for s in stories:
            fh.write(json.dumps(s, ensure_ascii=False) + "\n")
    counts = Counter((s["lang"], s["split"]) for s in stories)
    print(f"{len(stories)} stories → {out.relative_to(ROOT)}")
    for lang in ("zh", "en"):
        print(f"  {lang}: " + ", ".join(f"{sp} {counts[(lang, sp)]}" for sp in ("train", "dev", "test")))
    print(f"  second reading: {sum(s['second_reading'] for s in stories)}; "
          f"with a disagreement: {sum('disagreed' in s for s in stories)}")


if __name__ == "__main__":
    main()
