"""Does grade's report show every submission's score and every note, one line each?"""

from autograder.grader.grade import Graded
from autograder.grader.report import problem_lines, score_table


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
