"""Checks for lesson 04 (the output layer): a = x W^T + b and its backward pass.

The inputs are small and the numbers simple enough to work by hand; tests/autograder/checks/
test_output_layer.py confirms every stored answer against the answer key and finite
differences. Shapes are non-square on purpose (n_in = 3, n_out = 2, m = 4), so a transposed
W or a missing sum shows up as a wrong shape; one square case catches the W-versus-W^T
slips that non-square shapes turn into crashes.
"""

import numpy as np

from autograder.checks.core import CheckFailure, Mistake, call_stub, expect_close, fmt, passed

# ---------------------------------------------------------------- inputs and right answers

X1 = [1.0, -2.0, 0.5]  # one example, n_in = 3
W = [[0.2, -0.4, 1.0], [0.7, 0.1, -0.3]]  # (n_out, n_in) = (2, 3)
B = [0.1, -0.2]
A1_WANT = [1.6, 0.15]  # 0.2 + 0.8 + 0.5 + 0.1 and 0.7 - 0.2 - 0.15 - 0.2
XB = [[1.0, -2.0, 0.5], [0.0, 1.0, 2.0], [-1.0, 0.5, 0.0], [2.0, 0.0, -1.0]]  # m = 4
AB_WANT = [[1.6, 0.15], [1.7, -0.7], [-0.3, -0.85], [-0.5, 1.5]]

# A square layer, where x @ W and W @ g run without error but give the wrong numbers.
XS = [3.0, -1.0]
WS = [[1.0, 2.0], [-1.0, 0.5]]
BS = B
AS_WANT = [1.1, -3.7]  # [3 - 2, -3 - 0.5] + b
GS = [1.0, -2.0]
GXS_WANT = [3.0, 1.0]  # W^T g: column j of W dotted with g

# Backward on the batch: grad_a already carries the 1/m of a mean loss (here m = 4).
GA = [[0.125, -0.25], [0.0625, 0.0], [-0.125, 0.1875], [0.25, 0.125]]
GX_WANT = [
    [-0.15, -0.075, 0.2],
    [0.0125, -0.025, 0.0625],
    [0.10625, 0.06875, -0.18125],
    [0.1375, -0.0875, 0.2125],
]
GW_WANT = [[0.75, -0.25, -0.0625], [-0.1875, 0.59375, -0.25]]
GB_WANT = [0.3125, 0.0625]
# Backward for one example: grad_W is the outer product grad_a x^T.
GA1 = [0.3, -0.6]
GX1_WANT = [-0.36, -0.18, 0.48]
GW1_WANT = [[0.3, -0.6, 0.15], [-0.6, 1.2, -0.3]]

# ---------------------------------------------------------------- the catalog

MISTAKES = {
    "linear_forward": (
        Mistake(
            "x_times_W",
            "this computes x @ W. W is stored (out, in), so each output is a row of W dotted "
            "with x: a = x @ W.T + b. (With a square W both run; with W of shape (2, 3) "
            "x @ W fails.)",
            [4.1, 5.3],
        ),
        Mistake(
            "no_bias",
            "the bias is missing: a = x W^T + b, and every output unit adds its own b_i.",
            lambda want: np.asarray(want) - np.asarray(B),
        ),
        Mistake(
            "batch_transposed",
            "for a batch this returns shape (n_out, m); the course keeps one example per "
            "row, so the result must be (m, n_out): compute X @ W.T + b, not W @ X.T.",
            lambda want: np.asarray(want).T,
        ),
    ),
    "linear_backward": (
        Mistake(
            "grad_W_transposed",
            "grad_W comes out transposed, with the shape of W^T (here (3, 2) instead of W's "
            "(2, 3)). dL/dW_ij = grad_a_i x_j, so grad_W = grad_a^T @ x has W's shape "
            "(n_out, n_in).",
            lambda want: np.asarray(want).T,
        ),
        Mistake(
            "grad_b_not_summed",
            "grad_b has one row per example. b is shared by every example of the batch, so "
            "its gradient is the sum of the rows of grad_a: grad_a.sum(axis=0), here "
            "[0.3125, 0.0625] of shape (2,).",
            GA,
        ),
        Mistake(
            "grad_x_with_W_transposed",
            "grad_x multiplies by the wrong orientation of W: this is W grad_a = [-3, -2], "
            "but per example dL/dx = W^T grad_a = [3, 1] (column j of W meets x_j), which for "
            "rows of a batch is grad_a @ W.",
            [-3.0, -2.0],
        ),
        Mistake(
            "extra_1_over_m",
            "these gradients are m = 4 times too small: the 1/m of the mean loss is already "
            "inside grad_a, so do not divide by m again; grad_W and grad_b only sum over the "
            "batch.",
            lambda want: np.asarray(want) / 4,
        ),
        Mistake(
            "wrong_order",
            "the three gradients come back in the wrong order: return (grad_x, grad_W, "
            "grad_b), the input's gradient first.",
            None,
        ),
    ),
}


def _mistakes(stub, *keys):
    return tuple(m for m in MISTAKES[stub] if m.key in keys)


def _arr(v):
    return np.asarray(v, dtype=np.float64)


def check_linear_forward(linear_forward):
    """One example, a square layer, and a batch of four, against hand-worked numbers."""
    name = "linear_forward"
    square = call_stub(linear_forward, _arr(XS), _arr(WS), _arr(BS), name=name)
    expect_close(
        square,
        AS_WANT,
        name=name,
        what="x = [3, -1], W = [[1, 2], [-1, 0.5]], b = [0.1, -0.2]",
        mistakes=_mistakes(name, "x_times_W", "no_bias"),
    )
    single = call_stub(linear_forward, _arr(X1), _arr(W), _arr(B), name=name)
    expect_close(
        single,
        A1_WANT,
        name=name,
        what="one example x of shape (3,), W (2, 3)",
        mistakes=_mistakes(name, "no_bias"),
    )
    batch = call_stub(linear_forward, _arr(XB), _arr(W), _arr(B), name=name)
    expect_close(
        batch,
        AB_WANT,
        name=name,
        what="a batch X of shape (4, 3), W (2, 3)",
        mistakes=_mistakes(name, "batch_transposed", "no_bias"),
    )
    passed(name, "a = x W^T + b for one example, a square layer and a batch of 4")


def _three(result, name, what, x, W):
    """The stub's (grad_x, grad_W, grad_b) as arrays, or the failure that explains why not."""
    if not isinstance(result, tuple | list) or len(result) != 3:
        raise CheckFailure(
            f"{name} should return three arrays (grad_x, grad_W, grad_b) for {what}, "
            f"got {type(result).__name__}.",
            key="not_a_triple",
        )
    grads = [np.asarray(r, dtype=np.float64) for r in result]
    if grads[0].shape == np.shape(W) and grads[1].shape == np.shape(x):
        raise CheckFailure(f"{name}: {_mistakes(name, 'wrong_order')[0].hint}", key="wrong_order")
    return grads


def check_linear_backward(linear_backward):
    """A batch of four, one example, and a square layer, against hand-worked numbers."""
    name = "linear_backward"
    whats = "a square layer: grad_a = [1, -2], W = [[1, 2], [-1, 0.5]]"
    grad_xs, _, _ = _three(
        call_stub(linear_backward, _arr(GS), _arr(XS), _arr(WS), name=name), name, whats, XS, WS
    )
    expect_close(
        grad_xs,
        GXS_WANT,
        name=name,
        what=f"grad_x for {whats}",
        mistakes=_mistakes(name, "grad_x_with_W_transposed"),
    )
    what = "grad_a (4, 2), x (4, 3), W (2, 3)"
    grad_x, grad_W, grad_b = _three(
        call_stub(linear_backward, _arr(GA), _arr(XB), _arr(W), name=name), name, what, XB, W
    )
    expect_close(
        grad_x,
        GX_WANT,
        name=name,
        what=f"grad_x with {what}",
        mistakes=_mistakes(name, "extra_1_over_m"),
    )
    expect_close(
        grad_W,
        GW_WANT,
        name=name,
        what=f"grad_W with {what}",
        mistakes=_mistakes(name, "grad_W_transposed", "extra_1_over_m"),
    )
    expect_close(
        grad_b,
        GB_WANT,
        name=name,
        what=f"grad_b with {what}",
        mistakes=_mistakes(name, "grad_b_not_summed", "extra_1_over_m"),
    )
    what1 = "one example: grad_a (2,), x (3,), W (2, 3)"
    grad_x1, grad_W1, grad_b1 = _three(
        call_stub(linear_backward, _arr(GA1), _arr(X1), _arr(W), name=name), name, what1, X1, W
    )
    expect_close(
        grad_W1,
        GW1_WANT,
        name=name,
        what=f"grad_W for {what1}",
        mistakes=_mistakes(name, "grad_W_transposed"),
    )
    expect_close(grad_x1, GX1_WANT, name=name, what=f"grad_x for {what1}")
    expect_close(grad_b1, GA1, name=name, what=f"grad_b for {what1}")
    passed(
        name,
        f"grad_x, grad_W, grad_b agree for a batch, one example and a square layer "
        f"(grad_b = {fmt(grad_b)})",
    )
