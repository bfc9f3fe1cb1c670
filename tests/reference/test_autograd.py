"""Does the answer key's scalar engine agree with finite differences and hand derivations?

Each graph is written once as a Python function of its inputs; run on Values it yields the
engine's gradients, run on floats it is the judge's function for central differences.
"""

import math

import numpy as np
import pytest

from reference.autograd import Value
from reference.gradcheck import numeric_gradient


def central(f, xs, eps=1e-6):
    """[df/dx_i] of a function of floats: the answer key's central differences (themselves
    tested against exact derivatives in test_functions.py)."""
    return list(numeric_gradient(lambda v: f(*v), np.array(xs, dtype=np.float64), eps=eps))


def engine(f, xs):
    """(f's value, [df/dx_i]) from the engine."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


def _exp(v):
    return v.exp() if isinstance(v, Value) else math.exp(v)


def _log(v):
    return v.log() if isinstance(v, Value) else math.log(v)


GRAPHS = {
    "add and multiply": (lambda a, b: a * b + a, [1.5, -2.0]),
    "fan-out: x used three times": (lambda x: x * x * x + x, [0.7]),
    "exp of a product": (lambda a, b: _exp(a * b), [0.3, 1.2]),
    "log of a sum of exps": (lambda a, b, c: _log(_exp(a) + _exp(b) + _exp(c)), [1.0, 2.0, 0.5]),
    "division and subtraction": (lambda a, b: (a - b) / (a * b + 3.0), [2.0, 0.5]),
    "a shared subexpression": (lambda a, b: (a * b) * (a * b + 1.0), [0.4, -1.3]),
    "numbers on the left": (lambda a: 2.0 - 3.0 / (1.0 + a) * 0.5, [0.9]),
}


@pytest.mark.parametrize("name", GRAPHS)
def test_gradients_match_central_differences(name):
    f, xs = GRAPHS[name]
    value, grads = engine(f, xs)
    assert value == pytest.approx(f(*xs), rel=1e-12)
    np.testing.assert_allclose(grads, central(f, xs), rtol=1e-7, atol=1e-9)


def test_softmax_cross_entropy_gives_p_minus_y():
    """Lesson 03's result by hand: dL/dz = p - y for L = -ln softmax(z)_y."""
    z, y = [2.0, -1.0, 0.5], 2
    leaves = [Value(v) for v in z]
    exps = [v.exp() for v in leaves]
    total = exps[0] + exps[1] + exps[2]
    loss = -(exps[y] / total).log()
    loss.backward()
    p = np.exp(z) / np.exp(z).sum()
    np.testing.assert_allclose([v.grad for v in leaves], p - np.eye(3)[y], rtol=1e-12)


def test_relu_is_a_switch():
    """The max gate passes the gradient where its input is positive and stops it elsewhere."""
    a, b = Value(1.5), Value(-0.5)
    out = a.relu() * 2.0 + b.relu() * 3.0
    out.backward()
    assert (out.data, a.grad, b.grad) == (3.0, 2.0, 0.0)


def test_backward_twice_gives_the_same_gradients():
    """backward() resets before accumulating, so calling it again does not double anything."""
    x = Value(0.5)
    out = x * x
    out.backward()
    out.backward()
    assert x.grad == 1.0


def test_a_long_chain_needs_no_recursion():
    """A chain of 5,000 additions: deeper than Python's default recursion limit."""
    x = Value(1.0)
    out = x
    for _ in range(5000):
        out = out + x
    out.backward()
    assert x.grad == 5001.0
