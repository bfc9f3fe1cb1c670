"""Does a grading run stopped from outside leave nothing running behind it?

`grade` is a tree of processes: the grader, its fork server, the workers (children of the fork
server), and each worker's jailed kernel. Python's multiprocessing leaves that tree standing
when the grader is killed (the workers wait forever on a queue they hold themselves). Each test
starts `python -m autograder grade` on submissions that sleep in their first stub, waits until
kernels are running, records every process below the grader, stops the grader with a signal,
and requires every recorded process to be gone soon after; SIGTERM and SIGHUP end the run as
Ctrl-C does, with exit status 130 and a sentence that says so. SIGKILL runs nothing in the
grader: the workers notice its end themselves (lifeline.watch_grader).
"""

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from autograder.grader.course import Course
from autograder.grader.release import release
from autograder.grader.sample_class import submit, with_body

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"
SLEEPS = "import time\ntime.sleep(120)"


@pytest.fixture(scope="module")
def sleepy_course(tmp_path_factory):
    """LESSON released, and three students whose linear_forward sleeps for two minutes."""
    course = Course.create(tmp_path_factory.mktemp("interrupt") / "course", [LESSON])
    release(course, [LESSON])
    for student in ("ada", "bob", "cy"):
        submit(course, student, LESSON, with_body(course, LESSON, "linear_forward", SLEEPS))
    return course


def kernels_below(process):
    return [p for p in process.children(recursive=True) if _is_kernel(p)]


def _is_kernel(process):
    try:
        return "ipykernel" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def still_running(processes):
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.Error:
            pass
    return alive


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_a_stopped_run_leaves_no_process_behind(sleepy_course, signum):
    command = [sys.executable, "-m", "autograder", "grade", "--course", str(sleepy_course.root)]
    grader = subprocess.Popen(
        [*command, "--jobs", "2", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1"},
    )
    try:
        tree = psutil.Process(grader.pid)
        deadline = time.monotonic() + 90
        while len(kernels_below(tree)) < 2:  # both workers busy with a sleeping submission
            assert grader.poll() is None, grader.communicate()
            assert time.monotonic() < deadline, "no two kernels came up in 90 s"
            time.sleep(0.2)
        below = tree.children(recursive=True)
        assert len(below) >= 5, below  # fork server, 2 workers, 2 kernels at least
        grader.send_signal(signum)
        out, err = grader.communicate(timeout=30)
        deadline = time.monotonic() + 20
        while still_running(below) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [(p.pid, " ".join(p.cmdline())[:80]) for p in still_running(below)]
        assert left == [], left
    finally:
        if grader.poll() is None:
            grader.kill()
            grader.wait()
    if signum == signal.SIGKILL:
        assert grader.returncode == -signal.SIGKILL
        return
    assert grader.returncode == 130, (out, err)
    name = signal.Signals(signum).name
    assert f"grade: interrupted by {name}; its workers and kernels are stopped" in err, err
