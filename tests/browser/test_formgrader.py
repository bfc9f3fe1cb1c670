"""Does nbgrader's formgrader work on a course this grader graded?

A course is released, a class of two is planted (with nbgrader's timestamp files), a roster
gives them names, and `python -m autograder grade` grades them; a third student, whose wrong
stub comes with a cheat, hands in afterwards. Then JupyterLab serves the course on 127.0.0.1
and Chromium opens the formgrader: no warning banner (exchange, course id), every lesson
listed, each graded submission with its student's name, its score and its timestamp; the
formgrader's Autograde button grades the late one as `grade` would (the cheat earns nothing);
and a written answer graded by hand reaches grades.csv through `nbgrader export`.
"""

import csv
import os
import subprocess
import sys

import nbformat
import pytest

from autograder.grader.course import TEMPLATE, Course
from autograder.grader.release import release
from autograder.grader.roster import import_roster
from autograder.grader.sample_class import (
    completed,
    mistaken_source,
    mistakes,
    replace_stub,
    submit,
)
from autograder.grader.verify import cells_covering
from tests.autograder.grader.test_grade import points
from tests.autograder.grader.test_nbgrader_autograde import cheating
from tests.browser.lab_server import LabServer
from tests.browser.test_lab import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = ["02_softmax", "04_output_layer"]
GRADED = "04_output_layer"
TIMESTAMP = "2026-11-02 09:30:00.000000 UTC"


def written_points(lesson):
    """{grade_id: points} of the lesson's hand-graded (markdown) answer cells."""
    nb = nbformat.read(Course.open(TEMPLATE).notebook("source", lesson), as_version=4)
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "markdown"
    }


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
            [
                ["id", "first_name", "last_name"],
                ["ada", "Ada", "Lovelace"],
                ["bo", "Bo", "Peep"],
                ["mallory", "Mallory", "Moriarty"],
            ]
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
    # Handed in after the grading run: the formgrader's Autograde button grades it.
    (submit(course, "mallory", GRADED, cheating(course)) / "timestamp.txt").write_text(TIMESTAMP)
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
    total = full + sum(written_points(GRADED).values())  # the formgrader counts written answers
    stub = mistakes(GRADED)[0][0]
    rows = {
        row.inner_text().split("\t")[0].strip(): row.inner_text()
        for row in page.query_selector_all("tbody tr")
    }
    ada = next(r for k, r in rows.items() if "Lovelace" in k)
    bo = next(r for k, r in rows.items() if "Peep" in k)
    assert f"{full:g} / {total:g}" in ada.replace(".0", ""), ada
    lost = full - points(GRADED)[f"test_{stub}"]
    assert f"{lost:g} / {total:g}" in bo.replace(".0", ""), bo
    assert "2026-11-02 09:30:00" in ada, ada
    assert "None" not in text


def test_students_page_shows_names(page):
    text = visit(page, "manage_students", "text=Lovelace")
    shot(page, "students")
    assert "Lovelace, Ada" in text or "Ada Lovelace" in text
    assert "None, None" not in text


def test_the_autograde_button_grades_as_the_course_grader(page):
    """mallory's wrong linear_backward comes with the checks patched in her kernel: plain
    nbgrader would give her every point; the button runs the course's pipeline (its
    nbgrader_config.py), so she earns only the cells whose stubs are right."""
    visit(page, f"manage_submissions/{GRADED}", "text=mallory")
    page.locator("tbody tr", has_text="mallory").locator(".autograde a").click()
    page.wait_for_selector("text=Successfully autograded", timeout=300_000)
    shot(page, "autograde_button")
    full = sum(points(GRADED).values())
    total = full + sum(written_points(GRADED).values())
    covers = cells_covering(GRADED, "linear_backward")
    earned = full - sum(points(GRADED)[g] for g in covers)
    visit(page, f"manage_submissions/{GRADED}", "text=mallory")
    row = page.locator("tbody tr", has_text="mallory").inner_text()
    assert f"{earned:g} / {total:g}" in row.replace(".0", ""), row


def test_a_written_answer_graded_by_hand_reaches_grades_csv(page, course):
    """Grade ada's written answer in the formgrader's grading view; `nbgrader export` then
    counts it in grades.csv."""
    (written_id, worth), *_ = written_points(GRADED).items()
    api = page.request.get(page.lab.url(f"formgrader/api/submitted_notebooks/{GRADED}/{GRADED}"))
    ada = next(s for s in api.json() if s["student"] == "ada")
    page.goto(page.lab.url(f"formgrader/submissions/{ada['id']}"))
    score = page.locator(f"input.score#{written_id}")  # the formgrader names it by grade id
    score.wait_for(timeout=60_000)
    score.fill(f"{worth:g}")
    score.press("Tab")  # the formgrader saves a score when its input changes
    page.wait_for_timeout(1500)
    shot(page, "manual_grade")
    bin_dir = os.path.dirname(sys.executable)
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "export"],
        cwd=course.root,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]},
        check=True,
        capture_output=True,
        timeout=300,
    )
    with open(course.grades_csv) as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    full = sum(points(GRADED).values())
    assert float(rows["ada"]["raw_score"]) == full + worth
