"""Does the README's main job, `python -m autograder demo`, run from start to finish?

The full demo grades all six lessons (about 2½ minutes); here it runs on lesson 04 alone, which
goes through every step: a fresh course, release, the sample class, grading, the report.
"""

import csv

import pytest

from autograder.grader.cli import main
from autograder.grader.course import Course

pytestmark = pytest.mark.slow


def test_demo_grades_its_class_and_says_where_everything_is(tmp_path, capsys):
    """Does the demo exit 0, print the table, and leave a gradebook, grades.csv and feedback?"""
    course = tmp_path / "course"
    assert main(["demo", "04_output_layer", "--course", str(course)]) == 0
    out = capsys.readouterr().out
    assert "careless/04_output_layer: 04_output_layer.ipynb is not valid JSON" in out
    course = Course.open(course)
    with open(course.grades_csv) as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert rows["ada"] == 15 and rows["untouched"] == 0 and rows["careless"] == 0
    assert str(course.feedback) in out
    assert course.feedback_file("ada", "04_output_layer").is_file()


def test_demo_refuses_a_directory_with_files_in_it(tmp_path, capsys):
    """Is a non-empty --course refused, so that nothing of the instructor's is overwritten?"""
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["demo", "--course", str(tmp_path)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"
