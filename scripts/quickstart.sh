#!/usr/bin/env bash
# Set StoryLoom up in .venv, analyse the built-in example story, then write a
# personalised story from it (builtin backend: offline, no model).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/storyloom analyze --example "$@"
exec .venv/bin/storyloom write --example
