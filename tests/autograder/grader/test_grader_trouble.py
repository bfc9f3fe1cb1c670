"""Does trouble on the grader's side cost only the submissions it touched, each named?

A submission that kills its grading worker (not just its kernel): a kernel is a child of the
worker process that runs it, so student code can kill the worker: `os.kill(os.getppid(),
SIGKILL)`. Every submission that worker had pending is lost with it; grade retries each in a
worker of its own, so the others are graded and only the culprit is reported ungraded (exit
status 1: not every submission got a grade). In the sandbox no kernel can signal its worker
(test_sandbox_grade.py); a worker can still die of other causes (the machine's own out-of-memory
killer), so the retry is tested with --no-sandbox, where the kill reaches it.

A kernel that will not start (a broken install, or a port taken by another program each time):
no student code has run, so the submission is reported as not graded, with the command that
grades it again, rather than given 0 points.
"""

import csv
import json
import sys

import pytest

from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import completed, submit, with_body

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"
KILL_WORKER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)  # the grading worker"


def released(tmp_path):
    """A Course with LESSON released."""
    course = Course.create(tmp_path / "course", [LESSON])
    release(course, [LESSON])
    return course


def test_a_worker_killing_submission_leaves_the_others_graded(tmp_path, capsys):
    """Are the other students graded in full, and the culprit named as not graded?"""
    course = released(tmp_path)
    for student in ("ada", "bob", "cy"):
        submit(course, student, LESSON, completed(course, LESSON))
    submit(course, "mallory", LESSON, with_body(course, LESSON, "linear_forward", KILL_WORKER))
    status = main(["grade", "--course", str(course.root), "--jobs", "2", "--quiet", "--no-sandbox"])
    out = capsys.readouterr().out
    assert status == 1, out
    assert "mallory/04_output_layer: not graded: the grading worker died twice on it" in out
    with open(course.grades_csv) as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert {s: rows[s] for s in ("ada", "bob", "cy")} == {"ada": 15, "bob": 15, "cy": 15}
    assert "3 of 4 submissions graded" in out


def test_a_kernel_that_will_not_start_leaves_the_submission_ungraded_not_zero(
    tmp_path, monkeypatch, capsys
):
    """Is a submission whose kernel never starts named, with how to regrade it, and not scored?"""
    course = released(tmp_path)
    submit(course, "ada", LESSON, completed(course, LESSON))
    # A python3 kernelspec found before the real one, whose kernel exits at once.
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", "raise SystemExit(1)", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "broken"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    status = main(["grade", "--course", str(course.root), "--jobs", "1"])
    out = capsys.readouterr().out
    assert status == 1, out
    assert "[  1/1] ada 04_output_layer" in out  # counted like any other submission
    note = out.split("ada/04_output_layer: ")[1].splitlines()[0]
    assert note.startswith("not graded: no kernel came up in 3 tries"), note
    assert note.endswith(f"to grade it again: python -m autograder grade {LESSON} --student ada")
    assert "ada          NOT GRADED*" in out
    log = course.workdir("ada", LESSON) / "kernel.log"
    assert f"see {log}" in note and log.exists()
    with open(course.grades_csv) as f:
        assert [r["student_id"] for r in csv.DictReader(f)] == []  # no score, not even 0
