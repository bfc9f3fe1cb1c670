#!/usr/bin/env bash
# Creates .venv in the checkout and installs the course with its dev tools, and bubblewrap (the
# grading jail) and PostgreSQL (the gradebook test's server) when run as root. Safe to run twice:
# it reinstalls only when pyproject.toml changed since the last successful install.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "the course needs Python 3.11 or newer; set PYTHON=/path/to/python3.11")'

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.course-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  echo "$want" > "$stamp"
fi

# The grader runs every kernel in a bubblewrap jail (autograder/grader/jail.py).
if ! command -v bwrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q bubblewrap >/dev/null
  else
    echo "setup: bubblewrap (bwrap) is missing; the grader jails every kernel with it." >&2
    echo "setup: install the package bubblewrap (sudo apt-get install bubblewrap)." >&2
  fi
fi

# tests/autograder/grader/test_postgres.py starts Debian's PostgreSQL server in a temporary folder
# (it skips, saying so, without it); a gradebook in PostgreSQL needs no local server otherwise.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
  else
    echo "setup: PostgreSQL is missing; its gradebook test will skip (sudo apt-get install postgresql)." >&2
  fi
fi
