"""Generation backends, by name.

``builtin`` (the default) is offline and deterministic; ``openai`` (any
OpenAI-compatible server: Ollama, vLLM, llama.cpp's server…) and ``llamacpp``
(a local GGUF model) are imported only when asked for, so their optional
dependencies are never needed otherwise.
"""

from __future__ import annotations

from importlib import import_module

from ...errors import InvalidOption
from ..types import Backend

__all__ = ["BACKENDS", "get_backend"]

# name → "module:Class", relative to this package; imported lazily.
BACKENDS: dict[str, str] = {
    "builtin": ".builtin:BuiltinBackend",
    "openai": ".openai:OpenAIBackend",
    "llamacpp": ".llamacpp:LlamaCppBackend",
}


def get_backend(name: str, **options: object) -> Backend:
    """A new backend instance by ``name`` (``builtin``, ``openai``, ``llamacpp``).

    ``options`` go to the backend's constructor.  An unknown name raises
    :class:`storyloom.errors.InvalidOption` listing the valid ones.
    """
    key = str(name or "").strip().lower()
    target = BACKENDS.get(key)
    if target is None:
        raise InvalidOption(f"Unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}.")
    module_name, _, cls_name = target.partition(":")
    module = import_module(module_name, __name__)
    return getattr(module, cls_name)(**options)
