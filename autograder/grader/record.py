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


def scores(course, pairs):
    """{(student, lesson): (score, max_score)} from the gradebook; None where nothing is saved.

    A submission counts as graded only if every one of its grades has a score.
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
            if not grades or any(g.score is None for g in grades):
                found[(student, lesson)] = None
            else:
                found[(student, lesson)] = (submission.score, submission.max_score)
    return found


def export(course):
    """nbgrader's grades.csv (its CSV export plugin) for every student and lesson."""
    plugin = CsvExportPlugin(to=str(course.grades_csv), log=quiet_log())
    with Gradebook(course.db_url, course.course_id) as gb:
        plugin.export(gb)
