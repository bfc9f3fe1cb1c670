"""How long does verifying a submission take, per lesson, after its notebook has run?

Each lesson's solution notebook runs top to bottom through GradingExecute (the grader's kernel
environment, one BLAS thread); right after its last cell, while the kernel still holds
everything the notebook made, the verifier calls every stub on fresh inputs: five times with
five seeds, timed one by one. Also timed: one catalogued mistake per lesson (a wrong stub
costs all its inputs plus the search of the catalogue for its hint).

    .venv/bin/python benchmarks/verify_time.py        # about 2 minutes
    .venv/bin/python benchmarks/verify_time.py --against /work/main --rounds 3

With --against DIR the whole measurement runs in fresh processes, alternately with DIR's
grader code (A) and this checkout's (B), `--rounds` times each (PYTHONPATH picks the code), and
each lesson's median seconds per verification are compared, with the load before each run.
"""

import argparse
import json
import os
import statistics
import subprocess
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


def measure_all():
    """{lesson: (inputs tried, median s, max s, wrong stub, its inputs tried, its seconds)}."""
    found = {}
    for lesson in sorted(p.name for p in LESSONS.iterdir() if (p / f"{p.name}.ipynb").exists()):
        run = measure(lesson)
        wrong = run.wrong_verdict
        found[lesson] = (
            statistics.median(run.calls),
            statistics.median(run.times),
            max(run.times),
            f"{wrong.stub} ({wrong.hint})",
            wrong.tries,
            run.wrong_time,
        )
    return found


def alternate(other, rounds):
    """This script's measurement with `other`'s grader code (A) and this checkout's (B), in
    turn; print each lesson's medians and B / A."""
    here = Path(__file__).resolve().parents[1]
    medians = {"A": [], "B": []}
    for i in range(rounds):
        for side, code in (("A", Path(other).resolve()), ("B", here)):
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            env = {**os.environ, "PYTHONPATH": str(code)}
            out = subprocess.run(
                [sys.executable, __file__, "--json"], env=env, capture_output=True, text=True
            )
            if out.returncode != 0:
                sys.exit(f"{side} failed:\n{out.stderr[-3000:]}")
            found = json.loads(out.stdout.splitlines()[-1])
            medians[side].append(found)
            total = sum(row[1] for row in found.values())
            print(f"{side} ({code}) round {i + 1}: {total:.2f} s for the six lessons, load {load}")
    print(f"{'lesson':18} {'inputs':>6} {'A median s':>10} {'B median s':>10} {'B / A':>6}")
    for lesson in medians["A"][0]:
        a = statistics.median(run[lesson][1] for run in medians["A"])
        b = statistics.median(run[lesson][1] for run in medians["B"])
        calls = medians["B"][0][lesson][0]
        print(f"{lesson:18} {calls:6.0f} {a:10.2f} {b:10.2f} {b / a:6.2f}")
    a = statistics.median(sum(r[1] for r in run.values()) for run in medians["A"])
    b = statistics.median(sum(r[1] for r in run.values()) for run in medians["B"])
    print(f"{'all six':18} {'':6} {a:10.2f} {b:10.2f} {b / a:6.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="DIR", help="another checkout's grader code (A)")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: runs of each")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.against:
        alternate(args.against, args.rounds)
        return 0
    os.environ.update(KERNEL_ENV)
    found = measure_all()
    if args.json:
        print(json.dumps(found))
        return 0
    print(
        f"{'lesson':18} {'inputs':>6} {'median s':>8} {'max s':>6} {'ms/input':>8}   one wrong stub"
    )
    for lesson, (calls, median, most, wrong, tries, seconds) in found.items():
        print(
            f"{lesson:18} {calls:6.0f} {median:8.2f} {most:6.2f} "
            f"{1000 * median / calls:8.1f}   {wrong}: {seconds:.2f} s, {tries} inputs"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
