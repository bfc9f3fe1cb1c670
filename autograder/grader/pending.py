"""Results computed and not yet in the gradebook: kept until nbgrader has saved them.

A submission's executed notebooks wait in `course.executed(student, lesson)` (the scratch
space, .grading/executed/<student>/<lesson>/) for nbgrader's autograde to save their grades,
and its notes in .grading/notes/<student>/<lesson>.json. Once saved, both are removed:
autograded/ holds the same notebooks. Whatever is still there was computed by a run that could
not save it (the gradebook stayed locked, the run was stopped), and
`python -m autograder grade --record-only` saves it without running anything again.
"""

import json
import shutil


def notes_file(course, student, lesson):
    return course.scratch / "notes" / student / f"{lesson}.json"


def keep_notes(course, student, lesson, notes):
    """Write a submission's notes beside its executed notebooks (for a later --record-only)."""
    path = notes_file(course, student, lesson)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(list(notes)), encoding="utf-8")


def kept_notes(course, student, lesson):
    """The notes kept for a submission ([] if none, or if the file is not what we wrote)."""
    try:
        notes = json.loads(notes_file(course, student, lesson).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [n for n in notes if isinstance(n, str)] if isinstance(notes, list) else []


def kept(course, lessons=None, students=None):
    """(student, lesson) pairs whose executed notebooks wait to be saved, sorted."""
    root = course.root / course.EXECUTED
    if not root.is_dir():
        return []
    return sorted(
        (s.name, a.name)
        for s in root.iterdir()
        if s.is_dir() and (not students or s.name in students)
        for a in s.iterdir()
        if a.is_dir() and any(a.glob("*.ipynb")) and (not lessons or a.name in lessons)
    )


def saved(course, student, lesson):
    """The gradebook has the submission's grades: forget what was kept for it."""
    shutil.rmtree(course.executed(student, lesson), ignore_errors=True)
    notes_file(course, student, lesson).unlink(missing_ok=True)
