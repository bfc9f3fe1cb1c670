"""Lesson 05's stubs: activations, their derivatives and the backward step, on fresh inputs.

Every array has an entry exactly 0 (where relu' is a matter of convention) and the largest
one entries of +1000 and -1000 (where a careless e^-a or e^a overflows, to nan or a warning).
The results must be float64 and numpy must not warn, as the docstrings promise.
"""

import numpy as np

from autograder.grader.verify.cases import Case, StubSpec, shape, wire

ELEMENTWISE = ("sigmoid", "relu", "sigmoid_grad", "tanh_grad", "relu_grad")
STUBS = (
    *(
        StubSpec(name, ("a",), rtol=0.0, atol=1e-12, float64=True, no_warnings=True)
        for name in ELEMENTWISE
    ),
    StubSpec(
        "activation_backward", ("grad_h", "a", "activation"), rtol=0.0, atol=1e-12, no_warnings=True
    ),
)
GRADE_CELLS = {f"test_{spec.name}": (spec.name,) for spec in STUBS}
KNOWN = ("sigmoid", "tanh", "relu")
UNKNOWN = ("Sigmoid", "softmax", "", "ReLU", "tanh ", "leaky_relu")


def _elementwise_cases(rng):
    a0 = float(rng.normal() * 3)
    cases = [Case((a0,), f"the number a = {a0:.4g}")]
    rows, cols = (int(v) for v in rng.integers(2, 6, size=2))
    for a_shape, scale in [((int(rng.integers(4, 9)),), 3.0), ((rows, cols), 40.0)]:
        a = rng.normal(scale=scale, size=a_shape)
        a.flat[rng.integers(a.size)] = 0.0
        label = f"a of shape {shape(a)} (|a| up to {np.abs(a).max():.3g}, one entry 0)"
        cases.append(Case((wire(a),), label))
    a = rng.normal(scale=800.0, size=(2, 3, int(rng.integers(2, 5))))
    a.flat[rng.choice(a.size, size=3, replace=False)] = [0.0, 1000.0, -1000.0]
    cases.append(Case((wire(a),), f"a of shape {shape(a)} with entries 0, 1000 and -1000"))
    return cases


def _backward_cases(rng):
    m, n = (int(v) for v in rng.choice(np.arange(2, 9), size=2, replace=False))
    cases = []
    for act, a_shape in [
        ("sigmoid", (n,)),
        ("tanh", (m, n)),
        ("relu", (m, n)),
        ("relu", (int(rng.integers(3, 9)),)),
        ("sigmoid", (n, m)),
    ]:
        grad_h, a = rng.normal(size=a_shape), rng.normal(scale=3.0, size=a_shape)
        a.flat[rng.integers(a.size)] = 0.0
        label = f"activation={act!r}, grad_h and a of shape {shape(a)}"
        cases.append(Case((wire(grad_h), wire(a), act), label))
    for bad in rng.choice(UNKNOWN, size=2, replace=False):
        cases.append(
            Case(
                (wire(np.ones(3)), wire(np.zeros(3)), str(bad)),
                f"activation={str(bad)!r}, which is not one of {', '.join(KNOWN)}",
                must_mention=KNOWN,
            )
        )
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    found = {name: _elementwise_cases(rng) for name in ELEMENTWISE}
    found["activation_backward"] = _backward_cases(rng)
    return found
