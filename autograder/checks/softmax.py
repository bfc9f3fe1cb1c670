"""Checks for lesson 02 (softmax): the probabilities, their Jacobian, and the backward step
that multiplies by the Jacobian without forming it.

They judge with numbers stored below (computed once by the answer key and confirmed in
tests/autograder/checks/test_softmax.py against the answer key, finite differences and hand
arithmetic), and they recognise the known mistakes by the wrong numbers those mistakes produce
(stored, or as a relation to the right answer, such as a flipped sign).

The sources' numbers: softmax([1, 2, 3]) = [0.0900, 0.2447, 0.6652] (000), and
softmax([1000, 2000, 3000]) = [0, 0, 1] once the maximum is subtracted; without it every entry
is nan (000 prints [0, 0, 1] under the name of its unstable function).

Decision on shifting by something other than the row's maximum: any constant per row cancels
on paper, but only the row's maximum keeps every exponent <= 0 with at least one exponent = 0.
Shifting by the row's minimum still overflows ([1000, 2000, 3000] gives [0, nan, nan]), and
shifting a batch by its global maximum sends a row far below it to 0 / 0 = nan. Both are
catalogued as mistakes.
"""

import numpy as np

from autograder.checks.cases import Case
from autograder.checks.catalogue import Mistake
from autograder.checks.compare import check_case
from autograder.checks.core import passed
from autograder.checks.warning_free import warning_free

NAN = float("nan")

# ---------------------------------------------------------------- inputs and right answers

Z_SMALL = [1.0, 2.0, 3.0]
SOFTMAX_SMALL = [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
Z_LARGE = [1000.0, 2000.0, 3000.0]
SOFTMAX_LARGE = [0.0, 0.0, 1.0]
Z_BATCH = [[1.0, 2.0, 3.0], [2.0, 4.0, 0.0]]
SOFTMAX_BATCH = [
    [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
    [0.11731042782619835, 0.8668133321973347, 0.015876239976466762],
]
Z_MIXED = [[1.0, 2.0, 3.0], [1000.0, 2000.0, 3000.0]]
SOFTMAX_MIXED = [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218], [0.0, 0.0, 1.0]]

# softmax_jacobian at Z_SMALL, and at Z_BATCH (one Jacobian per row).
JACOBIAN_SMALL = [
    [0.08192506906499324, -0.022033044520174298, -0.05989202454481893],
    [-0.022033044520174298, 0.1848364465099787, -0.1628034019898044],
    [-0.05989202454481893, -0.1628034019898044, 0.22269542653462338],
]
JACOBIAN_BATCH = [
    JACOBIAN_SMALL,
    [
        [0.10354869134943266, -0.10168624284552193, -0.0018624485039107092],
        [-0.10168624284552193, 0.11544797932228779, -0.013761736476765688],
        [-0.0018624485039107092, -0.013761736476765688, 0.0156241849806764],
    ],
]

# softmax_backward: round probabilities, so the answer can be checked by hand.
# Row 0: sum_i grad_p[i] p_i = 0.2 - 0.6 + 0.25 = -0.15,
#   so dL/da = p (grad_p + 0.15) = [0.23, -0.555, 0.325].
# Row 1: sum_i grad_p[i] p_i = 0 + 0.3 - 0.1 = 0.2,
#   so dL/da = p (grad_p - 0.2) = [-0.12, 0.24, -0.12].
P_ONE = [0.2, 0.3, 0.5]
GRAD_P_ONE = [1.0, -2.0, 0.5]
BACKWARD_ONE = [0.23, -0.555, 0.325]
# A square batch (3 examples of 3 classes), where a row sum without keepdims, shape (3,),
# still broadcasts, but down the columns: row 2's sum is 1 + 0 - 0.5 = 0.5, and its
# dL/da = p (grad_p - 0.5) = [0.75, -0.125, -0.625].
P_SQUARE = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.5, 0.25, 0.25]]
GRAD_P_SQUARE = [[1.0, -2.0, 0.5], [0.0, 1.0, -1.0], [2.0, 0.0, -2.0]]
BACKWARD_SQUARE = [[0.23, -0.555, 0.325], [-0.12, 0.24, -0.12], [0.75, -0.125, -0.625]]
P_BATCH = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]
GRAD_P_BATCH = [[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]]
BACKWARD_BATCH = [[0.23, -0.555, 0.325], [-0.12, 0.24, -0.12]]

# ---------------------------------------------------------------- the cases

CASES = {
    "softmax": (
        Case("small", (Z_SMALL,), SOFTMAX_SMALL, "a = [1, 2, 3]"),
        Case("large", (Z_LARGE,), SOFTMAX_LARGE, "a = [1000, 2000, 3000]"),
        Case("batch", (Z_BATCH,), SOFTMAX_BATCH, "the batch a = [[1, 2, 3], [2, 4, 0]]"),
        Case("mixed", (Z_MIXED,), SOFTMAX_MIXED, "the batch a = [[1, 2, 3], [1000, 2000, 3000]]"),
    ),
    "softmax_jacobian": (
        Case("small", (Z_SMALL,), JACOBIAN_SMALL, "a = [1, 2, 3]"),
        Case("batch", (Z_BATCH,), JACOBIAN_BATCH, "the batch a = [[1, 2, 3], [2, 4, 0]]"),
    ),
    "softmax_backward": (
        Case(
            "one",
            (P_ONE, GRAD_P_ONE),
            BACKWARD_ONE,
            "p = [0.2, 0.3, 0.5], grad_p = [1, -2, 0.5]",
        ),
        Case(
            "square batch",
            (P_SQUARE, GRAD_P_SQUARE),
            BACKWARD_SQUARE,
            "the batch of 3 p = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.5, 0.25, 0.25]], "
            "grad_p = [[1, -2, 0.5], [0, 1, -1], [2, 0, -2]]",
        ),
        Case(
            "batch",
            (P_BATCH, GRAD_P_BATCH),
            BACKWARD_BATCH,
            "the batch p = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], grad_p = [[1, -2, 0.5], [0, 1, -1]]",
        ),
    ),
}
# The same inputs and answers, the 2x3 batch before the square one (where a Jacobian reused
# from row 0 is first seen).
CASES["softmax_backward_loop"] = tuple(CASES["softmax_backward"][i] for i in (0, 2, 1))

# ---------------------------------------------------------------- the catalog

MISTAKES = {
    "softmax": (
        Mistake(
            "no_max_subtraction",
            "e^1000 overflows to inf, and inf / inf is nan. Subtract each row's maximum from a "
            "before exponentiating: it cancels between numerator and denominator, and keeps "
            "every exponent <= 0. softmax([1000, 2000, 3000]) should be [0, 0, 1].",
            [NAN, NAN, NAN],
            on=("large",),
        ),
        Mistake(
            "subtract_min",
            "shifting by the minimum leaves exponents as large as 2000, and e^2000 is inf. "
            "Shift by each row's maximum instead, so that every exponent is <= 0.",
            [0.0, NAN, NAN],
            on=("large",),
        ),
        Mistake(
            "wrong_axis",
            "this normalises each column of the batch, not each row: every column sums to 1. "
            "One example is one row, so take the max and the sum over the last axis, and keep "
            "that axis so the result broadcasts back over each row.",
            [
                [0.2689414213699951, 0.11920292202211755, 0.9525741268224334],
                [0.7310585786300049, 0.8807970779778823, 0.04742587317756679],
            ],
            on=("batch",),
        ),
        Mistake(
            "whole_batch",
            "this normalises over every entry of the batch, so the whole batch sums to 1 "
            "instead of each row. Sum over the last axis only, one sum per row.",
            [
                [0.029172348851737098, 0.07929866577714506, 0.21555612220306056],
                [0.07929866577714506, 0.5859422899976768, 0.01073190739323541],
            ],
            on=("batch",),
        ),
        Mistake(
            "global_max",
            "this shifts the whole batch by its largest entry, 3000, so the row [1, 2, 3] "
            "becomes e^-2997 etc., which underflow to 0, and 0 / 0 is nan. Subtract each "
            "row's own maximum, kept as a column so that it broadcasts over that row.",
            [[NAN, NAN, NAN], [0.0, 0.0, 1.0]],
            on=("mixed",),
        ),
    ),
    "softmax_jacobian": (
        Mistake(
            "sign_slip",
            "every entry has the wrong sign: J = diag(p) - p p^T, so the diagonal "
            "p_i (1 - p_i) is positive and the off-diagonal -p_i p_j negative.",
            lambda want: -want,
        ),
        Mistake(
            "diagonal_only",
            "only the diagonal p_i (1 - p_i) is there. Every p_i depends on every a_j "
            "through the denominator, so J[i, j] = -p_i p_j off the diagonal.",
            lambda want: want * np.eye(want.shape[-1]),
        ),
        Mistake(
            "no_diagonal_term",
            "this is -p p^T alone: the Kronecker delta term is missing. "
            "J[i, j] = p_i (delta_ij - p_j), so add diag(p).",
            [
                [-0.00810550410538723, -0.022033044520174298, -0.05989202454481893],
                [-0.022033044520174298, -0.05989202454481893, -0.1628034019898044],
                [-0.05989202454481893, -0.1628034019898044, -0.4425455292401984],
            ],
            on=("small",),
        ),
        Mistake(
            "diag_p_only",
            "this is diag(p) alone: the -p p^T term is missing. J[i, j] = p_i (delta_ij - p_j); "
            "every row of J sums to 0 because the probabilities always sum to 1.",
            [
                [0.09003057317038046, 0.0, 0.0],
                [0.0, 0.24472847105479764, 0.0],
                [0.0, 0.0, 0.6652409557748218],
            ],
            on=("small",),
        ),
        Mistake(
            "flattened_batch",
            "for a batch of shape (2, 3) this returns one (6, 6) matrix that mixes the two "
            "examples; each example needs its own (3, 3) Jacobian, shape (2, 3, 3). np.diag and "
            "np.outer flatten a batch: build the outer products by broadcasting instead.",
            [
                [0.0819250690649932, -0.0220330445201743, -0.0598920245448189]
                + [-0.0105615250560552, -0.0780397011294535, -0.0014293469848718],
                [-0.0220330445201743, 0.1848364465099787, -0.1628034019898044]
                + [-0.0287092016406897, -0.2121339014785681, -0.0038853679355398],
                [-0.0598920245448189, -0.1628034019898044, 0.2226954265346234]
                + [-0.0780397011294534, -0.5766397295893131, -0.0105615250560552],
                [-0.0105615250560552, -0.0287092016406897, -0.0780397011294534]
                + [0.1035486913494327, -0.1016862428455219, -0.0018624485039107],
                [-0.0780397011294535, -0.2121339014785681, -0.5766397295893131]
                + [-0.1016862428455219, 0.1154479793222878, -0.0137617364767657],
                [-0.0014293469848718, -0.0038853679355398, -0.0105615250560552]
                + [-0.0018624485039107, -0.0137617364767657, 0.0156241849806764],
            ],
            on=("batch",),
        ),
    ),
    "softmax_backward_loop": (
        Mistake(
            "same_jacobian_every_row",
            "every example is multiplied by the first example's Jacobian. J depends on p, and "
            "each row has its own p: build J from p[k] inside the loop, for each example k.",
            [[0.23, -0.555, 0.325], [0.04, 0.36, -0.4]],
            on=("batch",),
        ),
        Mistake(
            "diagonal_only",
            "this multiplies by a diagonal matrix of p_j (1 - p_j) alone. Every a_j moves every "
            "p_i through the denominator, so J[i, j] = -p_i p_j off the diagonal: "
            "J = diag(p) - p p^T (np.diag and np.outer, for one row at a time).",
            [0.16, -0.42, 0.125],
            on=("one",),
        ),
        Mistake(
            "no_diagonal_term",
            "this multiplies by -p p^T alone: the diag(p) term of J = diag(p) - p p^T is "
            "missing. Build J for each row as np.diag(p) - np.outer(p, p).",
            [0.03, 0.045, 0.075],
            on=("one",),
        ),
    ),
    "softmax_backward": (
        Mistake(
            "forgot_subtraction",
            "this is p * grad_p, the diag(p) half of J = diag(p) - p p^T only. Each a_j also "
            "moves every other p_i, which adds -p_j sum_i grad_p[i] p_i: return "
            "p * (grad_p - sum_i grad_p[i] p_i).",
            [0.2, -0.6, 0.25],
            on=("one",),
        ),
        Mistake(
            "grad_unchanged",
            "this returns grad_p unchanged, as if softmax were the identity. Multiply by the "
            "Jacobian: dL/da_j = p_j (grad_p[j] - sum_i grad_p[i] p_i).",
            GRAD_P_ONE,
            on=("one",),
        ),
        Mistake(
            "sign_slip",
            "every entry has the wrong sign: dL/da_j = p_j (grad_p[j] - sum_i grad_p[i] p_i), "
            "grad_p first.",
            lambda want: -want,
        ),
        Mistake(
            "unweighted_sum",
            "the sum inside the bracket is sum_i grad_p[i], but each term needs its weight p_i: "
            "dL/da_j = p_j (grad_p[j] - sum_i grad_p[i] p_i).",
            [0.3, -0.45, 0.5],
            on=("one",),
        ),
        Mistake(
            "wrong_axis",
            "the sum of grad_p[i] p_i runs down the batch's columns (axis 0), mixing the "
            "examples. Take one sum per row (over the last axis), kept as a column.",
            [[-0.04, -0.51, 0.425], [-0.72, 0.39, -0.065], [0.4, 0.075, -0.4125]],
            on=("square batch",),
        ),
        Mistake(
            "whole_batch_sum",
            "the sum of grad_p[i] p_i runs over the whole batch, mixing the examples. Sum over "
            "each row (over the last axis), kept as a column.",
            [[0.09, -0.765, -0.025], [-0.33, 0.135, -0.155], [0.725, -0.1375, -0.6375]],
            on=("square batch",),
        ),
        Mistake(
            "diagonal_only",
            "this multiplies grad_p by the Jacobian's diagonal p_j (1 - p_j) alone, as if each "
            "a_j moved only its own p_j. Through the denominator every a_j moves every p_i, so "
            "the off-diagonal -p_i p_j count too: dL/da_j = sum_i grad_p[i] p_i (delta_ij - p_j) "
            "= p_j (grad_p[j] - sum_i grad_p[i] p_i).",
            [0.16, -0.42, 0.125],
            on=("one",),
        ),
        Mistake(
            "no_keepdims",
            "the row sum sum_i grad_p[i] p_i was taken without keepdims=True: for a batch it has "
            "shape (m,), which numpy lines up with the columns, not the rows (here row 0 got "
            "column sums subtracted; with m != K it fails to broadcast). Keep the summed axis, "
            "(grad_p * p).sum(axis=-1, keepdims=True), shape (m, 1), so each row gets its own.",
            [[0.23, -0.66, 0.0], [0.09, 0.24, -0.15], [1.075, -0.05, -0.625]],
            on=("square batch",),
        ),
        Mistake(
            "extra_1_over_m",
            "these are m times too small for a batch of m (right for one example): grad_p "
            "already carries the mean loss's 1/m, and softmax_backward only multiplies by each "
            "row's Jacobian, so do not divide by the batch size again.",
            lambda want: want / len(want) if want.ndim == 2 else want,
            on=("square batch", "batch"),
        ),
    ),
}

# ---------------------------------------------------------------- the checks


def check_softmax(softmax):
    """softmax on [1, 2, 3], on [1000, 2000, 3000] (overflow), and on two 2x3 batches."""
    for case in CASES["softmax"]:
        check_case(softmax, case, stub="softmax", catalogue=MISTAKES)
        warning_free(softmax, case, stub="softmax")
    passed("softmax", "[1, 2, 3] -> [0.0900, 0.2447, 0.6652], no overflow, each row sums to 1")


def check_softmax_jacobian(softmax_jacobian):
    """softmax_jacobian on a = [1, 2, 3] (shape (3, 3)) and on a 2x3 batch (shape (2, 3, 3))."""
    for case in CASES["softmax_jacobian"]:
        check_case(softmax_jacobian, case, stub="softmax_jacobian", catalogue=MISTAKES)
        warning_free(softmax_jacobian, case, stub="softmax_jacobian")
    passed("softmax_jacobian", "p_i (delta_ij - p_j): symmetric, rows summing to 0, one per row")


def check_softmax_backward_loop(softmax_backward_loop):
    """softmax_backward_loop on one example, a square batch and a 2x3 batch: grad_p @ J row by
    row, the same numbers softmax_backward must give."""
    for case in CASES["softmax_backward_loop"]:
        check_case(softmax_backward_loop, case, stub="softmax_backward_loop", catalogue=MISTAKES)
        warning_free(softmax_backward_loop, case, stub="softmax_backward_loop")
    passed("softmax_backward_loop", "grad_p[k] @ J_k for each example k, one Jacobian per row")


def check_softmax_backward(softmax_backward):
    """softmax_backward on p = [0.2, 0.3, 0.5] with grad_p = [1, -2, 0.5], and on a 2x3 batch."""
    for case in CASES["softmax_backward"]:
        check_case(softmax_backward, case, stub="softmax_backward", catalogue=MISTAKES)
        warning_free(softmax_backward, case, stub="softmax_backward")
    passed(
        "softmax_backward",
        "dL/da_j = p_j (grad_p[j] - sum_i grad_p[i] p_i) row by row, equal to grad_p @ J",
    )
