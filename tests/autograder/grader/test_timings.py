"""Does a grading run say where its time went (.grading/timings.json), truthfully?

The judge is a cell that sleeps a known time: execution must count at least that, and no
phase may claim more than the run's wall time. The workers' environment is checked too: they
are forked from a server started earlier, and must still see the grader's environment as it
is when the pool starts.
"""

import os
import time

import pytest
from nbformat.v4 import new_code_cell

from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.grade import LocalPool
from autograder.grader.release import release
from autograder.grader.sample_class import completed, submit
from autograder.grader.timings import PHASES, breakdown, read

LESSON = "04_output_layer"
SLEEP = 2.0


@pytest.mark.slow
def test_phases_of_a_run_add_up(tmp_path):
    course = Course.create(tmp_path / "course", [LESSON])
    release(course, [LESSON])
    nb = completed(course, LESSON)
    nb.cells.append(new_code_cell(f"import time\ntime.sleep({SLEEP})"))
    submit(course, "ada", LESSON, nb)
    submit(course, "bob", LESSON, completed(course, LESSON))
    start = time.perf_counter()
    assert main(["grade", "--course", str(course.root), "--quiet", "--jobs", "1"]) == 0
    wall = time.perf_counter() - start
    found = read(course.root)
    rows = {r["student"]: r for r in found["submissions"]}
    assert set(rows) == {"ada", "bob"}
    assert found["workers"] == 1 and 0 < found["wall"] <= wall
    for row in rows.values():
        assert set(PHASES) <= set(row)
        # One worker: its phases happen one after another, within the run.
        assert all(row[p] > 0 for p in PHASES if p != "wait")
        assert row["wait"] >= 0
    assert rows["ada"]["execute"] >= SLEEP
    assert rows["bob"]["execute"] < rows["ada"]["execute"]
    worker = sum(r[p] for r in rows.values() for p in PHASES if p != "save")
    assert worker <= wall
    assert set(breakdown(found["submissions"])) == set(PHASES)


def test_workers_see_the_environment_of_now(monkeypatch):
    with LocalPool(1) as pool:  # the fork server is up from here on
        assert pool.pool.submit(os.getpid).result() != os.getpid()
    monkeypatch.setenv("AUTOGRADER_TIMINGS_TEST", "set after the fork server started")
    with LocalPool(1) as pool:
        seen = pool.pool.submit(os.getenv, "AUTOGRADER_TIMINGS_TEST").result()
    assert seen == "set after the fork server started"
