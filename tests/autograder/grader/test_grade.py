"""Does `python -m autograder grade` give every submission, good or broken, its exact score?

One course (lessons 01 and 04), one class with a submission of every kind, graded twice: with
--jobs 1 and with --jobs 2. Expected scores come from the lessons' own metadata (the points of
each test cell), not from the grader: a correct lesson earns them all, a catalogued mistake in
stub s loses exactly test_s's points (in linear_backward, graded one gradient per cell, exactly
the points of the cells of the gradients it gets wrong, worked out by hand in BREAKS), a cell
that kills or hangs the kernel or runs out of memory loses exactly its own test's points, a file
that is not a notebook earns 0.
"""

import contextlib
import csv
import html
import io
import shutil
from types import SimpleNamespace

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from autograder.grader.cli import main
from autograder.grader.course import TEMPLATE, Course
from autograder.grader.release import release
from autograder.grader.sample_class import (
    completed,
    demo_class,
    mistaken_source,
    mistakes,
    read,
    replace_stub,
    solution_cells,
    submit,
    with_body,
)
from tests.autograder.checks.test_output_layer import BREAKS

pytestmark = pytest.mark.slow

LESSONS = ["01_chain_rule", "04_output_layer"]
SEGFAULT_BODY = "import ctypes\nctypes.string_at(0)  # reads address 0: SIGSEGV"
TIMEOUT = 10


def points(lesson):
    """{test grade_id: points} of the autograded cells, from the lesson's source notebook.

    The written answer (a markdown grade cell) is graded by hand in the formgrader: until then
    grades.csv's raw_score holds the autograded points alone."""
    nb = nbformat.read(Course.open(TEMPLATE).notebook("source", lesson), as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
    }


def lost(lesson, stub, key):
    """The points a catalogued mistake `key` in `stub` costs: its test cell's, or for
    linear_backward the cells of the gradients it breaks."""
    if stub == "linear_backward":
        return sum(points(lesson)[f"test_linear_backward__{part}"] for part in BREAKS[key])
    return points(lesson)[f"test_{stub}"]


def backward_points(lesson):
    """The points of linear_backward's three cells, one per gradient."""
    return sum(p for g, p in points(lesson).items() if g.startswith("test_linear_backward__"))


def cell_with_id(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def extra_grade_cell(nb):
    """A cell of the student's own, marked as a 100-point test."""
    cell = new_code_cell("print('free points')")
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "bonus",
        "points": 100,
        "solution": False,
        "locked": False,
        "schema_version": 3,
    }
    nb.cells.append(cell)


def duplicated_grade_id(nb):
    """A second cell carrying test_linear_forward's metadata."""
    cell = new_code_cell("pass")
    cell.metadata["nbgrader"] = dict(cell_with_id(nb, "test_linear_forward").metadata["nbgrader"])
    nb.cells.append(cell)


def renamed_grade_id(nb):
    """test_linear_backward__grad_W renamed and emptied: the original comes back and runs."""
    cell = cell_with_id(nb, "test_linear_backward__grad_W")
    cell.metadata["nbgrader"]["grade_id"] = "test_mine"
    cell.source = "pass"


def answer_made_a_test(nb):
    """linear_forward's answer cell marked as a 50-point test cell."""
    meta = solution_cells(nb)["linear_forward"].metadata["nbgrader"]
    meta.update(grade=True, points=50)


METADATA_EDITS = {
    "adds_grade_cell": extra_grade_cell,
    "duplicates_id": duplicated_grade_id,
    "renames_id": renamed_grade_id,
    "answer_as_test": answer_made_a_test,
}


def plant_extra_kinds(course):
    """The bad kinds demo_class does not plant; returns {(student, lesson): expected score}."""
    one, four = LESSONS
    total = {lesson: sum(points(lesson).values()) for lesson in LESSONS}
    expected = {}
    # A fake answer key beside a correct notebook: if the kernel imported it, tests would fail.
    fake = course.submitted / "ada" / four / "reference"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise SystemExit('a fake answer key was imported')\n")
    # A segfault (a signal, not an exit) in the stub only test_d_exp_exp_square calls.
    nb = with_body(course, one, "d_exp_exp_square", SEGFAULT_BODY)
    submit(course, "segfault", one, nb)
    expected["segfault", one] = total[one] - points(one)["test_d_exp_exp_square"]
    # JSON, but not a notebook.
    submit(course, "not_a_notebook", four, text='{"answer": 42}')
    expected["not_a_notebook", four] = 0
    # A submission folder without the notebook.
    folder = submit(course, "no_notebook", four)
    (folder / "my_answers.py").write_text("print('hello')\n")
    expected["no_notebook", four] = 0
    # Correct code, one test cell deleted and the other emptied: both are put back and run.
    nb = completed(course, four)
    cell_with_id(nb, "test_linear_backward__grad_x").source = "pass  # trust me"
    nb.cells.remove(cell_with_id(nb, "test_linear_forward"))
    submit(course, "edits_tests", four, nb)
    expected["edits_tests", four] = total[four]
    # Grading metadata edited in every way a student can: each is put back as released.
    for student, edit in METADATA_EDITS.items():
        nb = completed(course, four)
        edit(nb)
        submit(course, student, four, nb)
        expected[student, four] = total[four]
    nb = completed(course, four)
    nb.cells.remove(solution_cells(nb)["linear_backward"])
    submit(course, "deletes_answer", four, nb)
    expected["deletes_answer", four] = total[four] - backward_points(four)
    # One wrong gradient (grad_b not summed): only grad_b's cell is lost.
    nb = replace_stub(
        completed(course, four),
        "linear_backward",
        mistaken_source(four, "linear_backward", "grad_b_not_summed"),
    )
    submit(course, "one_wrong_gradient", four, nb)
    expected["one_wrong_gradient", four] = (
        total[four] - points(four)["test_linear_backward__grad_b"]
    )
    # JSON nested far deeper than any notebook.
    submit(course, "nested", four, text="[" * 100_000 + "]" * 100_000)
    expected["nested", four] = 0
    # Correct code that prints 50 MB.
    nb = completed(course, four)
    solution_cells(nb)["linear_forward"].source += "\nprint('x' * 50_000_000)\n"
    submit(course, "floods", four, nb)
    expected["floods", four] = total[four]
    return expected


def demo_expectations(planted):
    """Expected scores for demo_class's students, from the lessons' points alone."""
    expected = {}
    for student, lesson, what in planted:
        total = sum(points(lesson).values())
        if student == "ada":
            expected[student, lesson] = total
        elif student in ("untouched", "careless"):
            expected[student, lesson] = 0
        elif student.startswith("mistakes_"):
            stub, key = what.split(": mistake ")
            expected[student, lesson] = total - lost(lesson, stub, key.strip("'"))
        elif student == "crashes":
            expected[student, lesson] = total - points(lesson)["test_d_exp_square"]
        elif student == "loops":
            expected[student, lesson] = total - points(lesson)["test_d_inv_exp_square"]
        elif student == "hoards":
            expected[student, lesson] = total - points(lesson)["test_linear_forward"]
    assert len(expected) == len(planted), "a demo student without an expectation"
    return expected


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The same class graded with --jobs 1 and --jobs 2.

    .runs: {jobs: (course, printed output, exit status)}; .expected: {(student, lesson): score};
    .planted: demo_class's [(student, lesson, what)].
    """
    base = Course.create(tmp_path_factory.mktemp("base") / "course", LESSONS)
    release(base, LESSONS)
    planted = demo_class(base, LESSONS)
    expected = demo_expectations(planted)
    expected.update(plant_extra_kinds(base))
    runs = {}
    for jobs in (1, 2):
        root = tmp_path_factory.mktemp(f"jobs{jobs}") / "course"
        shutil.copytree(base.root, root)
        course = Course.open(root)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = main(
                ["grade", "--course", str(root), "--jobs", str(jobs), "--timeout", str(TIMEOUT)]
            )
        runs[jobs] = (course, out.getvalue(), status)
    return SimpleNamespace(expected=expected, runs=runs, planted=planted)


def scores(course):
    with open(course.grades_csv) as f:
        return {
            (r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(f)
        }


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_submission_gets_its_exact_score(graded, jobs):
    """Does every student get, on every lesson submitted, the score the lesson's points give?"""
    expected = graded.expected
    course, out, status = graded.runs[jobs]
    assert status == 0, out
    got = scores(course)
    assert {k: got[k] for k in expected} == pytest.approx(expected)


def test_jobs_1_and_2_agree_on_everything(graded):
    """Do the sequential and the parallel run save exactly the same grades and notes?"""
    (one, out1, _), (two, out2, _) = graded.runs[1], graded.runs[2]
    assert scores(one) == scores(two)
    notes = [
        sorted(line for line in out.splitlines() if line.startswith("  ")) for out in (out1, out2)
    ]
    assert notes[0] == notes[1]


def summary_lines(graded, student):
    return [
        line for line in graded.runs[2][1].splitlines() if line.strip().startswith(f"{student}/")
    ]


def feedback_text(graded, student, lesson):
    course = graded.runs[2][0]
    return course.feedback_file(student, lesson).read_text()


@pytest.mark.parametrize(
    "student, lesson, words",
    [
        (
            "crashes",
            "01_chain_rule",
            "the kernel died while running this cell (it exited with code 1)",
        ),
        ("segfault", "01_chain_rule", "killed by signal 11 (SIGSEGV)"),
        ("loops", "01_chain_rule", f"ran past the time limit ({TIMEOUT} s)"),
        ("careless", "04_output_layer", "is not valid JSON"),
        ("not_a_notebook", "04_output_layer", "is JSON but not a notebook"),
        (
            "no_notebook",
            "04_output_layer",
            "no 04_output_layer.ipynb was submitted (found: my_answers.py)",
        ),
        (
            "edits_tests",
            "04_output_layer",
            "test cell test_linear_forward was missing: the grader put it back",
        ),
        (
            "edits_tests",
            "04_output_layer",
            "test cell test_linear_backward__grad_x was edited: the grader ran the original",
        ),
        ("floods", "04_output_layer", "characters of output were cut"),
        ("hoards", "04_output_layer", "ran out of memory: the grader gives a notebook"),
        ("adds_grade_cell", "04_output_layer", "grading metadata the lesson lacks (id 'bonus')"),
        ("duplicates_id", "04_output_layer", "repeated the grading id 'test_linear_forward'"),
        ("renames_id", "04_output_layer", "test cell test_linear_backward__grad_W was missing"),
        ("answer_as_test", "04_output_layer", "metadata of linear_forward was changed"),
        ("deletes_answer", "04_output_layer", "answer cell linear_backward was missing"),
        ("nested", "04_output_layer", "is nested too deeply to be a notebook"),
    ],
)
def test_each_bad_kind_is_named_in_summary_and_feedback(graded, student, lesson, words):
    """Does the summary, and the student's own feedback, say what happened to the submission?"""
    assert any(words in line for line in summary_lines(graded, student)), summary_lines(
        graded, student
    )
    assert "Grader's notes" in html.unescape(feedback_text(graded, student, lesson))


def test_each_planted_mistake_gets_its_hint_in_the_feedback(graded):
    """Does a student with a catalogued mistake read that mistake's hint in their feedback?"""
    hints = {
        (lesson, stub, key): hint for lesson in LESSONS for stub, key, hint in mistakes(lesson)
    }
    checked = 0
    for student, lesson, what in graded.planted:
        if student.startswith("mistakes_"):
            stub, key = what.split(": mistake ")
            hint = hints[lesson, stub, key.strip("'")]
            assert hint in html.unescape(feedback_text(graded, student, lesson)), (student, hint)
            checked += 1
    assert checked == 3 * len(LESSONS)


def test_good_submissions_have_no_notes(graded):
    """Is a correct or untouched submission graded without any note?"""
    assert summary_lines(graded, "ada") == []
    assert summary_lines(graded, "untouched") == []


def test_output_is_capped_in_autograded_and_feedback(graded):
    """Does a 50 MB print leave autograded notebook and feedback far below 1 MB?"""
    course = graded.runs[2][0]
    lesson = "04_output_layer"
    for path in (
        course.notebook("autograded", lesson, student="floods"),
        course.feedback_file("floods", lesson),
    ):
        assert path.stat().st_size < 1_000_000, (path, path.stat().st_size)


def test_feedback_shows_the_graders_verdicts_and_nothing_of_its_code(graded):
    """No lesson carries hidden tests any more: the grader verifies every stub itself. Each
    feedback file says what it found (a line per verified stub, a NotVerified sentence for a
    wrong one) and shows neither the grader's code nor the answer key."""
    course = graded.runs[2][0]
    for lesson in LESSONS:
        assert "HIDDEN TESTS" not in nbformat.writes(read(Course.open(TEMPLATE), "source", lesson))
    pages = list(course.feedback.rglob("*.html"))
    assert pages
    for page in pages:
        text = html.unescape(page.read_text())
        assert "backprop_verify" not in text and "NAMESPACE" not in text, page
        assert "import reference" not in text, page
    ada = html.unescape(next(p for p in pages if "/ada/04_" in str(p)).read_text())
    assert "checked by the grader: linear_backward's grad_x was right" in ada
    wrong = [html.unescape(p.read_text()) for p in pages if "/mistakes_1/" in str(p)]
    assert wrong and all("NotVerified" in text for text in wrong)


def test_one_wrong_gradient_is_named_and_the_right_ones_are_credited(graded):
    """grad_b not summed: the feedback's grad_b cell names grad_b and the catalogued hint, and
    grad_x's and grad_W's cells say the grader checked them (the score is tested above)."""
    text = html.unescape(feedback_text(graded, "one_wrong_gradient", "04_output_layer"))
    assert "linear_backward's grad_b is wrong on" in text
    assert "sum of the rows of grad_a" in text
    for part in ("grad_x", "grad_W"):
        assert f"checked by the grader: linear_backward's {part} was right" in text


def test_grade_refuses_a_course_without_a_gradebook(tmp_path, capsys):
    """Is grading an unreleased course refused with a sentence saying to release first?"""
    course = Course.create(tmp_path / "course", ["04_output_layer"])
    submit(course, "ada", "04_output_layer", text="{}")
    assert main(["grade", "--course", str(course.root)]) == 2
    assert "release the lessons first" in capsys.readouterr().err


def test_files_beside_the_notebook_never_reach_the_kernel(graded):
    """Is a submitted reference/ package (a fake answer key) kept away from the grading kernel?

    ada's 04 submission carries one that would abort every hidden test; ada's full score on 04
    (test above) shows it was not imported; here: it was not copied anywhere.
    """
    course = graded.runs[2][0]
    for folder in (course.scratch, course.autograded):
        assert not list(folder.rglob("reference")), folder


def test_grade_can_be_limited_to_lessons_and_students(graded, tmp_path, capsys):
    """Does `grade 04_output_layer --student ada` grade that one submission and no other?"""
    shutil.copytree(graded.runs[2][0].root, tmp_path / "course")
    course = Course.open(tmp_path / "course")
    course.grades_csv.unlink()
    args = ["grade", "04_output_layer", "--student", "ada", "--course", str(course.root), "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1 of 1 submissions graded" in out
    assert [line.split()[0] for line in out.splitlines() if line.startswith(("ada", "floods"))] == [
        "ada"
    ]
    assert scores(course)["ada", "04_output_layer"] == graded.expected["ada", "04_output_layer"]
