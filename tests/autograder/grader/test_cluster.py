"""Does grading through a real Dask cluster give exactly what grading here gives?

One class (lessons 01 and 04: correct, untouched and mistaken submissions, one that kills its
kernel, one that never returns, one cut in half, one hoarding memory, one with no notebook but
another file, one with a timestamp), graded twice from copies of one course: by the local
worker pool, and by a `dask scheduler` with two `dask worker` processes started here on
127.0.0.1 (local_cluster.LocalCluster, stopped by PID), one of which is killed (SIGKILL) while
it runs a submission. Expected scores come from the lessons' points (test_grade's judge), not
from either run.
"""

import html
import re
import shutil
import socket
import subprocess
import sys
from types import SimpleNamespace

import pytest

from autograder.grader import cluster as cluster_module
from autograder.grader.cli import main
from autograder.grader.course import Course
from autograder.grader.grade import grade
from autograder.grader.local_cluster import LocalCluster
from autograder.grader.release import release
from autograder.grader.report import problem_lines
from autograder.grader.sample_class import completed, demo_class, submit, with_body
from tests.autograder.grader.test_grade import demo_expectations, scores

LESSONS = ["01_chain_rule", "04_output_layer"]
TIMEOUT = 10
KILL_AFTER = 3  # results: the cluster is busy then, with most of the class still to run
NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"  # in the verdicts on random inputs


def plant(base):
    """demo_class plus a folder without the notebook and a timestamped submission; return
    {(student, lesson): expected score}."""
    expected = demo_expectations(demo_class(base, LESSONS))
    folder = submit(base, "no_notebook", "04_output_layer")
    (folder / "my_answers.py").write_text("print('hello')\n")
    expected["no_notebook", "04_output_layer"] = 0
    folder = submit(base, "punctual", "04_output_layer", completed(base, "04_output_layer"))
    (folder / "timestamp.txt").write_text("2024-01-01 12:00:00.000000 UTC\n")
    expected["punctual", "04_output_layer"] = expected["ada", "04_output_layer"]
    return expected


def copy_of(base, tmp_path_factory, name):
    root = tmp_path_factory.mktemp(name) / "course"
    shutil.copytree(base.root, root)
    return Course.open(root, {"GradingExecute": {"timeout": TIMEOUT}, "Grader": {"jobs": 2}})


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The class graded locally and on the cluster (worker 0 killed after KILL_AFTER results).

    .local, .cluster: (course, GradeReport); .killed_while_running: the keys worker 0 was
    running when killed; .leftovers: the workers' private course folders left in their TMPDIR.
    """
    base = Course.create(tmp_path_factory.mktemp("base") / "course", LESSONS)
    release(base, LESSONS)
    expected = plant(base)
    local = copy_of(base, tmp_path_factory, "local")
    local_report = grade(local)
    worker_tmp = tmp_path_factory.mktemp("worker_tmp")
    killed = {}
    with LocalCluster(workers=2, env={"TMPDIR": str(worker_tmp)}) as cluster:

        def progress(done, total, text):
            if done == KILL_AFTER:
                killed["keys"] = running_on(cluster, "worker0")
                cluster.kill_worker(0)

        on_cluster = copy_of(base, tmp_path_factory, "cluster").with_config(
            {"Grader": {"scheduler": cluster.address}}
        )
        cluster_report = grade(on_cluster, progress=progress)
        worker0_exit = cluster.worker_processes[0].poll()
    return SimpleNamespace(
        expected=expected,
        local=(local, local_report),
        cluster=(on_cluster, cluster_report),
        killed_while_running=killed.get("keys", ()),
        worker0_exit=worker0_exit,
        leftovers=sorted(p.name for p in worker_tmp.iterdir()),
    )


def running_on(cluster, name):
    """The keys of the tasks the scheduler has on the worker called `name`, as it says now."""
    from distributed import Client

    with Client(cluster.address, set_as_default=False) as client:
        workers = client.scheduler_info(n_workers=-1)["workers"]
        address = next(a for a, info in workers.items() if info["name"] == name)
        return tuple(client.processing([address]).get(address, ()))


def notes_of(report):
    return sorted(problem_lines(report.graded))


def feedback_pages(course):
    """{relative path: page text}, each NotVerified sentence's numbers replaced by '#': the
    grader draws fresh random inputs for every run (local or not), so the shapes and values
    a wrong stub is quoted on differ between any two runs; every other character must not."""

    def same_up_to_inputs(text):
        return "\n".join(
            re.sub(NUMBER, "#", line) if "NotVerified" in line else line
            for line in html.unescape(text).splitlines()
        )

    return {
        str(p.relative_to(course.feedback)): same_up_to_inputs(p.read_text())
        for p in sorted(course.feedback.rglob("*.html"))
    }


@pytest.mark.slow
def test_the_cluster_grades_everyone_exactly_as_the_lessons_points_say(runs):
    """Every submission, the killed worker's included, gets the score its lesson's points give."""
    course, report = runs.cluster
    assert report.complete, notes_of(report)
    got = scores(course)
    assert {k: got[k] for k in runs.expected} == pytest.approx(runs.expected)


@pytest.mark.slow
def test_a_worker_was_killed_while_it_ran_a_submission(runs):
    """Did the test do what it says: worker 0 died by SIGKILL with a submission in hand?"""
    assert runs.killed_while_running, "worker 0 was idle when killed: nothing was lost"
    assert runs.worker0_exit == -9


@pytest.mark.slow
def test_cluster_and_local_runs_agree_on_grades_notes_and_feedback(runs):
    """The same grades.csv, the same notes (kernel.log paths included), the same feedback."""
    (local, local_report), (on_cluster, cluster_report) = runs.local, runs.cluster
    assert local_report.complete
    assert scores(on_cluster) == scores(local)
    assert notes_of(cluster_report) == notes_of(local_report)
    assert [(g.student, g.lesson) for g in cluster_report.graded] == [
        (g.student, g.lesson) for g in local_report.graded
    ]
    local_pages, cluster_pages = feedback_pages(local), feedback_pages(on_cluster)
    assert sorted(cluster_pages) == sorted(local_pages)
    assert len(local_pages) == len(runs.expected)
    for page, text in local_pages.items():
        assert same_text(cluster_pages[page]) == same_text(text), page


def same_text(page):
    """A feedback page's text as a reader sees it, runs of whitespace as one space: a cell's
    prints come as one stream output or several, as the kernel's messages happen to be batched
    (differently on a loaded machine), which changes the markup but not what is shown."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.slow
def test_notes_name_the_kernels_fate_and_the_files_found(runs):
    """The notes a worker elsewhere writes say what a local one says, for each bad kind."""
    notes = "\n".join(notes_of(runs.cluster[1]))
    assert "the kernel died while running this cell (it exited with code 1)" in notes
    assert f"ran past the time limit ({TIMEOUT} s)" in notes
    assert "no 04_output_layer.ipynb was submitted (found: my_answers.py)" in notes
    assert "ran out of memory" in notes


@pytest.mark.slow
def test_what_the_workers_ran_comes_back_to_the_graders_course(runs):
    """Executed notebooks (timestamp included: nbgrader's autograde carries it to autograded/
    once they are saved, and the executed copy goes) and kernel logs are where a local run puts
    them; the workers' own folders are gone (but the one the killed worker was using)."""
    course, _ = runs.cluster
    saved = course.notebook("autograded", "04_output_layer", student="punctual").parent
    assert (saved / "timestamp.txt").read_text().startswith("2024-01-01")
    assert not course.executed("punctual", "04_output_layer").exists()
    assert (course.workdir("crashes", "01_chain_rule") / "kernel.log").is_file()
    assert course.notebook("autograded", "04_output_layer", student="punctual").is_file()
    left = [name for name in runs.leftovers if name.startswith("autograder-worker-")]
    assert len(left) <= len(runs.killed_while_running), left


KILL_WORKER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)  # the grading worker"


def worker_killing_class(tmp_path):
    """A course with ada (correct) and mallory, whose lesson 04 kills the process running its
    kernel: the Dask worker. Unjailed: in the jail her kernel cannot see the worker at all
    (test_sandbox_grade.py shows that); here the cluster's handling of lost workers is tried."""
    course = Course.create(tmp_path / "course", ["04_output_layer"])
    course = course.with_config({"Sandbox": {"enabled": False}})
    release(course, ["04_output_layer"])
    submit(course, "ada", "04_output_layer", completed(course, "04_output_layer"))
    nb = with_body(course, "04_output_layer", "linear_forward", KILL_WORKER)
    submit(course, "mallory", "04_output_layer", nb)
    return course


@pytest.mark.slow
def test_a_worker_killing_submission_is_not_graded_and_the_rest_is(tmp_path):
    """Workers under nannies (dask worker's default) come back each time mallory kills one;
    Dask tries mallory on four workers, then it is reported not graded; ada is graded."""
    course = worker_killing_class(tmp_path)
    with LocalCluster(workers=2, nanny=True) as cluster:
        report = grade(course.with_config({"Grader": {"scheduler": cluster.address}}))
    by_student = {g.student: g for g in report.graded}
    assert by_student["ada"].score == 15 and not by_student["ada"].notes
    assert by_student["mallory"].score is None
    assert by_student["mallory"].notes == [
        "not graded: 4 Dask workers died while running it (Dask runs a task again on another "
        "worker 3 times); to grade it again: python -m autograder grade 04_output_layer "
        "--student mallory"
    ]


@pytest.mark.slow
def test_a_cluster_left_without_workers_gives_up_instead_of_waiting(tmp_path, monkeypatch):
    """One worker without a nanny, killed by mallory: the run ends, mallory not graded."""
    monkeypatch.setattr(cluster_module, "WORKERS_SECONDS", 3)
    course = worker_killing_class(tmp_path)
    (course.submitted / "ada").rename(course.root / "ada")  # mallory alone
    with LocalCluster(workers=1) as cluster:
        report = grade(course.with_config({"Grader": {"scheduler": cluster.address}}))
    (mallory,) = report.graded
    assert mallory.score is None
    assert mallory.notes[0].startswith(
        "not graded: the Dask cluster had no worker left for 3 s; to grade it again"
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_sentence_and_exit_2(tmp_path, capsys):
    """Nothing listens at the address: grade says so in one sentence and exits 2."""
    course = Course.create(tmp_path / "course", ["04_output_layer"])
    release(course, ["04_output_layer"])
    submit(course, "ada", "04_output_layer", completed(course, "04_output_layer"))
    address = f"tcp://127.0.0.1:{free_port()}"
    assert main(["grade", "--course", str(course.root), "--scheduler", address]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"grade: cannot reach the Dask scheduler at {address} (")
    assert err.endswith("(or DASK_SCHEDULER_ADDRESS)") and "\n" not in err
    assert not course.grades_csv.exists()


def test_without_a_scheduler_dask_is_never_imported(tmp_path):
    """A local grade neither needs nor loads distributed; DASK_SCHEDULER_ADDRESS selects Dask."""
    course = Course.create(tmp_path / "course", ["04_output_layer"])
    probe = (
        "import os, sys\n"
        "from autograder.grader.cli import main\n"
        "from autograder.grader.course import Course\n"
        "from autograder.grader.grade import LocalPool, executor\n"
        f"course = Course.open({str(course.root)!r})\n"
        "assert isinstance(executor(course, 1), LocalPool)\n"
        "assert 'distributed' not in sys.modules and 'dask' not in sys.modules\n"
        "os.environ['DASK_SCHEDULER_ADDRESS'] = 'tcp://127.0.0.1:1'\n"
        "assert type(executor(course, 1)).__name__ == 'ClusterPool'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
