"""Any OpenAI-compatible chat endpoint: Ollama, vLLM, LM Studio, llama.cpp's server, hosted APIs.

Configuration, strongest first: constructor arguments, environment
(``STORYLOOM_OPENAI_BASE_URL``, ``STORYLOOM_OPENAI_MODEL``,
``STORYLOOM_OPENAI_API_KEY``; ``OPENAI_BASE_URL``/``OPENAI_API_KEY`` are
honoured too), then ``[openai]`` in the config file.  Text bound for a host
that is not this machine has personal data redacted first (names, phones, ID
numbers…) and mapped back locally in the answer; pass ``redact=False`` to
turn that off explicitly.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from ...config import config_section
from ...errors import BackendFailed, BackendUnavailable, InvalidOption
from ..prompt import build_messages
from ..types import StoryPrompt

log = logging.getLogger("storyloom.generate.openai")

DEFAULT_BASE_URL = "http://127.0.0.1:11434/v1"  # Ollama's OpenAI-compatible endpoint
DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 2
_SENTENCE_END = re.compile(r"[。！？!?…\n]|\.(\s|$)")
_RISK = {"none": 0, "concern": 1, "urgent": 2}


def _setting(explicit: Any, env: tuple[str, ...], section: dict, key: str, default: Any = None) -> Any:
    if explicit is not None:
        return explicit
    for name in env:
        if os.environ.get(name):
            return os.environ[name]
    return section.get(key, default)


class OpenAIBackend:
    """Chat completions from an OpenAI-compatible server, one request per candidate."""

    name = "openai"

    def __init__(self, base_url: str | None = None, model: str | None = None, api_key: str | None = None, *,
                 timeout: float | None = None, retries: int | None = None, temperature: float = 0.9,
                 max_tokens: int | None = None, redact: bool | None = None,
                 on_token: Callable[[str], None] | None = None) -> None:
        section = config_section("openai")
        self.base_url = str(_setting(base_url, ("STORYLOOM_OPENAI_BASE_URL", "OPENAI_BASE_URL"), section,
                                     "base_url", DEFAULT_BASE_URL)).rstrip("/")
        self.model = _setting(model, ("STORYLOOM_OPENAI_MODEL",), section, "model")
        self.api_key = _setting(api_key, ("STORYLOOM_OPENAI_API_KEY", "OPENAI_API_KEY"), section, "api_key")
        self.timeout = float(_setting(timeout, ("STORYLOOM_OPENAI_TIMEOUT",), section, "timeout", DEFAULT_TIMEOUT))
        self.retries = int(_setting(retries, ("STORYLOOM_OPENAI_RETRIES",), section, "retries", DEFAULT_RETRIES))
        self.temperature = temperature
        self.max_tokens = max_tokens
        if not self.base_url.startswith(("http://", "https://")):
            raise InvalidOption(f"The OpenAI base URL must start with http:// or https://, not {self.base_url!r}.")
        from ...safety.pii import is_loopback

        self.remote = not is_loopback(self.base_url)
        self.redact = self.remote if redact is None else bool(redact)
        self.on_token = on_token

    # -- HTTP -------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _model(self, client) -> str:
        if self.model:
            return str(self.model)
        # servers that host one model (llama.cpp, LM Studio) list it; take the first
        resp = self._request(client, "GET", "/models")
        data = resp.json().get("data") or []
        if not data:
            raise InvalidOption(f"No model configured and {self.base_url}/models lists none: set STORYLOOM_OPENAI_MODEL.")
        self.model = data[0]["id"]
        return str(self.model)

    def _request(self, client, method: str, path: str, **kwargs):
        import httpx

        last: Exception | None = None
        for attempt in range(self.retries + 1):
            try:
                resp = client.request(method, self.base_url + path, headers=self._headers(), **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                last = exc
            except httpx.TimeoutException as exc:
                raise BackendUnavailable(
                    f"The model server at {self.base_url} did not answer within {self.timeout:g} s "
                    "(STORYLOOM_OPENAI_TIMEOUT raises the limit)."
                ) from exc
            else:
                if resp.status_code < 500 and resp.status_code != 429:
                    if resp.status_code >= 400:
                        raise BackendFailed(
                            f"The model server at {self.base_url} refused the request "
                            f"(HTTP {resp.status_code}): {resp.text[:300]}"
                        )
                    return resp
                last = BackendFailed(f"HTTP {resp.status_code} from {self.base_url}: {resp.text[:200]}")
            if attempt < self.retries:
                time.sleep(min(4.0, 0.5 * 2 ** attempt))
        if isinstance(last, BackendFailed):
            raise last
        raise BackendUnavailable(
            f"Cannot reach the model server at {self.base_url} ({type(last).__name__}). Start it (e.g. `ollama serve` "
            "or `python -m llama_cpp.server --model FILE.gguf`), set STORYLOOM_OPENAI_BASE_URL, "
            "or use --backend builtin (or --fallback to fall back to it)."
        )

    # -- generation -------------------------------------------------------------
    def generate(self, prompt: StoryPrompt, n: int, seed: int) -> list[str]:
        """``n`` story bodies, one chat completion each (seeded ``seed + i``)."""
        import httpx

        messages = build_messages(prompt)
        redaction = None
        if self.redact:
            from ...safety.pii import redact

            names = [c.name for c in prompt.plan.characters]
            joined = "\n\u241e\n".join(m["content"] for m in messages)  # one mapping for all messages
            redaction = redact(joined, prompt.language, names=names)
            parts = redaction.text.split("\n\u241e\n")
            messages = [dict(m, content=p) for m, p in zip(messages, parts)]
        out: list[str] = []
        with httpx.Client(timeout=self.timeout) as client:
            model = self._model(client)
            for i in range(n):
                body = {
                    "model": model, "messages": messages, "temperature": self.temperature, "seed": seed + i,
                    "stream": self.on_token is not None,
                }
                if self.max_tokens:
                    body["max_tokens"] = self.max_tokens
                text = self._complete(client, body, prompt, redaction)
                if redaction is not None:
                    text = redaction.restore(text)
                out.append(_clean(text, prompt.language))
        return out

    def _complete(self, client, body: dict, prompt: StoryPrompt, redaction) -> str:
        if not body["stream"]:
            data = self._request(client, "POST", "/chat/completions", json=body).json()
            try:
                return data["choices"][0]["message"]["content"] or ""
            except (KeyError, IndexError, TypeError) as exc:
                raise BackendFailed(f"Unexpected answer from {self.base_url}: {json.dumps(data)[:300]}") from exc
        screen = _ScreenedStream(self.on_token, prompt, redaction)
        with client.stream("POST", self.base_url + "/chat/completions", headers=self._headers(), json=body) as resp:
            if resp.status_code >= 400:
                resp.read()
                raise BackendFailed(f"The model server refused the request (HTTP {resp.status_code}): {resp.text[:300]}")
            for piece in _sse_pieces(resp.iter_lines()):
                screen.feed(piece)
        screen.flush()
        return screen.text


def _sse_pieces(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        if not line.startswith("data:"):
            continue
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        try:
            delta = json.loads(payload)["choices"][0].get("delta", {})
        except (ValueError, KeyError, IndexError):
            continue
        if delta.get("content"):
            yield delta["content"]


class _ScreenedStream:
    """Streams a draft sentence by sentence, each screened by the crisis detector first.

    Nothing reaches the user's screen before the safety detector has read it:
    if a sentence reads as riskier than the user's own story, streaming stops
    (the whole candidate is still scored, and withheld, by the reranker).
    """

    def __init__(self, sink: Callable[[str], None] | None, prompt: StoryPrompt, redaction) -> None:
        self.sink = sink
        self.language = prompt.language
        self.allowed = _RISK.get(prompt.safety, 0)
        self.redaction = redaction
        self.parts: list[str] = []
        self.pending = ""
        self.blocked = False

    @property
    def text(self) -> str:
        return "".join(self.parts) + self.pending

    def feed(self, piece: str) -> None:
        self.pending += piece
        while True:
            m = _SENTENCE_END.search(self.pending)
            if not m:
                return
            sentence, self.pending = self.pending[:m.end()], self.pending[m.end():]
            self._emit(sentence)

    def flush(self) -> None:
        if self.pending:
            sentence, self.pending = self.pending, ""
            self._emit(sentence)

    def _emit(self, sentence: str) -> None:
        self.parts.append(sentence)
        if self.sink is None or self.blocked:
            return
        shown = self.redaction.restore(sentence) if self.redaction is not None else sentence
        if sentence.strip():
            from ...errors import StoryLoomError
            from ...safety import assess_text

            try:
                risk = assess_text(shown, self.language).risk.value
            except StoryLoomError:
                risk = "none"  # punctuation-only fragments and the like
            if _RISK.get(risk, 0) > self.allowed:
                self.blocked = True
                log.info("stream withheld at a sentence the safety screen flagged (%s)", risk)
                return
        self.sink(shown)


_FENCE = re.compile(r"^```[a-z]*\n|\n```$")


def _clean(text: str, language: str) -> str:
    """Strip what chat models wrap stories in: code fences, a leading title line, quotes."""
    text = _FENCE.sub("", text.strip()).strip()
    lines = [ln for ln in text.splitlines()]
    if len(lines) > 1 and len(lines[0]) <= 30 and not re.search(r"[。！？.!?]$", lines[0].strip()):
        lines = lines[1:]  # "Title: …" or "# A Story" before the story
    text = "\n".join(lines).strip()
    if language != "en":
        text = re.sub(r"(?<=[\u3400-\u9fff，。！？；：、])\s+(?=[\u3400-\u9fff])", "", text)
    return text
