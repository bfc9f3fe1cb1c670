"""The inputs a check runs a stub on, each with its right answer: one Case per input.

A lesson stores its numbers as plain data (nested lists, dicts of them, lists of arrays), and
hands the stub a fresh copy every time, so a stub that scribbles on its arguments can never
change what the check believes.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

RTOL = 1e-6
ATOL = 1e-9


@dataclass(frozen=True)
class Case:
    """One input of a stub, its right answer, and how the input reads in a verdict.

    name: short, unique among the stub's cases ("batch"); Mistake.on refers to it.
    args: the stub's arguments as stored (see fresh for how each kind is handed over).
    want: the right result: a number, nested lists (an array), a dict of them, or a list of
          arrays of different shapes (written as np.array entries). When the stub returns
          several values, want is a dict named by `returns`. A dict is compared key by key
          on its own keys, so a case may list only the parts it is there to check.
    what: the input in words, for verdicts ("the batch z = [[1, 2, 3], [2, 4, 0]]").
    returns: the names of the values a stub returns as a tuple, in order
             (("grad_x", "grad_W", "grad_b")); the result is then compared as a dict of them.
    rtol, atol: how close counts as right (numpy's allclose).
    """

    name: str
    args: tuple
    want: Any
    what: str
    returns: tuple[str, ...] | None = None
    rtol: float = RTOL
    atol: float = ATOL

    def arguments(self):
        """The stub's arguments, freshly copied (a tuple to unpack into the call)."""
        return tuple(fresh(a) for a in self.args)


def holds_parts(value):
    """Whether a list is a list of separate parts (arrays, dicts) rather than one array."""
    return isinstance(value, list | tuple) and any(
        isinstance(v, np.ndarray | dict) or holds_parts(v) for v in value
    )


def fresh(value):
    """A copy a stub may change at will: the one converter from stored data to arguments.

    Nested lists of numbers become one array (float64, or int64 for integer labels); arrays
    are copied; dicts and lists of parts are copied entry by entry; numbers, strings and
    functions are handed over as they are.
    """
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.copy()
    if holds_parts(value):
        return [fresh(v) for v in value]
    if isinstance(value, list | tuple):
        return np.array(value)
    return value
