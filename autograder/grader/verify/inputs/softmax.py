"""Lesson 02's stubs: softmax, its Jacobian and its backward pass (in a loop over the examples,
then vectorised), on fresh inputs.

softmax also gets logits in the thousands, both within a row (a spread of 800, which
overflows e^a unless the row's max is subtracted) and between rows (one row 2,800 below
another, which underflows to 0 / 0 when a batch is shifted by its overall max).
"""

import numpy as np

import reference as R
from autograder.grader.verify.cases import Case, StubSpec, distinct_sizes, shape, wire

STUBS = (
    StubSpec("softmax", ("a",), rtol=1e-5, atol=1e-12, no_warnings=True),
    StubSpec("softmax_jacobian", ("a",), rtol=1e-5, atol=1e-12),
    StubSpec("softmax_backward_loop", ("p", "grad_p"), rtol=1e-5, atol=1e-12),
    StubSpec("softmax_backward", ("p", "grad_p"), rtol=1e-5, atol=1e-12),
)
GRADE_CELLS = {f"test_{spec.name}": (spec.name,) for spec in STUBS}


def _shapes(rng):
    """One example, a non-square batch, and a batch of one: [(K,), (m, K), (1, K)]."""
    m, K = distinct_sizes(rng, 2, 3, 8)
    return [(K,), (m, K), (1, int(rng.integers(2, 8)))]


def _spread(rng, a, offsets):
    """a shifted by a centre per row, then one entry 400 above and one 400 below the centre."""
    centre = np.asarray(offsets, dtype=np.float64)[..., None]  # (m, 1), or (1,) for one row
    a = a + centre
    high, low = rng.choice(a.shape[-1], size=2, replace=False)
    a[..., high] = centre[..., 0] + 400.0
    a[..., low] = centre[..., 0] - 400.0
    return a


def _softmax_cases(rng):
    cases = []
    for a_shape in _shapes(rng):
        a = rng.normal(size=a_shape) * 2
        cases.append(Case((wire(a),), f"a of shape {shape(a)}"))
    m, K = distinct_sizes(rng, 2, 3, 7)
    offsets = rng.permutation([800.0, -2000.0] + [0.0] * (m - 2))
    a = _spread(rng, rng.normal(size=(m, K)) * 50, offsets)
    cases.append(
        Case((wire(a),), f"large logits: a of shape {shape(a)}, rows centred on -2000 to 800")
    )
    a = _spread(rng, rng.normal(size=int(rng.integers(4, 8))) * 300, -2000.0)
    cases.append(Case((wire(a),), f"large logits: a of shape {shape(a)} around -2000"))
    return cases


def _jacobian_cases(rng):
    cases = []
    for a_shape in [*_shapes(rng), (int(rng.integers(3, 7)), 2)]:
        a = rng.normal(size=a_shape) * 3
        cases.append(Case((wire(a),), f"a of shape {shape(a)}"))
    return cases


def _backward_cases(rng):
    # a square batch too: there a row sum without keepdims, shape (m,), broadcasts over the
    # columns and gives wrong numbers instead of an error
    k = int(rng.integers(3, 7))
    cases = []
    for p_shape in [*_shapes(rng), (int(rng.integers(3, 7)), 2), (k, k)]:
        p, g = R.softmax(rng.normal(size=p_shape) * 2), rng.normal(size=p_shape)
        cases.append(Case((wire(p), wire(g)), f"p and grad_p of shape {shape(p)}"))
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    return {
        "softmax": _softmax_cases(rng),
        "softmax_jacobian": _jacobian_cases(rng),
        "softmax_backward_loop": _backward_cases(rng),
        "softmax_backward": _backward_cases(rng),
    }
