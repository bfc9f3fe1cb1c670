"""The student version: nbgrader's generate_assignment, plus the checks the lessons import.

nbgrader's GenerateAssignment converter runs in this process (see inprocess.py), with the
course's configuration.

The lessons link the course's notation page (a notebook beside them in the source folder), so
each released lesson folder gets a copy of it too (ship_pages).

A released lesson imports `autograder.checks.<lesson>`. The student has neither the answer
key nor this package installed, so the checks (numpy only, no solutions) travel with the
lesson: <release>/<lesson>/autograder/{__init__.py, checks/*.py}. Nothing else of the package
does: not reference/, not the grader (autograder/grader/, mistakes included).
"""

import os
import shutil
import stat
from pathlib import Path

from nbgrader.converters import GenerateAssignment

from autograder.grader.course import Course, CourseError
from autograder.grader.inprocess import own_bin_on_path, run_converter

PACKAGE = Path(__file__).resolve().parents[1]  # autograder/
# What nbgrader's release_assignment gives the exchange it creates: everyone may read, write
# and traverse it (students submit into it under their own accounts).
EXCHANGE_MODE = stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO


class ReleaseError(Exception):
    """Something about the course directory or the lesson names is wrong; the message says what."""


def ship_checks(folder):
    """Copy autograder/__init__.py and autograder/checks/*.py into folder/autograder/."""
    target = Path(folder) / "autograder"
    if target.exists():
        shutil.rmtree(target)
    (target / "checks").mkdir(parents=True)
    shutil.copy2(PACKAGE / "__init__.py", target / "__init__.py")
    for module in sorted((PACKAGE / "checks").glob("*.py")):
        shutil.copy2(module, target / "checks" / module.name)
    return target


def ship_pages(course, folder):
    """Copy the course's pages (the notation page) into a released lesson's folder, where
    the lesson's links find them: a student may receive that folder alone (nbgrader's
    fetch_assignment brings one lesson folder)."""
    for page in course.pages():
        shutil.copy2(page, Path(folder) / page.name)


def open_exchange(course):
    """Make the course's exchange folder if it is missing, as nbgrader's release_assignment
    would (the formgrader warns about a missing one before the first release_assignment)."""
    if not course.exchange.exists():
        course.exchange.mkdir(parents=True)
        os.chmod(course.exchange, EXCHANGE_MODE)
    return course.exchange


def release(course, names=None):
    """Generate the student version of the named lessons (default: all) and ship the checks.

    course: a Course, or the path of a course directory.
    Returns the released folders. Raises ReleaseError naming what is wrong.
    """
    try:
        course = course if isinstance(course, Course) else Course.open(course)
    except CourseError as err:
        raise ReleaseError(str(err)) from None
    available = course.lessons()
    names = list(names or available)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ReleaseError(f"no lesson named {', '.join(unknown)}; lessons: {', '.join(available)}")
    own_bin_on_path()
    folders = []
    for name in names:
        error = run_converter(GenerateAssignment, course, name)
        if error:
            raise ReleaseError(f"nbgrader could not release {name}:\n{error}")
        folder = course.release / name
        ship_checks(folder)
        ship_pages(course, folder)
        folders.append(folder)
    open_exchange(course)
    return folders
