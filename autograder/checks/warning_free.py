"""Whether a stub is quiet: the numpy warnings it emits, and the verdict when it emits one.

call_stub silences warnings so that a wrong answer is judged by its numbers; a check that also
wants the stub warning-free (an exp that overflows, a 0 / 0) runs it once more here, with
numpy's default settings, whatever the student's session set.
"""

import warnings

import numpy as np

from autograder.checks.catalogue import failure
from autograder.checks.core import CheckFailure


def numpy_warnings(fn, *args):
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


def warning_free(fn, case, *, stub, catalogue=None, key=None):
    """Raise a verdict if fn, run on a fresh copy of the case's arguments, emits a warning.

    key: the catalogued mistake a warning means here (sigmoid's overflow_warning); without
    one the verdict says which warning and what usually causes it.
    """
    messages = numpy_warnings(fn, *case.arguments())
    if not messages:
        return
    if key is not None:
        raise failure(catalogue, stub, key, f"for {case.what}: numpy said {messages[0]!r}")
    raise CheckFailure(
        f"{stub} is right for {case.what} but emits a warning ({messages[0]}), and nbgrader "
        "scores any warning as a failure. Find the operation that overflows (an exp of a "
        "large number) or divides by 0."
    )
