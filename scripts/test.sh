#!/usr/bin/env bash
# Set up .venv if needed (with the llm extra the backend tests need), then run
# the whole test suite. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --llm
exec .venv/bin/python -m pytest "$@"
