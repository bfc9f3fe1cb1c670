#!/usr/bin/env bash
# The main job: set up, then run the course demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The venv first on PATH: nbgrader and jupyter call tools of their own environment (alembic).
export PATH="$PWD/.venv/bin:$PATH"
exec .venv/bin/python -m autograder demo "$@"
