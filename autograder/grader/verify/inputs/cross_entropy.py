"""Lesson 03's stubs: cross entropy, its two gradients and the stable loss from the logits, on
fresh inputs.

Every shape comes with integer labels (an int for one example) and with one-hot rows; the last
input has wrong classes whose probability is exactly 0 (0 log 0 and 0 / 0 must give 0, not nan).
softmax_cross_entropy also meets logits over 1000 apart, where a true class's probability
underflows to 0 (-log p is inf) and e^a overflows unless the row's max is subtracted.
Soft targets are not tried: the stubs' docstrings promise one-hot rows or labels only.
"""

import numpy as np

import reference as R
from autograder.grader.verify.cases import Case, StubSpec, distinct_sizes, shape, wire

STUBS = (
    StubSpec("cross_entropy", ("p", "y")),
    StubSpec("cross_entropy_grad_probs", ("p", "y")),
    StubSpec("cross_entropy_grad_logits", ("p", "y")),
    StubSpec(
        "softmax_cross_entropy", ("logits", "y"), parts=("loss", "grad_logits"), no_warnings=True
    ),
)
# softmax_cross_entropy's loss and gradient are graded apart, one cell each
# (test_<stub>__<part>), so a wrong gradient does not cost the loss's point.
GRADE_CELLS = {
    **{f"test_{spec.name}": (spec.name,) for spec in STUBS[:3]},
    **{
        f"test_softmax_cross_entropy__{part}": (("softmax_cross_entropy", part),)
        for part in STUBS[3].parts
    },
}


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


def _logit_cases(rng):
    m, K = distinct_sizes(rng, 2, 3, 8)
    cases = []
    for a_shape in [(K,), (m, K), (1, int(rng.integers(2, 7)))]:
        a = rng.normal(size=a_shape) * 3
        labels = rng.integers(0, a_shape[-1], size=a_shape[:-1])
        one_hot = np.eye(a_shape[-1])[labels]
        labels = int(labels) if labels.ndim == 0 else labels
        kind = "an int label" if isinstance(labels, int) else f"labels of shape {shape(labels)}"
        cases.append(Case((wire(a), wire(labels)), f"logits of shape {shape(a)} and {kind}"))
        cases.append(Case((wire(a), wire(one_hot)), f"logits of shape {shape(a)}, one-hot y"))
    # Huge logits: in every row one wrong class sits 1000 to 1500 above the rest, so the true
    # class's probability is exactly 0 in float64 and e^a overflows without the max shift.
    m, K = distinct_sizes(rng, 2, 3, 7)
    a = rng.normal(size=(m, K)) * 5
    labels = rng.integers(0, K, size=m)
    wrong = (labels + rng.integers(1, K, size=m)) % K
    a[np.arange(m), wrong] += rng.uniform(1000.0, 1500.0, size=m)
    huge = f"logits of shape {shape(a)}, one wrong class 1000 or more above the rest in each row"
    cases.append(Case((wire(a), wire(labels)), f"{huge}, and labels"))
    cases.append(Case((wire(a), wire(np.eye(K)[labels])), f"{huge}, and one-hot y"))
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    found = {spec.name: _cases(rng) for spec in STUBS if spec.args == ("p", "y")}
    found["softmax_cross_entropy"] = _logit_cases(rng)
    return found
