"""What the crisis screen's learned layer costs in a full analysis.

Runs ``storyloom.analyze`` on the narrative corpus's test split (125 ordinary
stories, 5–20 sentences) twice, each in a fresh process so no embedding is
cached from the other run: once with ``safety="rules"`` and once with the
default full screen (rules + the learned layer's cascade and story-level
reader).  Prints milliseconds per story for both and the difference, and how
many 2–3-sentence windows the cascade embedded out of all of them.

    .venv/bin/python bench/safety_cost.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NARRATIVES = ROOT / "data" / "narratives" / "narratives.jsonl"


def _stories(limit: int) -> list[dict]:
    with open(NARRATIVES, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if r["split"] == "test"][:limit]


def _run(mode: str, limit: int) -> dict:
    """One mode in this process (called in a child process)."""
    import storyloom
    from storyloom.safety import learned
    from storyloom.text import prepare

    windows = {"asked": 0}
    real = learned.unit_vectors

    def counting(texts, langs, units, focus=None):
        windows["asked"] += sum(1 for a, b in units if 1 < b - a <= learned.MAX_WINDOW)
        return real(texts, langs, units, focus)

    learned.unit_vectors = counting
    storyloom.analyze("热身。今天天气很好。", safety="rules")  # load models outside the timing
    times, total_windows = [], 0
    for story in _stories(limit):
        t0 = time.perf_counter()
        storyloom.analyze(story["text"], safety=mode)
        times.append((time.perf_counter() - t0) * 1000)
        n = len(prepare(story["text"], story["lang"]).sentences)
        total_windows += sum(1 for a, b in learned.spans(n) if 1 < b - a <= learned.MAX_WINDOW)
    return {"mode": mode, "stories": len(times), "mean_ms": round(statistics.mean(times), 1),
            "median_ms": round(statistics.median(times), 1), "windows_embedded": windows["asked"],
            "windows_total": total_windows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=125)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", choices=("rules", "full"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_run(args.child, args.limit)))
        return 0
    out = {}
    for mode in ("rules", "full"):
        proc = subprocess.run([sys.executable, __file__, "--child", mode, "--limit", str(args.limit)],
                              capture_output=True, text=True, check=True)
        out[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["learned_layer_ms"] = round(out["full"]["mean_ms"] - out["rules"]["mean_ms"], 1)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    for mode in ("rules", "full"):
        r = out[mode]
        print(f"{mode:5}  {r['stories']} stories  mean {r['mean_ms']:.0f} ms  median {r['median_ms']:.0f} ms")
    f = out["full"]
    share = f["windows_embedded"] / f["windows_total"] if f["windows_total"] else 0.0
    print(f"learned layer: +{out['learned_layer_ms']:.0f} ms per story; cascade embedded "
          f"{f['windows_embedded']} of {f['windows_total']} windows ({share:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
