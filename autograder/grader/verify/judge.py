"""Judging one answer in the grader's process: the answer key decides, the catalogue explains.

problem() compares what a stub gave on one input with what the answer key (`reference`) gives
on the same input, and returns None or a Problem: a kind (for tests and reports) and the words
a student reads. find_hint() looks through the lesson's catalogue of known mistakes
(autograder/checks/<lesson>.py MISTAKES, implemented as <stub>__<key> in
autograder/grader/mistakes/<lesson>.py) for one whose implementation gives exactly what the
student's gave on every input tried so far.
"""

from dataclasses import dataclass
from importlib import import_module

import numpy as np

import reference as R
from autograder.grader.verify import answers
from autograder.grader.verify.answers import Opaque, TooBig

MATCH_RTOL, MATCH_ATOL = 1e-8, 1e-12  # "gives exactly this": rounding apart, the same numbers


@dataclass(frozen=True)
class Problem:
    """What is wrong with one answer. kind: a short name; text: follows the stub's name."""

    kind: str
    text: str


def expected(spec, case):
    """The answer key's Outcome on the case's inputs (returned, or raised when it must)."""
    outcome = answers.run_here(getattr(R, spec.name), case.args)
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


# ---------------------------------------------------------------- comparing values


def compare(got, want, where, spec):
    """None if got matches want (structure, shape, dtype, values); else Problem(kind, text).

    where: the name of the part being compared ("" for the whole result).
    """
    if isinstance(want, tuple | list):
        kind = type(want).__name__
        if not isinstance(got, tuple | list) or len(got) != len(want):
            names = f" ({', '.join(spec.parts)})" if not where and spec.parts else ""
            return Problem(
                "wrong_structure",
                f"{_name(where)} is {describe(got)}, expected a {kind} of {len(want)}{names}",
            )
        for index, (g, w) in enumerate(zip(got, want, strict=True)):
            child = spec.parts[index] if not where and spec.parts else f"{_name(where)}[{index}]"
            found = compare(g, w, child, spec)
            if found:
                return found
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return Problem("wrong_structure", f"{_name(where)} is {describe(got)}, expected a dict")
        extra = [] if where in spec.open_dicts else [k for k in got if k not in want]
        if extra or any(k not in got for k in want):
            return Problem(
                "wrong_keys",
                f"{_name(where)} has keys {sorted(got)}, expected {sorted(want)}",
            )
        for key, w in want.items():
            found = compare(got[key], w, key if not where else f'{where}["{key}"]', spec)
            if found:
                return found
        return None
    return _compare_numbers(got, want, where, spec)


def _name(where):
    return where or "the result"


def _compare_numbers(got, want, where, spec):
    name = _name(where)
    if got is None:
        return Problem("returned_none", f"{name} is None (is a `return` missing?)")
    if isinstance(got, TooBig):
        return Problem(
            "too_big",
            f"{name} has {got.size:,} numbers (shape {got.shape}), where the answer has shape "
            f"{np.shape(want)}",
        )
    g = numbers(got)
    if g is None:
        return Problem("not_numbers", f"{name} is {describe(got)}, not numbers")
    if spec.float64 and g.dtype != np.float64:
        return Problem(
            "wrong_dtype",
            f"{name} holds {g.dtype} values; it must be float64 numbers (.astype(np.float64))",
        )
    w = numbers(want)
    if g.shape != w.shape:
        return Problem("wrong_shape", f"{name} has shape {g.shape}, expected {w.shape}")
    g, w = g.astype(np.float64), w.astype(np.float64)
    with np.errstate(all="ignore"):
        broken = ~np.isfinite(g) & np.isfinite(w)
        if broken.any():
            at = _index(np.argmax(broken), g.shape)
            what = "nan" if np.isnan(g[at]) else "inf"
            return Problem(
                "not_finite",
                f"{name} has {what}{_at(at)} where the answer is {w[at]:.6g} (an overflowing "
                "exp, a log of 0 or a division by 0?)",
            )
        close = np.isclose(g, w, rtol=spec.rtol, atol=spec.atol) | (g == w)
        if not close.all():
            error = np.where(close, 0.0, np.abs(g - w))
            error[np.isnan(error)] = np.inf
            at = _index(np.argmax(error), g.shape)
            return Problem(
                "wrong_values",
                f"{name} is off by up to {error[at]:.3g}{_at(at)}: expected {w[at]:.6g}, "
                f"got {g[at]:.6g}",
            )
    return None


def _index(flat, shape):
    return tuple(int(i) for i in np.unravel_index(int(flat), shape)) if shape else ()


def _at(index):
    return f" at index {index}" if index else ""


def numbers(tree):
    """tree as a numeric array (a number or a rectangular list of numbers too), else None."""
    if isinstance(tree, np.ndarray):
        return tree
    if isinstance(tree, bool | int | float):
        return np.asarray(tree)
    if isinstance(tree, list | tuple) and _all_numbers(tree):
        try:
            array = np.array(tree)
        except ValueError:  # ragged
            return None
        return array if array.dtype.kind in "biuf" else None
    return None


def _all_numbers(tree):
    if isinstance(tree, list | tuple):
        return all(_all_numbers(item) for item in tree)
    return isinstance(tree, bool | int | float) or (
        isinstance(tree, np.ndarray) and tree.dtype.kind in "biuf"
    )


def describe(tree):
    """A few words for a value that is not what was expected."""
    if tree is None:
        return "None"
    if isinstance(tree, Opaque):
        return f"a {tree.what}"
    if isinstance(tree, TooBig):
        return f"an array of {tree.size:,} numbers"
    if isinstance(tree, str):
        return "a str"
    if isinstance(tree, np.ndarray):
        return f"an array of shape {tree.shape}"
    if isinstance(tree, bool | int | float):
        return "a number"
    if isinstance(tree, dict):
        return f"a dict with keys {sorted(tree)}"
    return f"a {type(tree).__name__} of {len(tree)}"


def same(a, b, rtol=MATCH_RTOL, atol=MATCH_ATOL):
    """Whether two values are the same (numbers to within rounding, nan equal to nan)."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y, rtol, atol) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(same(a[k], b[k], rtol, atol) for k in a)
        )
    x, y = numbers(a), numbers(b)
    if x is None or y is None:
        return x is None and y is None and a == b
    if x.shape != y.shape or (x.dtype.kind == "b") != (y.dtype.kind == "b"):
        return False
    x, y = x.astype(np.float64), y.astype(np.float64)
    with np.errstate(all="ignore"):
        return bool(np.all(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True) | (x == y)))


# ---------------------------------------------------------------- the catalogue's hint


def catalogue(lesson_module, stub):
    """[(Mistake, implementation)] of a stub's known mistakes, in the catalogue's order."""
    checks = import_module(f"autograder.checks.{lesson_module}")
    mistakes = import_module(f"autograder.grader.mistakes.{lesson_module}")
    found = []
    for mistake in checks.MISTAKES.get(stub, ()):
        implementation = getattr(mistakes, f"{stub}__{mistake.key}", None)
        if implementation is not None:
            found.append((mistake, implementation))
    return found


def find_hint(lesson_module, spec, seen):
    """The catalogued Mistake whose implementation gives what the student's stub gave on every
    input in `seen` ([(Case, Outcome)]), or None."""
    for mistake, implementation in catalogue(lesson_module, spec.name):
        if all(
            same_outcome(
                got, answers.run_here(implementation, case.args, bool(spec.unchanged)), spec
            )
            for case, got in seen
        ):
            return mistake
    return None


def same_outcome(got, other, spec):
    """Whether the student's Outcome and a mistake's are the same answer."""
    if got.status != other.status:
        return False
    if got.status == "raised":
        return got.error.name == other.error.name and got.error.message == other.error.message
    if got.status != "returned" or not same(got.value, other.value):
        return False
    if spec.no_warnings and bool(got.warnings) != bool(other.warnings):
        return False
    return all(
        same(_arg(got, spec, name), _arg(other, spec, name), rtol=0.0, atol=0.0)
        for name in spec.unchanged
    )


def _arg(outcome, spec, name):
    index = spec.args.index(name)
    return outcome.args[index] if outcome.args is not None and len(outcome.args) > index else None
