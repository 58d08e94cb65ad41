"""Load test of the studio server: ``POST /api/analyze`` on loopback.

Usage (from the repository root)::

    .venv/bin/python bench/load.py                        # 10 s per level, 1 and 2 workers
    .venv/bin/python bench/load.py --seconds 20 --workers 1,2,4 --json bench/out/load.json

For each worker count it starts ``storyloom serve`` (uvicorn) on a free
loopback port with a throwaway SQLite library and the rate limit off
(``STORYLOOM_RATE_PER_SECOND=0``; the default limit would answer most of a
load test with 429), waits until ``/api/health`` answers, then drives
``POST /api/analyze`` from an asyncio httpx client with 1, 8 and 32 concurrent
clients for ``--seconds`` each (after a short untimed warm-up).  Texts cycle
through StoryLoom's built-in example stories (Chinese and English, 60–400
characters), analysed in full (themes, keywords, style, elements).

Prints requests/s, p50/p95/p99 latency, errors, and the peak resident memory of
the server's processes (parent + workers, sampled every 100 ms from /proc),
and never asserts: the figures depend on the machine (cores shared with other
work make them lower).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (1, 8, 32)
WARMUP_S = 2.0
STARTUP_TIMEOUT_S = 180.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _texts() -> list[str]:
    from storyloom.examples import EXAMPLES

    return [e.text for _, e in sorted(EXAMPLES.items())]


# -- memory of the server's process tree ---------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


class MemorySampler(threading.Thread):
    """Peak of the summed RSS of a process tree (and of its largest process)."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_total_kib = self.peak_process_kib = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            sizes = [_rss_kib(p) for p in _tree(self.pid)]
            self.peak_total_kib = max(self.peak_total_kib, sum(sizes))
            self.peak_process_kib = max(self.peak_process_kib, max(sizes, default=0))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# -- the server -------------------------------------------------------------------------


def start_server(workers: int, port: int, db_dir: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, STORYLOOM_RATE_PER_SECOND="0", STORYLOOM_DATABASE_URL=f"sqlite:///{db_dir}/bench.db")
    cmd = [sys.executable, "-m", "storyloom", "serve", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < STARTUP_TIMEOUT_S:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit("server did not start in time")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# -- the load ------------------------------------------------------------------------------


async def drive(url: str, concurrency: int, seconds: float, texts: list[str]) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def one_client(k: int, until: float, record: bool) -> None:
            nonlocal errors
            i = k
            while time.perf_counter() < until:
                text = texts[i % len(texts)]
                i += concurrency
                t0 = time.perf_counter()
                try:
                    response = await client.post("/api/analyze", json={"text": text})
                    kind = "ok" if response.status_code == 200 else str(response.status_code)
                except httpx.HTTPError as exc:
                    kind = type(exc).__name__
                if record:
                    if kind == "ok":
                        latencies.append(time.perf_counter() - t0)
                    else:
                        errors += 1
                        kinds[kind] = kinds.get(kind, 0) + 1

        warm_until = time.perf_counter() + WARMUP_S
        await asyncio.gather(*(one_client(k, warm_until, False) for k in range(concurrency)))
        start = time.perf_counter()
        await asyncio.gather(*(one_client(k, start + seconds, True) for k in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "concurrency": concurrency, "requests": len(latencies), "errors": errors, "error_kinds": kinds,
        "rps": len(latencies) / elapsed, "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per concurrency level")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="comma-separated client counts")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    texts = _texts()
    levels = [int(x) for x in args.levels.split(",")]
    results = []
    print(f"POST /api/analyze · {len(texts)} example texts ({min(map(len, texts))}–{max(map(len, texts))} chars) · "
          f"{args.seconds:g} s per level · {os.cpu_count()} CPUs · load average "
          f"{os.getloadavg()[0]:.1f} at start", flush=True)
    header = (f"{'workers':>7} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'errors':>6} {'peak RSS MiB':>12}")
    for workers in (int(x) for x in args.workers.split(",")):
        with tempfile.TemporaryDirectory(prefix="storyloom-load-") as db_dir:
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            proc = start_server(workers, port, db_dir)
            try:
                startup = wait_ready(url, proc)
                print(f"\n{workers} worker(s): ready in {startup:.1f} s", flush=True)
                print(header, flush=True)
                for level in levels:
                    sampler = MemorySampler(proc.pid)
                    sampler.start()
                    row = asyncio.run(drive(url, level, args.seconds, texts))
                    sampler.stop()
                    row.update(workers=workers, startup_s=startup, peak_rss_mib=sampler.peak_total_kib / 1024,
                               peak_process_rss_mib=sampler.peak_process_kib / 1024)
                    results.append(row)
                    print(f"{workers:>7} {level:>7} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
                          f"{row['p99_ms']:>8.1f} {row['errors']:>6} {row['peak_rss_mib']:>12.0f}"
                          + (f"  {row['error_kinds']}" if row["errors"] else ""), flush=True)
            finally:
                stop_server(proc)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "seconds": args.seconds, "results": results,
        }, indent=2))


if __name__ == "__main__":
    main()
