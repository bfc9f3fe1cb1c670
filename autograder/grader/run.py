"""Run one submission: read it, sanitize it as nbgrader does, execute it, note what went wrong.

This is the part of grading that takes time, and it touches the gradebook only to read the
source cells, so submissions run side by side in worker processes. The result is the
executed notebook under .grading/executed/<student>/<lesson>/, which `record` then hands to
nbgrader's autograde (with execution switched off) in a single process: one writer to the
gradebook. Every submission comes out with a notebook to record, whatever it was:

- a notebook that cannot be read (not JSON, not a notebook) or is missing gets a stand-in:
  the lesson's test cells, each failing with a sentence that says why;
- edited test cells are put back by nbgrader's OverwriteCells; deleted ones are added back
  (nbgrader's add_missing_cells) and run;
- a cell that kills or hangs the kernel, or floods its output: see execute.GradingExecute.

What happened is listed in a "Grader's notes" cell at the top of the notebook (so it reaches
the student's feedback) and returned to the caller for the summary.
"""

import json
import shutil
from dataclasses import dataclass, field

import nbformat
from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    ClearSolutions,
    DeduplicateIds,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
)

from autograder.grader.course import Course
from autograder.grader.execute import GradingExecute, error_output
from autograder.grader.inert import markdown_text

EXECUTED = ".grading/executed"  # under the course root; nbgrader's autograde reads it
RUNS = ".grading/run"  # the kernels' working directories


@dataclass
class RunResult:
    """What running one submission produced: the notes are sentences for people."""

    student: str
    lesson: str
    notes: list = field(default_factory=list)


class Unreadable(Exception):
    """The submitted file is not a notebook the grader can run; the message says why."""


def read_submission(path):
    """The notebook at `path`, or Unreadable with a sentence naming the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Unreadable(f"{path.name} is not a text file, so not a notebook") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise Unreadable(
            f"{path.name} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); "
            "it may have been cut short or edited outside Jupyter"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise Unreadable(f"{path.name} is JSON but not a notebook (it has no list of cells)")
    if "nbformat" not in data:
        # nbformat would take it for format 1 and lose (or choke on) its cells
        raise Unreadable(f"{path.name} is not a well-formed notebook: it has no nbformat version")
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several kinds; all mean the same here
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        if len(first) > 200:  # schema errors quote the whole offending cell
            first = first[:200] + " ..."
        raise Unreadable(f"{path.name} is not a well-formed notebook: {first}") from None
    return nb


class RecordingOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells that also keeps a list of what it had to put back."""

    def preprocess(self, nb, resources):
        self.changes = []
        return super().preprocess(nb, resources)

    def report_change(self, name, attr, old, new):
        super().report_change(name, attr, old, new)
        self.changes.append((name, attr, old, new))


def describe_change(name, attr, old, new):
    if attr == "points":
        return f"the points of {name} were changed to {new:g}: the original {old:g} count"
    if attr == "cell_type":
        return f"cell {name} was turned into a {new} cell: the grader put back the {old} cell"
    return f"cell {name} was changed ({attr}): the grader put back the original"


def grade_ids(nb, test_only=False):
    ids = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") and (meta.get("grade") or not test_only):
            ids.append(meta["grade_id"])
    return ids


def sanitize(nb, resources, config, notes):
    """nbgrader's sanitize step (clear outputs, fix ids, restore locked and test cells)."""
    overwrite = RecordingOverwriteCells(config=config, add_missing_cells=True)
    for pp in (
        ClearOutput(config=config),
        DeduplicateIds(config=config),
        OverwriteKernelspec(config=config),
        overwrite,
        CheckCellMetadata(config=config),
    ):
        nb, resources = pp.preprocess(nb, resources)
    # A checksum change is not news: the gradebook's checksum covers the hidden tests, which
    # the student never had. Edits are found by comparing with the student version instead.
    notes.extend(describe_change(*c) for c in overwrite.changes if c[1] != "checksum")
    # Cells nbgrader added back carry no id; nbformat 4.5 wants one.
    for index, cell in enumerate(nb.cells):
        if not cell.get("id"):
            cell["id"] = f"restored-{index}"
    return nb, resources


def handed_out_tests(course, lesson, name):
    """{grade_id: source} of the test cells as the student got them (hidden tests removed)."""
    nb = nbformat.read(course.folder("source") / lesson / f"{name}.ipynb", as_version=4)
    clear = ClearHiddenTests(config=course.config)
    tests = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            clear._remove_hidden_test_region(cell)
            tests[meta["grade_id"]] = cell.source.strip()
    return tests


def edited_tests(course, lesson, name, nb):
    """grade_ids of test cells whose source differs from what was handed out."""
    handed_out = handed_out_tests(course, lesson, name)
    edited = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in handed_out and cell.get("source", "").strip() != handed_out[grade_id]:
            edited.append(grade_id)
    return edited


def cell_name(nb, index):
    grade_id = nb.cells[index].get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index + 1} ({grade_id})" if grade_id else f"cell {index + 1}"


def stand_in(course, lesson, name, reason):
    """The lesson's notebook with solutions cleared, every test cell failing with `reason`."""
    nb = nbformat.read(course.folder("source") / lesson / f"{name}.ipynb", as_version=4)
    nb, _ = ClearSolutions(config=course.config).preprocess(nb, {})
    return nb, reason


def fail_tests(nb, reason):
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [error_output("NotGraded", reason)]


def notes_cell(notes):
    # Notes quote student-controlled text (file names, exception messages): never markup.
    lines = "\n".join(f"- {markdown_text(note)}" for note in notes)
    return new_markdown_cell(f"**Grader's notes** (read these first)\n\n{lines}")


def run_submission(root, student, lesson, **limits):
    """Execute every notebook of one submission into .grading/executed/; return a RunResult.

    limits: GradingExecute settings (timeout, max_output_chars, max_memory_mb); None or
    absent keeps the course configuration's value.
    """
    course = Course.open(root)
    source = course.folder("submitted") / student / lesson
    target = course.root / EXECUTED / student / lesson
    workdir = course.root / RUNS / student / lesson
    for folder in (target, workdir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    if (source / "timestamp.txt").is_file():
        shutil.copy2(source / "timestamp.txt", target / "timestamp.txt")
    # As nbgrader's autograde does: the kernel runs beside the lesson's own files (data, helper
    # modules), taken from the source folder, never from the submission.
    lesson_files = course.folder("source") / lesson
    for path in lesson_files.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            destination = workdir / path.relative_to(lesson_files)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
    result = RunResult(student, lesson)
    names = course.notebooks(lesson)
    for name in names:
        notes = []
        path = source / f"{name}.ipynb"
        failed = None
        try:
            if not path.is_file():
                found = sorted(p.name for p in source.iterdir()) or ["nothing"]
                raise Unreadable(f"no {name}.ipynb was submitted (found: {', '.join(found)})")
            nb = read_submission(path)
            known = set(grade_ids(nb, test_only=True))
            notes.extend(
                f"test cell {grade_id} was edited: the grader ran the original test"
                for grade_id in edited_tests(course, lesson, name, nb)
            )
        except Unreadable as err:
            nb, failed = stand_in(course, lesson, name, f"not graded: {err}")
            notes.append(f"{err}: every test scores 0")
            known = None
        resources = {
            "unique_key": name,
            "metadata": {"path": str(workdir)},
            "nbgrader": {
                "student": student,
                "assignment": lesson,
                "notebook": name,
                "db_url": course.db_url,
            },
        }
        nb, resources = sanitize(nb, resources, course.config, notes)
        if known is not None:
            for grade_id in grade_ids(nb, test_only=True):
                if grade_id not in known:
                    notes.append(
                        f"test cell {grade_id} was missing: the grader put it back and ran it"
                    )
        if failed:
            fail_tests(nb, failed)
        else:
            execute = GradingExecute(config=course.config)
            for setting, value in limits.items():
                if value is not None:
                    setattr(execute, setting, value)
            nb, resources = execute.preprocess(nb, resources)
            nb, resources = LimitOutput(config=course.config).preprocess(nb, resources)
            notes.extend(f"{cell_name(nb, i)}: {sentence}" for i, sentence in execute.events)
        if notes:
            nb.cells.insert(0, notes_cell(notes))
        nbformat.write(nb, target / f"{name}.ipynb")
        prefix = f"{name}.ipynb: " if len(names) > 1 else ""
        result.notes.extend(prefix + note for note in notes)
    return result
