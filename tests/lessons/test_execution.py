"""Does every lesson run top to bottom, and does nbgrader's student version do what it should?"""

import re

import pytest
from nbgrader.utils import determine_grade, is_grade

from tests.lessons.conftest import execute, lesson_params
from tests.lessons.notebook_rules import notebook_path, read, secret_lines, stubs_and_tests

pytestmark = pytest.mark.slow


def error_outputs(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def stderr_text(cell):
    return "".join(
        o.text for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stderr"
    )


@pytest.mark.parametrize("lesson", lesson_params())
def test_solution_runs_and_earns_every_point(lesson, executed_sources):
    """Fresh kernel, no error, under 60 s, and nbgrader gives every grade cell full points."""
    nb, seconds = executed_sources(lesson)
    for cell in nb.cells:
        assert not error_outputs(cell), f"{lesson}: error in\n{cell.source[:300]}"
    for cell in nb.cells:
        if cell.cell_type == "code" and is_grade(cell):
            gid = cell.metadata["nbgrader"]["grade_id"]
            assert not stderr_text(cell), f"{lesson}:{gid} wrote to stderr: {stderr_text(cell)}"
            score, max_score = determine_grade(cell)
            assert score == max_score, f"{lesson}:{gid} scored {score}/{max_score}"
    assert seconds < 60, f"{lesson} took {seconds:.1f} s to execute (budget 60 s)"


@pytest.mark.parametrize("lesson", lesson_params())
def test_student_version_hides_solutions_and_hidden_tests(lesson, student_course):
    """No line that exists only in a solution or hidden-test region survives the release."""
    source = read(notebook_path(lesson))
    released = read(student_course / "release" / lesson / f"{lesson}.ipynb")
    text = "\n".join(cell.source for cell in released.cells)
    leaked = sorted(line for line in secret_lines(source) if line in text)
    assert not leaked, (
        f"{lesson}: solution or hidden-test lines in the student version: {leaked[:5]}"
    )
    assert "### BEGIN SOLUTION" not in text and "### BEGIN HIDDEN TESTS" not in text
    for stub, (cell, _) in stubs_and_tests(released).items():
        assert "raise NotImplementedError()" in cell.source, f"{lesson}: {stub} is not a stub"


@pytest.mark.parametrize("lesson", lesson_params())
def test_student_version_fails_every_check_kindly(lesson, student_course):
    """Every stub raises NotImplementedError, every visible test fails with one friendly line."""
    folder = student_course / "release" / lesson
    nb, _ = execute(folder / f"{lesson}.ipynb", folder, allow_errors=True)
    pairs = stubs_and_tests(nb)
    for stub, (_, test_cell) in pairs.items():
        errors = error_outputs(test_cell)
        assert errors, f"{lesson}: test_{stub} passed against an empty stub"
        assert errors[0].ename == "NotImplementedYet", f"{lesson}: test_{stub}: {errors[0].ename}"
        assert f"{stub} is not implemented yet" in errors[0].evalue
        assert len(errors[0].traceback) == 1, f"{lesson}: test_{stub} shows a traceback"
    for cell in nb.cells:
        for err in error_outputs(cell):
            assert err.ename in {"NotImplementedYet", "NotImplementedError"}, (
                f"{lesson}: a cell fails with {err.ename}: {err.evalue}\n{cell.source[:300]}"
            )


@pytest.mark.parametrize("lesson", lesson_params())
def test_release_leaves_out_the_worked_solutions(lesson, student_course):
    """Does the student version lack the instructor-only cell (and any line of it), while the
    source has it, every other cell kept in order?"""
    source = read(notebook_path(lesson))
    released = read(student_course / "release" / lesson / f"{lesson}.ipynb")
    ids = [c.get("id") for c in source.cells]
    assert "exercise-solutions" in ids
    assert [c.get("id") for c in released.cells] == [i for i in ids if i != "exercise-solutions"]
    (worked,) = [c.source for c in source.cells if c.get("id") == "exercise-solutions"]
    text = "\n".join(c.source for c in released.cells)
    leaked = [line for line in worked.splitlines() if len(line) > 20 and line in text]
    assert not leaked and "Worked solutions" not in text, leaked[:3]


def printed(nb, cell_id):
    """The stdout a cell printed when the notebook ran."""
    (cell,) = [c for c in nb.cells if c.get("id") == cell_id]
    return "".join(o.text for o in cell.outputs if o.output_type == "stream")


def number_after(text, words):
    match = re.search(re.escape(words) + r"\s*([-+0-9.e]+)", text)
    assert match, (words, text)
    return float(match[1])


def test_lesson_01_engine_agrees_with_its_judges(executed_sources):
    """Does the figure's backward pass equal central differences (-1, 4, 2, 0, by hand), and does
    the engine's dL/dW1 for section 6's network equal the central differences of the loss?"""
    nb, _ = executed_sources("01_chain_rule")
    figure = printed(nb, "graph-figure")
    assert "dL/dx = 1 + (-2) = -1, dL/dy = 4, dL/dz = 2, dL/dw = 0" in figure
    assert "central differences, d/d[x, y, z, w]: [-1.  4.  2.  0.]" in figure
    network = printed(nb, "engine-network")
    assert number_after(network, "all of dL/dW1:") < 1e-8
    engine, paths = re.search(r"engine: ([-+0-9.]+)\s+four paths: ([-+0-9.]+)", network).groups()
    assert engine == paths


def test_lesson_03_engine_and_gradient_check(executed_sources):
    """Does lesson 01's engine give p - y on lesson 03's logits, and does the worked gradient
    check find softmax_cross_entropy right (relative error below 1e-7)?"""
    nb, _ = executed_sources("03_cross_entropy")
    assert number_after(printed(nb, "engine-p-minus-y"), "largest difference:") < 1e-12
    assert number_after(printed(nb, "gradcheck-yours"), "central differences:") < 1e-7
