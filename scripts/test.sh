#!/usr/bin/env bash
# The whole test suite: set up, lint, format check, then pytest (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The venv first on PATH: nbgrader and jupyter call tools of their own environment (alembic).
export PATH="$PWD/.venv/bin:$PATH"
export JUPYTER_PLATFORM_DIRS=1
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
