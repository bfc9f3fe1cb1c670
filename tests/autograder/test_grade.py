"""Does `python -m autograder grade` grade every submission and export nbgrader's grades.csv?"""

import csv
import shutil

import nbformat
import pytest

from autograder.cli import main
from autograder.release import release
from tests.lessons.notebook_rules import ROOT

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"


def test_grade_scores_correct_and_untouched(tmp_path, capsys):
    """The source notebook earns every point, the untouched release earns none."""
    course = tmp_path / "course"
    shutil.copytree(ROOT / "lessons" / LESSON, course / "lessons" / LESSON)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (folder,) = release(course, [LESSON])
    source = ROOT / "lessons" / LESSON / f"{LESSON}.ipynb"
    total = sum(
        c.metadata["nbgrader"]["points"]
        for c in nbformat.read(source, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("grade")
    )
    for student, nb in [("correct", source), ("untouched", folder / f"{LESSON}.ipynb")]:
        target = course / "submitted" / student / LESSON
        target.mkdir(parents=True)
        shutil.copy(nb, target / f"{LESSON}.ipynb")
    # A fake answer key beside a submission must not reach the grading kernel.
    fake = course / "submitted" / "untouched" / LESSON / "reference"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('fake answer key imported')\n")
    assert main(["grade", "--course", str(course)]) == 0
    with open(course / "grades.csv") as f:
        rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f)}
    assert rows == {"correct": total, "untouched": 0.0}
    table = capsys.readouterr().out
    assert "correct" in table and f"{total:g}/{total:g}" in table
    assert not (course / "autograded" / "untouched" / LESSON / "reference").exists()
    assert (course / "feedback" / "correct" / LESSON / f"{LESSON}.html").is_file()
