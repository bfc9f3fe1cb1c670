"""Does `grade` bound each submission and survive a busy gradebook, end to end?

One released lesson (04), a few submissions each, real kernels and nbgrader. The gradebook is
locked from this test process with sqlite3's BEGIN EXCLUSIVE, as formgrader or another
nbgrader command would hold it. Expected scores come from the lesson's own metadata (the
points of its test cells): a correct lesson earns them all, the untouched release and a
refused file earn 0.
"""

import csv
import sqlite3
import threading
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from autograder.grader import pending
from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import completed, read, submit
from autograder.grader.steps import ReadSubmission

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"


def full_marks(course):
    """The autograded points (a written answer waits for a person, so grades.csv leaves it out)."""
    nb = read(course, "source", LESSON)
    return sum(
        c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    )


@pytest.fixture
def course(tmp_path):
    """LESSON released; ada hands in the solution, bob the untouched release."""
    course = Course.create(tmp_path / "course", [LESSON])
    release(course, [LESSON])
    submit(course, "ada", LESSON, completed(course, LESSON))
    submit(course, "bob", LESSON, read(course, "release", LESSON))
    return course


def configure(course, **settings):
    """Append `Class.trait = value` lines to the course's nbgrader_config.py."""
    with open(course.root / "nbgrader_config.py", "a") as f:
        for name, value in settings.items():
            cls, trait = name.split("__")
            f.write(f"\nc.{cls}.{trait} = {value!r}\n")


def grades(course):
    with open(course.grades_csv) as f:
        return {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f) if r["raw_score"]}


def hold_lock(course, wal=False):
    """A connection of this process holding the gradebook with BEGIN EXCLUSIVE.

    wal: put the gradebook in write-ahead-log mode first, where readers pass an exclusive
    lock and only writers wait (how a gradebook shared with formgrader is often set up).
    """
    holder = sqlite3.connect(course.gradebook_file, isolation_level=None, check_same_thread=False)
    if wal:
        assert holder.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def run_grade(course, capsys, *extra):
    status = main(["grade", "--course", str(course.root), "--jobs", "2", *extra])
    return status, capsys.readouterr().out


def test_a_lock_held_for_a_few_seconds_is_waited_out(course, capsys):
    """The gradebook locked for 4 s as grading starts: every submission is graded anyway."""
    holder = hold_lock(course)
    threading.Timer(4, holder.close).start()
    status, out = run_grade(course, capsys)
    assert status == 0, out
    assert grades(course) == {"ada": full_marks(course), "bob": 0}


def test_a_gradebook_locked_throughout_is_named_and_nothing_runs(course, capsys):
    """Locked for the whole run (1 s waits, 2 tries): exit 2 within 15 s, the sentence names
    the file, and no kernel was started."""
    configure(course, GradebookAccess__busy_timeout=1.0, GradebookAccess__attempts=2)
    holder = hold_lock(course)
    start = time.perf_counter()
    status = main(["grade", "--course", str(course.root), "--jobs", "1"])
    seconds = time.perf_counter() - start
    holder.close()
    err = capsys.readouterr().err
    assert status == 2
    assert seconds < 15
    assert f"the gradebook {course.gradebook_file} stayed locked by another program" in err
    assert "nothing was graded; run again once it is free" in err
    assert not (course.scratch / "run").exists()


def test_results_that_cannot_be_saved_are_kept_and_saved_by_record_only(course, capsys):
    """Writes locked (WAL: reads pass) for the whole run: both submissions execute, nothing is
    saved, both are kept with the command to save them; once the lock goes, `--record-only`
    saves them without running a kernel, with the scores a plain run gives."""
    configure(course, GradebookAccess__busy_timeout=1.0, GradebookAccess__attempts=2)
    holder = hold_lock(course, wal=True)
    status, out = run_grade(course, capsys)
    holder.close()
    assert status == 1, out
    assert "ada/04_output_layer: not saved: the gradebook stayed locked" in out
    assert "bob/04_output_layer: not saved" in out
    assert "--record-only" in out.split("submissions graded")[1]
    assert pending.kept(course) == [("ada", LESSON), ("bob", LESSON)]
    assert not course.notebook("autograded", LESSON, student="ada").exists()
    # bob's notes (his stubs are not implemented) wait with his notebook.
    kept_nb = nbformat.read(course.executed("ada", LESSON) / f"{LESSON}.ipynb", as_version=4)
    assert any(c.get("outputs") for c in kept_nb.cells if c.cell_type == "code")

    runs = course.scratch / "run"
    for path in sorted(runs.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    runs.rmdir()
    status, out = run_grade(course, capsys, "--record-only")
    assert status == 0, out
    assert "2 of 2 submissions saved" in out
    assert grades(course) == {"ada": full_marks(course), "bob": 0}
    assert not runs.exists()  # no kernel ran: no working folder was made
    assert pending.kept(course) == []
    assert course.feedback_file("ada", LESSON).is_file()


def test_a_file_past_the_limits_scores_0_before_any_kernel(course, capsys):
    """A notebook of 1,001 cells (limit 1,000) and one over the source limit (500,000
    characters): 0 with the sentence, and no kernel started for either (no kernel.log)."""
    limit = ReadSubmission().max_source_chars
    many = completed(course, LESSON)
    many.cells += [new_code_cell("pass") for _ in range(1001 - len(many.cells))]
    submit(course, "cells", LESSON, many)
    long = completed(course, LESSON)
    long.cells.append(new_code_cell("# " + "x" * limit))
    submit(course, "chars", LESSON, long)
    status, out = (
        main(
            [
                "grade",
                LESSON,
                "--course",
                str(course.root),
                "--jobs",
                "2",
                "--student",
                "cells",
                "--student",
                "chars",
            ]
        ),
        capsys.readouterr().out,
    )
    assert status == 0, out
    assert grades(course) == {"cells": 0, "chars": 0}
    assert "has 1,001 cells, more than the 1,000 the grader runs" in out
    assert f"holds more than {limit:,} characters of code and text" in out
    for student in ("cells", "chars"):
        assert not (course.workdir(student, LESSON) / "kernel.log").exists()


def test_the_notebook_timeout_is_a_grade_option(course, capsys):
    """--notebook-timeout 5 with a stub that sleeps 30 s: that test and the ones after it fail,
    the ones before keep their points, and the submission costs well under 30 s."""
    nb = completed(course, LESSON)
    cells = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
    ]
    cells[-1].source = "import time\ntime.sleep(30)\n" + cells[-1].source
    submit(course, "slow", LESSON, nb)
    start = time.perf_counter()
    status, out = run_grade(course, capsys, "--student", "slow", "--notebook-timeout", "5")
    assert time.perf_counter() - start < 30
    assert status == 0, out
    assert "the notebook ran past its time limit (5 s, all cells together)" in out
    assert 0 < grades(course)["slow"] < full_marks(course)
