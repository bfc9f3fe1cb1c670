"""Lesson 01's stubs: finite differences and three chain-rule derivatives, on fresh inputs.

The steps eps vary per call, some far from the default 1e-5, so a step written into the body
shows; the cubic's third derivative is a constant 6, so its central difference is off by
exactly eps^2 and a wrong eps cannot hide in rounding.
"""

import numpy as np

from autograder.grader.verify.cases import Case, StubSpec, function, shape, wire

STUBS = (
    StubSpec("numeric_derivative", ("f", "x", "eps"), rtol=1e-7, atol=1e-9),
    StubSpec("numeric_gradient", ("f", "x", "eps"), rtol=1e-6, atol=1e-8, unchanged=("x",)),
    StubSpec("d_exp_square", ("x",), rtol=1e-10, atol=1e-12),
    StubSpec("d_exp_exp_square", ("x",), rtol=1e-10, atol=1e-12),
    StubSpec("d_inv_exp_square", ("x",), rtol=1e-10, atol=1e-12),
)
GRADE_CELLS = {f"test_{spec.name}": (spec.name,) for spec in STUBS}


def _step(rng, low, high):
    return float(10 ** rng.uniform(np.log10(low), np.log10(high)))


def _derivative_cases(rng):
    cases = []
    x0, eps = float(rng.uniform(-2, 2)), _step(rng, 1e-3, 1e-2)
    cases.append(
        Case((function("sin"), x0, eps), f"f = sin at the number x = {x0:.4g}, eps = {eps:.2g}")
    )
    x, eps = rng.uniform(-2, 2, size=int(rng.integers(3, 7))), _step(rng, 1e-3, 1e-2)
    cases.append(
        Case((function("exp"), wire(x), eps), f"f = exp at x of shape {shape(x)}, eps = {eps:.2g}")
    )
    x, eps = rng.uniform(-2, 2, size=tuple(rng.integers(2, 5, size=2))), _step(rng, 5e-3, 2e-2)
    cases.append(
        Case(
            (function("cubic"), wire(x), eps),
            f"f(t) = t^3 - 2t at x of shape {shape(x)}, eps = {eps:.2g}",
        )
    )
    x = rng.uniform(-2, 2, size=int(rng.integers(3, 7)))
    cases.append(
        Case((function("sin"), wire(x), 1e-5), f"f = sin at x of shape {shape(x)}, eps = 1e-5")
    )
    x0 = float(rng.uniform(-1, 1))
    cases.append(Case((function("exp"), x0), f"f = exp at the number x = {x0:.4g}, eps left out"))
    return cases


def _gradient_cases(rng):
    n, k = (int(v) for v in rng.integers(2, 6, size=2))
    cases = []
    for x_shape in [(n,), (2, 3), (k, 1), (1, k)]:
        A, x, eps = rng.normal(size=x_shape), rng.normal(size=x_shape), _step(rng, 1e-4, 1e-3)
        cases.append(
            Case(
                (function("weighted_sin_norm", A), wire(x), eps),
                f"f(X) = sum(sin(X) * A) + |X|^3 at x of shape {shape(x)}, eps = {eps:.2g}",
            )
        )
    return cases


def _calculus_cases(rng, reach):
    x0 = float(rng.uniform(-reach, reach))
    cases = [Case((x0,), f"the number x = {x0:.4g}")]
    for x_shape in [(int(rng.integers(3, 8)),), tuple(int(v) for v in rng.integers(2, 5, size=2))]:
        x = rng.uniform(-reach, reach, size=x_shape)
        cases.append(Case((wire(x),), f"x of shape {shape(x)} in [-{reach}, {reach}]"))
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    return {
        "numeric_derivative": _derivative_cases(rng),
        "numeric_gradient": _gradient_cases(rng),
        "d_exp_square": _calculus_cases(rng, 2.0),
        "d_exp_exp_square": _calculus_cases(rng, 1.8),
        "d_inv_exp_square": _calculus_cases(rng, 3.0),
    }
