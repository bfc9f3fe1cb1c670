"""Does any cheat a student can add to the kernel change the score, once the grader verifies?

Lesson 04 with linear_forward and linear_backward_loop right (4 + 3 points) and linear_backward
returning zeros (its three gradients' cells lost): without a cheat it scores 7. Each cheat of
cheats.py is added as a cell and the notebook is graded through GradingExecute (which verifies
the stubs), apply_verdicts and nbgrader's determine_grade, as run_submission does. Each must
score exactly 7; and each "more" cheat must be shown to work against grading that trusts the
notebook's outputs (the same notebook, scored before the verdicts), or this test would prove
nothing.
"""

import json

import nbformat
import pytest
from nbgrader.utils import determine_grade, is_grade
from traitlets.config import Config

from autograder.grader.execute import GradingExecute
from autograder.grader.sandbox import stage_lesson_files
from autograder.grader.verify import apply_verdicts
from tests.autograder.grader.cheats import ANSWER_KEY_STUB, CHEATS
from tests.lessons.notebook_rules import notebook_path

pytestmark = pytest.mark.slow

LESSON = "04_output_layer"
ZEROS = '''def linear_backward(grad_a, x, W):
    """Returns zeros of the right shapes: the stub a cheat tries to pass off as right."""
    x, W = np.asarray(x, dtype=float), np.asarray(W, dtype=float)
    return np.zeros_like(x), np.zeros_like(W), np.zeros(W.shape[0])
'''
# test_linear_forward's and test_linear_backward_loop's points (4 + 3; the loop version is the
# answer's, and right): what the honest wrong submission earns
RIGHT_ONLY = 7


def submission(cheat=None, backward=ZEROS):
    """Lesson 04 with linear_backward's cell holding `backward`, and the cheat's cell where it
    goes."""
    nb = nbformat.read(notebook_path(LESSON), as_version=4)
    cells = nb.cells
    for cell in cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "linear_backward":
            cell.source = backward
    if cheat is not None:
        setup = next(
            i
            for i, c in enumerate(cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
        )
        at = {"first": setup, "after_setup": setup + 1, "last": len(cells)}[cheat.where]
        cells.insert(at, nbformat.v4.new_code_cell(cheat.source.strip()))
    return nb


def score(nb):
    return sum(determine_grade(c)[0] for c in nb.cells if c.cell_type == "code" and is_grade(c))


def grade(nb, tmp_path):
    """(output-based score before the verdicts, or 'crash'; score after; the notebook).

    The kernel runs in the jail, as grade runs it: shown the released checks, not the
    answer key."""
    lesson = stage_lesson_files(tmp_path / "lesson")
    config = Config({"JailedKernelManager": {"lesson_dir": str(lesson)}})
    execute = GradingExecute(timeout=60, config=config)
    resources = {"metadata": {"path": str(tmp_path)}, "nbgrader": {"assignment": LESSON}}
    nb, _ = execute.preprocess(nb, resources)
    try:
        raw = score(nb)
    except ValueError:  # determine_grade: "partial credit cannot be greater than maximum"
        raw = "crash"
    apply_verdicts(nb, LESSON, execute.verdicts)
    return raw, score(nb), nb


def test_without_a_cheat_the_wrong_stub_loses_its_points(tmp_path):
    raw, final, nb = grade(submission(), tmp_path)
    assert raw == final == RIGHT_ONLY


@pytest.mark.parametrize("name", CHEATS)
def test_a_cheat_changes_nothing(name, tmp_path):
    cheat = CHEATS[name]
    raw, final, nb = grade(submission(cheat), tmp_path)
    expected_raw = {"more": "more", "same": RIGHT_ONLY, "crash": "crash"}[cheat.raw]
    if expected_raw == "more":
        assert raw != "crash" and raw > RIGHT_ONLY, f"{name} does not even fool the outputs"
    else:
        assert raw == expected_raw
    assert final == RIGHT_ONLY, f"{name}: {final} points"
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "backprop_verify" not in shown and "NAMESPACE" not in shown  # no grader code leaks


# Right wherever the notebook's check calls it, grad_b wrong everywhere else: a part whose
# in-notebook test passes but which the grader finds wrong.
RIGHT_FOR_THE_CHECK_ONLY = '''def linear_backward(grad_a, x, W):
    """Right when a check of autograder.checks calls it; grad_b zero for any other caller."""
    import inspect

    grad_a, x = np.asarray(grad_a, dtype=float), np.asarray(x, dtype=float)
    grad_W = np.outer(grad_a, x) if grad_a.ndim == 1 else grad_a.T @ x
    grad_b = grad_a.copy() if grad_a.ndim == 1 else grad_a.sum(axis=0)
    if not any("checks" in frame.filename for frame in inspect.stack()):
        grad_b = np.zeros_like(grad_b)
    return grad_a @ W, grad_W, grad_b
'''


def test_a_part_right_only_for_the_notebook_s_check_earns_nothing(tmp_path):
    """grad_b's cell passes in the notebook (output-based grading gives every point) but the
    grader's own inputs find grad_b wrong: that cell alone gets 0, grad_x's and grad_W's cells
    keep their points, and the sentence names grad_b."""
    nb = submission(backward=RIGHT_FOR_THE_CHECK_ONLY)
    points = {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.cell_type == "code" and is_grade(c)
    }
    raw, final, nb = grade(nb, tmp_path)
    assert raw == sum(points.values())
    assert final == sum(points.values()) - points["test_linear_backward__grad_b"]
    (cell,) = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("__grad_b")
    ]
    assert "linear_backward's grad_b is wrong on" in cell.outputs[-1].evalue


def test_handing_in_the_answer_key_is_refused(tmp_path):
    """The jail shows the kernel no answer key: a stub cell importing it defines nothing."""
    _, final, _ = grade(submission(backward=ANSWER_KEY_STUB), tmp_path)
    assert final == RIGHT_ONLY
