"""Do the sandbox's setting, its exit-status reading and its answer-key check say the right thing?

Fast: no kernel runs here (the graded runs are in test_sandbox_grade.py).
"""

import nbformat
import pytest
from jupyter_client import AsyncKernelManager
from traitlets.config import Config

from autograder.grader import cli
from autograder.grader.cli import main, overrides
from autograder.grader.course import Course
from autograder.grader.execute import GradingExecute, describe_exit
from autograder.grader.jail import JailedKernelManager
from autograder.grader.sandbox import Sandbox, answer_key_importers

LESSON = "04_output_layer"


@pytest.mark.parametrize(
    ("code", "jailed", "words"),
    [
        (139, True, "it was killed by signal 11 (SIGSEGV)"),  # bubblewrap: 128 + 11
        (137, True, "it was killed by signal 9 (SIGKILL)"),
        (3, True, "it exited with code 3"),
        (128, True, "it exited with code 128"),
        (139, False, "it exited with code 139"),  # a plain kernel's own exit status
        (-11, False, "it was killed by signal 11 (SIGSEGV)"),
        (None, True, "it stopped without an exit status"),
    ],
)
def test_describe_exit_reads_bubblewraps_status(code, jailed, words):
    assert describe_exit(code, jailed) == words


def test_no_sandbox_is_a_setting_like_any_other(monkeypatch):
    """Does --no-sandbox set Sandbox.enabled, as nbgrader_config.py would, and pick the class?"""
    parser_args = []
    monkeypatch.setattr(cli, "grade", parser_args.append)  # main() then parses, grades nothing
    main(["grade", "--no-sandbox"])
    main(["grade"])
    no, default = parser_args
    assert overrides(no) == {"Sandbox": {"enabled": False}}
    assert overrides(default) == {}
    off = Config({"Sandbox": {"enabled": False}})
    assert Sandbox(config=off).enabled is False and Sandbox().enabled is True
    assert GradingExecute(config=off).kernel_manager_class is AsyncKernelManager
    assert GradingExecute(config=Config()).kernel_manager_class is JailedKernelManager
    assert GradingExecute().kernel_manager_class is JailedKernelManager


def test_a_test_cell_importing_the_answer_key_is_found(tmp_path):
    course = Course.create(tmp_path / "course", [LESSON])
    path = course.notebook("source", LESSON)
    nb = nbformat.read(path, as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    for cell in tests:
        cell.source = "check()\n"
    tests[1].source += "from reference.layers import linear_forward\n"
    nbformat.write(nb, path)
    assert answer_key_importers(course, [LESSON]) == [
        f"{LESSON}.ipynb: {tests[1].metadata.nbgrader.grade_id}"
    ]
    tests[1].source = "# import reference would be nice\nreferenced = 1\n"
    nbformat.write(nb, path)
    assert answer_key_importers(course, [LESSON]) == []


def test_nbgrader_config_turns_the_sandbox_off_as_the_option_does(tmp_path):
    course = Course.create(tmp_path / "course", [LESSON])
    assert GradingExecute(config=course.config).kernel_manager_class is JailedKernelManager
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write("c.Sandbox.enabled = False\n")
    course = Course.open(course.root)
    assert GradingExecute(config=course.config).kernel_manager_class is AsyncKernelManager
    again = Course.open(course.root, {"Sandbox": {"enabled": True}})  # the command line wins
    assert Sandbox(config=again.config).enabled
