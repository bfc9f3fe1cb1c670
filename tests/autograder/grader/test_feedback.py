"""Do the checks' hints reach the feedback nbgrader writes for the student after grading?"""

import inspect
import os
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grader.course import TEMPLATE, Course
from autograder.grader.mistakes import output_layer as mistakes
from autograder.grader.release import release
from tests.autograder.grader.test_release import LESSON, plant

pytestmark = pytest.mark.slow


def nbgrader(course, *args):
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hint_reaches_the_feedback_html(tmp_path):
    """A submission that forgets to sum grad_b gets the check's hint in its feedback."""
    course = Course.create(tmp_path / "course", [LESSON])
    (folder,) = release(course, [LESSON])
    wrong = inspect.getsource(mistakes.linear_backward__grad_b_not_summed).replace(
        "linear_backward__grad_b_not_summed", "linear_backward"
    )
    source = nbformat.read(Course.open(TEMPLATE).notebook("source", LESSON), as_version=4)
    nb = plant(
        nbformat.read(folder / f"{LESSON}.ipynb", as_version=4),
        source,
        {"linear_backward": "import numpy as np\n\n\n" + wrong},
    )
    submitted = course.notebook("submitted", LESSON, student="alice")
    submitted.parent.mkdir(parents=True)
    nbformat.write(nb, submitted)
    nbgrader(course.root, "autograde", LESSON, "--student", "alice")
    nbgrader(course.root, "generate_feedback", LESSON, "--student", "alice")
    html = course.feedback_file("alice", LESSON).read_text()
    assert "CheckFailure" in html
    assert "sum of the rows of grad_a" in html
    assert "linear_backward is not implemented yet" not in html
    # The score, from the notebook's own metadata: every point but grad_b's cell's (grad_x and
    # grad_W are right and graded apart; the written answer waits for a person: no points yet).
    points = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"].get("points", 0)
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    }
    with Gradebook(course.db_url, course.course_id) as gradebook:
        score = gradebook.find_submission(LESSON, "alice").score
    assert score == sum(points.values()) - points["test_linear_backward__grad_b"]
