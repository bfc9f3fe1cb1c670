import os
import sys

# Jupyter's own future default; without it jupyter_core warns on every import, and the
# suite treats warnings as errors.
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")

# nbgrader runs the `alembic` command of its own environment (the gradebook's migrations):
# put this interpreter's bin directory first on PATH, as an activated venv would.
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
