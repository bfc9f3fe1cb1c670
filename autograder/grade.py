"""Instructor grading on nbgrader: autograde every submission, feedback, grades.csv.

Sequential first version: one `nbgrader autograde` per submission (student, lesson), so a
submission nbgrader cannot grade is reported and the next one is still graded.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path


def _nbgrader(course, *args):
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
    )


def submissions(course):
    """(student, lesson) pairs under submitted/<student>/<lesson>/, sorted."""
    root = Path(course) / "submitted"
    if not root.is_dir():
        return []
    return sorted(
        (s.name, a.name) for s in root.iterdir() if s.is_dir() for a in s.iterdir() if a.is_dir()
    )


STAGING = ".grading/submitted"


def stage(course, student, lesson):
    """Copy only the submitted notebooks (and timestamp.txt) into the staging tree.

    Anything else a student submits (a fake reference/ package, their own autograder/) would
    sit in the grading kernel's cwd, which is on sys.path: it must never reach it.
    """
    source = Path(course) / "submitted" / student / lesson
    target = Path(course) / STAGING / student / lesson
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file() and (path.suffix == ".ipynb" or path.name == "timestamp.txt"):
            shutil.copy2(path, target / path.name)


def grade(course, timeout=30):
    """Autograde, generate feedback and export grades.csv; return a list of problem lines."""
    course = Path(course).resolve()
    problems = []
    for student, lesson in submissions(course):
        stage(course, student, lesson)
        result = _nbgrader(
            course,
            "autograde",
            lesson,
            f"--CourseDirectory.submitted_directory={STAGING}",
            "--student",
            student,
            "--force",
            f"--ExecutePreprocessor.timeout={timeout}",
        )
        if result.returncode != 0:
            problems.append(f"{student}/{lesson}: nbgrader autograde failed")
            continue
        fb = _nbgrader(course, "generate_feedback", lesson, "--student", student, "--force")
        if fb.returncode != 0:
            problems.append(f"{student}/{lesson}: no feedback generated")
    _nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return problems
