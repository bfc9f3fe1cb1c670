"""What every check is made of: calling a stub safely, comparing arrays, naming mistakes.

A check reads like a tutor: it calls the student's function on inputs whose answers are known,
and when an answer is wrong it looks through the stub's catalog of known mistakes for the one
that produces exactly that wrong answer, and says what it is and how to fix it.
"""

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np


class CheckFailure(AssertionError):
    """A check's verdict: its message is the whole story, so IPython shows no traceback.

    key: the Mistake.key that explains the wrong answer, when one does (tests assert on it).
    """

    def __init__(self, message, key=None):
        super().__init__(message)
        self.key = key


class NotImplementedYet(CheckFailure):
    """The stub still raises NotImplementedError."""


def _show_verdict(shell, etype, value, tb, tb_offset=None):
    # IPython's run_code ignores a custom handler's return value, so the handler sends the
    # error output itself: one "CheckFailure: <message>" line instead of a traceback. The cell
    # still fails (its error output is what nbgrader scores as 0 points).
    stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def _register_with_ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: the ordinary traceback is fine
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "_showtraceback"):
        shell.set_custom_exc((CheckFailure,), _show_verdict)


_register_with_ipython()


def call_stub(fn, *args, name=None):
    """fn(*args), with the student's failures turned into one readable sentence.

    NotImplementedError becomes "<name> is not implemented yet"; any other exception becomes
    a CheckFailure naming the exception and the shapes of the inputs; a result of None (a
    forgotten `return`) becomes a CheckFailure with key "returned_none". A stub that returns
    None after changing one of its arguments in place is the exception: its None goes back to
    the check, which knows whether working in place is the mistake (sgd_step's
    modifies_in_place). Numpy warnings are silenced here: a wrong answer is reported by the
    check, not by stderr noise.
    """
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        raise CheckFailure(f"expected a function for {name}, got {type(fn).__name__}")
    before = [_snapshot(a) for a in args]
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = fn(*args)
    except NotImplementedError:
        raise NotImplementedYet(
            f"{name} is not implemented yet: replace the `raise NotImplementedError()` line "
            "with your code, run that cell, then run this check again.",
            key="not_implemented",
        ) from None
    except CheckFailure:
        raise
    except Exception as err:
        shapes = ", ".join(describe(a) for a in args)
        raise CheckFailure(
            f"{name}({shapes}) raised {type(err).__name__}: {err}. Read the docstring for the "
            "expected shapes, and run your function on this input by hand to find the line."
        ) from None
    if result is None and all(_unchanged(b, a) for b, a in zip(before, args, strict=True)):
        raise _returned_none(name)
    return result


def _returned_none(name):
    return CheckFailure(
        f"{name} returned None: did you forget the `return` statement at the end?",
        key="returned_none",
    )


def _snapshot(value):
    """A copy of the arrays in value (also inside dicts and lists), to compare after a call."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_snapshot(v) for v in value]
    return value


def _unchanged(before, now):
    """Whether now still holds what _snapshot saw (other kinds of values count as unchanged)."""
    if isinstance(before, np.ndarray):
        return (
            isinstance(now, np.ndarray)
            and before.shape == now.shape
            and before.dtype == now.dtype
            and before.tobytes() == now.tobytes()
        )
    if isinstance(before, dict):
        return (
            isinstance(now, dict)
            and before.keys() == now.keys()
            and all(_unchanged(before[k], now[k]) for k in before)
        )
    if isinstance(before, list):
        return (
            isinstance(now, list | tuple)
            and len(before) == len(now)
            and all(_unchanged(b, n) for b, n in zip(before, now, strict=True))
        )
    return True


def describe(value):
    """A short description of an argument for messages: its shape, or its type."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    if isinstance(value, int | float):
        return repr(value)
    return type(value).__name__


def fmt(x, digits=4):
    """Numbers for a message: scalars and small arrays at a few significant digits."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return f"{float(arr):.{digits}g}"
    return np.array2string(arr, precision=digits, suppress_small=True, separator=", ")


@dataclass(frozen=True)
class Mistake:
    """One known wrong answer and what a tutor would say about it.

    key: a short stable name, used by tests ("no_max_subtraction").
    hint: one or two sentences: what is wrong and how to fix it.
    wrong: the answer that mistake produces on the check's input, either an array (stored
           numbers, computed once by a mistaken implementation kept in the tests) or a
           function of the correct answer (for slips like a sign or a missing 1/m).
    """

    key: str
    hint: str
    wrong: Any

    def matches(self, got, want, rtol=1e-6, atol=1e-9):
        wrong = self.wrong(want) if callable(self.wrong) else self.wrong
        wrong = np.asarray(wrong, dtype=np.float64)
        got = np.asarray(got, dtype=np.float64)
        if wrong.shape != got.shape:
            return False
        both_nan = np.isnan(wrong) & np.isnan(got)
        close = np.isclose(got, wrong, rtol=rtol, atol=atol) | both_nan
        return bool(close.all())


def expect_close(got, want, *, name, what="the result", mistakes=(), rtol=1e-6, atol=1e-9):
    """Pass if got matches want; otherwise raise the hint of the mistake that explains got.

    got: whatever the stub returned. want: the known answer (array or number).
    what: what was computed, for the message ("softmax([1, 2, 3])").
    mistakes: Mistake entries to try, in order, before falling back to a generic message
    that states the expected and received numbers and the largest difference. A got of None
    (a forgotten `return`) fails with key "returned_none".
    """
    if got is None:
        raise _returned_none(name)
    want = np.asarray(want, dtype=np.float64)
    try:
        got_arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailure(
            f"{name} should return numbers for {what}, but returned {type(got).__name__}."
        ) from None
    if got_arr.shape == want.shape and np.allclose(got_arr, want, rtol=rtol, atol=atol):
        return
    for mistake in mistakes:
        if mistake.matches(got_arr, want):
            raise CheckFailure(
                f"{name}: {mistake.hint} (for {what}: got {fmt(got_arr)})", key=mistake.key
            )
    if got_arr.shape != want.shape:
        raise CheckFailure(
            f"{name} returned shape {got_arr.shape} for {what}, expected shape {want.shape}. "
            "Check which axis you sum or reduce over, and compare with the docstring's shapes."
        )
    if not np.all(np.isfinite(got_arr)) and np.all(np.isfinite(want)):
        raise CheckFailure(
            f"{name} returned non-finite values (nan or inf) for {what}: {fmt(got_arr)}. "
            "Look for an overflowing exp, a log of 0, or a division by 0."
        )
    diff = np.abs(got_arr - want)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    at = f" at index {tuple(int(i) for i in where)}" if where else ""
    raise CheckFailure(
        f"{name} is off for {what}: expected {fmt(want)}, got {fmt(got_arr)} "
        f"(largest difference {float(diff.max()):.3g}{at})."
    )


def warnings_from(fn, *args):
    """The warnings fn(*args) emits under numpy's default settings (underflow to 0 is fine).

    Call it through call_stub first, so that errors are already reported."""
    with (
        np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        try:
            fn(*args)
        except Exception:
            return []
    return [str(w.message) for w in caught]


def passed(name, detail):
    """The one line a right stub gets."""
    print(f"\u2713 {name}: {detail}")
