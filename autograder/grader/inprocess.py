"""nbgrader's converters run inside this process, as its own commands would run them.

Starting the `nbgrader` command costs about 5 s here (most of it importing), once per call;
release, record and feedback call nbgrader's converter classes directly instead, with the
course's configuration (course.load_config), the same classes and the same files written.
"""

import copy
import glob
import logging
import os
import re
import sys
import warnings

from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from sqlalchemy.exc import SAWarning
from traitlets.config import Config


def own_bin_on_path():
    """Put this interpreter's bin first on PATH, once, as an activated venv would.

    nbgrader stamps a new gradebook by running the `alembic` command of its own environment.
    """
    bin_dir = os.path.dirname(sys.executable)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def quiet_log():
    """nbgrader's log for one call: captured (capture_log reads it), never printed."""
    log = logging.getLogger("autograder.nbgrader")
    log.propagate = False
    log.setLevel(logging.INFO)
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def first_cause(log):
    """The first exception in nbgrader's log ('ValidationError: Duplicate grade id: x'), or
    else its first error line."""
    for line in log.splitlines():
        found = re.match(r"\s+(?:\w+\.)*(\w+(?:Error|Exception): .+)", line)
        if found:
            return found.group(1)
    errors = [line[len("[ERROR] ") :] for line in log.splitlines() if line.startswith("[ERROR] ")]
    return next((e for e in errors if not e.startswith("Traceback")), "nbgrader failed")


def run_converter(converter_class, course, lesson, student="*", **settings):
    """Run an nbgrader converter for one lesson (and student); None, or nbgrader's error text.

    The error text is nbgrader's log and traceback; its last line is the first error nbgrader
    logged, the cause (its final exception only says "see the above traceback").

    settings: extra configuration, e.g. Autograde={"autograde_preprocessors": [...]}.
    """
    # A deep copy: Config(config) shares the sections, and merging would change the course's.
    config = copy.deepcopy(course.config)
    config.merge(Config(settings))
    # nbgrader treats the ids as glob patterns; a student called "a[1]" is just a name.
    config.CourseDirectory.student_id = student if student == "*" else glob.escape(student)
    config.CourseDirectory.assignment_id = glob.escape(lesson)
    coursedir = CourseDirectory(config=config, log=quiet_log())
    app = converter_class(coursedir=coursedir, config=config, log=quiet_log())
    app.force = True
    with warnings.catch_warnings():
        # nbgrader's gradebook code trips SQLAlchemy's autoflush warning on new submissions.
        warnings.simplefilter("ignore", SAWarning)
        outcome = capture_log(app)
    if not outcome["success"]:
        log, error = outcome.get("log") or "", outcome.get("error") or ""
        return "\n".join([log.strip(), error.strip(), first_cause(log)])
    return None
