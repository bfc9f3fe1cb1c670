"""Verdicts, and what they do to the executed notebook before nbgrader reads its grades.

A grade cell is worth its points only when its in-notebook test passed AND every stub it
covers was verified by the grader. A cell may cover one part of a stub's answer instead, as
("linear_backward", "grad_W"): then that part alone must have been right on every input.
apply_verdicts() rewrites the grade cells of an executed notebook, in the grader's process, so
that nbgrader's determine_grade (in SaveAutoGrades) can only give exactly that: a cell with an
unverified stub gets an error output with the sentence (0 points), and no output can buy partial
credit (an execute_result is what determine_grade reads as a score, so each becomes a
display_data showing the same thing).
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
    part: for a part's own verdict, the part's name ("grad_W"); None for the whole stub.
    parts: a stub whose answer has named parts carries one Verdict per part, in order.
    """

    stub: str
    verified: bool
    sentence: str
    kind: str
    tries: int = 0
    hint: str | None = None
    part: str | None = None
    parts: tuple = ()


def grade_cells(lesson):
    """{grade_id: (what it covers)} of a lesson's test cells: each entry a stub's name, or a
    (stub, part) pair for one part of a stub's answer."""
    return lesson_inputs(lesson).GRADE_CELLS


def stub_of(entry):
    """The stub a GRADE_CELLS entry belongs to: "linear_forward", or ("linear_backward",
    "grad_W") -> "linear_backward"."""
    return entry if isinstance(entry, str) else entry[0]


def cells_covering(lesson, stub):
    """The grade_ids whose points depend on `stub` (on the whole of it or on any of its parts)."""
    return [g for g, covered in grade_cells(lesson).items() if stub in map(stub_of, covered)]


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
        found = [_verdict_for(entry, by_stub, verdicts) for entry in table[grade_id]]
        failed = [v.sentence for v in found if not v.verified]
        if failed:
            sentence = " ".join(failed)
            cell.outputs.append(_error(sentence))
            zeroed.append((grade_id, sentence))
        else:
            lines = "".join(f"\u2713 checked by the grader: {v.sentence}\n" for v in found)
            cell.outputs.append(new_output("stream", name="stdout", text=lines))
    return zeroed


def _verdict_for(entry, by_stub, verdicts):
    """The Verdict that decides a GRADE_CELLS entry: the stub's, or the one of its part."""
    stub = stub_of(entry)
    verdict = by_stub.get(stub)
    if verdict is None:
        return _never_verified(stub, verdicts)
    if isinstance(entry, str):
        return verdict
    part = entry[1]
    for one in verdict.parts:
        if one.part == part:
            return one
    if not verdict.verified:  # never judged part by part (the kernel died first): its reason
        return verdict
    return Verdict(
        stub,
        False,
        f"{stub}'s {part} was not verified (the grader has no verdict on it), so it "
        "earns no points.",
        "not_verified",
        part=part,
    )


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
