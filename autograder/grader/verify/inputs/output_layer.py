"""Lesson 04's stubs: the affine layer's forward pass, and its backward pass in loops and
vectorised, on fresh inputs (small ones: the loop version runs in Python, entry by entry).

n_in, n_out and m all differ (a transposed W or an unsummed bias shows as a wrong shape), and
one layer is square (where x @ W and W @ grad_a run without error but give wrong numbers).
"""

from autograder.grader.verify.cases import Case, StubSpec, distinct_sizes, shape, wire

GRADS = ("grad_x", "grad_W", "grad_b")
STUBS = (
    StubSpec("linear_forward", ("x", "W", "b")),
    StubSpec("linear_backward_loop", ("grad_a", "x", "W"), parts=GRADS),
    StubSpec("linear_backward", ("grad_a", "x", "W"), parts=GRADS),
)
# linear_backward's three gradients are graded apart, one cell each (test_<stub>__<part>), so
# one wrong gradient costs only its own points; its loop version is graded as a whole.
GRADE_CELLS = {
    "test_linear_forward": ("linear_forward",),
    "test_linear_backward_loop": ("linear_backward_loop",),
    **{f"test_linear_backward__{part}": (("linear_backward", part),) for part in GRADS},
}


def _layers(rng):
    """[(what, x's shape, n_out)]: one example, a batch, a batch of one, a square layer."""
    n_in, n_out, m = distinct_sizes(rng, 3, 2, 8)
    k = int(rng.integers(2, 6))
    return [
        ("one example", (n_in,), n_out),
        (f"a batch of {m}", (m, n_in), n_out),
        ("a batch of 1", (1, n_in), n_out),
        ("a square layer", (k, k), k),
    ]


def _forward_cases(rng):
    cases = []
    for what, x_shape, n_out in _layers(rng):
        x, W, b = (rng.normal(size=s) for s in (x_shape, (n_out, x_shape[-1]), (n_out,)))
        label = f"{what} (x {shape(x)}, W {shape(W)}, b {shape(b)})"
        cases.append(Case((wire(x), wire(W), wire(b)), label))
    return cases


def _backward_cases(rng):
    cases = []
    for what, x_shape, n_out in _layers(rng):
        x, W = rng.normal(size=x_shape), rng.normal(size=(n_out, x_shape[-1]))
        grad_a = rng.normal(size=x_shape[:-1] + (n_out,))
        label = f"{what} (grad_a {shape(grad_a)}, x {shape(x)}, W {shape(W)})"
        cases.append(Case((wire(grad_a), wire(x), wire(W)), label))
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    return {
        "linear_forward": _forward_cases(rng),
        "linear_backward_loop": _backward_cases(rng),
        "linear_backward": _backward_cases(rng),
    }
