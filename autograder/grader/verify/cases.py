"""What the grader tries on each stub: its inputs (Case) and how its answers are judged (StubSpec).

The per-lesson modules in inputs/ build these from a fresh random generator for every
submission; wire() turns numpy values into harness.py's wire format for the trip to the kernel.
"""

from dataclasses import dataclass

import numpy as np

from autograder.grader.verify import harness


@dataclass(frozen=True)
class StubSpec:
    """How one stub's answers are judged against the answer key's.

    name: the stub (and the answer key's function of the same name).
    args: its parameters' names, for sentences.
    rtol, atol: np.isclose's tolerances for every number it returns.
    float64: every array it returns must be float64 (lesson 05's docstrings promise it).
    no_warnings: numpy must not warn (an overflowing exp) while it runs.
    unchanged: parameters it must leave as they were (numeric_gradient's x, sgd_step's params).
    parts: names of the entries of the tuple it returns, for sentences.
    open_dicts: parts that may hold keys beyond the answer key's (forward's cache).
    """

    name: str
    args: tuple
    rtol: float = 1e-5
    atol: float = 1e-8
    float64: bool = False
    no_warnings: bool = False
    unchanged: tuple = ()
    parts: tuple = ()
    open_dicts: tuple = ()


@dataclass(frozen=True)
class Case:
    """One call: the arguments in wire form, and a label a student can read.

    label: what the input is, e.g. "a batch of 7 (x (7, 5), W (3, 5), b (3,))".
    must_mention: when the answer key raises on this input, words the stub's error message
    must contain (activation_backward must name the activations it knows).
    """

    args: tuple
    label: str
    must_mention: tuple = ()


def wire(value):
    """The wire form of an input: arrays, numbers, strings, and lists/tuples/dicts of them."""
    return harness.to_wire(value, [float("inf")])


def function(name, A=None):
    """The wire form of one of harness.make_function's functions."""
    spec = {"name": name}
    if A is not None:
        spec["A"] = wire(np.asarray(A, dtype=np.float64))
    return {"function": spec}


def shape(array):
    """'(7, 5)': an array's shape as the lessons write it."""
    return str(tuple(int(n) for n in np.shape(array)))


def distinct_sizes(rng, count, low, high):
    """`count` different whole numbers in [low, high], in random order (non-square shapes)."""
    return [int(n) for n in rng.choice(np.arange(low, high + 1), size=count, replace=False)]
