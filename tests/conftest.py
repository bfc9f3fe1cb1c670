import os

# Jupyter's own future default; without it jupyter_core warns on every import, and the
# suite treats warnings as errors.
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
