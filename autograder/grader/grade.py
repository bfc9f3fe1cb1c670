"""Grade every submission of a course: in parallel, crash-tolerant, one gradebook writer.

    workers (Grader.jobs)          this process                 workers
    pipeline.run_submission   ->   record.record (nbgrader)  -> record.feedback (nbgrader)
    execute a notebook             save its grades               write its feedback HTML

Executing notebooks is nearly all the time and needs no gradebook writes, so it runs in
`jobs` processes side by side; saving grades is nbgrader's Autograde (execution switched off)
in this process only, one submission at a time as results arrive, so SQLite never sees two
writers and a run with --jobs 2 saves exactly what a run with --jobs 1 saves. Feedback only
reads the gradebook and goes back to the workers. grades.csv is nbgrader's CSV export.

When another program holds the gradebook, every access waits and tries again
(gradebook_access.py); if it stays locked, the run goes on executing, keeps every result it
cannot save (pending.py), and says how to save them: `grade --record-only` (record_kept).

The workers are an executor's: LocalPool (worker processes here) by default, or, when
Grader.scheduler names a Dask scheduler, cluster.ClusterPool (workers anywhere, feedback in
processes here). Both offer the same calls, and one loop (_grade_with) drives either.
"""

import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from nbgrader.api import Gradebook
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from traitlets import Integer, Unicode, default
from traitlets.config import Configurable

from autograder.grader import lifeline, pending, sandbox
from autograder.grader.course import CourseError
from autograder.grader.execute import GradingExecute, KernelStartError
from autograder.grader.gradebook_access import GradebookAccess, GradebookBusy, patiently
from autograder.grader.inprocess import own_bin_on_path
from autograder.grader.jail import JailError
from autograder.grader.pipeline import run_submission
from autograder.grader.record import export, feedback, record, scores
from autograder.grader.report import printable
from autograder.grader.timings import Phases, write_timings
from autograder.grader.warm_start import fork_server_context

# One thread per kernel: with N kernels on N cores, BLAS threads would only fight.
KERNEL_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "JUPYTER_PLATFORM_DIRS": "1",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}
MEMORY_FLOOR_MB = 2048  # the lessons peak near 1.2 GB (benchmarks/kernel_memory.py)


class Grader(Configurable):
    """How a grading run spreads its work."""

    jobs = Integer(
        0,
        help="Notebooks run at once (worker processes); 0: two per core. A worker and its "
        "kernel leave a core idle now and then (starting, waiting on each other), so more "
        "workers than cores keep the cores busy: 36 lesson submissions took 46 s with 2 "
        "workers on 2 cores, 43 s with 3 or 4 (README, Benchmarks).",
    ).tag(config=True)

    scheduler = Unicode(
        help="Address of a Dask scheduler (tcp://HOST:8786) whose workers run the submissions; "
        "empty: worker processes on this machine. Defaults to the DASK_SCHEDULER_ADDRESS "
        "environment variable. With a scheduler, Grader.jobs is the number of processes "
        "writing feedback here.",
    ).tag(config=True)

    @default("scheduler")
    def _scheduler_from_environment(self):
        return os.environ.get("DASK_SCHEDULER_ADDRESS", "")

    def workers(self):
        return max(1, self.jobs or 2 * (os.cpu_count() or 1))


def default_memory_mb(jobs):
    """Memory each of `jobs` kernels may take: 4 GB, or less so that all fit in 3/4 of RAM.

    The limit is there so that one student's runaway array fails in their own cell rather
    than starving the kernels beside it; it never goes below what the lessons need.
    """
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return max(MEMORY_FLOOR_MB, min(4096, ram_mb * 3 // 4 // jobs))


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
    timings: dict = field(default_factory=Phases)  # seconds per phase (timings.py)


@dataclass
class GradeReport:
    graded: list
    ungraded: list  # Graded entries with score None: something kept them out of the gradebook
    problems: list = field(default_factory=list)  # sentences about the run as a whole
    isolation: str = ""  # how the kernels were isolated (sandbox.isolation), for the summary

    @property
    def complete(self):
        return not self.ungraded and not self.problems


@dataclass
class Counter:
    """Progress: progress(12, 180, 'ada 04_output_layer (3.1 s)') as each submission ends
    (report.progress_for makes a line or a bar of it)."""

    total: int
    progress: object = None
    done: int = 0

    def tick(self, entry):
        self.done += 1
        if self.progress:
            notes = ", see notes" if entry.notes else ""
            text = f"{entry.student} {entry.lesson} ({entry.seconds:.1f} s{notes})"
            self.progress(self.done, self.total, printable(text))


# ---------------------------------------------------------------------- in the workers


_idle_since = None  # in a worker process: when it started, or last finished a task


def _worker_setup():
    global _idle_since
    os.environ.update(KERNEL_ENV)
    own_bin_on_path()
    if _idle_since is None:
        _idle_since = time.perf_counter()


def _local_worker_setup(environment, grader_pid):
    """A LocalPool worker: the grader's environment as it is now (the fork server that
    forked this worker has the one it had when it started), then _worker_setup; the worker
    ends itself and its kernel if the grader's process ends first (lifeline.py)."""
    lifeline.watch_grader(grader_pid)
    os.environ.clear()
    os.environ.update(environment)
    _worker_setup()


def _idle():
    """Seconds this worker has waited since it started or finished its last task (its
    first wait includes importing the grader); the clock restarts when the task ends."""
    return time.perf_counter() - _idle_since if _idle_since is not None else 0.0


def _done():
    global _idle_since
    if _idle_since is not None:
        _idle_since = time.perf_counter()


class WorkerLost(RuntimeError):
    """A submission that could not be run for good: its workers kept dying, or the cluster
    went away. The message says which, for the note."""


class GraderFailure(RuntimeError):
    """A worker's exception, carried back as text (some exceptions do not survive pickling,
    and an unpicklable one would look like a dead worker)."""


def _run_task(course, student, lesson):
    waited = _idle()
    start = time.perf_counter()
    try:
        result = run_submission(course, student, lesson)
    except (KernelStartError, GradebookBusy, JailError):
        raise
    except Exception as err:
        raise GraderFailure(f"{type(err).__name__}: {err}") from None
    finally:
        _done()
    # Kept with the executed notebooks until the gradebook has the grades (pending.py).
    pending.keep_notes(course, student, lesson, result.notes)
    result.timings.add("wait", waited)
    return result, time.perf_counter() - start


def _feedback_task(course, student, lesson):
    """Write one feedback page; (None or the error, seconds it took)."""
    # Feedback only reads the gradebook; a lock is waited for, as everywhere.
    start = time.perf_counter()
    access = GradebookAccess(config=course.config)
    try:
        error = patiently(lambda: feedback(course, student, lesson), course.db_url, access)
    finally:
        _done()
    return error, time.perf_counter() - start


# ---------------------------------------------------------------------- in this process


def select(course, lessons=None, students=None):
    """The (student, lesson) pairs to grade; CourseError when there is none, naming the
    lessons and students there are when a name asked for is not one of them."""
    handed_in = course.submissions()
    unknown = [a for a in lessons or () if a not in course.lessons()]
    if unknown:
        raise CourseError(
            f"no lesson named {', '.join(unknown)}; lessons: {', '.join(course.lessons())}"
        )
    known = sorted({s for s, _ in handed_in})
    absent = [s for s in students or () if s not in known]
    if absent:
        shown = ", ".join(known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
        raise CourseError(
            f"no submission from {', '.join(absent)} in {course.submitted}; "
            f"students who handed something in: {shown or 'none'}"
        )
    pairs = [
        (s, a)
        for s, a in handed_in
        if (not lessons or a in lessons) and (not students or s in students)
    ]
    if not pairs:
        wanted = [*(lessons or []), *(students or [])]
        within = f" for {', '.join(wanted)}" if wanted else ""
        raise CourseError(
            f"nothing to grade{within}: no <student>/<lesson>/ folder in {course.submitted}"
        )
    return pairs


def shown(url):
    """A database URL fit to print: its password starred."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def known_lessons(course):
    """The lessons in the gradebook (nbgrader's assignments); refuse if there is none.

    An SQLite gradebook must exist already (nbgrader would make an empty one, and every lesson
    would be 'not released'); a database server (PostgreSQL) must answer.
    """
    path = course.gradebook_file
    if path is not None and not path.is_file():
        raise CourseError(
            f"no gradebook at {path}: release the lessons first "
            "(python -m autograder release), which creates it"
        )

    def read():
        with Gradebook(course.db_url, course.course_id) as gb:
            return {a.name for a in gb.assignments}

    try:
        return patiently(read, course.db_url, GradebookAccess(config=course.config))
    except GradebookBusy as err:
        raise CourseError(f"{err}: nothing was graded; run again once it is free") from None
    except (SQLAlchemyError, ImportError) as err:
        first = str(err).strip().splitlines()[0]
        raise CourseError(
            f"cannot open the gradebook at {shown(course.db_url)} ({first}): start its database "
            "server, or give the right URL with --db (or CourseDirectory.db_url in "
            "nbgrader_config.py)"
        ) from None


def not_graded(err, student, lesson):
    """The note for a submission the grader itself failed on, and how to grade it later."""
    ours = isinstance(err, KernelStartError | GradebookBusy | JailError | WorkerLost)
    why = str(err) if ours else f"the grader failed on it ({err!r})"
    again = f"python -m autograder grade {lesson} --student {student}"
    return f"not graded: {why}; to grade it again: {again}"


def with_memory_limit(course, jobs):
    """The course with GradingExecute.max_memory_mb set, if the configuration left it 0."""
    if GradingExecute(config=course.config).max_memory_mb:
        return course
    return course.with_config({"GradingExecute": {"max_memory_mb": default_memory_mb(jobs)}})


class LocalPool:
    """The local executor: `jobs` worker processes on this machine.

    Every executor (this one; cluster.ClusterPool for a Dask cluster) offers the same calls:
    run() a submission and get a future, completed() futures as they finish, outcome() of
    one (RunResult, seconds) with the executed notebooks in course.executed(), feedback()
    written on this machine, `lost`: the exceptions of an outcome meaning that its worker was
    lost (to be tried once more, alone()), prepare() the course for its workers.
    """

    lost = (BrokenProcessPool,)

    def __init__(self, jobs):
        self.jobs = jobs
        self.pool = None

    def __enter__(self):
        # Workers are forked from a fresh single-threaded server process that has imported
        # the grader once (about 1.2 s of CPU), rather than each importing it again as a
        # spawned process would (warm_start.py: `python -m autograder grade` starts it
        # first). Like a spawned one, each gets this process's sys.path and working folder
        # (multiprocessing sends them) and its environment (sent here).
        self.pool = ProcessPoolExecutor(
            self.jobs,
            mp_context=fork_server_context(),
            initializer=_local_worker_setup,
            initargs=(dict(os.environ), os.getpid()),
        )
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None or issubclass(exc_type, Exception):
            self.pool.shutdown()
            return
        # Interrupted (Ctrl-C, SIGTERM): stop the workers and their kernels now rather than
        # wait for the submissions in flight; what was saved stays saved.
        workers = list(getattr(self.pool, "_processes", None) or {})
        self.pool.shutdown(wait=False, cancel_futures=True)
        lifeline.stop_trees(workers)

    def prepare(self, course):
        return with_memory_limit(course, self.jobs)

    def run(self, course, student, lesson):
        return self.pool.submit(_run_task, course, student, lesson)

    def completed(self, futures):
        return as_completed(futures)

    def outcome(self, course, future):
        return future.result()

    def feedback(self, course, student, lesson):
        return self.pool.submit(_feedback_task, course, student, lesson)

    def alone(self):
        """A pool of one fresh worker, for a submission whose worker was lost."""
        return LocalPool(1)


def executor(course, jobs):
    """The executor the configuration asks for: a Dask cluster (Grader.scheduler) or else
    `jobs` local worker processes. Dask is imported only when a scheduler is given."""
    address = Grader(config=course.config).scheduler
    if not address:
        return LocalPool(jobs)
    from autograder.grader.cluster import ClusterPool

    return ClusterPool(address, feedback_jobs=jobs)


KEPT_NOTE = "not saved: the gradebook stayed locked; the result is kept for `grade --record-only`"


@dataclass
class Saving:
    """How saving goes in this run: once the gradebook has stayed locked through every try,
    later results are kept without waiting for it again."""

    access: GradebookAccess
    busy: str | None = None  # the sentence, once the gradebook stayed locked


def _save(course, entry, saving, pool=None, feedbacks=None):
    """Record one executed submission here, and hand its feedback to the workers (or, with
    no pool, write it here)."""
    if saving.busy:
        entry.notes.append(KEPT_NOTE)
        return
    start = time.perf_counter()
    try:
        error = patiently(
            lambda: record(course, entry.student, entry.lesson), course.db_url, saving.access
        )
    except GradebookBusy as err:
        saving.busy = str(err)
        entry.notes.append(KEPT_NOTE)
        return
    if error:
        entry.notes.append(f"nbgrader could not save the grades: {error.splitlines()[-1]}")
        return
    entry.recorded = True
    entry.timings.add("save", time.perf_counter() - start)
    pending.saved(course, entry.student, entry.lesson)
    if pool is None:
        _noted_feedback(entry, _feedback_task, course)
        return
    try:
        feedbacks[pool.feedback(course, entry.student, entry.lesson)] = entry
    except BrokenProcessPool:
        entry.notes.append("no feedback written: the grading worker died")


def _noted_feedback(entry, task, course):
    try:
        error, seconds = task(course, entry.student, entry.lesson)
        entry.timings.add("feedback", seconds)
    except Exception as err:
        error = str(err) if isinstance(err, GradebookBusy) else repr(err)
    if error:
        entry.notes.append(f"no feedback written: {error.splitlines()[-1]}")


def _grade_with(pool, course, pairs, outcomes, counter, saving):
    """Execute `pairs` with the executor `pool`, record each result here as it arrives, and
    have the feedback written.

    Fills `outcomes`; returns the pairs whose worker was lost.
    """
    lost = []
    runs = {pool.run(course, s, a): (s, a) for s, a in pairs}
    feedbacks = {}
    for future in pool.completed(runs):
        entry = outcomes[runs[future]] = Graded(*runs[future])
        try:
            result, entry.seconds = pool.outcome(course, future)
        except pool.lost:
            lost.append(runs[future])
            continue
        except Exception as err:  # the grader's own trouble: say so, grade the rest
            entry.notes.append(not_graded(err, entry.student, entry.lesson))
        else:
            entry.notes = list(result.notes)
            entry.timings.merge(result.timings)
            _save(course, entry, saving, pool, feedbacks)
        counter.tick(entry)
    for future in as_completed(feedbacks):
        try:
            error, seconds = future.result()
            feedbacks[future].timings.add("feedback", seconds)
        except Exception as err:
            error = str(err) if isinstance(err, GradebookBusy) else repr(err)
        if error:
            feedbacks[future].notes.append(f"no feedback written: {error.splitlines()[-1]}")
    return lost


def grade(course, progress=None, lessons=None, students=None):
    """Grade the course's submissions; return a GradeReport. Writes gradebook, feedback,
    grades.csv.

    course: a Course (its configuration holds every setting: Grader.jobs,
    GradingExecute.timeout, max_memory_mb, ...). progress: called with one line per
    submission as it is graded. lessons, students: grade only these (default: every one).
    """
    started = time.perf_counter()
    pairs = select(course, lessons, students)
    known = known_lessons(course)
    outcomes = {
        pair: Graded(
            *pair, notes=[f"not graded: the gradebook has no lesson {pair[1]!r} (release it first)"]
        )
        for pair in pairs
        if pair[1] not in known
    }
    if sandbox.enabled(course.config):
        trouble = sandbox.problem(course, sorted({a for _, a in pairs if a in known}))
        if trouble:
            raise CourseError(sandbox.refusal(trouble))
    jobs = Grader(config=course.config).workers()
    todo = [p for p in pairs if p not in outcomes]
    counter = Counter(total=len(todo), progress=progress)
    with executor(course, jobs) as pool:
        course = pool.prepare(course)
        isolation = sandbox.isolation(course, GradingExecute(config=course.config).max_memory_mb)
        # The kernels' old working folders go; executed results not yet saved stay (pending.py).
        shutil.rmtree(course.scratch / "run", ignore_errors=True)
        saving = Saving(GradebookAccess(config=course.config))
        lost = _grade_with(pool, course, todo, outcomes, counter, saving)
        # A worker process died (not a kernel: the worker itself, killed for memory or by a
        # kernel that killed its parent). Every submission it had pending comes back here;
        # each gets one more try in a worker of its own, so only the culprit stays ungraded.
        for pair in list(lost):
            counter.total += 1
            with pool.alone() as single:
                if not _grade_with(single, course, [pair], outcomes, counter, saving):
                    lost.remove(pair)
    for pair in lost:
        outcomes[pair].notes.append("not graded: the grading worker died twice on it")
    report = _finish(course, pairs, todo, outcomes, saving, isolation)
    write_timings(course, report.graded, time.perf_counter() - started, jobs)
    return report


def record_kept(course, progress=None, lessons=None, students=None):
    """Save the results a run computed but could not save (pending.py), running nothing
    again; return a GradeReport. Writes gradebook, feedback, grades.csv.

    lessons, students: save only these (default: every kept one).
    """
    known_lessons(course)  # a gradebook that is there and can be read, or CourseError
    pairs = pending.kept(course, lessons, students)
    counter = Counter(total=len(pairs), progress=progress)
    saving = Saving(GradebookAccess(config=course.config))
    outcomes = {}
    for student, lesson in pairs:
        start = time.perf_counter()
        entry = outcomes[student, lesson] = Graded(student, lesson)
        entry.notes = pending.kept_notes(course, student, lesson)
        _save(course, entry, saving)
        entry.seconds = time.perf_counter() - start
        counter.tick(entry)
    return _finish(course, pairs, pairs, outcomes, saving)


def _finish(course, pairs, todo, outcomes, saving, isolation=""):
    """Scores from the gradebook, grades.csv, and what the run as a whole must say."""
    problems = []
    if saving.busy:
        problems.append(
            f"{saving.busy}: the results it could not save are kept in "
            f"{course.root / course.EXECUTED}; to save them without running "
            "anything again: python -m autograder grade --record-only"
        )
    try:
        found = patiently(lambda: scores(course, todo), course.db_url, saving.access)
    except GradebookBusy as err:
        problems.append(f"no scores read: {err}")
        found = {}
    for pair, score in found.items():
        # A score from an earlier run must not pass for this one.
        if score is not None and outcomes[pair].recorded:
            outcomes[pair].score, outcomes[pair].max_score = score
    try:
        patiently(lambda: export(course), course.db_url, saving.access)
    except GradebookBusy as err:
        problems.append(
            f"grades.csv not written: {err}; python -m autograder grade --record-only writes "
            "it once the gradebook is free"
        )
    graded = [outcomes[p] for p in pairs]
    return GradeReport(graded, [g for g in graded if g.score is None], problems, isolation)
