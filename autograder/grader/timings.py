"""Where a grading run's time goes: seconds per phase for each submission.

    wait      the worker idle before it (starting and importing, for its first submission)
    prepare   the pipeline's own steps (reading, sanitising, writing the executed notebook)
    kernel    kernel start-ups (a restart after a dead kernel starts another)
    execute   the cells, and shutting the kernel down
    verify    the grader calling every stub after the last cell (verify/)
    save      nbgrader's autograde into the gradebook (this process)
    feedback  the feedback HTML

Each is measured where it happens and carried back with the submission (RunResult.timings,
Graded.timings); `grade` writes them all to .grading/timings.json (write_timings()), which
benchmarks/grading.py reads. Timing costs a clock read per phase, so it is always on.
"""

import json
import time
from contextlib import contextmanager

PHASES = ("wait", "prepare", "kernel", "execute", "verify", "save", "feedback")
FILE = "timings.json"  # in the course's scratch space (.grading/)


class Phases(dict):
    """{phase: seconds}, added to as the phases happen (a phase may happen several times)."""

    def add(self, phase, seconds):
        self[phase] = self.get(phase, 0.0) + seconds

    @contextmanager
    def timed(self, phase):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(phase, time.perf_counter() - start)

    def merge(self, other):
        for phase, seconds in (other or {}).items():
            self.add(phase, seconds)
        return self


def write_timings(course, graded, wall_seconds, workers):
    """.grading/timings.json: the run's wall time and workers, and each submission's phases."""
    path = course.scratch / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"student": g.student, "lesson": g.lesson, **g.timings} for g in graded if g.timings]
    path.write_text(json.dumps({"wall": wall_seconds, "workers": workers, "submissions": rows}))
    return path


def read(course_root, scratch=".grading"):
    """What write_timings() wrote in the course at `course_root`."""
    return json.loads((course_root / scratch / FILE).read_text())


def breakdown(rows):
    """{phase: mean seconds per submission} over timings.json's rows, in PHASES' order."""
    n = max(1, len(rows))
    return {p: sum(r.get(p, 0.0) for r in rows) / n for p in PHASES}
