"""nbgrader's own steps after execution: record grades, write feedback, export grades.csv.

record() is nbgrader's Autograde on a notebook that run.py has already executed: the same
converter, gradebook code and file layout, with ClearOutput and Execute taken out of its
preprocessor lists. It is called from one process only, so the gradebook has one writer.
feedback() is nbgrader's GenerateFeedback with hidden tests removed (feedback.py); it only
reads the gradebook, so it runs in the worker processes.
"""

import glob
import logging
import warnings

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins import CsvExportPlugin
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    DeduplicateIds,
    GetGrades,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from autograder.course import Course
from autograder.feedback import HideHiddenTests
from autograder.run import EXECUTED


def quiet_log():
    """nbgrader's log for one call: kept (capture_log reads it), not printed."""
    log = logging.getLogger("autograder.nbgrader")
    log.propagate = False
    log.setLevel(logging.INFO)
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def _run(converter_class, course, student, lesson, **settings):
    from nbgrader.utils import capture_log

    config = Config(course.config)
    config.merge(Config(settings))
    config.CourseDirectory.student_id = glob.escape(student)
    config.CourseDirectory.assignment_id = glob.escape(lesson)
    coursedir = CourseDirectory(config=config, log=quiet_log())
    app = converter_class(coursedir=coursedir, config=config, log=quiet_log())
    app.force = True
    with warnings.catch_warnings():
        # nbgrader's gradebook code trips SQLAlchemy's autoflush warning on new submissions.
        warnings.simplefilter("ignore", SAWarning)
        outcome = capture_log(app)
    if not outcome["success"]:
        return (outcome.get("error") or outcome.get("log") or "nbgrader failed").strip()
    return None


def record(course, student, lesson):
    """Save the grades of an executed submission in the gradebook; None or nbgrader's error."""
    return _run(
        Autograde,
        course,
        student,
        lesson,
        CourseDirectory={"submitted_directory": EXECUTED},
        Autograde={
            "sanitize_preprocessors": [
                DeduplicateIds,
                OverwriteKernelspec,
                OverwriteCells,
                CheckCellMetadata,
            ],
            "autograde_preprocessors": [SaveAutoGrades, AssignLatePenalties, CheckCellMetadata],
        },
    )


def feedback(root, student, lesson):
    """Write feedback/<student>/<lesson>/*.html without hidden tests; None or the error."""
    course = Course.open(root)
    return _run(
        GenerateFeedback,
        course,
        student,
        lesson,
        GenerateFeedback={"preprocessors": [GetGrades, CSSHTMLHeaderPreprocessor, HideHiddenTests]},
    )


def scores(course, pairs):
    """{(student, lesson): (score, max_score)} from the gradebook; None where nothing is saved.

    A submission counts as graded only if every one of its grades has a score.
    """
    found = {}
    with Gradebook(course.db_url, course.config.CourseDirectory.get("course_id", "")) as gb:
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


def export(course, path):
    """nbgrader's grades.csv (its CSV export plugin) for every student and lesson."""
    plugin = CsvExportPlugin(to=str(path), log=quiet_log())
    with Gradebook(course.db_url, course.config.CourseDirectory.get("course_id", "")) as gb:
        plugin.export(gb)
