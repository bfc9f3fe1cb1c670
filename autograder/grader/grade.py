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
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grader.course import Course, CourseError

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
    from autograder.grader.inprocess import own_bin_on_path

    os.environ.update(KERNEL_ENV)
    own_bin_on_path()


def _run_task(root, student, lesson, limits):
    from autograder.grader.run import run_submission

    start = time.perf_counter()
    result = run_submission(root, student, lesson, **limits)
    return result, time.perf_counter() - start


def _feedback_task(root, student, lesson):
    from autograder.grader.record import feedback

    return feedback(root, student, lesson)


def known_lessons(course):
    """The lessons in the gradebook (nbgrader's assignments); refuse if there is none."""
    from nbgrader.api import Gradebook

    db = course.db_url
    if db.startswith("sqlite:///") and not Path(db[len("sqlite:///") :]).is_file():
        raise CourseError(
            f"no gradebook at {db[len('sqlite:///') :]}: release the lessons first "
            "(python -m autograder release), which creates it"
        )
    with Gradebook(db, course.course_id) as gb:
        return {a.name for a in gb.assignments}


@dataclass
class Counter:
    """Progress lines: '[ 12/180] ada 04_output_layer (3.1 s)'."""

    total: int
    progress: object = None
    done: int = 0

    def tick(self, entry):
        self.done += 1
        if self.progress:
            notes = ", see notes" if entry.notes else ""
            self.progress(
                f"[{self.done:>3}/{self.total}] {entry.student} {entry.lesson} "
                f"({entry.seconds:.1f} s{notes})"
            )


MEMORY_FLOOR_MB = 2048  # the lessons peak near 1.2 GB (benchmarks/kernel_memory.py)


def default_memory_mb(jobs):
    """Memory each of `jobs` kernels may take: 4 GB, or less so that all fit in 3/4 of RAM.

    The limit is there so that one student's runaway array fails in their own cell rather
    than starving the kernels beside it; it never goes below what the lessons need.
    """
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return max(MEMORY_FLOOR_MB, min(4096, ram_mb * 3 // 4 // jobs))


def not_graded(err, student, lesson):
    """The note for a submission the grader itself failed on, and how to grade it later."""
    from autograder.grader.execute import KernelStartError

    why = str(err) if isinstance(err, KernelStartError) else f"the grader failed on it ({err!r})"
    again = f"python -m autograder grade {lesson} --student {student}"
    return f"not graded: {why}; to grade it again: {again}"


def _grade_in_pool(course, pairs, jobs, limits, outcomes, counter):
    """Execute `pairs` in `jobs` workers, record each result here, feedback in the workers.

    Fills `outcomes`; returns the pairs whose worker process was lost.
    """
    from autograder.grader.record import record

    root = str(course.root)
    lost = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_setup) as pool:
        runs = {pool.submit(_run_task, root, s, a, limits): (s, a) for s, a in pairs}
        feedbacks = {}
        for future in as_completed(runs):
            pair = runs[future]
            entry = outcomes[pair] = Graded(*pair)
            try:
                result, entry.seconds = future.result()
            except BrokenProcessPool:
                lost.append(pair)
                continue
            except Exception as err:  # the grader's own trouble: say so, grade the rest
                entry.notes.append(not_graded(err, *pair))
                counter.tick(entry)
                continue
            entry.notes = list(result.notes)
            error = record(course, *pair)
            if error:
                entry.notes.append(f"nbgrader could not save the grades: {error.splitlines()[-1]}")
            else:
                entry.recorded = True
                try:
                    feedbacks[pool.submit(_feedback_task, root, *pair)] = pair
                except BrokenProcessPool:
                    entry.notes.append("no feedback written: the grading worker died")
            counter.tick(entry)
        for future in as_completed(feedbacks):
            try:
                error = future.result()
            except Exception as err:
                error = repr(err)
            if error:
                outcomes[feedbacks[future]].notes.append(
                    f"no feedback written: {error.splitlines()[-1]}"
                )
    return lost


def grade(
    root,
    jobs=None,
    timeout=None,
    max_output_chars=None,
    max_memory_mb=None,
    progress=None,
    lessons=None,
    students=None,
):
    """Grade every submission; return a GradeReport. Writes gradebook, feedback, grades.csv.

    jobs: worker processes (default: twice the number of cores). timeout: seconds per cell
    (default: nbgrader's Execute.timeout, 30). max_output_chars: per cell (default 20,000).
    max_memory_mb: per kernel (default: default_memory_mb(jobs)).
    progress: called with one line per submission as it is graded.
    lessons, students: grade only these (default: every submission).
    """
    from autograder.grader.record import export, scores

    course = Course.open(root)
    pairs = [
        (s, a)
        for s, a in course.submissions()
        if (not lessons or a in lessons) and (not students or s in students)
    ]
    if not pairs:
        wanted = (
            " for " + ", ".join([*(lessons or []), *(students or [])])
            if lessons or students
            else ""
        )
        raise CourseError(
            f"nothing to grade{wanted}: no submitted/<student>/<lesson>/ in {course.root}"
        )
    known = known_lessons(course)
    outcomes = {}
    for student, lesson in pairs:
        if lesson not in known:
            outcomes[student, lesson] = Graded(
                student,
                lesson,
                notes=[f"not graded: the gradebook has no lesson {lesson!r} (release it first)"],
            )
    # A worker spends much of its time waiting on its kernel (start-up, replies, output), so
    # two per core keep the cores busy: 30 lesson submissions took 148 s with 2 workers on 2
    # cores, 114-128 s with 3, 105 s with 4 (one run each, this machine).
    jobs = max(1, jobs or 2 * (os.cpu_count() or 1))
    limits = {
        "timeout": timeout,
        "max_output_chars": max_output_chars,
        "max_memory_mb": max_memory_mb or default_memory_mb(jobs),
    }
    scratch = course.root / GRADING
    if scratch.exists():
        shutil.rmtree(scratch)
    todo = [p for p in pairs if p[1] in known]
    counter = Counter(total=len(todo), progress=progress)
    lost = _grade_in_pool(course, todo, jobs, limits, outcomes, counter)
    if lost:
        # A worker process died (not a kernel: the worker itself, killed for memory or by a
        # kernel that killed its parent). Every submission it had pending comes back here;
        # each gets one more try in a worker of its own, so only the culprit stays ungraded.
        retry, lost = lost, []
        for pair in retry:
            counter.total += 1
            lost += _grade_in_pool(course, [pair], 1, limits, outcomes, counter)
    for pair in lost:
        outcomes[pair].notes.append("not graded: the grading worker died twice on it")
    for pair, found in scores(course, [p for p in pairs if p[1] in known]).items():
        # A score from an earlier run must not pass for this one.
        if found is not None and outcomes[pair].recorded:
            outcomes[pair].score, outcomes[pair].max_score = found
    export(course, course.root / "grades.csv")
    graded = [outcomes[p] for p in pairs]
    return GradeReport(graded, [g for g in graded if g.score is None])
