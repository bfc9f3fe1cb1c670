"""Does a submission that kills its grading worker (not just its kernel) cost only its own grade?

A kernel is a child of the worker process that runs it, so student code can kill the worker:
`os.kill(os.getppid(), SIGKILL)`. Every submission that worker had pending is lost with it;
grade retries each in a worker of its own, so the others are graded and only the culprit is
reported ungraded (exit status 1: not every submission got a grade).
"""

import csv
import shutil

import pytest

from autograder.cli import main
from autograder.release import release
from autograder.sample_class import completed, submit, with_body
from tests.lessons.notebook_rules import ROOT

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"
KILL_WORKER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)  # the grading worker"


def test_a_worker_killing_submission_leaves_the_others_graded(tmp_path, capsys):
    """Are the other students graded in full, and the culprit named as not graded?"""
    course = tmp_path / "course"
    shutil.copytree(ROOT / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    release(course, [LESSON])
    for student in ("ada", "bob", "cy"):
        submit(course, student, LESSON, completed(course, LESSON))
    submit(course, "mallory", LESSON, with_body(course, LESSON, "linear_forward", KILL_WORKER))
    status = main(["grade", "--course", str(course), "--jobs", "2", "--quiet"])
    out = capsys.readouterr().out
    assert status == 1, out
    assert "mallory/04_output_layer: not graded: the grading worker died twice on it" in out
    with open(course / "grades.csv") as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert {s: rows[s] for s in ("ada", "bob", "cy")} == {"ada": 12, "bob": 12, "cy": 12}
    assert "3 of 4 submissions graded" in out
