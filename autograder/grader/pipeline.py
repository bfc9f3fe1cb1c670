"""Run one submission: its notebooks through one declared list of steps, into the scratch space.

    read -> note edited tests -> sanitise (nbgrader's ClearOutput; the release's metadata
    and missing cells put back; nbgrader's DeduplicateIds, OverwriteKernelspec,
    OverwriteCells, CheckCellMetadata) -> fail an unreadable file's tests -> execute
    (GradingExecute, with its output cap, in the jail unless --no-sandbox; then the grader
    calls every stub itself, see verify/) -> nbgrader's LimitOutput -> points only for verified
    stubs -> the grader's notes on top -> without the sandbox, a notice saying so

This is the part of grading that takes time, and it touches the gradebook only to read the
source cells, so submissions run side by side in worker processes. The result is each
executed notebook in `course.executed(student, lesson)`, which record.py then hands to
nbgrader's autograde (with its execution switched off) in a single process: one writer to the
gradebook. Every submission comes out with a notebook to record, whatever it was (see
submission.py, steps.py and execute.py for what happens to the bad kinds).
"""

import re
import shutil
import time
from dataclasses import dataclass, field

import nbformat
from nbformat.v4 import new_notebook
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    LimitOutput,
    OverwriteKernelspec,
)
from traitlets import List
from traitlets.config import Configurable

from autograder.grader.execute import GradingExecute, KernelStartError
from autograder.grader.gradebook_access import (
    GradebookAccess,
    GradebookBusy,
    busy_message,
    is_locked,
)
from autograder.grader.jail import JailError
from autograder.grader.released_cells import RestoreReleasedCells
from autograder.grader.sandbox import (
    LESSON_FOLDER,
    NotIsolatedNotice,
    enabled,
    stage_lesson_files,
    submission_settings,
)
from autograder.grader.steps import (
    AddNotesCell,
    ApplyVerdicts,
    FailUnreadable,
    GradingContext,
    NoteEditedTests,
    ReadSubmission,
    RestoreCells,
)
from autograder.grader.timings import Phases


class SubmissionPipeline(Configurable):
    """The steps every notebook of a submission goes through, in order."""

    steps = List(
        [
            ReadSubmission,
            NoteEditedTests,
            ClearOutput,
            RestoreReleasedCells,
            DeduplicateIds,
            OverwriteKernelspec,
            RestoreCells,
            CheckCellMetadata,
            FailUnreadable,
            GradingExecute,
            LimitOutput,
            ApplyVerdicts,
            AddNotesCell,
            NotIsolatedNotice,
        ],
        help="Preprocessor classes, each made with the course's configuration.",
    ).tag(config=True)

    def run(self, nb, resources):
        for step in self.steps:
            nb, resources = step(config=self.config).preprocess(nb, resources)
        return nb, resources


@dataclass
class RunResult:
    """What running one submission produced: the notes are sentences for people."""

    student: str
    lesson: str
    notes: list = field(default_factory=list)
    timings: Phases = field(default_factory=Phases)  # seconds per phase (timings.py)


def fresh(folder):
    """An empty folder at `folder` (whatever an earlier run left there is removed)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


# The files nbgrader's exchange writes beside a collected notebook, which its own autograde and
# feedback carry along: the submission's time (the gradebook's timestamp, lateness) and the
# secret fetch_feedback matches a student's feedback by. Both are written on the student's
# side, so they are copied only when they look like what nbgrader writes.
SUBMISSION_RECORDS = {
    "timestamp.txt": re.compile(r"[0-9][0-9 :.+TZUC-]{9,40}"),
    "submission_secret.txt": re.compile(r"[0-9a-f]{16,256}"),
}


def copy_record(source, target, form):
    """Copy one of nbgrader's small record files if it holds what nbgrader would write."""
    if not source.is_file() or source.is_symlink() or source.stat().st_size > 1024:
        return
    text = source.read_text(errors="replace").strip()
    if form.fullmatch(text):
        target.write_text(text)


def prepare_workdir(course, student, lesson):
    """The submission's folder (its kernel.log) with the lesson's own files (from the source
    folder, as nbgrader's autograde does: never from the submission).

    Without the sandbox the files are in it, the kernel's working folder. With it they are in
    its LESSON_FOLDER with the released checks, whose entries the jail shows, read-only, in the
    kernel's /home/student (and nothing else of the host's folder).
    """
    workdir = fresh(course.workdir(student, lesson))
    files = workdir / LESSON_FOLDER if enabled(course.config) else workdir
    for relative, path in course.lesson_files(lesson):
        (files / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, files / relative)
    if files != workdir:
        files.mkdir(exist_ok=True)
        stage_lesson_files(files)
    return workdir


def run_submission(course, student, lesson):
    """Execute every notebook of one submission into course.executed(); return a RunResult."""
    start = time.perf_counter()
    target = fresh(course.executed(student, lesson))
    workdir = prepare_workdir(course, student, lesson)
    submitted = course.submitted / student / lesson
    for name, form in SUBMISSION_RECORDS.items():
        copy_record(submitted / name, target / name, form)
    pipeline = pipeline_for(course, workdir)
    result = RunResult(student, lesson)
    names = course.notebooks(lesson)
    for name in names:
        nb, notes = grade_notebook(
            course, pipeline, workdir, student, lesson, name, phases=result.timings
        )
        nbformat.write(nb, target / f"{name}.ipynb")
        prefix = f"{name}.ipynb: " if len(names) > 1 else ""
        result.notes.extend(prefix + note for note in notes)
    in_kernel = sum(result.timings.values())
    result.timings.add("prepare", time.perf_counter() - start - in_kernel)
    return result


def pipeline_for(course, workdir):
    """The SubmissionPipeline for one submission whose folder is `workdir` (its jail shows
    workdir's lesson folder)."""
    settings = submission_settings(course.config, workdir / LESSON_FOLDER)
    return SubmissionPipeline(config=course.with_config(settings).config)


def grade_notebook(course, pipeline, workdir, student, lesson, name, phases=None):
    """One notebook of a submission through the pipeline: (the executed notebook, notes).

    phases: a timings.Phases that the kernel's phases (start, cells, verification) are added to.

    Whatever the handed-in file holds, a notebook comes out: the submission's, executed, or
    the stand-in whose tests fail with the reason. The grader's own trouble (no kernel, the
    jail, a locked gradebook) is raised instead: not graded, never 0.
    """
    ctx = GradingContext(
        submitted=course.notebook("submitted", lesson, name, student),
        source=course.notebook("source", lesson, name),
    )
    resources = {
        "unique_key": name,
        "metadata": {"path": str(workdir)},
        "nbgrader": {
            "student": student,
            "assignment": lesson,
            "notebook": name,
            "db_url": course.db_url,
        },
        "grading": ctx,
    }
    try:
        nb, _ = pipeline.run(new_notebook(), resources)
    except (KernelStartError, JailError):
        raise  # the grader's trouble: not graded, never 0
    except Exception as err:
        if is_locked(err):  # nbgrader's steps read the gradebook: not the student's doing
            waited = GradebookAccess(config=course.config).busy_timeout
            raise GradebookBusy(busy_message(course.db_url, waited)) from err
        # Whatever else fails on a submission (metadata nbgrader's steps choke on, ...)
        # came in with it: grade the stand-in, with the reason, rather than drop it.
        why = " ".join(f"{type(err).__name__}: {err}".split())[:300]
        ctx.notes.clear()
        ctx.refused = f"the grader could not prepare {ctx.submitted.name} to run ({why})"
        nb, _ = pipeline.run(new_notebook(), resources)
    if phases is not None:
        phases.merge(ctx.phases)
    return nb, ctx.notes
