"""Comparing a stub's result with the right answer, and the verdict when they differ.

One comparison for every lesson: a result may be a number, an array, a dict of them, or a list
of arrays (a network's cache), nested; the first place where it differs from the right answer
is found and reported with its numbers. A dict needs the right answer's keys and may have more.
A number is also accepted as an array holding just that number.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from autograder.checks.cases import ATOL, RTOL, holds_parts
from autograder.checks.catalogue import failure
from autograder.checks.core import CheckFailure, call_stub, returned_none

SHOWN = 40  # an array with more entries is shown by its first few and its shape
SHAPE_ADVICE = " Check which axis you sum or reduce over, and compare with the docstring's shapes."
NON_FINITE_ADVICE = " Look for an overflowing exp, a log of 0, or a division by 0."


def fmt(value, digits=4):
    """Numbers for a one-line message: a number, or nested [a, b, ...] at `digits` digits."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr) + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0
    if arr.size > SHOWN:
        first = ", ".join(fmt(x, digits) for x in arr.ravel()[:6])
        return f"[{first}, ...] (shape {arr.shape})"
    return "[" + ", ".join(fmt(row, digits) for row in arr) + "]"


def numbers(value):
    """value as a float64 array, or None when it does not hold (real) numbers."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # complex numbers would lose their imaginary part
            return np.asarray(value, dtype=np.float64)
    except Exception:
        return None


def as_numbers(value):
    """A stored structure with every array (and number) as float64: what relations are given."""
    if isinstance(value, dict):
        return {k: as_numbers(v) for k, v in value.items()}
    if holds_parts(value):
        return [as_numbers(v) for v in value]
    return numbers(value)


def kind(value):
    """What a value is, for "got ...": "None", "str", "an array of complex128"."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"an array of {value.dtype}"
    return type(value).__name__


@dataclass(frozen=True)
class Difference:
    """The first place where a result differs from what was expected.

    label: where inside the result ("", "dW2", "cache['h'][1]").
    expected, got: how each reads after "expected " and "got " ("shape (2, 3)", "[0.1, 0.2]").
    detail: text right after got ("(largest difference 0.01 at index [1])"), or "".
    advice: a sentence on what to look for, or "".
    got_numbers: got's numbers where it has them (what a named mistake quotes), else got.
    """

    label: str
    expected: str
    got: str
    detail: str = ""
    advice: str = ""
    got_numbers: str = ""


def _inside(label, key):
    if isinstance(key, int):
        return f"{label}[{key}]"
    return f"{label}[{key!r}]" if label else str(key)


def first_difference(got, want, label="", rtol=RTOL, atol=ATOL):
    """The first Difference between got and want (stored data), or None when they agree."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return Difference(label, f"a dict with keys {list(want)}", kind(got))
        missing = [k for k in want if k not in got]
        if missing:
            return Difference(
                label, f"the keys {list(want)}", f"the keys {list(got)}", f" (missing {missing})"
            )
        for k in want:
            found = first_difference(got[k], want[k], _inside(label, k), rtol, atol)
            if found:
                return found
        return None
    if holds_parts(want):
        expected = f"a list of {len(want)} arrays"
        if not isinstance(got, list | tuple):
            return Difference(label, expected, kind(got))
        if len(got) != len(want):
            return Difference(label, expected, f"a list of {len(got)}")
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            found = first_difference(g, w, _inside(label, i), rtol, atol)
            if found:
                return found
        return None
    return _array_difference(got, numbers(want), label, rtol, atol)


def _array_difference(got, want, label, rtol, atol):
    g = numbers(got)
    if g is None:
        return Difference(label, "numbers", kind(got))
    if want.ndim == 0 and g.size == 1:
        g = g.reshape(())
    if g.shape != want.shape:
        expected = "one number" if want.ndim == 0 else f"shape {want.shape}"
        shape = f"an array of shape {g.shape}" if want.ndim == 0 else f"shape {g.shape}"
        return Difference(label, expected, shape, "", SHAPE_ADVICE, fmt(g))
    if np.allclose(g, want, rtol=rtol, atol=atol, equal_nan=True):
        return None
    if np.all(np.isfinite(want)) and not np.all(np.isfinite(g)):
        where = " (nan or inf where the answer is finite)"
        return Difference(label, fmt(want), fmt(g), where, NON_FINITE_ADVICE, fmt(g))
    with np.errstate(all="ignore"):
        diff = np.abs(g - want)
    # nan on one side only (a stored wrong answer may hold nan) is the largest difference
    at = np.unravel_index(int(np.argmax(np.where(np.isnan(diff), np.inf, diff))), diff.shape)
    index = f" at index [{', '.join(str(int(i)) for i in at)}]" if diff.ndim else ""
    largest = f" (largest difference {float(diff[at]):.3g}{index})"
    return Difference(label, fmt(want), fmt(g), largest, "", fmt(g))


def agrees(got, want, rtol=RTOL, atol=ATOL):
    """Whether got matches want (stored data) everywhere want says something."""
    return first_difference(got, want, "", rtol, atol) is None


def named_values(got, case, stub):
    """A stub's tuple result as the dict {name: value} of case.returns (got as is otherwise)."""
    if case.returns is None:
        return got
    names = ", ".join(case.returns)
    if isinstance(got, tuple | list) and len(got) == len(case.returns):
        return dict(zip(case.returns, got, strict=True))
    count = f"{len(got)} values" if isinstance(got, tuple | list) else kind(got)
    raise CheckFailure(
        f"{stub} is off for {case.what}: expected {len(case.returns)} values ({names}), "
        f"got {count}. End with `return {names}`."
    )


def expect(got, case, *, stub, catalogue):
    """Pass if got is case.want; otherwise raise the verdict that explains it.

    got: what the stub returned for case.arguments(). catalogue: the lesson's
    {stub: (Mistake, ...)}; every entry that applies to this case is tried, in order, and the
    first whose wrong result is got names the mistake. Otherwise the verdict says where got
    differs: its shape, its nan or inf, or its largest difference with the index.
    """
    if got is None:
        raise returned_none(stub)
    got = named_values(got, case, stub)
    difference = first_difference(got, case.want, "", case.rtol, case.atol)
    if difference is None:
        return
    where = case.what + (f", in {difference.label}" if difference.label else "")
    right = as_numbers(case.want)
    for mistake in catalogue.get(stub, ()):
        if not mistake.applies_to(case):
            continue
        wrong = mistake.wrong(right) if callable(mistake.wrong) else mistake.wrong
        if agrees(got, wrong, case.rtol, case.atol):
            evidence = f"for {where}: got {difference.got_numbers or difference.got}"
            raise failure(catalogue, stub, mistake.key, evidence)
    raise CheckFailure(
        f"{stub} is off for {where}: expected {difference.expected}, got {difference.got}"
        f"{difference.detail}.{difference.advice}"
    )


def check_case(fn, case, *, stub, catalogue):
    """Call the stub on a fresh copy of the case's arguments and expect its answer; return
    what the stub returned (for the check's further tests)."""
    got = call_stub(fn, *case.arguments(), name=stub)
    expect(got, case, stub=stub, catalogue=catalogue)
    return got
