"""A submission as plain data: what a worker on another machine needs, and what it sends back.

A worker elsewhere cannot read the grader's course folder, nor write into it; it gets bytes:

    grader                                   worker (any machine with the course's environment)
    lesson_bundle(course, lesson)  -- once per lesson per worker -->  LessonBundle
    pack(course, student, lesson)  -- per submission ------------->  Parcel
                                                                      run_parcel(config, bundle,
                                                                        parcel): a private course
                                                                        folder, run_submission,
    unpack(course, shipped)  <------------ Shipped ----------------    the folder removed
    (executed notebooks into course.executed(), kernel.log into course.workdir())

A LessonBundle is the lesson's source folder (its notebooks and files) and a gradebook of its
own: a small SQLite file holding only that lesson's cells as the course's gradebook has them
(nbgrader's OverwriteCells and OverwriteKernelspec read the released cells from a gradebook,
and the worker can reach neither the grader's SQLite file nor, necessarily, its PostgreSQL).
A Parcel is what run_submission reads of the submission: each lesson notebook and nbgrader's
record files (timestamp.txt, submission_secret.txt)
whole, and the names (never the contents) of anything else handed in, which the notes list.

The worker's folder has the course's layout under another root, so everything run_submission
says in terms of that root (a kernel.log's path in a note) is said again in terms of the
grader's root before it is shown: a run on the cluster reads exactly like a local one.
"""

import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.grader.course import Course
from autograder.grader.pipeline import SUBMISSION_RECORDS, RunResult, fresh
from autograder.grader.timings import Phases

KERNEL_LOG = "kernel.log"
GRADEBOOK = "gradebook.db"  # in the worker's private course folder


@dataclass(frozen=True)
class LessonBundle:
    """One lesson as the workers need it.

    files: {path relative to the course root (str): bytes}, the lesson's source folder.
    gradebook: bytes of a SQLite gradebook holding only this lesson's cells.
    """

    lesson: str
    files: dict
    gradebook: bytes


@dataclass(frozen=True)
class Parcel:
    """One submission as the worker needs it.

    files: {path relative to the course root (str): bytes}: the lesson's notebooks and
    timestamp.txt as handed in. others: {path relative to the root: ""}: every other file
    handed in, by name only.
    """

    student: str
    lesson: str
    files: dict
    others: tuple = ()


@dataclass
class Shipped:
    """What a worker sends back for one submission.

    executed: {name: bytes} of course.executed(student, lesson) (notebooks, timestamp.txt).
    kernel_log: bytes of the kernel's stderr, or None. root: the worker's course root, which
    the notes' paths are written in. seconds: time spent running it on the worker.
    """

    student: str
    lesson: str
    root: str
    notes: list = field(default_factory=list)
    executed: dict = field(default_factory=dict)
    kernel_log: bytes | None = None
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)  # RunResult.timings (timings.py)
    error: Exception | None = None  # what run_submission raised (KernelStartError, ...)


# ---------------------------------------------------------------------- in the grader


def relative(course, path):
    return str(Path(path).relative_to(course.root))


def lesson_gradebook(course, lesson, path):
    """Write at `path` a SQLite gradebook with the lesson's assignment, notebooks and cells
    copied from the course's gradebook (in its order, which OverwriteCells follows)."""
    with Gradebook(course.db_url, course.course_id) as origin:
        assignment = origin.find_assignment(lesson)
        with Gradebook(f"sqlite:///{path}", course.course_id) as copy_:
            copy_.update_or_create_assignment(lesson, duedate=assignment.duedate)
            for nb in assignment.notebooks:
                copy_.update_or_create_notebook(nb.name, lesson, kernelspec=nb.kernelspec)
                for cell in nb.grade_cells:
                    copy_.update_or_create_grade_cell(
                        cell.name,
                        nb.name,
                        lesson,
                        max_score=cell.max_score,
                        cell_type=cell.cell_type,
                    )
                for cell in nb.solution_cells:
                    copy_.update_or_create_solution_cell(cell.name, nb.name, lesson)
                for cell in nb.task_cells:
                    copy_.update_or_create_task_cell(
                        cell.name,
                        nb.name,
                        lesson,
                        max_score=cell.max_score,
                        cell_type=cell.cell_type,
                    )
                for cell in nb.source_cells:
                    copy_.update_or_create_source_cell(
                        cell.name,
                        nb.name,
                        lesson,
                        cell_type=cell.cell_type,
                        locked=cell.locked,
                        source=cell.source,
                        checksum=cell.checksum,
                    )


def lesson_bundle(course, lesson):
    """The LessonBundle of a released lesson (nbgrader's MissingEntry if the gradebook lacks
    it: grade never asks for one, it leaves unreleased lessons out first)."""
    folder = course.source / lesson
    files = {
        relative(course, path): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".ipynb_checkpoints" not in path.parts
    }
    with tempfile.TemporaryDirectory(prefix="autograder-bundle-") as tmp:
        path = Path(tmp) / GRADEBOOK
        lesson_gradebook(course, lesson, path)
        return LessonBundle(lesson, files, path.read_bytes())


def pack(course, student, lesson):
    """The Parcel of one submission."""
    folder = course.submitted / student / lesson
    wanted = {f"{name}.ipynb" for name in course.notebooks(lesson)} | set(SUBMISSION_RECORDS)
    files, others = {}, []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name in wanted and path.is_file():
                files[relative(course, path)] = path.read_bytes()
            else:
                others.append(relative(course, path))
    return Parcel(student, lesson, files, tuple(others))


def in_grader_terms(text, worker_root, course):
    """`text` with the worker's course root replaced by the grader's."""
    return text.replace(worker_root, str(course.root)) if worker_root else text


def unpack(course, shipped):
    """Put what a worker sent back where a local run leaves it; return the RunResult, or
    raise what run_submission raised on the worker (its message in the grader's terms)."""
    if shipped.kernel_log is not None:
        workdir = fresh(course.workdir(shipped.student, shipped.lesson))
        (workdir / KERNEL_LOG).write_bytes(shipped.kernel_log)
    if shipped.error is not None:
        err = shipped.error
        try:
            err = type(err)(in_grader_terms(str(err), shipped.root, course))
        except TypeError:
            pass  # an exception class that wants more than a message: raised as it came
        raise err
    target = fresh(course.executed(shipped.student, shipped.lesson))
    for name, data in shipped.executed.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    notes = [in_grader_terms(note, shipped.root, course) for note in shipped.notes]
    return RunResult(shipped.student, shipped.lesson, notes, Phases(shipped.timings))


# ---------------------------------------------------------------------- in the worker


def materialise(config, bundle, parcel, root):
    """A private course at `root` holding the bundle and the parcel; return the Course.

    config: the grader's configuration; its folder names are kept, its root and gradebook
    are this folder's own.
    """
    written = [*bundle.files.items(), *parcel.files.items(), *((n, b"") for n in parcel.others)]
    for name, data in written:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / GRADEBOOK).write_bytes(bundle.gradebook)
    own = copy.deepcopy(config)
    own.CourseDirectory.root = str(root)
    own.CourseDirectory.db_url = f"sqlite:///{root / GRADEBOOK}"
    course = Course(root, own)
    # A submission folder with nothing in it is still one (the note says "found: nothing").
    (course.submitted / parcel.student / parcel.lesson).mkdir(parents=True, exist_ok=True)
    return course


def run_parcel(config, bundle, parcel, run):
    """Run one shipped submission in a private course folder, then remove it; return a Shipped.

    run: run(course, student, lesson) -> (RunResult, seconds), the local pool's own task
    (grade._run_task), so that a worker anywhere fails and succeeds as a local one does. Its
    exception comes back in Shipped.error (the kernel.log with it), for unpack to raise.
    """
    root = Path(tempfile.mkdtemp(prefix="autograder-worker-")).resolve()
    shipped = Shipped(parcel.student, parcel.lesson, str(root))
    try:
        course = materialise(config, bundle, parcel, root)
        try:
            result, shipped.seconds = run(course, parcel.student, parcel.lesson)
        except Exception as err:
            shipped.error = err
        else:
            shipped.notes = list(result.notes)
            shipped.timings = dict(result.timings)
            target = course.executed(parcel.student, parcel.lesson)
            shipped.executed = {
                str(path.relative_to(target)): path.read_bytes()
                for path in sorted(target.rglob("*"))
                if path.is_file()
            }
        log = course.workdir(parcel.student, parcel.lesson) / KERNEL_LOG
        shipped.kernel_log = log.read_bytes() if log.is_file() else None
        return shipped
    finally:
        shutil.rmtree(root, ignore_errors=True)
