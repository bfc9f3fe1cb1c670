"""How big and how slow is an honest lesson, against the bounds the grader puts on submissions?

The grader refuses a handed-in file past ReadSubmission's limits (bytes, cells, characters of
source) and stops a notebook past GradingExecute.notebook_timeout; the defaults must leave an
honest lesson far inside them. This runs every lesson's solution (its source notebook) top to
bottom in a fresh kernel with the grader's kernel environment, `runs` times, and prints per
lesson: the file saved with its outputs (as a student hands it in), its cells, its source
characters, the most outputs and output characters of one cell, kernel.log's bytes, and the
run's wall time (the slowest of the runs).

    .venv/bin/python benchmarks/lesson_bounds.py [runs]     # about a minute per run
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import nbclient
import nbformat

from autograder.grader.grade import KERNEL_ENV
from autograder.grader.output_cap import output_size

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def measure(lesson):
    """{figure: value} for one run of the lesson's solution."""
    path = LESSONS / lesson / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "kernel.log"
        with open(log_path, "wb") as log:
            client = nbclient.NotebookClient(
                nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": folder}}
            )
            start = time.perf_counter()
            client.execute(stdout=log, stderr=log)
            seconds = time.perf_counter() - start
        log_bytes = log_path.stat().st_size
    code = [c for c in nb.cells if c.cell_type == "code"]
    return {
        "bytes": len(nbformat.writes(nb).encode()),
        "cells": len(nb.cells),
        "source": sum(len(c.source) for c in nb.cells),
        "outputs/cell": max(len(c.outputs) for c in code),
        "chars/cell": max(sum(output_size(o) for o in c.outputs) for c in code),
        "kernel.log": log_bytes,
        "seconds": seconds,
    }


def main(runs=1):
    os.environ.update(KERNEL_ENV)
    lessons = sorted(d.name for d in LESSONS.iterdir() if d.is_dir())
    header = ["bytes", "cells", "source", "outputs/cell", "chars/cell", "kernel.log", "seconds"]
    print(f"{'lesson':20}" + "".join(f"{h:>14}" for h in header))
    for lesson in lessons:
        results = [measure(lesson) for _ in range(runs)]
        figures = {h: max(r[h] for r in results) for h in header}
        row = "".join(
            f"{figures[h]:>14.2f}" if h == "seconds" else f"{figures[h]:>14,}" for h in header
        )
        print(f"{lesson:20}{row}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
