"""Does nbgrader's own `autograde` grade as `python -m autograder grade` does?

The course's nbgrader_config.py makes nbgrader's Autograde run the course's pipeline (jail,
verification, caps) and then save the grades (nbgrader_steps.py). A class of two, a correct
student and one whose wrong linear_backward comes with a cheat that fools output-based grading
(the checks patched in the kernel), is graded both ways from copies of one course: `nbgrader
autograde` as an instructor types it, and `python -m autograder grade`. The scores agree, and
the cheat earns nothing: only the cells whose stubs are right score.
"""

import csv
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import completed, replace_stub, submit
from autograder.grader.verify import cells_covering
from tests.autograder.grader.cheats import CHEATS
from tests.autograder.grader.test_grade import points
from tests.autograder.grader.test_verify_cheats import ZEROS

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"


def cheating(course):
    """Lesson 04 with linear_backward returning zeros and the check patched to pass."""
    nb = replace_stub(completed(course, LESSON), "linear_backward", ZEROS)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    setup = ids.index("setup")
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(CHEATS["patch_the_check_module"].source))
    return nb


def run(command, cwd):
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def scores(path):
    with open(path) as handle:
        return {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = Course.create(tmp_path_factory.mktemp("nbgrader-autograde") / "base", [LESSON])
    release(base, [LESSON])
    submit(base, "ada", LESSON, completed(base, LESSON))
    submit(base, "mallory", LESSON, cheating(base))
    ways = {}
    for way in ("nbgrader", "ours"):
        root = base.root.parent / way
        shutil.copytree(base.root, root)
        if way == "nbgrader":
            run([sys.executable, "-m", "nbgrader", "autograde", LESSON], root)
            run([sys.executable, "-m", "nbgrader", "export"], root)
        else:
            run([sys.executable, "-m", "autograder", "grade", "--quiet"], root)
        ways[way] = Course.open(root)
    return ways


def test_nbgrader_autograde_scores_as_the_course_grader_does(graded):
    full = sum(points(LESSON).values())
    covers_backward = cells_covering(LESSON, "linear_backward")
    earned = full - sum(points(LESSON)[g] for g in covers_backward)
    for way, course in graded.items():
        got = scores(course.grades_csv)
        assert got == {"ada": full, "mallory": earned}, way


def test_nbgrader_autograde_ran_the_grader_s_steps(graded):
    """The autograded notebook carries what only the course's pipeline writes: the grader's
    verdicts, and the notes cell on top."""
    course = graded["nbgrader"]
    text = course.notebook("autograded", LESSON, student="mallory").read_text()
    assert "NotVerified" in text and "linear_backward" in text
    ada = course.notebook("autograded", LESSON, student="ada").read_text()
    assert "checked by the grader: linear_forward was right" in ada
