"""Calling a student's stub safely, and the verdicts a check gives.

A check reads like a tutor: it calls the student's function on inputs whose answers are known
(cases.py), compares the result (compare.py), and when the result is wrong names the known
mistake that produces exactly that result (catalogue.py). Every verdict is one line that starts
with the stub's name:

    <stub>: <hint> (for <input>: got <numbers>)              a catalogued mistake
    <stub> is off for <input>: expected ..., got ... (...)    any other wrong result
    <stub> is not implemented yet: ... / <stub> returned None: ... / <stub>(...) raised ...
"""

import re
import sys
import warnings

import numpy as np


class CheckFailure(AssertionError):
    """A check's verdict: its message is the whole story, so IPython shows no traceback.

    key: the Mistake.key that explains the wrong answer, when one does (tests assert on it).
    The message is kept on one line, whatever it is built from.
    """

    def __init__(self, message, key=None):
        super().__init__(one_line(message))
        self.key = key


class NotImplementedYet(CheckFailure):
    """The stub still raises NotImplementedError."""


def one_line(text):
    """text with every run of whitespace (newlines included) turned into one space."""
    return re.sub(r"\s+", " ", str(text)).strip()


def _show_verdict(shell, etype, value, tb, tb_offset=None):
    # IPython's run_code ignores a custom handler's return value, so the handler sends the
    # error output itself: one "CheckFailure: <message>" line instead of a traceback. The cell
    # still fails (its error output is what nbgrader scores as 0 points).
    stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def _register_with_ipython():
    # Under IPython (a kernel), IPython is already imported; anywhere else the checks must not
    # import it (they need numpy only), and the ordinary traceback is fine.
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
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
    check, not by stderr noise (warning_free.py asks for warnings on purpose).
    """
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        raise CheckFailure(
            f"{name} should be a function, got {type(fn).__name__}: define it with "
            f"`def {name}(...)` and run that cell."
        )
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
        raise returned_none(name)
    return result


def returned_none(name):
    """The verdict for a stub that forgot its `return`."""
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


def passed(name, detail):
    """The one line a right stub gets."""
    print(f"\u2713 {name}: {detail}")
