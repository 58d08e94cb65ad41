"""Bounded thread pools with deadlines for the CPU-heavy work (analysis, generation).

Routes are plain functions run in Starlette's threadpool; they hand the heavy
call to a small pool (``analysis_threads`` wide) and wait at most ``timeout``
seconds, queueing included.  A call that misses its deadline answers 504 E431;
if it had not started it is cancelled, otherwise it finishes in the background
and its result is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from .errors import AnalysisTimeout

T = TypeVar("T")


class Runner:
    def __init__(self, threads: int, name: str) -> None:
        self.name = name
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"storyloom-{name}")

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        return self.pool.submit(fn, *args, **kwargs)

    def run(self, fn: Callable[..., T], *args: Any, timeout: float, **kwargs: Any) -> T:
        future = self.pool.submit(fn, *args, **kwargs)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            raise AnalysisTimeout(
                f"The {self.name} did not finish within {timeout:g} s: the server is busy or the text is very "
                "long. Try again in a moment, or split the text into chapters."
            ) from None

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
