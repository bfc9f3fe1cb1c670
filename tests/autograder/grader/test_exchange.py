"""Does nbgrader's own workflow run on the course as its users know it?

The instructor releases with `python -m autograder release` and nbgrader's release_assignment;
two students list, fetch, fill in and submit with nbgrader's own commands, each in a HOME of
their own with the nbgrader_config.py a student would have, under a login name of their own
(nbgrader names a submission by the account's name: each student's commands run in a
bubblewrap user namespace whose /etc/passwd names its uid after the student); the
instructor collects them with `nbgrader collect`, imports a roster, grades with
`python -m autograder grade`, and releases the feedback, which each student fetches. Every
command is the real one, in a subprocess, as a person would type it.
"""

import csv
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import completed, mistaken_source, mistakes, replace_stub
from tests.autograder.grader.test_grade import points

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"
ROSTER = [("ada", "Ada", "Lovelace", "ada@example.org"), ("bo", "Bo", "Peep", "")]


def as_student(command, name, home):
    """The command, run under a uid that the account database calls `name`."""
    uid = 2000 + sum(map(ord, name))
    passwd = home.parent / f"passwd-{name}"
    passwd.write_text(f"root:x:0:0::/root:/bin/sh\n{name}:x:{uid}:{uid}::{home}:/bin/sh\n")
    return [
        *("bwrap", "--dev-bind", "/", "/", "--ro-bind", str(passwd), "/etc/passwd"),
        *("--unshare-user", "--uid", str(uid), "--gid", str(uid), "--"),
        *command,
    ]


def run(command, cwd, home, user=None, config_dir=None):
    """A command as a person would type it, in their own HOME (and, for a student, under
    their own login name); returns its stdout and stderr."""
    bin_dir = os.path.dirname(sys.executable)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(config_dir or home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
    }
    if user:
        env.update(USER=user, LOGNAME=user)
        command = as_student(command, user, home)
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{output}"
    return output


def student_home(tmp_path, name, course):
    """A student's HOME with the nbgrader_config.py that points at the course's exchange."""
    home = tmp_path / name
    (home / ".jupyter").mkdir(parents=True)
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {course.config.CourseDirectory.course_id!r}\n"
        f"c.Exchange.root = {str(course.exchange)!r}\n"
    )
    return home


@pytest.fixture(scope="module")
def course_run(tmp_path_factory):
    """The whole round trip; returns (course, the folder of the HOMEs, {step: output})."""
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
    tmp_path = tmp_path_factory.mktemp("exchange")
    course = Course.create(tmp_path / "course", [LESSON])
    instructor = tmp_path / "instructor"
    (instructor / ".jupyter").mkdir(parents=True)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    ours = [sys.executable, "-m", "autograder"]
    out = {}

    release(course, [LESSON])
    out["release"] = run([*nbgrader, "release_assignment", LESSON], course.root, instructor)

    stub, key, _ = mistakes(LESSON)[0]
    answers = {
        "ada": completed(course, LESSON),
        "bo": replace_stub(completed(course, LESSON), stub, mistaken_source(LESSON, stub, key)),
    }
    for name, nb in answers.items():
        home = student_home(tmp_path, name, course)
        out[f"{name} list"] = run([*nbgrader, "list"], home, home, user=name)
        run([*nbgrader, "fetch_assignment", LESSON], home, home, user=name)
        fetched = home / LESSON / f"{LESSON}.ipynb"
        assert fetched.is_file() and (home / LESSON / "autograder" / "checks").is_dir()
        nbformat.write(nb, fetched)
        run([*nbgrader, "submit", LESSON], home, home, user=name)

    out["collect"] = run([*nbgrader, "collect", LESSON], course.root, instructor)
    roster = tmp_path / "roster.csv"
    with open(roster, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email"])
        writer.writerows(ROSTER)
    out["roster"] = run([*ours, "roster", "import", str(roster)], course.root, instructor)
    out["grade"] = run([*ours, "grade"], course.root, instructor)
    out["students"] = run([*nbgrader, "db", "student", "list"], course.root, instructor)
    out["release_feedback"] = run([*nbgrader, "release_feedback", LESSON], course.root, instructor)
    for name in answers:
        home = tmp_path / name
        out[f"{name} feedback"] = run([*nbgrader, "fetch_feedback", LESSON], home, home, user=name)
    return course, tmp_path, out


def test_students_see_the_released_lesson(course_run):
    _, _, out = course_run
    for name in ("ada", "bo"):
        assert f"backprop {LESSON}" in out[f"{name} list"], out[f"{name} list"]


def test_collected_submissions_are_graded_with_their_timestamps(course_run):
    """nbgrader collect files each submission under the login name, with its timestamp, and
    the grader scores them: ada full marks, bo less by the mistaken stub's points."""
    course, _, out = course_run
    for name in ("ada", "bo"):
        assert (course.submitted / name / LESSON / "timestamp.txt").is_file()
    with open(course.grades_csv) as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    full = sum(points(LESSON).values())
    assert float(rows["ada"]["raw_score"]) == full
    stub = mistakes(LESSON)[0][0]
    assert float(rows["bo"]["raw_score"]) == full - points(LESSON)[f"test_{stub}"]
    assert rows["ada"]["timestamp"] not in ("", "None")


def test_the_gradebook_has_the_rosters_names(course_run):
    course, _, out = course_run
    assert "2 students added" in out["roster"]
    assert "Lovelace" in out["students"] and "Ada" in out["students"], out["students"]
    with open(course.grades_csv) as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert (rows["ada"]["first_name"], rows["ada"]["last_name"]) == ("Ada", "Lovelace")
    assert rows["ada"]["email"] == "ada@example.org"


def test_students_fetch_their_own_feedback(course_run):
    """Each student's fetch_feedback brings back their own page, and only theirs."""
    _, tmp_path, _ = course_run
    for name in ("ada", "bo"):
        pages = list((tmp_path / name / LESSON / "feedback").rglob("*.html"))
        assert len(pages) == 1, (name, pages)
        text = pages[0].read_text()
        assert "Content-Security-Policy" in text  # the grader's inert page, not a plain one
    bo_page = next((tmp_path / "bo" / LESSON / "feedback").rglob("*.html")).read_text()
    assert "NotVerified" in bo_page or "CheckFailure" in bo_page
