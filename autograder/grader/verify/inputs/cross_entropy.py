"""Lesson 03's stubs: cross entropy and its two gradients, on fresh inputs.

Every shape comes with integer labels (an int for one example) and with one-hot rows; the last
input has wrong classes whose probability is exactly 0 (0 log 0 and 0 / 0 must give 0, not nan).
Soft targets are not tried: the stubs' docstrings promise one-hot rows or labels only.
"""

import numpy as np

import reference as R
from autograder.grader.verify.cases import Case, StubSpec, distinct_sizes, shape, wire

STUBS = (
    StubSpec("cross_entropy", ("p", "y")),
    StubSpec("cross_entropy_grad_probs", ("p", "y")),
    StubSpec("cross_entropy_grad_logits", ("p", "y")),
)
GRADE_CELLS = {f"test_{spec.name}": (spec.name,) for spec in STUBS}


def _labels_and_one_hot(rng, p, label):
    K = p.shape[-1]
    labels = rng.integers(0, K, size=p.shape[:-1])
    one_hot = np.eye(K)[labels]
    labels = int(labels) if labels.ndim == 0 else labels
    kind = "an int label" if isinstance(labels, int) else f"labels of shape {shape(labels)}"
    return [
        Case((wire(p), wire(labels)), f"p of shape {shape(p)}{label} and {kind}"),
        Case((wire(p), wire(one_hot)), f"p of shape {shape(p)}{label} and one-hot y"),
    ]


def _cases(rng):
    m, K = distinct_sizes(rng, 2, 3, 8)
    cases = []
    for p_shape in [(K,), (m, K), (1, int(rng.integers(2, 7)))]:
        cases += _labels_and_one_hot(rng, R.softmax(rng.normal(size=p_shape) * 2), "")
    # Exact zeros: one wrong class per row gets a logit 1000 below the rest (e^-1000 is 0).
    m, K = distinct_sizes(rng, 2, 3, 7)
    z = rng.normal(size=(m, K))
    labels = rng.integers(0, K, size=m)
    wrong = (labels + rng.integers(1, K, size=m)) % K
    z[np.arange(m), wrong] -= 1000.0
    p = R.softmax(z)
    zeros = " with some wrong classes at probability exactly 0"
    cases.append(Case((wire(p), wire(labels)), f"p of shape {shape(p)}{zeros} and labels"))
    cases.append(
        Case((wire(p), wire(np.eye(K)[labels])), f"p of shape {shape(p)}{zeros}, one-hot y")
    )
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    return {spec.name: _cases(rng) for spec in STUBS}
