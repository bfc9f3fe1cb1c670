"""Does grading into PostgreSQL save what grading into SQLite saves, for nbgrader to read?

A real PostgreSQL server (Debian's postgresql, postgres_server.py) in a temporary folder; one
class of lesson 04 (correct, untouched, three catalogued mistakes, a file cut in half) from one
course, graded twice: into the course's SQLite gradebook, and into PostgreSQL (released with
`release --db URL`, graded with CourseDirectory.db_url in nbgrader_config.py, as nbgrader's own
commands read it). Expected scores come from the lesson's points (test_grade's judge).
"""

import csv
import shutil
import subprocess
import sys

import pytest

from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import demo_class, submit
from tests.autograder.grader.postgres_server import PostgresServer, why_not
from tests.autograder.grader.test_grade import demo_expectations, scores

LESSON = "04_output_layer"


@pytest.fixture(scope="module")
def database():
    """A running PostgreSQL server with an empty database: its URL."""
    reason = why_not()
    if reason:
        pytest.skip(reason)
    with PostgresServer() as server:
        yield server.create_database("gradebook")


@pytest.fixture(scope="module")
def graded(database, tmp_path_factory):
    """(SQLite course, PostgreSQL course, expected scores, printed output of each grade)."""
    base = Course.create(tmp_path_factory.mktemp("base") / "course", [LESSON])
    release(base, [LESSON])
    expected = demo_expectations(demo_class(base, [LESSON]))
    courses, outputs = [], []
    for name in ("sqlite", "postgres"):
        root = tmp_path_factory.mktemp(name) / "course"
        shutil.copytree(base.root, root)
        if name == "postgres":
            (root / "gradebook.db").unlink()  # nothing may come from SQLite
            assert main(["release", "--course", str(root), "--db", database]) == 0
            with open(root / "nbgrader_config.py", "a") as f:
                f.write(f"\nc.CourseDirectory.db_url = {database!r}\n")
        outputs.append(subprocess_grade(root))
        courses.append(Course.open(root))
    return courses, expected, outputs


def subprocess_grade(root):
    """`python -m autograder grade` on the course, as an instructor runs it: its output."""
    command = [sys.executable, "-m", "autograder", "grade", "--course", str(root)]
    result = subprocess.run(
        command + ["--timeout", "10", "--quiet"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.replace(str(root), "<course>")


def nbgrader(course, *args):
    """nbgrader's own command in the course folder (it reads nbgrader_config.py there)."""
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.slow
def test_postgres_and_sqlite_save_the_same_grades(graded):
    """grades.csv from PostgreSQL is grades.csv from SQLite, and both the lesson's points."""
    (lite, pg), expected, _ = graded
    assert pg.db_url.startswith("postgresql://")
    assert not (pg.root / "gradebook.db").exists()
    assert scores(pg) == scores(lite)
    got = scores(pg)
    assert {k: got[k] for k in expected} == pytest.approx(expected)


@pytest.mark.slow
def test_the_summary_does_not_depend_on_the_database(graded):
    """The same table and notes are printed whichever database holds the grades."""
    _, _, (lite_out, pg_out) = graded
    assert "ada  " in pg_out and "see notes" not in pg_out
    assert pg_out == lite_out


@pytest.mark.slow
def test_nbgrader_reads_the_same_grades_from_postgres(graded):
    """nbgrader's own `export` and `db student list` see what the grader saved."""
    (_, pg), expected, _ = graded
    nbgrader(pg, "export", "--to", "exported.csv")
    with open(pg.root / "exported.csv") as f:
        exported = {
            (r["student_id"], r["assignment"]): float(r["raw_score"]) for r in csv.DictReader(f)
        }
    assert exported == scores(pg)
    listed = nbgrader(pg, "db", "student", "list")
    for student, _ in expected:
        assert student in listed


def test_an_unreachable_database_is_one_sentence_and_exit_2(tmp_path, capsys):
    """Nothing listens at the URL's port: grade says so, without the password, and exits 2."""
    course = Course.create(tmp_path / "course", [LESSON])
    submit(course, "ada", LESSON, text="{}")
    url = "postgresql://grader:hunter2@127.0.0.1:9/gradebook"
    assert main(["grade", "--course", str(course.root), "--db", url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("grade: cannot open the gradebook at postgresql://grader:***@127.0.0.1")
    assert "hunter2" not in err and "\n" not in err
    assert "start its database server, or give the right URL with --db" in err


def test_a_malformed_database_url_is_refused_by_the_command_line(tmp_path, capsys):
    """--db that is no URL at all is an argparse error naming the two forms."""
    with pytest.raises(SystemExit) as stopped:
        main(["grade", "--course", str(tmp_path), "--db", "my gradebook"])
    assert stopped.value.code == 2
    assert "is not a database URL; give sqlite:///PATH or postgresql://" in capsys.readouterr().err
