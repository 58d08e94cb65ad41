"""A local GGUF model in-process through ``llama-cpp-python`` (``pip install 'storyloom[llm]'``).

The model file is the user's: ``model_path=``, ``STORYLOOM_GGUF`` or
``model_path`` under ``[llamacpp]`` in the config file.  Nothing leaves the
machine, so no redaction is needed; output is screened like any backend's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ...config import config_section
from ...errors import BackendFailed, BackendUnavailable
from ..prompt import build_messages
from ..types import StoryPrompt
from .openai import _clean, _ScreenedStream


@lru_cache(maxsize=2)
def _load(path: str, n_ctx: int, n_threads: int | None) -> Any:
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise BackendUnavailable(
            "The llamacpp backend needs llama-cpp-python: pip install 'storyloom[llm]' "
            "(it compiles for about 10 minutes the first time)."
        ) from exc
    try:
        return Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise BackendUnavailable(f"llama.cpp cannot load {path}: {exc}") from exc


class LlamaCppBackend:
    """Chat completions from a GGUF file loaded once per process."""

    name = "llamacpp"

    def __init__(self, model_path: str | None = None, *, n_ctx: int = 4096, n_threads: int | None = None,
                 temperature: float = 0.9, max_tokens: int = 768,
                 on_token: Callable[[str], None] | None = None) -> None:
        section = config_section("llamacpp")
        path = model_path or os.environ.get("STORYLOOM_GGUF") or section.get("model_path")
        if not path:
            raise BackendUnavailable(
                "No GGUF model configured for the llamacpp backend: pass --model-path FILE.gguf, "
                "set STORYLOOM_GGUF, or put model_path under [llamacpp] in the config file."
            )
        if not os.path.isfile(path):
            raise BackendUnavailable(f"The GGUF model file {path} does not exist.")
        self.model_path = str(path)
        self.n_ctx = int(section.get("n_ctx", n_ctx))
        self.n_threads = n_threads or section.get("n_threads")
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.on_token = on_token

    def generate(self, prompt: StoryPrompt, n: int, seed: int) -> list[str]:
        """``n`` story bodies, each sampled with seed ``seed + i``."""
        llm = _load(self.model_path, self.n_ctx, self.n_threads)
        messages = build_messages(prompt)
        out: list[str] = []
        for i in range(n):
            # a fresh context per candidate: reused KV cache made seeded runs differ
            llm.reset()
            llm.set_seed(seed + i)
            try:
                if self.on_token is None:
                    result = llm.create_chat_completion(
                        messages=messages, temperature=self.temperature, max_tokens=self.max_tokens, seed=seed + i,
                    )
                    text = result["choices"][0]["message"]["content"] or ""
                else:
                    screen = _ScreenedStream(self.on_token, prompt, None)
                    for chunk in llm.create_chat_completion(
                        messages=messages, temperature=self.temperature, max_tokens=self.max_tokens, seed=seed + i,
                        stream=True,
                    ):
                        piece = chunk["choices"][0].get("delta", {}).get("content")
                        if piece:
                            screen.feed(piece)
                    screen.flush()
                    text = screen.text
            except (ValueError, RuntimeError) as exc:  # context overflow and the like
                raise BackendFailed(f"llama.cpp failed on {os.path.basename(self.model_path)}: {exc}") from exc
            out.append(_clean(text, prompt.language))
        return out
