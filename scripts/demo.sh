#!/usr/bin/env bash
# The main job: set up, then the grading demo (release every lesson, grade a sample class).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The venv first on PATH: nbgrader and jupyter call tools of their own environment (alembic).
export PATH="$PWD/.venv/bin:$PATH"
exec .venv/bin/python -m autograder demo "$@"
