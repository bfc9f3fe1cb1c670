"""nbgrader's own steps after execution: record grades, write feedback, export grades.csv.

record() is nbgrader's Autograde on a notebook that pipeline.py has already sanitised and
executed: the same converter, gradebook code and file layout, with its sanitising and execution
steps taken out (they ran once, in the pipeline). It is called from one process only, so the
gradebook has one writer.
feedback() is nbgrader's GenerateFeedback with hidden tests removed (feedback.py), writing
pages that run nothing from the submission (inert_exporter.py); it only reads the gradebook,
so it runs in the worker processes.
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.plugins import CsvExportPlugin
from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, GetGrades, SaveAutoGrades

from autograder.grader.feedback import HideHiddenTests
from autograder.grader.inert_exporter import InertHTMLExporter
from autograder.grader.inprocess import quiet_log, run_converter


def record(course, student, lesson):
    """Save the grades of an executed submission in the gradebook; None or nbgrader's error."""
    return run_converter(
        Autograde,
        course,
        lesson,
        student,
        CourseDirectory={"submitted_directory": course.EXECUTED},
        Autograde={
            "sanitize_preprocessors": [],
            "autograde_preprocessors": [SaveAutoGrades, AssignLatePenalties, CheckCellMetadata],
        },
    )


def feedback(course, student, lesson):
    """Write the submission's feedback HTML without hidden tests; None or the error."""
    return run_converter(
        GenerateFeedback,
        course,
        lesson,
        student,
        GenerateFeedback={
            "preprocessors": [GetGrades, CSSHTMLHeaderPreprocessor, HideHiddenTests],
            "exporter_class": InertHTMLExporter,
        },
    )


class Score(float):
    """A submission's points so far, and to_grade: the points of its written answers that still
    wait for a hand grade (nbgrader's manual grading, in the formgrader). The number itself is
    the autograded part plus whatever has been graded by hand; it is a float everywhere else."""

    def __new__(cls, value, to_grade=0.0):
        score = super().__new__(cls, value)
        score.to_grade = float(to_grade)
        return score


def scores(course, pairs):
    """{(student, lesson): (Score, max_score)} from the gradebook; None where nothing is saved.

    A submission counts as graded when every autograded cell has a score. A written answer
    (a markdown grade cell) has none until it is graded by hand; its points are the Score's
    to_grade meanwhile, and max_score counts them (as nbgrader's grades.csv does).
    """
    found = {}
    with Gradebook(course.db_url, course.course_id) as gb:
        for student, lesson in pairs:
            try:
                submission = gb.find_submission(lesson, student)
            except MissingEntry:
                found[(student, lesson)] = None
                continue
            grades = [g for nb in submission.notebooks for g in nb.grades]
            waiting = [g for g in grades if g.score is None]
            if not grades or any(g.cell.cell_type != "markdown" for g in waiting):
                found[(student, lesson)] = None
            else:
                to_grade = sum(g.max_score for g in waiting)
                found[(student, lesson)] = (Score(submission.score, to_grade), submission.max_score)
    return found


def export(course):
    """nbgrader's grades.csv (its CSV export plugin) for every student and lesson."""
    plugin = CsvExportPlugin(to=str(course.grades_csv), log=quiet_log())
    with Gradebook(course.db_url, course.course_id) as gb:
        plugin.export(gb)
