"""Lesson 06's stubs: the network's forward and backward pass, the gradient check that judges a
backward pass, and one SGD step, on fresh inputs.

Networks of one to four layers, every activation, one example (1-D X) and batches, integer
labels and one-hot rows, L2 on and off, biases that are not zero (so a forgotten + b or a
regularised bias shows), and gradients handed to sgd_step in the reverse of params' order (so
pairing them by position shows).
"""

import numpy as np

import reference as R
from autograder.grader.verify.cases import Case, StubSpec, wire

STUBS = (
    StubSpec(
        "forward", ("params", "X", "activation"), parts=("probs", "cache"), open_dicts=("cache",)
    ),
    StubSpec("backward", ("params", "cache", "Y", "activation", "l2"), rtol=1e-6, atol=1e-10),
    # A right gradient's relative error is rounding (about 1e-9 or less): atol 1e-6 calls it 0,
    # while a wrong one's (1e-2 and more) must agree with the answer key's.
    StubSpec(
        "gradient_check",
        ("params", "X", "Y", "grads", "activation", "l2"),
        rtol=1e-4,
        atol=1e-6,
        unchanged=("params",),
    ),
    StubSpec("sgd_step", ("params", "grads", "lr"), unchanged=("params",)),
)
# forward's probs and cache are graded apart, one cell each (test_forward__<part>), so a cache
# backward cannot use does not cost the points of right probabilities. backward returns a dict
# of gradients, not a tuple: it is graded whole.
GRADE_CELLS = {
    **{f"test_forward__{part}": (("forward", part),) for part in STUBS[0].parts},
    **{f"test_{spec.name}": (spec.name,) for spec in STUBS[1:]},
}


def _network(rng, sizes):
    """Parameters for layer widths `sizes`: Xavier weights, everything nudged (no zero bias)."""
    params = R.init_params(sizes, seed=int(rng.integers(2**31)), init="xavier")
    return {key: value + 0.1 * rng.normal(size=value.shape) for key, value in params.items()}


def _sizes(rng, depth):
    """Layer widths [n_0, ..., n_L] for a network of `depth` weight layers."""
    return (
        [int(rng.integers(2, 7))]
        + [int(n) for n in rng.integers(3, 9, size=depth - 1)]
        + [int(rng.integers(2, 6))]
    )


def _X(rng, sizes, m):
    return rng.normal(size=(m, sizes[0])) if m > 1 else rng.normal(size=sizes[0])


def _what(sizes, act, X):
    batch = f"a batch of {X.shape[0]}" if X.ndim == 2 else "one example"
    return f"layer sizes {sizes}, {act}, {batch}"


def _forward_cases(rng):
    deep = _sizes(rng, 1)[:1] + [8, 8, 8] + [int(rng.integers(2, 6))]
    cases = []
    for sizes, act, m in [
        (_sizes(rng, 2), "sigmoid", int(rng.integers(3, 9))),
        (_sizes(rng, 3), "tanh", 1),
        (_sizes(rng, 1), "relu", int(rng.integers(2, 7))),
        (deep, "relu", int(rng.integers(3, 10))),
    ]:
        params, X = _network(rng, sizes), _X(rng, sizes, m)
        cases.append(Case((wire(params), wire(X), act), _what(sizes, act, X)))
    return cases


def _backward_cases(rng):
    deep = _sizes(rng, 1)[:1] + [8, 8, 8] + [int(rng.integers(2, 6))]
    cases = []
    for k, (sizes, act, m, l2) in enumerate(
        [
            (_sizes(rng, 2), "sigmoid", int(rng.integers(3, 9)), 0.0),
            (_sizes(rng, 3), "tanh", 1, 0.3),
            (_sizes(rng, 1), "relu", int(rng.integers(2, 7)), 0.01),
            (deep, "relu", int(rng.integers(3, 10)), 1e-3),
            (_sizes(rng, 3), "sigmoid", 3, 0.2),
        ]
    ):
        params, X = _network(rng, sizes), _X(rng, sizes, m)
        _, cache = R.forward(params, X, act)
        labels = rng.integers(0, sizes[-1], size=m) if m > 1 else int(rng.integers(0, sizes[-1]))
        one_hot = k % 2 == 0
        Y = np.eye(sizes[-1])[labels] if one_hot else labels
        targets = "one-hot Y" if one_hot else "integer labels"
        label = f"{_what(sizes, act, X)}, {targets}, l2 = {l2:g}"
        cases.append(Case((wire(params), wire(cache), wire(Y), act, l2), label))
    return cases


def _gradient_check_cases(rng):
    """Small networks (a few hundred loss evaluations each), with gradients right, wrong in the
    hidden layers (g' of another activation), without their L2 part, or one of them zeroed."""
    cases = []
    for sizes, act, m, l2, flaw in [
        (_sizes(rng, 2), "sigmoid", int(rng.integers(3, 7)), 0.1, "right"),
        (_sizes(rng, 2), "tanh", int(rng.integers(3, 7)), 0.0, "wrong_g_prime"),
        (_sizes(rng, 1), "relu", int(rng.integers(2, 6)), 0.05, "no_l2"),
        (_sizes(rng, 3), "sigmoid", 1, 0.02, "one_zeroed"),
    ]:
        params, X = _network(rng, sizes), _X(rng, sizes, m)
        Y = rng.integers(0, sizes[-1], size=m) if m > 1 else int(rng.integers(0, sizes[-1]))
        _, cache = R.forward(params, X, act)
        if flaw == "wrong_g_prime":
            grads = R.backward(params, cache, Y, "sigmoid", l2)  # cache from tanh, g' of sigmoid
            what = "gradients with sigmoid's g' in the hidden layers (the top layer's right)"
        elif flaw == "no_l2":
            grads = R.backward(params, cache, Y, act, 0.0)
            what = f"gradients without their l2 part (l2 = {l2:g})"
        else:
            grads = R.backward(params, cache, Y, act, l2)
            what = "the right gradients"
        if flaw == "one_zeroed":
            grads["dW2"] = np.zeros_like(grads["dW2"])
            what = "the right gradients but dW2, all zeros"
        label = f"{_what(sizes, act, X)}, l2 = {l2:g}, {what}"
        cases.append(Case((wire(params), wire(X), wire(Y), wire(grads), act, l2), label))
    return cases


def _sgd_cases(rng):
    cases = []
    for depth in (2, 1, 3):
        sizes = _sizes(rng, depth)
        params = _network(rng, sizes)
        grads = {f"d{key}": rng.normal(size=v.shape) for key, v in reversed(params.items())}
        lr = float(rng.uniform(0.01, 1.0))
        label = f"layer sizes {sizes}, lr = {lr:.3g}, grads listed from the last layer down"
        cases.append(Case((wire(params), wire(grads), lr), label))
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    return {
        "forward": _forward_cases(rng),
        "backward": _backward_cases(rng),
        "gradient_check": _gradient_check_cases(rng),
        "sgd_step": _sgd_cases(rng),
    }
