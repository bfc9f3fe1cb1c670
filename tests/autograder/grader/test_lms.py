"""Are grades written the way Canvas, Moodle and Gradescope read them?

The gradebook is a real one (the course released by nbgrader, submissions scored through
nbgrader's own API); the expected headers are those of each system's own exports (samples
below, as each system writes them), not what the code under test declares.
"""

import csv
import warnings

import nbformat
import pytest
from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning

from autograder.grader.cli import main
from autograder.grader.course import TEMPLATE, Course
from autograder.grader.lms import ExportError, export
from autograder.grader.release import release

LESSONS = ["02_softmax", "04_output_layer"]
# The first lines of each system's own export of a class.
CANVAS_SAMPLE = (
    "Student,ID,SIS User ID,SIS Login ID,Section,04_output_layer (4242),Quiz 1 (77)\n"
    "    Points Possible,,,,,12.0,5.0\n"
    '"Lovelace, Ada",1001,S1001,ada,SEC-1,,4.0\n'
    '"Peep, Bo",1002,S1002,bo,SEC-1,,5.0\n'
    '"Student, Test",9999,,,SEC-1,,\n'
)
MOODLE_SAMPLE = (
    "First name,Last name,ID number,Institution,Department,Email address,"
    "Last downloaded from this course\n"
    "Ada,Lovelace,30001,Uni,CS,ada@example.org,1700000000\n"
    "Bo,Peep,30002,Uni,CS,bo@example.org,1700000000\n"
)
GRADESCOPE_SAMPLE = (
    "First Name,Last Name,SID,Email,Sections\n"
    "Ada,Lovelace,ada,ada@example.org,\n"
    "Bo,Peep,bo,bo@example.org,\n"
)
SCORES = {("ada", "04_output_layer"): 12.0, ("bo", "04_output_layer"): 8.0}


def max_points(lesson):
    """What the lesson is worth in all (autograded and written), from its source notebook."""
    nb = nbformat.read(Course.open(TEMPLATE).notebook("source", lesson), as_version=4)
    total = sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in nb.cells)
    return f"{total:g}"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """Two lessons released; ada and bo have lesson 04 scored (12 and 8 of 12), nothing else."""
    course = Course.create(tmp_path_factory.mktemp("lms") / "course", LESSONS)
    release(course, LESSONS)
    with warnings.catch_warnings(), Gradebook(course.db_url, course.course_id) as gb:
        # nbgrader's gradebook code trips SQLAlchemy's autoflush warning on new submissions
        # (the grader silences it the same way around nbgrader's converters).
        warnings.simplefilter("ignore", SAWarning)
        gb.add_student("ada", first_name="Ada", last_name="Lovelace", email="ada@example.org")
        gb.add_student("bo", first_name="Bo", last_name="Peep", email="bo@example.org")
        for (student, lesson), score in SCORES.items():
            submission = gb.update_or_create_submission(lesson, student)
            grades = sorted(submission.notebooks[0].grades, key=lambda g: g.max_score)
            left = score
            for grade in reversed(grades):  # the biggest cells first, until the score is spent
                grade.auto_score = min(grade.max_score, left)
                left -= grade.auto_score
        gb.db.commit()
    return course


def read(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def sample(tmp_path, text, name="roster.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_canvas_keeps_its_rows_and_updates_the_known_assignment(course, tmp_path):
    out = tmp_path / "canvas.csv"
    done = export(course, "canvas", out, sample(tmp_path, CANVAS_SAMPLE))
    rows = read(out)
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert "04_output_layer (4242)" in rows[0] and "04_output_layer" not in rows[0]
    assert "02_softmax" in rows[0]  # a new assignment for Canvas
    points = dict(zip(rows[0], rows[1], strict=True))
    assert points["Student"].strip() == "Points Possible"
    assert points["04_output_layer (4242)"] == max_points("04_output_layer")
    assert points["Quiz 1 (77)"] == "5.0"
    by_login = {r[3]: dict(zip(rows[0], r, strict=True)) for r in rows[2:]}
    assert by_login["ada"]["04_output_layer (4242)"] == "12"
    assert by_login["bo"]["04_output_layer (4242)"] == "8"
    assert by_login["bo"]["02_softmax"] == "0"  # not handed in: 0, as in grades.csv
    assert by_login["bo"]["Quiz 1 (77)"] == "5.0"  # Canvas's own columns untouched
    assert by_login[""]["04_output_layer (4242)"] == ""  # the test student: no change
    assert done.unmatched == []


def test_moodle_matches_by_email(course, tmp_path):
    out = tmp_path / "moodle.csv"
    export(course, "moodle", out, sample(tmp_path, MOODLE_SAMPLE))
    rows = read(out)
    assert rows[0][:6] == [
        "First name",
        "Last name",
        "ID number",
        "Institution",
        "Department",
        "Email address",
    ]
    table = {r[5]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert table["ada@example.org"]["04_output_layer"] == "12"
    assert table["bo@example.org"]["ID number"] == "30002"  # Moodle's id kept as it was


def test_gradescope_has_scores_and_max_points(course, tmp_path):
    out = tmp_path / "gradescope.csv"
    export(course, "gradescope", out, sample(tmp_path, GRADESCOPE_SAMPLE))
    rows = read(out)
    assert rows[0][:5] == ["First Name", "Last Name", "SID", "Email", "Sections"]
    ada = dict(zip(rows[0], rows[1], strict=True))
    assert ada["04_output_layer"] == "12"
    assert ada["04_output_layer - Max Points"] == max_points("04_output_layer")


def test_without_a_roster_the_gradebook_names_the_students(course, tmp_path):
    out = tmp_path / "canvas.csv"
    export(course, "canvas", out)
    rows = read(out)
    students = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[2:]}
    assert students["Lovelace, Ada"]["SIS Login ID"] == "ada"


def test_a_student_missing_from_the_roster_is_named(course, tmp_path, capsys):
    roster = sample(tmp_path, GRADESCOPE_SAMPLE.replace("Bo,Peep,bo,bo@example.org,\n", ""))
    args = ["export", "--format", "gradescope", "--roster", str(roster), "--course"]
    assert main([*args, str(course.root), "--output", str(tmp_path / "g.csv")]) == 1
    assert "not in the roster, so not in the file: bo" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fmt", "text", "words"),
    [
        ("canvas", MOODLE_SAMPLE, "is not a canvas roster: it has no 'Student'"),
        ("moodle", CANVAS_SAMPLE, "is not a moodle roster"),
        ("blackboard", CANVAS_SAMPLE, "no format 'blackboard'"),
    ],
)
def test_a_wrong_roster_or_format_is_refused(course, tmp_path, fmt, text, words):
    with pytest.raises(ExportError, match=words):
        export(course, fmt, tmp_path / "x.csv", sample(tmp_path, text))
