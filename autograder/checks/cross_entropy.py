"""Checks for lesson 03 (cross entropy): the loss, its gradient with respect to the
probabilities, and the gradient with respect to the logits, p - y.

Every stored number is a short hand calculation (written beside it) and is confirmed in
tests/autograder/checks/test_cross_entropy.py against the answer key and finite differences.
The batch has m = 3 rows, so a missing or extra 1/m shows up as a factor of 3. Targets are
given both as integer labels and as one-hot rows: a stub must accept both.
"""

import numpy as np

from autograder.checks.cases import Case
from autograder.checks.catalogue import Mistake
from autograder.checks.compare import check_case, fmt
from autograder.checks.core import passed

NAN = float("nan")

# ---------------------------------------------------------------- inputs and right answers

P1 = [0.8, 0.1, 0.1]  # one example, true class 0 (the sources' example)
CE1_WANT = 0.2231435513142097  # -ln 0.8
P = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.25, 0.25, 0.5]]  # a batch, m = 3
LABELS = [0, 1, 2]
ONE_HOT = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
CE_WANT = 0.5202159160882228  # (-ln 0.7 - ln 0.6 - ln 0.5) / 3
# A wrong class with probability exactly 0: its term is 0 log 0 = 0, not nan.
P0 = [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]]
LABELS0 = [0, 1]
CE0_WANT = 0.34657359027997264  # (-ln 0.5 - ln 1) / 2

# dL/dp = -y / p / m: only the true class of each row is non-zero.
GP_WANT = [[-1 / 2.1, 0.0, 0.0], [0.0, -1 / 1.8, 0.0], [0.0, 0.0, -1 / 1.5]]
GP0_WANT = [[-1.0, 0.0, 0.0], [0.0, -0.5, 0.0]]  # -1/0.5/2 and -1/1/2
# dL/dz = (p - y) / m; for one example p - y.
GL1_WANT = [-0.2, 0.1, 0.1]  # [0.8, 0.1, 0.1] - [1, 0, 0]
GL_WANT = [[-0.1, 0.2 / 3, 0.1 / 3], [0.1 / 3, -0.4 / 3, 0.1], [0.25 / 3, 0.25 / 3, -0.5 / 3]]

# ---------------------------------------------------------------- the cases

ONE = "p = [0.8, 0.1, 0.1] with true class 0"
LABELED = "a batch of 3 rows with integer labels"
ONE_HOT_ROWS = "a batch of 3 rows with one-hot rows"
ZERO = "p = [[0.5, 0.5, 0], [0, 1, 0]] with labels [0, 1]"

CASES = {
    "cross_entropy": (
        Case("one example", (P1, 0), CE1_WANT, ONE),
        Case("labels", (P, LABELS), CE_WANT, LABELED),
        Case("one-hot", (P, ONE_HOT), CE_WANT, ONE_HOT_ROWS),
        Case("zero probability", (P0, LABELS0), CE0_WANT, ZERO),
    ),
    "cross_entropy_grad_probs": (
        Case("labels", (P, LABELS), GP_WANT, LABELED),
        Case("one-hot", (P, ONE_HOT), GP_WANT, ONE_HOT_ROWS),
        Case("zero probability", (P0, LABELS0), GP0_WANT, ZERO),
    ),
    "cross_entropy_grad_logits": (
        Case("labels", (P, LABELS), GL_WANT, LABELED),
        Case("one-hot", (P, ONE_HOT), GL_WANT, ONE_HOT_ROWS),
        Case("one example", (P1, 0), GL1_WANT, "one example p = [0.8, 0.1, 0.1], y = 0"),
    ),
}

# ---------------------------------------------------------------- the catalog

MISTAKES = {
    "cross_entropy": (
        Mistake(
            "summed_not_averaged",
            "this is the sum over the batch's rows, 3 times too large. The loss of a batch is "
            "the mean over its m rows: divide the sum by m.",
            lambda want: want * 3,
            on=("labels", "one-hot"),
        ),
        Mistake(
            "missing_minus",
            "the minus sign is missing: log p < 0 for p < 1, so -sum y log p is what makes "
            "the loss positive (-ln 0.8 = 0.2231).",
            lambda want: -want,
        ),
        Mistake(
            "log_of_zero",
            "a wrong class with probability exactly 0 turns the loss into nan: y log p with "
            "y = 0 and p = 0 is 0 x (-inf). Only the true classes contribute: take log p "
            "where y > 0 (for labels, pick p[row, label] first), never log of all of p.",
            NAN,
            on=("zero probability",),
        ),
        Mistake(
            "labels_not_converted",
            "y holds integer labels here, and your code multiplied by them as if they were "
            "one-hot rows: y = 0 means 'class 0 is true', not 'multiply by 0', so the loss "
            "came out 0. Turn labels into one-hot rows first (np.eye(K)[y]; leave one-hot y "
            "as it is), or pick p[row, label] directly.",
            0.0,  # -sum(0 * log p) for p = [0.8, 0.1, 0.1], y = 0
            on=("one example",),
        ),
    ),
    "cross_entropy_grad_probs": (
        Mistake(
            "missing_minus",
            "the sign is flipped: d(-log p)/dp = -1/p, so the gradient is -y/p (negative "
            "on the true class: raising its probability lowers the loss).",
            lambda want: -np.asarray(want),
        ),
        Mistake(
            "missing_1_over_m",
            "this is m = 3 times too large: the batch loss is a mean, so every row's "
            "gradient carries 1/m.",
            lambda want: np.asarray(want) * 3,
            on=("labels", "one-hot"),
        ),
        Mistake(
            "without_y",
            "this is -1/p for every class. Only the true class appears in the loss, so "
            "multiply by y: the gradient is 0 wherever y is 0.",
            [
                [-1 / 2.1, -1 / 0.6, -1 / 0.3],
                [-1 / 0.3, -1 / 1.8, -1 / 0.9],
                [-4 / 3, -4 / 3, -1 / 1.5],
            ],
            on=("labels", "one-hot"),
        ),
        Mistake(
            "zero_division",
            "dividing y by p everywhere gives 0/0 = nan where a wrong class has "
            "probability 0. The gradient is 0 wherever y is 0: divide only where y > 0 "
            "(e.g. np.divide(..., where=y > 0, out=np.zeros_like(p))).",
            [[-1.0, 0.0, NAN], [NAN, -0.5, NAN]],
            on=("zero probability",),
        ),
        Mistake(
            "labels_not_converted",
            "y holds integer labels here (a batch with labels [0, 1, 2]), and your code used "
            "them as if they were one-hot rows, so they were broadcast across the columns. "
            "Turn labels into one-hot rows first (np.eye(K)[y]; leave one-hot y as it is).",
            # -[0, 1, 2] / p / 3, row by row
            [
                [0.0, -1 / 0.6, -2 / 0.3],
                [0.0, -1 / 1.8, -2 / 0.9],
                [0.0, -1 / 0.75, -2 / 1.5],
            ],
            on=("labels",),
        ),
    ),
    "cross_entropy_grad_logits": (
        Mistake(
            "y_minus_p",
            "the sign is flipped: this is y - p. The gradient with respect to the logits "
            "is p - y (gradient descent then lowers the wrong classes' logits).",
            lambda want: -np.asarray(want),
        ),
        Mistake(
            "missing_1_over_m",
            "this is m = 3 times too large: the batch loss is a mean, so the gradient is "
            "(p - y) / m.",
            lambda want: np.asarray(want) * 3,
            on=("labels", "one-hot"),
        ),
        Mistake(
            "grad_probs_instead",
            "this is -y/p, the gradient with respect to the probabilities. Through the "
            "softmax Jacobian it collapses to p - y with respect to the logits.",
            GP_WANT,
            on=("labels", "one-hot"),
        ),
        Mistake(
            "labels_not_converted",
            "y holds integer labels here (a batch with labels [0, 1, 2]), and your code "
            "subtracted them as if they were one-hot rows, so they were broadcast across the "
            "columns. Turn labels into one-hot rows first (np.eye(K)[y]; leave one-hot y as it "
            "is), then return (p - y) / m.",
            # (p - [0, 1, 2]) / 3, row by row
            [
                [0.7 / 3, -0.8 / 3, -1.9 / 3],
                [0.1 / 3, -0.4 / 3, -1.7 / 3],
                [0.25 / 3, -0.75 / 3, -1.5 / 3],
            ],
            on=("labels",),
        ),
    ),
}


# ---------------------------------------------------------------- the checks


def check_cross_entropy(cross_entropy):
    """One example, a batch with labels and with one-hot rows, and a probability of 0."""
    for case in CASES["cross_entropy"]:
        check_case(cross_entropy, case, stub="cross_entropy", catalogue=MISTAKES)
    passed(
        "cross_entropy",
        f"-ln 0.8 = {CE1_WANT:.4f}; a batch's loss is the mean; 0 log 0 counts as 0",
    )


def check_cross_entropy_grad_probs(cross_entropy_grad_probs):
    """-y/p with 1/m, for labels and one-hot rows, finite where a wrong class has p = 0."""
    stub = "cross_entropy_grad_probs"
    for case in CASES[stub]:
        check_case(cross_entropy_grad_probs, case, stub=stub, catalogue=MISTAKES)
    passed(stub, f"-y/p/m, e.g. row 1: {fmt(GP_WANT[0])}")


def check_cross_entropy_grad_logits(cross_entropy_grad_logits):
    """(p - y)/m for a batch with labels and with one-hot rows, and p - y for one example."""
    stub = "cross_entropy_grad_logits"
    for case in CASES[stub]:
        check_case(cross_entropy_grad_logits, case, stub=stub, catalogue=MISTAKES)
    passed(stub, "p - y, divided by m for a batch")
