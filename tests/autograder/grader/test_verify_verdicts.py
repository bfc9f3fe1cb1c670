"""Does apply_verdicts leave nbgrader's determine_grade exactly one choice per test cell: all
its points if the in-notebook test passed and its stubs were verified, else 0?

The judge of the score is nbgrader's own determine_grade, run on the rewritten notebook; the
expected points come from the cells' metadata.
"""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.utils import determine_grade

from autograder.grader.verify import Verdict, apply_verdicts

LESSON = "04_output_layer"
GRADS = ("grad_x", "grad_W", "grad_b")
BACKWARD = {
    f"test_linear_backward__{part}": points for part, points in zip(GRADS, (3, 3, 2), strict=True)
}
POINTS = {"test_linear_forward": 4, **BACKWARD}


def grade_cell(grade_id, outputs):
    meta = {
        "grade": True,
        "grade_id": grade_id,
        "locked": True,
        "points": POINTS.get(grade_id, 2),
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    stub, _, part = grade_id[5:].partition("__")
    parts = f', parts=("{part}",)' if part else ""
    cell = new_code_cell(f"check_{stub}({stub}{parts})", metadata={"nbgrader": meta})
    cell.outputs = outputs
    return cell


def notebook(forward_outputs, backward_outputs, extra=()):
    nb = new_notebook(
        cells=[
            new_code_cell("import numpy as np"),
            grade_cell("test_linear_forward", forward_outputs),
            *(grade_cell(grade_id, backward_outputs) for grade_id in BACKWARD),
            *extra,
        ]
    )
    return nb


def verdict(stub, ok, wrong_parts=None):
    """A Verdict; for linear_backward with one Verdict per part, those in wrong_parts wrong
    (every part wrong when the stub is wrong and wrong_parts is not given)."""
    sentence = f"{stub} {'was right' if ok else 'is wrong on x'}."
    if stub != "linear_backward":
        return Verdict(stub, ok, sentence, "right")
    wrong_parts = (() if ok else GRADS) if wrong_parts is None else wrong_parts
    parts = tuple(
        Verdict(
            stub,
            part not in wrong_parts,
            f"{stub}'s {part} ({part not in wrong_parts}).",
            "right",
            part=part,
        )
        for part in GRADS
    )
    return Verdict(stub, ok and not wrong_parts, sentence, "right", parts=parts)


def scores(nb):
    return {
        c.metadata["nbgrader"]["grade_id"]: determine_grade(c)[0]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


PASSED = [new_output("stream", name="stdout", text="\u2713 linear_forward: right\n")]
FAILED = [new_output("error", ename="CheckFailure", evalue="wrong", traceback=["wrong"])]
PARTIAL = [new_output("execute_result", data={"text/plain": "2.5"}, execution_count=3)]
TOO_MUCH = [new_output("execute_result", data={"text/plain": "999"}, execution_count=3)]
STDERR = [new_output("stream", name="stderr", text="a warning\n")]


@pytest.mark.parametrize(
    ("outputs", "verified", "points"),
    [
        (PASSED, True, 4),
        (PASSED, False, 0),
        (FAILED, True, 0),
        (FAILED, False, 0),
        ([], True, 4),  # a cell whose output a student suppressed earns only by verification
        ([], False, 0),
        (PARTIAL, True, 4),  # no partial credit from outputs: all or nothing
        (PARTIAL, False, 0),
        (TOO_MUCH, True, 4),  # nbgrader would raise on 999 > 4 points
        (STDERR, True, 0),  # nbgrader's own rule stands: stderr in a test cell costs it
    ],
)
def test_points_only_for_a_passed_test_and_a_verified_stub(outputs, verified, points):
    nb = notebook(outputs, [])
    verdicts = [verdict("linear_forward", verified), verdict("linear_backward", True)]
    zeroed = apply_verdicts(nb, LESSON, verdicts)
    assert scores(nb)["test_linear_forward"] == points
    assert {g: scores(nb)[g] for g in BACKWARD} == BACKWARD
    assert [g for g, _ in zeroed] == ([] if verified else ["test_linear_forward"])
    nbformat.validate(nb)


def test_the_sentence_reaches_the_cell():
    nb = notebook(PASSED, PASSED)
    apply_verdicts(nb, LESSON, [verdict("linear_forward", True), verdict("linear_backward", False)])
    forward, backward = nb.cells[1].outputs, nb.cells[2].outputs
    assert "checked by the grader: linear_forward was right." in forward[-1].text
    assert backward[-1].output_type == "error"
    assert backward[-1].ename == "NotVerified"
    assert backward[-1].evalue == "linear_backward's grad_x (False)."


def test_one_wrong_part_costs_only_its_own_cell():
    """linear_backward with grad_b wrong: grad_x's and grad_W's cells keep their points,
    grad_b's cell gets 0 and the sentence naming grad_b."""
    nb = notebook(PASSED, PASSED)
    verdicts = [verdict("linear_forward", True), verdict("linear_backward", False, ("grad_b",))]
    zeroed = apply_verdicts(nb, LESSON, verdicts)
    assert scores(nb) == {**POINTS, "test_linear_backward__grad_b": 0}
    assert zeroed == [("test_linear_backward__grad_b", "linear_backward's grad_b (False).")]


def test_a_stub_never_judged_part_by_part_fails_every_part_with_its_reason():
    """A linear_backward verdict without parts (the kernel died before it): every part's cell
    gets 0 and the stub's own sentence."""
    nb = notebook(PASSED, PASSED)
    dead = Verdict("linear_backward", False, "linear_backward was not verified: dead.", "x")
    zeroed = apply_verdicts(nb, LESSON, [verdict("linear_forward", True), dead])
    assert scores(nb) == {**POINTS, **dict.fromkeys(BACKWARD, 0)}
    assert {s for _, s in zeroed} == {"linear_backward was not verified: dead."}


def test_an_execute_result_is_kept_for_the_feedback_but_scores_nothing():
    nb = notebook(PARTIAL, [])
    apply_verdicts(nb, LESSON, [verdict("linear_forward", True), verdict("linear_backward", True)])
    shown = nb.cells[1].outputs[0]
    assert shown.output_type == "display_data" and shown.data["text/plain"] == "2.5"


def test_without_verdicts_nothing_scores():
    """Verification never ran (the kernel died for good): every test cell earns 0, saying so."""
    nb = notebook(PASSED, PASSED)
    zeroed = apply_verdicts(nb, LESSON, None)
    assert scores(nb) == dict.fromkeys(POINTS, 0)
    assert all("could not call it" in sentence for _, sentence in zeroed)


def test_a_missing_verdict_scores_nothing():
    nb = notebook(PASSED, PASSED)
    apply_verdicts(nb, LESSON, [verdict("linear_forward", True)])
    assert scores(nb) == {"test_linear_forward": 4, **dict.fromkeys(BACKWARD, 0)}


def test_a_grade_cell_the_lesson_does_not_have_scores_nothing():
    """A test cell the table does not list (one a student made up) earns nothing."""
    nb = notebook(PASSED, PASSED, extra=[grade_cell("test_bonus", PASSED)])
    verdicts = [verdict("linear_forward", True), verdict("linear_backward", True)]
    zeroed = apply_verdicts(nb, LESSON, verdicts)
    assert scores(nb) == {**POINTS, "test_bonus": 0}
    assert [g for g, _ in zeroed] == ["test_bonus"]
