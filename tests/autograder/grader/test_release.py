"""Does the student version work with only the student's dependencies, without reference/?"""

import ast
import inspect
import sys
import textwrap

import nbclient
import nbformat
import pytest

from autograder.grader.course import Course
from autograder.grader.mistakes import output_layer as mistakes
from autograder.grader.release import ReleaseError, release
from tests.lessons.notebook_rules import ROOT, check_cells, stubs_and_tests

LESSON = "04_output_layer"  # small and quick; the mechanism is the same for every lesson

# Installed into the grading kernel through PYTHONPATH: `reference` and `autograder` may only
# come from the released folder, as on a student's machine where neither is installed.
BLOCKER = """
import importlib.machinery
import os
import sys

ALLOWED = os.environ["COURSE_RELEASE_DIR"]


class OnlyTheReleasedFolder:
    def find_spec(self, name, path=None, target=None):
        if name not in ("reference", "autograder"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, [ALLOWED])
        if spec is None:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return spec


sys.meta_path.insert(0, OnlyTheReleasedFolder())
"""


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = Course.create(tmp_path_factory.mktemp("base") / "course", [LESSON])
    (folder,) = release(course, [LESSON])
    return folder


def plant(released_nb, source_nb, replacements=None):
    """Copy the source's solution cells into the released notebook, optionally replaced."""
    sources = {stub: cell.source for stub, (cell, _) in stubs_and_tests(source_nb).items()}
    sources.update(replacements or {})
    for stub, (cell, _) in stubs_and_tests(released_nb).items():
        cell.source = sources[stub]
    return released_nb


def execute_without_answer_key(nb, folder, tmp_path):
    blocker_dir = tmp_path / "blocker"
    blocker_dir.mkdir(exist_ok=True)
    (blocker_dir / "sitecustomize.py").write_text(BLOCKER)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            textwrap.dedent(
                """\
                import autograder
                try:
                    import reference
                    print("reference importable")
                except ImportError:
                    print("reference not importable")
                print("autograder from", autograder.__file__)
                """
            )
        )
    )
    client = nbclient.NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    import os

    env = {**os.environ, "PYTHONPATH": str(blocker_dir), "COURSE_RELEASE_DIR": str(folder)}
    client.execute(env=env)
    return nb


def outputs(cell, kind):
    return [o for o in cell.get("outputs", []) if o.output_type == kind]


@pytest.mark.slow
def test_released_lesson_runs_without_reference(released, tmp_path):
    """A correct student fills the stubs: every check passes with the shipped checks alone."""
    assert (released / "autograder" / "checks" / "output_layer.py").is_file()
    assert not (released / "reference").exists()
    assert (released / "00_notation.ipynb").is_file()  # the page the lesson links to
    assert not (released / "autograder" / "mistakes").exists()
    source = nbformat.read(Course.open(ROOT).notebook("source", LESSON), as_version=4)
    nb = plant(nbformat.read(released / f"{LESSON}.ipynb", as_version=4), source)
    nb = execute_without_answer_key(nb, released, tmp_path)
    probe = "".join(o.text for o in outputs(nb.cells[-1], "stream"))
    assert "reference not importable" in probe
    assert f"autograder from {released}" in probe
    for cell in nb.cells:
        assert not outputs(cell, "error"), cell.source[:200]
    for stub, tests in check_cells(nb).items():
        for test in tests:
            assert "\u2713" in "".join(o.text for o in outputs(test, "stream")), stub


@pytest.mark.slow
def test_released_lesson_names_a_planted_mistake(released, tmp_path):
    """A student who forgets to sum grad_b over the batch is told so, without reference."""
    wrong = inspect.getsource(mistakes.linear_backward__grad_b_not_summed)
    wrong = wrong.replace("linear_backward__grad_b_not_summed", "linear_backward")
    source = nbformat.read(Course.open(ROOT).notebook("source", LESSON), as_version=4)
    nb = plant(
        nbformat.read(released / f"{LESSON}.ipynb", as_version=4),
        source,
        {"linear_backward": "import numpy as np\n\n\n" + wrong},
    )
    nb = execute_without_answer_key(nb, released, tmp_path)
    grad_x, grad_W, grad_b = check_cells(nb)["linear_backward"]  # one test cell per gradient
    assert not outputs(grad_x, "error") and not outputs(grad_W, "error")
    (error,) = outputs(grad_b, "error")
    assert error.ename == "CheckFailure"
    assert "sum of the rows of grad_a" in error.evalue
    assert len(error.traceback) == 1  # one line, no traceback


def test_release_rejects_an_unknown_lesson(tmp_path):
    """A misspelt lesson name is refused with the list of lessons."""
    course = Course.create(tmp_path / "course", [LESSON])
    with pytest.raises(ReleaseError, match=f"no lesson named 04_outputlayer; lessons: {LESSON}"):
        release(course, ["04_outputlayer"])


def test_release_needs_a_course_directory(tmp_path):
    """Run from the wrong folder, release says where the config is missing."""
    with pytest.raises(ReleaseError, match="has no nbgrader_config.py"):
        release(tmp_path)


def imported_modules(path):
    """The top-level names a module imports (its own package's modules included)."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_shipped_checks_import_nothing_but_numpy():
    """The shipped checks need numpy, IPython (Jupyter's own) and the standard library only."""
    shipped = [ROOT / "autograder" / "__init__.py", *(ROOT / "autograder" / "checks").glob("*.py")]
    for module in shipped:
        for name in imported_modules(module):
            top = name.split(".")[0]
            ok = (
                top in sys.stdlib_module_names
                or top in ("numpy", "IPython")
                or name.startswith("autograder.checks")
            )
            assert ok, f"{module.name} imports {name}, which a student does not have"


def test_a_release_nbgrader_refuses_ends_with_the_cause(tmp_path):
    """When nbgrader refuses a lesson, does the error end with why, not 'see the traceback'?"""
    course = Course.create(tmp_path / "course", [LESSON])
    path = course.notebook("source", LESSON)
    nb = nbformat.read(path, as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    graded[1].metadata["nbgrader"]["grade_id"] = graded[0].metadata["nbgrader"]["grade_id"]
    nbformat.write(nb, path)
    with pytest.raises(ReleaseError) as raised:
        release(course, [LESSON])
    cause = str(raised.value).splitlines()[-1]
    assert "see the the above traceback" not in cause
    assert graded[0].metadata["nbgrader"]["grade_id"] in cause, cause
