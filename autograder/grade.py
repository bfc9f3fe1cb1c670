"""Grade every submission under submitted/: in parallel, crash-tolerant, one gradebook writer.

    workers (--jobs)          this process                 workers
    run.run_submission   ->   record.record (nbgrader)  -> record.feedback (nbgrader)
    execute a notebook        save its grades               write its feedback HTML

Executing notebooks is nearly all the time and needs no gradebook writes, so it runs in
`jobs` processes side by side; saving grades is nbgrader's Autograde (execution switched off)
in this process only, one submission at a time as results arrive, so SQLite never sees two
writers and a run with --jobs 2 saves exactly what a run with --jobs 1 saves. Feedback only
reads the gradebook and goes back to the workers. grades.csv is nbgrader's CSV export.
"""

import multiprocessing
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from autograder.course import Course, CourseError

GRADING = ".grading"  # the grader's scratch space in the course root (executed copies, cwd)

# One thread per kernel: with N kernels on N cores, BLAS threads would only fight.
KERNEL_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "JUPYTER_PLATFORM_DIRS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


@dataclass
class Graded:
    """The outcome for one submission."""

    student: str
    lesson: str
    score: float | None = None
    max_score: float | None = None
    recorded: bool = False  # nbgrader saved this run's grades
    notes: list = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class GradeReport:
    graded: list
    ungraded: list  # Graded entries with score None: something kept them out of the gradebook

    @property
    def complete(self):
        return not self.ungraded


def _worker_setup():
    os.environ.update(KERNEL_ENV)
    # nbgrader shells out to `alembic` from its own environment.
    bin_dir = os.path.dirname(sys.executable)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def _run_task(root, student, lesson, timeout, max_output_chars):
    from autograder.run import run_submission

    start = time.perf_counter()
    result = run_submission(root, student, lesson, timeout, max_output_chars)
    return result, time.perf_counter() - start


def _feedback_task(root, student, lesson):
    from autograder.record import feedback

    return student, lesson, feedback(root, student, lesson)


def check_course(course, pairs):
    """Refuse clearly when grading cannot start; return the lessons known to the gradebook."""
    from nbgrader.api import Gradebook

    db = course.db_url
    if db.startswith("sqlite:///") and not Path(db[len("sqlite:///") :]).is_file():
        raise CourseError(
            f"no gradebook at {db[len('sqlite:///') :]}: release the lessons first "
            "(python -m autograder release), which creates it"
        )
    with Gradebook(db, course.config.CourseDirectory.get("course_id", "default_course")) as gb:
        known = {a.name for a in gb.assignments}
    missing = sorted({lesson for _, lesson in pairs} - known)
    if missing:
        raise CourseError(
            f"submissions for {', '.join(missing)}, which the gradebook does not know: "
            "release them first (python -m autograder release)"
        )
    return known


def grade(root, jobs=None, timeout=None, max_output_chars=None, progress=None):
    """Grade every submission; return a GradeReport. Writes gradebook, feedback, grades.csv.

    jobs: worker processes (default: the number of cores). timeout: seconds per cell
    (default: nbgrader's Execute.timeout, 30). max_output_chars: per cell (default 20,000).
    progress: called with one line per submission as it is graded.
    """
    from autograder.record import export, record, scores

    course = Course.open(root)
    pairs = course.submissions()
    if not pairs:
        raise CourseError(f"nothing to grade: no submitted/<student>/<lesson>/ in {course.root}")
    check_course(course, pairs)
    jobs = max(1, jobs or os.cpu_count() or 1)
    scratch = course.root / GRADING
    if scratch.exists():
        shutil.rmtree(scratch)
    _worker_setup()  # the environment nbgrader and the kernels see, here as in the workers
    outcomes = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_setup) as pool:
        runs = {
            pool.submit(_run_task, str(course.root), s, a, timeout, max_output_chars): (s, a)
            for s, a in pairs
        }
        feedbacks = []
        for future in as_completed(runs):
            entry = Graded(*runs[future])
            try:
                result, entry.seconds = future.result()
            except Exception as err:  # a bug or a lost worker: say so, grade the rest
                entry.notes.append(f"the grader failed on this submission: {err!r}")
                outcomes[runs[future]] = entry
                continue
            entry.notes = list(result.notes)
            error = record(course, entry.student, entry.lesson)
            if error:
                entry.notes.append(f"nbgrader could not save the grades: {error.splitlines()[-1]}")
            else:
                entry.recorded = True
                feedbacks.append(
                    pool.submit(_feedback_task, str(course.root), entry.student, entry.lesson)
                )
            outcomes[(entry.student, entry.lesson)] = entry
            if progress:
                progress(f"[{len(outcomes):>3}/{len(pairs)}] {entry.student} {entry.lesson}")
        for future in as_completed(feedbacks):
            student, lesson, error = future.result()
            if error:
                outcomes[(student, lesson)].notes.append(
                    f"no feedback written: {error.splitlines()[-1]}"
                )
    for pair, found in scores(course, pairs).items():
        # A score from an earlier run must not pass for this one.
        if found is not None and outcomes[pair].recorded:
            outcomes[pair].score, outcomes[pair].max_score = found
    export(course, course.root / "grades.csv")
    graded = [outcomes[p] for p in pairs]
    return GradeReport(graded, [g for g in graded if g.score is None])
