"""Does nbgrader's formgrader work on a course this grader graded?

A course is released, a class of two is planted (with nbgrader's timestamp files), a roster
gives them names, and `python -m autograder grade` grades them. Then JupyterLab serves the
course on 127.0.0.1 and Chromium opens the formgrader: no warning banner (exchange, course id),
every lesson listed, and for the graded lesson each submission with its student's name, its
score and its timestamp, as nbgrader's own autograde would have left them.
"""

import csv
import os
import subprocess
import sys

import pytest

from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.roster import import_roster
from autograder.grader.sample_class import (
    completed,
    mistaken_source,
    mistakes,
    replace_stub,
    submit,
)
from tests.autograder.grader.test_grade import points
from tests.browser.lab_server import LabServer
from tests.browser.test_lab import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = ["02_softmax", "04_output_layer"]
GRADED = "04_output_layer"
TIMESTAMP = "2026-11-02 09:30:00.000000 UTC"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded course: ada right, bo with a catalogued mistake, both with names."""
    if not CHROMIUM.exists():
        pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install chromium)")
    course = Course.create(tmp_path_factory.mktemp("formgrader") / "course", LESSONS)
    release(course, LESSONS)
    stub, key, _ = mistakes(GRADED)[0]
    wrong = replace_stub(completed(course, GRADED), stub, mistaken_source(GRADED, stub, key))
    for student, nb in (("ada", completed(course, GRADED)), ("bo", wrong)):
        (submit(course, student, GRADED, nb) / "timestamp.txt").write_text(TIMESTAMP)
    roster = course.root.parent / "roster.csv"
    with open(roster, "w", newline="") as handle:
        csv.writer(handle).writerows(
            [["id", "first_name", "last_name"], ["ada", "Ada", "Lovelace"], ["bo", "Bo", "Peep"]]
        )
    import_roster(course, roster)
    bin_dir = os.path.dirname(sys.executable)
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--course", str(course.root)],
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return course


@pytest.fixture(scope="module")
def page(course, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with LabServer(course.root, tmp_path_factory.mktemp("formgrader-lab")) as lab:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            page = chromium.new_page(viewport={"width": 1300, "height": 900})
            page.lab = lab
            yield page
            chromium.close()


def visit(page, path, ready):
    """Open a formgrader page and wait for `ready` (its table is filled in by script)."""
    page.goto(page.lab.url(f"formgrader/{path}"))
    page.wait_for_selector(ready, timeout=60_000)
    page.wait_for_timeout(500)
    return page.inner_text("body")


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"formgrader_{name}.png"), full_page=True)


def test_manage_assignments_lists_every_lesson_without_warnings(page):
    text = visit(page, "manage_assignments", f"text={GRADED}")
    shot(page, "assignments")
    assert page.query_selector_all(".alert-warning") == [], text[:500]
    for lesson in LESSONS:
        assert lesson in text


def test_submissions_show_names_scores_and_timestamps(page):
    text = visit(page, f"manage_submissions/{GRADED}", "text=Lovelace")
    shot(page, "submissions")
    full = sum(points(GRADED).values())
    stub = mistakes(GRADED)[0][0]
    rows = {
        row.inner_text().split("\t")[0].strip(): row.inner_text()
        for row in page.query_selector_all("tbody tr")
    }
    ada = next(r for k, r in rows.items() if "Lovelace" in k)
    bo = next(r for k, r in rows.items() if "Peep" in k)
    assert f"{full:g} / {full:g}" in ada.replace(".0", ""), ada
    lost = full - points(GRADED)[f"test_{stub}"]
    assert f"{lost:g} / {full:g}" in bo.replace(".0", ""), bo
    assert "2026-11-02 09:30:00" in ada, ada
    assert "None" not in text


def test_students_page_shows_names(page):
    text = visit(page, "manage_students", "text=Lovelace")
    shot(page, "students")
    assert "Lovelace, Ada" in text or "Ada Lovelace" in text
    assert "None, None" not in text
