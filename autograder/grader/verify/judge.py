"""Judging one answer in the grader's process: the answer key decides.

problem() compares what a stub gave on one input (an Outcome: returned, raised, hung, died,
missing, ...) with what the answer key (`reference`) gives on the same input, and returns None
or a Problem: a kind (for tests and reports) and the words a student reads.
"""

import reference as R
from autograder.grader.verify import answers, harness
from autograder.grader.verify.compare import Problem, compare, same


def expected(spec, case):
    """The answer key's Outcome on the case's inputs (returned, or raised when it must)."""
    outcome = answers.run_here(harness.resolve(spec.name, vars(R)), case.args)
    if outcome.status not in ("returned", "raised"):
        raise RuntimeError(f"the answer key's {spec.name} gave {outcome} on {case.label}")
    return outcome


# ---------------------------------------------------------------- one answer


def problem(spec, case, got, want):
    """None if `got` (the student's Outcome) agrees with `want` (the answer key's), else why."""
    on = f"on {case.label}"
    if got.status == "missing":
        return Problem(
            "missing",
            "is not defined when the notebook has run: write it in its cell, keep the name "
            "exactly as the lesson has it, and run the cell",
        )
    if got.status == "not_callable":
        return Problem(
            "not_callable",
            f"is a {got.detail}, not a function, when the notebook has run (does a later cell "
            "reuse the name?)",
        )
    if got.status == "timeout":
        return Problem(
            "hung",
            f"did not return within {got.detail:g} s {on}, so the grader stopped it "
            "(an endless loop?)",
        )
    if got.status == "died":
        return Problem("crashed", f"ended its process {on} ({_exit(got.detail)})")
    if got.status == "too_long":
        return Problem("too_big", f"gave an answer too large to read {on}")
    if got.status == "garbled":
        return Problem(
            "garbled",
            f"could not be checked {on}: what came back from the kernel was unreadable "
            f"({got.detail}); was the grader's code in the kernel changed?",
        )
    if want.status == "raised":
        return _expected_error(spec, case, got, want)
    if got.status == "raised":
        types = got.error.types
        if "NotImplementedError" in types:
            return Problem(
                "not_implemented", "is not implemented yet (it raised NotImplementedError)"
            )
        if "KeyboardInterrupt" in types:
            return Problem("hung", f"was interrupted {on} (it did not return in time)")
        message = f": {got.error.message}" if got.error.message else ""
        return Problem("raised", f"raised {got.error.name}{message} {on}")
    found = compare(got.value, want.value, "", spec)
    if found:
        return Problem(found.kind, f"is wrong {on}: {found.text}")
    if spec.no_warnings and got.warnings:
        return Problem(
            "warned",
            f'gave the right numbers {on}, but numpy warned: "{got.warnings[0]}". Compute it '
            "so that nothing overflows (the lesson shows how), then no warning appears",
        )
    for name in spec.unchanged:
        index = spec.args.index(name)
        before = answers.decode(case.args[index])
        after = got.args[index] if got.args is not None and len(got.args) > index else None
        if not same(after, before, rtol=0.0, atol=0.0):
            return Problem(
                "changed_input",
                f"changed its argument {name} {on}; it must leave {name} as it was (work on "
                "a copy, or put every entry back)",
            )
    return None


def _expected_error(spec, case, got, want):
    on = f"on {case.label}"
    kind = want.error.name
    if got.status == "returned":
        return Problem("no_error", f"returned a result {on}; it should raise a {kind}")
    if kind not in got.error.types:
        return Problem("wrong_error", f"raised {got.error.name} {on}; it should raise a {kind}")
    missing = [w for w in case.must_mention if w not in got.error.message]
    if missing:
        return Problem(
            "unclear_error",
            f"raised {kind}({got.error.message!r}) {on}; the message should name "
            f"{', '.join(case.must_mention)}, so the caller learns what is allowed",
        )
    return None


def _exit(code):
    if code is None:
        return "it ended without an answer"
    if code < 0:
        return f"it was killed by signal {-code}"
    return f"it exited with code {code}"
