"""Single-process throughput and memory of ``storyloom.analyze``.

Usage (from the repository root)::

    .venv/bin/python bench/throughput.py                 # ~10 s per workload
    .venv/bin/python bench/throughput.py --seconds 30 --json bench/out/throughput.json
    .venv/bin/python bench/throughput.py --standin       # harness check without the engine

Workloads (built deterministically from the shared data):

* ``zh-stories``  ChnSentiCorp reviews joined into story-sized texts of 300-800 characters;
* ``zh-long``     one ~20,000-character Chinese text (reviews joined into paragraphs);
* ``en-stories``  GoEmotions + EmoBank sentences joined into 100-200-word stories.

The first call (lazy loading of lexicons/models) is timed separately and is not
part of the rates.  Each workload then runs for ``--seconds`` (at least one
call).  Memory: ``ru_maxrss`` of the process (after import, after the first
call, at the end) and the ``tracemalloc`` peak of Python allocations while
analysing a few texts of each workload after warm-up (a separate, untimed pass,
because tracing slows Python down several-fold).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import datasets as D  # noqa: E402

Analyze = Callable[..., Any]
SEED = D.SEED


# --------------------------------------------------------------------------- workloads


def group_by_chars(texts: Sequence[str], lo: int = 300, hi: int = 800, seed: int = SEED,
                   sep: str = "\n") -> list[str]:
    """Join consecutive texts into stories of ``lo``..``hi`` characters (target drawn per story)."""
    rng = random.Random(seed)
    out: list[str] = []
    cur: list[str] = []
    size = 0
    target = rng.randint(lo, hi)
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if len(t) > hi:
            t = t[:hi]
        add = len(t) + (len(sep) if cur else 0)
        if size + add > hi and size >= lo:
            out.append(sep.join(cur))
            cur, size, target = [], 0, rng.randint(lo, hi)
            add = len(t)
        if size + add > hi:  # still too long although the story is short: cut the piece
            t = t[: hi - size - (len(sep) if cur else 0)]
            add = len(t) + (len(sep) if cur else 0)
        if t:
            cur.append(t)
            size += add
        if size >= target:
            out.append(sep.join(cur))
            cur, size, target = [], 0, rng.randint(lo, hi)
    if size >= lo:
        out.append(sep.join(cur))
    return out


def group_by_words(texts: Sequence[str], lo: int = 100, hi: int = 200, seed: int = SEED) -> list[str]:
    """Join consecutive English texts into stories of ``lo``..``hi`` words."""
    rng = random.Random(seed)
    out: list[str] = []
    cur: list[str] = []
    n = 0
    target = rng.randint(lo, hi)
    for t in texts:
        words = t.split()
        if not words:
            continue
        if n + len(words) > hi and n >= lo:
            out.append(" ".join(cur))
            cur, n, target = [], 0, rng.randint(lo, hi)
        words = words[: hi - n]
        cur.extend(words)
        n += len(words)
        if n >= target:
            out.append(" ".join(cur))
            cur, n, target = [], 0, rng.randint(lo, hi)
    if n >= lo:
        out.append(" ".join(cur))
    return out


def build_workloads(long_chars: int = 20_000) -> dict[str, list[str]]:
    """The three workloads, deterministic for the fixed splits."""
    zh = [ex.text for ex in D.chnsenticorp().test]
    zh_all = [ex.text for ex in D.chnsenticorp().all()]
    stories_zh = group_by_chars(zh)
    long_parts: list[str] = []
    size = 0
    for t in zh_all:
        if size >= long_chars:
            break
        long_parts.append(t)
        size += len(t) + 1
    long_zh = "\n".join(long_parts)[:long_chars]
    en_texts: list[str] = []
    go = [ex.text for ex in D.goemotions().test]
    eb = [ex.text for ex in D.emobank().test]
    for i in range(max(len(go), len(eb))):  # interleave the two sources
        if i < len(eb):
            en_texts.append(eb[i])
        if i < len(go):
            en_texts.append(go[i])
    stories_en = group_by_words(en_texts)
    return {"zh-stories": stories_zh, "zh-long": [long_zh], "en-stories": stories_en}


def build_workloads_isolated() -> dict[str, list[str]]:
    """:func:`build_workloads` in a child process, so the datasets it parses do not
    inflate this process's ``ru_maxrss`` (falls back to in-process on failure)."""
    import subprocess

    try:
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dump-workloads"],
                              capture_output=True, check=True, timeout=300)
        return json.loads(proc.stdout.decode("utf-8"))
    except Exception as e:  # pragma: no cover - diagnostic path
        print(f"(building workloads in-process: {type(e).__name__}: {e})", file=sys.stderr)
        return build_workloads()


# --------------------------------------------------------------------------- measuring


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def _call(analyze: Analyze, text: str) -> str | None:
    try:
        analyze(text)
        return None
    except Exception as e:  # user errors and crashes both counted, never fatal here
        return type(e).__name__


def measure(analyze: Analyze, texts: Sequence[str], seconds: float) -> dict[str, Any]:
    """Run ``analyze`` over ``texts`` (cycling) for about ``seconds``; at least one call."""
    lat: list[float] = []
    chars = 0
    errors: dict[str, int] = {}
    t_start = time.perf_counter()
    i = 0
    while True:
        text = texts[i % len(texts)]
        t0 = time.perf_counter()
        err = _call(analyze, text)
        lat.append(time.perf_counter() - t0)
        if err:
            errors[err] = errors.get(err, 0) + 1
        chars += len(text)
        i += 1
        if time.perf_counter() - t_start >= seconds:
            break
    total = sum(lat)
    lat_sorted = sorted(lat)
    return {
        "calls": i,
        "distinct_texts": min(i, len(texts)),
        "mean_chars": chars / i,
        "seconds": total,
        "stories_per_s": i / total if total else float("inf"),
        "chars_per_s": chars / total if total else float("inf"),
        "latency_p50_ms": 1000 * statistics.median(lat),
        "latency_p95_ms": 1000 * lat_sorted[min(len(lat) - 1, int(0.95 * len(lat)))],
        "errors": errors,
    }


def traced_peak(analyze: Analyze, texts: Sequence[str], n: int = 3) -> float:
    """tracemalloc peak (MiB) while analysing up to ``n`` texts, after warm-up."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        for t in texts[:n]:
            _call(analyze, t)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return (peak - base) / (1024 * 1024)


def run(analyze: Analyze, seconds: float = 10.0, workloads: dict[str, list[str]] | None = None,
        trace: bool = True, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Time the first call, then each workload; returns the figures."""
    workloads = workloads or build_workloads()
    out: dict[str, Any] = {"rss_mb_before_first_call": rss_mb()}
    t0 = time.perf_counter()
    err = _call(analyze, "今天我很开心，也有点紧张。")
    out["first_call_zh_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    err_en = _call(analyze, "Today I was happy and a little nervous.")
    out["first_call_en_s"] = time.perf_counter() - t0
    out["first_call_errors"] = [e for e in (err, err_en) if e]
    out["rss_mb_after_first_call"] = rss_mb()
    results = {}
    for name, texts in workloads.items():
        if log:
            log(f"{name}: {len(texts)} texts, {seconds:.0f}s budget ...")
        _call(analyze, texts[0])  # per-workload warm-up (e.g. the other language's resources)
        r = measure(analyze, texts, seconds)
        r["rss_mb_after"] = rss_mb()
        results[name] = r
    if trace:
        for name, texts in workloads.items():
            results[name]["tracemalloc_peak_mb"] = traced_peak(analyze, texts, 1 if name == "zh-long" else 3)
    out["workloads"] = results
    out["rss_mb_peak"] = rss_mb()
    return out


# --------------------------------------------------------------------------- printing


def print_table(fig: dict[str, Any], file: Any = sys.stdout) -> None:
    print(f"first call: zh {fig['first_call_zh_s']:.2f}s, en {fig['first_call_en_s']:.2f}s"
          + (f"  (errors: {fig['first_call_errors']})" if fig["first_call_errors"] else "")
          + f";  maxrss {fig['rss_mb_before_first_call']:.0f} MiB before first call,"
            f" {fig['rss_mb_after_first_call']:.0f} MiB after, {fig['rss_mb_peak']:.0f} MiB peak", file=file)
    header = ("workload", "texts", "chars/text", "calls", "stories/s", "chars/s", "p50 ms", "p95 ms",
              "tracemalloc MiB", "errors")
    rows = []
    for name, r in fig["workloads"].items():
        rows.append((name, str(r["distinct_texts"]), f"{r['mean_chars']:.0f}", str(r["calls"]),
                     f"{r['stories_per_s']:.1f}", f"{r['chars_per_s']:,.0f}", f"{r['latency_p50_ms']:.1f}",
                     f"{r['latency_p95_ms']:.1f}",
                     f"{r['tracemalloc_peak_mb']:.1f}" if "tracemalloc_peak_mb" in r else "-",
                     ",".join(f"{k}:{v}" for k, v in r["errors"].items()) or "0"))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(header, widths))), file=file)
    print("  ".join("-" * w for w in widths), file=file)
    for row in rows:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))), file=file)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="time budget per workload (default 10)")
    ap.add_argument("--workloads", default="zh-stories,zh-long,en-stories", help="comma-separated subset")
    ap.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument("--json", type=Path, default=None, help="write the figures to this JSON file")
    ap.add_argument("--engine", choices=("lexicon", "model"), default="lexicon")
    ap.add_argument("--parts", choices=("affect", "full"), default="affect",
                    help="affect: sentiment/emotions/VA/arc only (the lexicon engine); full: also themes, keywords, style, elements")
    ap.add_argument("--standin", action="store_true", help="use bench/standin.py instead of storyloom")
    ap.add_argument("--dump-workloads", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not D.available():
        print(f"data directory {D.data_dir()} not found; set STORYLOOM_DATA", file=sys.stderr)
        return 2
    if args.dump_workloads:
        sys.stdout.buffer.write(json.dumps(build_workloads(), ensure_ascii=False).encode("utf-8"))
        return 0
    wl = build_workloads_isolated()
    wanted = [w.strip() for w in args.workloads.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in wl]
    if unknown:
        ap.error(f"unknown workload(s) {unknown}; known: {list(wl)}")
    wl = {w: wl[w] for w in wanted}

    rss_before_import = rss_mb()
    t0 = time.perf_counter()
    if args.standin:
        from bench.standin import analyze

        engine = "bench.standin (NOT StoryLoom)"
    else:
        import storyloom

        parts = () if args.parts == "affect" else None

        def analyze(text, lang=None):
            return storyloom.analyze(text, lang, parts=parts, engine=args.engine)

        engine = f"storyloom {getattr(storyloom, '__version__', '?')} ({args.engine} engine, {args.parts})"
    import_s = time.perf_counter() - t0
    fig = run(analyze, args.seconds, wl, trace=not args.no_trace,
              log=lambda s: print(s, file=sys.stderr, flush=True))
    fig.update(engine=engine, import_s=import_s, rss_mb_before_import=rss_before_import,
               python=platform.python_version(), machine=platform.machine(), seconds_budget=args.seconds)
    print(f"engine: {engine}   python {fig['python']}   budget {args.seconds:g}s/workload   "
          f"import {import_s:.2f}s (maxrss {rss_before_import:.0f} MiB before import)")
    print_table(fig)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(fig, ensure_ascii=False, indent=2, default=float), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
