"""How long does verifying a submission take, per lesson, after its notebook has run?

Each lesson's solution notebook runs top to bottom through GradingExecute (the grader's kernel
environment, one BLAS thread); right after its last cell, while the kernel still holds
everything the notebook made, the verifier calls every stub on fresh inputs: five times with
five seeds, timed one by one. Also timed: one catalogued mistake per lesson (a wrong stub
costs all its inputs plus the search of the catalogue for its hint).

    .venv/bin/python benchmarks/verify_time.py        # about 2 minutes
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync

from autograder.grader.execute import GradingExecute
from autograder.grader.grade import KERNEL_ENV
from autograder.grader.sample_class import mistaken_source, mistakes
from autograder.grader.verify import verify_submission

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
SEEDS = range(5)


class TimedExecute(GradingExecute):
    """GradingExecute that, after the last cell, verifies once per seed and keeps the times;
    then plants wrong_stub = (stub, source) and times its verification alone."""

    wrong_stub = None

    def _verify_after_last_cell(self):
        self.times, self.calls = [], []
        for seed in SEEDS:
            start = time.perf_counter()
            verdicts = run_sync(verify_submission)(self.kc, self.verify_lesson, seed)
            self.times.append(time.perf_counter() - start)
            self.calls.append(sum(v.tries for v in verdicts))
        if self.wrong_stub:
            run_sync(self._define)(self.wrong_stub[1])
            start = time.perf_counter()
            verdicts = run_sync(verify_submission)(
                self.kc, self.verify_lesson, 0, stubs=[self.wrong_stub[0]]
            )
            self.wrong_time = time.perf_counter() - start
            self.wrong_verdict = verdicts[0]

    async def _define(self, source):
        msg_id = self.kc.execute(source)
        while True:
            msg = await self.kc.get_iopub_msg(timeout=60)
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
            ):
                return


def measure(lesson):
    path = LESSONS / lesson / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    execute = TimedExecute(timeout=300)
    stub, key, _ = mistakes(lesson)[0]
    execute.wrong_stub = (stub, mistaken_source(lesson, stub, key))
    with tempfile.TemporaryDirectory() as folder:  # the kernel's working directory and log
        execute.preprocess(nb, {"metadata": {"path": folder}, "nbgrader": {"assignment": lesson}})
    return execute


def main():
    os.environ.update(KERNEL_ENV)
    print(
        f"{'lesson':18} {'calls':>5} {'median s':>8} {'max s':>6} {'ms/call':>7}   one wrong stub"
    )
    for lesson in sorted(p.name for p in LESSONS.iterdir() if (p / f"{p.name}.ipynb").exists()):
        run = measure(lesson)
        median = statistics.median(run.times)
        calls = statistics.median(run.calls)
        wrong = run.wrong_verdict
        print(
            f"{lesson:18} {calls:5.0f} {median:8.2f} {max(run.times):6.2f} "
            f"{1000 * median / calls:7.1f}   {wrong.stub} ({wrong.hint}): "
            f"{run.wrong_time:.2f} s, {wrong.tries} calls"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
