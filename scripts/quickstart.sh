#!/usr/bin/env bash
# Set StoryLoom up in .venv and analyse the built-in example story.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/storyloom analyze --example "$@"
