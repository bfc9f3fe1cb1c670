"""Verdicts, and what they do to the executed notebook before nbgrader reads its grades.

A grade cell is worth its points only when its in-notebook test passed AND every stub it
covers was verified by the grader. apply_verdicts() rewrites the grade cells of an executed
notebook, in the grader's process, so that nbgrader's determine_grade (in SaveAutoGrades) can
only give exactly that: a cell with an unverified stub gets an error output with the sentence
(0 points), and no output can buy partial credit (an execute_result is what determine_grade
reads as a score, so each becomes a display_data showing the same thing).
"""

from dataclasses import dataclass

from nbformat.v4 import new_output

from autograder.grader.verify.inputs import lesson_inputs

ENAME = "NotVerified"


@dataclass(frozen=True)
class Verdict:
    """What the grader found for one stub.

    verified: right on every input tried. sentence: one line for the student, starting with
    the stub's name. kind: "right", or what went wrong ("wrong_values", "hung", "missing", ...).
    tries: inputs tried. hint: the key of the catalogued mistake that explains it, if one does.
    """

    stub: str
    verified: bool
    sentence: str
    kind: str
    tries: int = 0
    hint: str | None = None


def grade_cells(lesson):
    """{grade_id: (stubs it covers)} of a lesson's test cells."""
    return lesson_inputs(lesson).GRADE_CELLS


def apply_verdicts(nb, lesson, verdicts):
    """Rewrite nb's grade cells from `verdicts` (a list of Verdict, or None if verification
    never ran); return [(grade_id, sentence)] for every cell this sets to 0 points.

    Autograded test cells only; a grade cell the lesson's table does not list earns nothing.
    """
    table = grade_cells(lesson)
    by_stub = {v.stub: v for v in verdicts or ()}
    zeroed = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        cell.outputs = [_no_partial_credit(out) for out in cell.get("outputs", [])]
        grade_id = meta.get("grade_id")
        if grade_id not in table:
            sentence = f"{grade_id} is not a test of this lesson, so it earns no points."
            cell.outputs.append(_error(sentence))
            zeroed.append((grade_id, sentence))
            continue
        found = [by_stub.get(stub) or _never_verified(stub, verdicts) for stub in table[grade_id]]
        failed = [v.sentence for v in found if not v.verified]
        if failed:
            sentence = " ".join(failed)
            cell.outputs.append(_error(sentence))
            zeroed.append((grade_id, sentence))
        else:
            lines = "".join(f"\u2713 checked by the grader: {v.sentence}\n" for v in found)
            cell.outputs.append(new_output("stream", name="stdout", text=lines))
    return zeroed


def _never_verified(stub, verdicts):
    why = "the grader could not call it" if verdicts is None else "the grader has no verdict"
    return Verdict(
        stub, False, f"{stub} was not verified ({why}), so it earns no points.", "not_verified"
    )


def _no_partial_credit(out):
    if out.get("output_type") != "execute_result":
        return out
    return new_output("display_data", data=out.get("data", {}), metadata=out.get("metadata", {}))


def _error(sentence):
    return new_output(
        "error",
        ename=ENAME,
        evalue=sentence,
        traceback=[f"\x1b[0;31m{ENAME}\x1b[0m: {sentence}"],
    )
