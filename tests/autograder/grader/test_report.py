"""Does grade's report show every submission's score and every note, one line each?"""

from autograder.grader.grade import Graded, GradeReport
from autograder.grader.record import Score
from autograder.grader.report import problem_lines, score_table, summary


def test_score_table_marks_notes_missing_and_ungraded():
    """Does the table show score/max, '*' for notes, '-' for no submission, NOT GRADED?"""
    graded = [
        Graded("ada", "01_a", 13.0, 13.0),
        Graded("bob", "01_a", 11.0, 13.0, notes=["cell 3: the kernel died"]),
        Graded("bob", "02_b", None, None, notes=["not graded: ..."]),
    ]
    rows = score_table(graded).splitlines()
    assert rows[0].split() == ["student", "01_a", "02_b"]
    assert rows[1].split() == ["ada", "13/13", "-"]
    assert rows[2].split() == ["bob", "11/13*", "NOT", "GRADED*"]
    assert problem_lines(graded) == [
        "bob/01_a: cell 3: the kernel died",
        "bob/02_b: not graded: ...",
    ]


def test_notes_cannot_steer_the_terminal():
    """Is an escape sequence in a student-chosen file name printed as text, not obeyed?"""
    note = "no a.ipynb was submitted (found: \x1b[2J\x1b]0;pwned\x07x.ipynb\nfake line)"
    (line,) = problem_lines([Graded("eve", "01_a", 0.0, 13.0, notes=[note])])
    assert line.isprintable()
    assert line == (
        "eve/01_a: no a.ipynb was submitted (found: \\x1b[2J\\x1b]0;pwned\\x07x.ipynb\\nfake line)"
    )
    table = score_table([Graded("\x1b[31meve", "01_a", 0.0, 13.0)])
    assert all(row.isprintable() for row in table.splitlines()), table


def test_written_answers_waiting_are_pending_not_ungraded():
    """Is a submission whose written answer awaits a hand grade shown with its autograded
    points and the points still to grade, and does the summary send the instructor to the
    formgrader instead of calling it not graded?"""
    graded = [
        Graded("ada", "01_a", Score(13.0, to_grade=2.0), 15.0),
        Graded("bob", "01_a", Score(15.0), 15.0),
        Graded("cy", "01_a", Score(9.0, to_grade=2.0), 15.0),
    ]
    rows = score_table(graded).splitlines()
    assert rows[1].split() == ["ada", "13/15,", "2", "to", "grade"]
    assert rows[2].split() == ["bob", "15/15"]
    text = summary(GradeReport(graded, [], []))
    assert "NOT GRADED" not in text and "not graded" not in text
    assert (
        "written answers to grade in the formgrader: 4 points in 2 submissions (Manual "
        "Grading); until then a total counts only what is graded." in text
    )
