"""How much memory does a kernel running each lesson's solution take, against the grader's limit?

`grade` limits each kernel's address space (`--memory`, never below MEMORY_FLOOR_MB). This
runs every solution notebook top to bottom in a fresh kernel with no limit, with the
grader's kernel environment (one BLAS thread), then reads the kernel's own peaks from
/proc/self/status: VmPeak, the address space the limit counts, and VmHWM, the resident memory
actually touched. Linux only.

    .venv/bin/python benchmarks/kernel_memory.py        # about 2 minutes
"""

import os
import sys
import time
from pathlib import Path

import nbclient
import nbformat
from nbformat.v4 import new_code_cell

from autograder.grader.grade import KERNEL_ENV, MEMORY_FLOOR_MB

LESSONS = Path(__file__).resolve().parents[1] / "lessons"

PEAKS = """
fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(int(fields["VmPeak"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024)
"""


def peaks(lesson):
    """(VmPeak MB, VmHWM MB, seconds) of a kernel that ran the lesson's solution."""
    path = LESSONS / lesson / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_code_cell(PEAKS))
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    peak, resident = map(int, text.split())
    return peak, resident, seconds


def main():
    os.environ.update(KERNEL_ENV)
    print(f"grader's smallest limit (MEMORY_FLOOR_MB): {MEMORY_FLOOR_MB} MB of address space")
    print(f"{'lesson':20} {'VmPeak MB':>10} {'VmHWM MB':>9} {'seconds':>8}  fits")
    worst = 0
    for lesson in sorted(p.name for p in LESSONS.iterdir() if (p / f"{p.name}.ipynb").exists()):
        peak, resident, seconds = peaks(lesson)
        worst = max(worst, peak)
        fits = "yes" if peak < MEMORY_FLOOR_MB else "NO"
        print(f"{lesson:20} {peak:10,} {resident:9,} {seconds:8.1f}  {fits}")
    print(f"largest address space: {worst:,} MB, {worst / MEMORY_FLOOR_MB:.0%} of the floor")
    return 0 if worst < MEMORY_FLOOR_MB else 1


if __name__ == "__main__":
    sys.exit(main())
