"""Do the gradebook's lock helpers wait, retry and give up as they say? (no kernel, no nbgrader)

A real SQLite file locked by a second connection stands for the other program.
"""

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from autograder.grader.course import TEMPLATE, Course
from autograder.grader.gradebook_access import (
    GradebookAccess,
    GradebookBusy,
    is_locked,
    patiently,
    sqlite_file,
    with_busy_timeout,
)


def test_the_busy_timeout_goes_into_an_sqlite_url_only():
    assert (
        with_busy_timeout("sqlite:////c/gradebook.db", 30) == "sqlite:////c/gradebook.db?timeout=30"
    )
    assert with_busy_timeout("sqlite:////c/g.db?timeout=5&uri=true", 2.5) == (
        "sqlite:////c/g.db?timeout=2.5&uri=true"
    )
    assert with_busy_timeout("postgresql://db/grades", 30) == "postgresql://db/grades"
    assert sqlite_file("sqlite:////c/gradebook.db?timeout=30") == "/c/gradebook.db"
    assert sqlite_file("postgresql://db/grades") is None


def test_a_course_gradebook_url_waits_30_s_by_default():
    course = Course.open(TEMPLATE)
    assert course.db_url == f"sqlite:///{TEMPLATE / 'gradebook.db'}?timeout=30"
    assert course.gradebook_file == TEMPLATE / "gradebook.db"
    shorter = Course.open(TEMPLATE, {"GradebookAccess": {"busy_timeout": 0.5}})
    assert shorter.db_url.endswith("?timeout=0.5")


def locked(path):
    """A second connection holding an exclusive lock on the SQLite file at `path`."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_the_url_timeout_reaches_sqlite(tmp_path):
    """A URL timeout of 0.5 s: does a read of a locked file wait about that long, then fail
    with the lock error is_locked knows?"""
    path = tmp_path / "g.db"
    holder = locked(path)
    engine = create_engine(with_busy_timeout(f"sqlite:///{path}", 0.5))
    start = time.perf_counter()
    with pytest.raises(OperationalError) as caught, engine.connect() as connection:
        connection.execute(text("SELECT * FROM t")).all()
    waited = time.perf_counter() - start
    assert 0.4 < waited < 3
    assert is_locked(caught.value)
    holder.close()
    engine.dispose()


def test_only_an_operational_error_or_nbgrader_cause_counts_as_a_lock():
    assert is_locked(sqlite3.OperationalError("database is locked"))
    assert not is_locked(ValueError("database is locked"))  # a student's own message
    cause = "OperationalError: (sqlite3.OperationalError) database is locked"
    log = f"[ERROR] ...\nTraceback ...\n{cause}"
    assert is_locked(log)
    assert not is_locked("ValidationError: grade id 'database is locked' duplicated")
    assert not is_locked("")


def test_patiently_tries_again_then_says_which_file():
    access = GradebookAccess(attempts=3, pause=2, busy_timeout=10)
    pauses, calls = [], []

    def always_locked():
        calls.append(1)
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(GradebookBusy) as caught:
        patiently(always_locked, "sqlite:////c/gradebook.db?timeout=10", access, pauses.append)
    assert len(calls) == 3 and pauses == [2, 2]
    assert str(caught.value).startswith("the gradebook /c/gradebook.db stayed locked")
    assert "for 34 s" in str(caught.value)  # 3 waits of 10 s and 2 pauses of 2 s


def test_patiently_returns_once_the_lock_goes():
    answers = iter(
        [
            sqlite3.OperationalError("database is locked"),
            "OperationalError: database is locked",
            None,
        ]
    )

    def action():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert patiently(action, "sqlite:////g.db", GradebookAccess(pause=0), lambda s: None) is None


def test_patiently_lets_other_errors_through():
    def broken():
        raise sqlite3.OperationalError("no such table: grade")

    with pytest.raises(sqlite3.OperationalError):
        patiently(broken, "sqlite:////g.db", GradebookAccess(), lambda s: None)
    assert patiently(lambda: "KeyError: x", "sqlite:////g.db", GradebookAccess()) == "KeyError: x"
