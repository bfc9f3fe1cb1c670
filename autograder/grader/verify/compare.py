"""Comparing values in the grader's process: a student's result against the answer key's.

compare() walks the answer key's result (tuples, lists, dicts, arrays, numbers) alongside the
student's and returns the first difference as a Problem naming the part ("grad_W",
'cache["a"][1]', "dW2"), with its shape, its dtype, a nan, or its largest error and where.
same() is the looser "these are the same answer" the catalogue's hints are matched with.
"""

from dataclasses import dataclass

import numpy as np

from autograder.grader.verify.answers import Opaque, TooBig

MATCH_RTOL, MATCH_ATOL = 1e-8, 1e-12  # "gives exactly this": rounding apart, the same numbers


@dataclass(frozen=True)
class Problem:
    """What is wrong with one answer. kind: a short name; text: follows the stub's name."""

    kind: str
    text: str


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
