"""Checks for lesson 04 (the output layer): a = x W^T + b and its backward pass.

The inputs are small and the numbers simple enough to work by hand; tests/autograder/checks/
test_output_layer.py confirms every stored answer against the answer key and finite
differences. Shapes are non-square on purpose (n_in = 3, n_out = 2, m = 4), so a transposed
W or a missing sum shows up as a wrong shape; one square case catches the W-versus-W^T
slips that non-square shapes turn into crashes.
"""

import numpy as np

from autograder.checks.cases import Case
from autograder.checks.catalogue import Mistake, failure
from autograder.checks.compare import check_case, expect, fmt
from autograder.checks.core import call_stub, passed
from autograder.checks.parts import judged_label, judging, known_parts

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
GWS_WANT = [[3.0, -1.0], [-6.0, 2.0]]  # the outer product g x^T
# grad_a.T @ x on 1-D arrays is the inner product 1 * 3 + (-2) * (-1) = 5, and
# grad_a.sum(axis=0) adds the entries of the one example: 1 - 2 = -1.
GWS_INNER = 5.0
GBS_SUMMED = -1.0

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

# ---------------------------------------------------------------- the cases

GRADS = ("grad_x", "grad_W", "grad_b")  # what linear_backward returns, in order
SQUARE = "a square layer: grad_a = [1, -2], x = [3, -1], W = [[1, 2], [-1, 0.5]]"

CASES = {
    "linear_forward": (
        Case(
            "square",
            (XS, WS, BS),
            AS_WANT,
            "x = [3, -1], W = [[1, 2], [-1, 0.5]], b = [0.1, -0.2]",
        ),
        Case("one example", (X1, W, B), A1_WANT, "one example x of shape (3,), W (2, 3)"),
        Case("batch", (XB, W, B), AB_WANT, "a batch X of shape (4, 3), W (2, 3)"),
    ),
    "linear_backward": (
        Case(
            "square",
            (GS, XS, WS),
            {"grad_x": GXS_WANT, "grad_W": GWS_WANT, "grad_b": GS},  # W against W^T, and
            # one example whose n_out = n_in, where the batch formulas run without an error
            SQUARE,
            returns=GRADS,
        ),
        Case(
            "batch",
            (GA, XB, W),
            {"grad_x": GX_WANT, "grad_W": GW_WANT, "grad_b": GB_WANT},
            "a batch of 4: grad_a (4, 2), x (4, 3), W (2, 3)",
            returns=GRADS,
        ),
        Case(
            "one example",
            (GA1, X1, W),
            {"grad_x": GX1_WANT, "grad_W": GW1_WANT, "grad_b": GA1},
            "one example: grad_a (2,), x (3,), W (2, 3)",
            returns=GRADS,
        ),
    ),
}
# The same inputs and answers, the batch first: its sums over the examples are what a loop
# gets wrong.
CASES["linear_backward_loop"] = tuple(CASES["linear_backward"][i] for i in (1, 0, 2))

# The loop version's slips, on the batch (computed once by autograder/grader/mistakes/).
GX_OVERWRITTEN = [
    [-0.175, -0.025, 0.075],
    [0.0, 0.0, 0.0],
    [0.13125, 0.01875, -0.05625],
    [0.0875, 0.0125, -0.0375],
]
GW_LAST = [[0.5, 0.0, -0.25], [0.25, 0.0, -0.125]]  # the outer product of the last example
GB_LAST = [0.25, 0.125]

# ---------------------------------------------------------------- the catalog

MISTAKES = {
    "linear_forward": (
        Mistake(
            "x_times_W",
            "this computes x @ W. W is stored (out, in), so each output is a row of W dotted "
            "with x: a = x @ W.T + b. (With a square W both run; with W of shape (2, 3) "
            "x @ W fails.)",
            [4.1, 5.3],
            on=("square",),
        ),
        Mistake(
            "no_bias",
            "the bias is missing: a = x W^T + b, and every output unit adds its own b_i.",
            lambda want: want - np.asarray(B),
        ),
        Mistake(
            "batch_transposed",
            "for a batch this returns shape (n_out, m); the course keeps one example per "
            "row, so the result must be (m, n_out): compute X @ W.T + b, not W @ X.T.",
            lambda want: want.T,
            on=("batch",),
        ),
    ),
    "linear_backward_loop": (
        Mistake(
            "overwrites_sums",
            "each entry keeps only the last term of its sum: `=` where `+=` is needed. grad_x[k, "
            "j] sums over the outputs i, and grad_W[i, j] and grad_b[i] over the examples k; "
            "start them at zero and add every term.",
            {"grad_x": GX_OVERWRITTEN, "grad_W": GW_LAST, "grad_b": GB_LAST},
            on=("batch",),
        ),
        Mistake(
            "last_example_only",
            "grad_W and grad_b hold the last example's terms only: they are set to zero (or "
            "assigned) inside the loop over the examples. W and b are shared by the whole "
            "batch, so create them once, before that loop, and add every example's terms.",
            {"grad_W": GW_LAST, "grad_b": GB_LAST},
            on=("batch",),
        ),
        Mistake(
            "extra_1_over_m",
            "these gradients are m = 4 times too small: the 1/m of the mean loss is already "
            "inside grad_a, so do not divide by m again.",
            lambda want: {name: grad / 4 for name, grad in want.items()},
            on=("batch",),
        ),
    ),
    "linear_backward": (
        Mistake(
            "grad_W_transposed",
            "grad_W comes out transposed, with the shape of W^T (here (3, 2) instead of W's "
            "(2, 3)). dL/dW_ij = grad_a_i x_j, so grad_W = grad_a^T @ x has W's shape "
            "(n_out, n_in).",
            lambda want: {**want, "grad_W": want["grad_W"].T},
            on=("square", "batch", "one example"),
        ),
        Mistake(
            "grad_b_not_summed",
            "grad_b has one row per example. b is shared by every example of the batch, so "
            "its gradient is the sum of the rows of grad_a: grad_a.sum(axis=0), here "
            "[0.3125, 0.0625] of shape (2,).",
            {"grad_b": GA},
            on=("batch",),
        ),
        Mistake(
            "grad_x_with_W_transposed",
            "grad_x multiplies by the wrong orientation of W: this is W grad_a = [-3, -2], "
            "but per example dL/dx = W^T grad_a = [3, 1] (column j of W meets x_j), which for "
            "rows of a batch is grad_a @ W.",
            {"grad_x": [-3.0, -2.0]},
            on=("square",),
        ),
        Mistake(
            "extra_1_over_m",
            "these gradients are m = 4 times too small: the 1/m of the mean loss is already "
            "inside grad_a, so do not divide by m again; grad_W and grad_b only sum over the "
            "batch.",
            lambda want: {name: grad / 4 for name, grad in want.items()},
            on=("batch",),
        ),
        Mistake(
            "inner_product_one_example",
            "for one example grad_a and x are 1-D, and .T does nothing to a 1-D array, so "
            "grad_a.T @ x is their inner product, one number (here 5), not the outer product "
            "grad_a x^T of W's shape (with n_out != n_in it fails); grad_a.sum(axis=0) likewise "
            "adds up the one example's entries. For one example grad_W = np.outer(grad_a, x) and "
            "grad_b = grad_a (or make x and grad_a batches of one with np.atleast_2d, and "
            "reshape back).",
            {"grad_W": GWS_INNER, "grad_b": GBS_SUMMED},
            on=("square",),
        ),
        Mistake(
            "wrong_order",
            "the three gradients come back in the wrong order: return (grad_x, grad_W, "
            "grad_b), the input's gradient first.",
            None,  # recognised by the check itself: the shapes of W and x in the wrong places
        ),
    ),
}


# ---------------------------------------------------------------- the checks


def check_linear_forward(linear_forward):
    """A square layer, one example, and a batch of four, against hand-worked numbers."""
    for case in CASES["linear_forward"]:
        check_case(linear_forward, case, stub="linear_forward", catalogue=MISTAKES)
    passed("linear_forward", "a = x W^T + b for one example, a square layer and a batch of 4")


def check_linear_backward_loop(linear_backward_loop):
    """A square layer, a batch of four, and one example: the same numbers as linear_backward."""
    for case in CASES["linear_backward_loop"]:
        check_case(linear_backward_loop, case, stub="linear_backward_loop", catalogue=MISTAKES)
    passed(
        "linear_backward_loop",
        "grad_x, grad_W, grad_b entry by entry, for a batch, one example and a square layer",
    )


def check_linear_backward(linear_backward, parts=GRADS):
    """A square layer, a batch of four, and one example, against hand-worked numbers.

    parts: which of GRADS to judge (each of lesson 04's three test cells checks one, so one
    wrong gradient costs only its own points). The answer must still be the three gradients in
    order, whatever is judged.
    """
    stub = "linear_backward"
    parts = known_parts(parts, GRADS)
    for case in CASES[stub]:
        grad_a, x, W = case.arguments()
        got = call_stub(linear_backward, grad_a, x, W, name=stub)
        if isinstance(got, tuple | list) and len(got) == 3:
            shapes = tuple(np.shape(g) for g in got)
            if shapes[0] == W.shape and shapes[1] == x.shape:
                evidence = f"for {case.what}: got shapes {', '.join(map(str, shapes))}"
                raise failure(MISTAKES, stub, "wrong_order", evidence)
        case, catalogue = judging(stub, case, parts, GRADS, MISTAKES)
        expect(got, case, stub=stub, catalogue=catalogue)
    judged = ", ".join(parts)
    passed(
        judged_label(stub, parts, GRADS),
        f"{judged} agree{'s' if len(parts) == 1 else ''} for a batch, one example and a square "
        f"layer" + (f" (grad_b = {fmt(GB_WANT)})" if "grad_b" in parts else ""),
    )
