"""Checks for lesson 03 (cross entropy): the loss, its gradient with respect to the
probabilities, the gradient with respect to the logits, p - y, and the stable loss computed
from the logits (softmax_cross_entropy, with its gradient).

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
from autograder.checks.parts import judged_label, judging, known_parts

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

# softmax_cross_entropy(logits, y) -> (loss, grad_logits), from the logits a:
# loss = mean over rows of -a_c + log sum_k e^(a_k); grad = (softmax(a) - y) / m.
A1 = [1.0, 2.0, 3.0]  # true class 2: -3 + log(e + e^2 + e^3) = log(e^-2 + e^-1 + 1)
SCE1_WANT = {
    "loss": 0.4076059644443806,
    "grad_logits": [0.09003057317038046, 0.24472847105479764, -0.3347590442251781],
}
A = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]  # labels [0, 1]: row losses log(1 + e + e^2), log 3
A_LABELS = [0, 1]
A_ONE_HOT = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
SCE_WANT = {
    "loss": 1.7531091265562453,  # (2.40760596 + 1.09861229) / 2
    "grad_logits": [  # (softmax(a) - y) / 2
        [(0.09003057317038046 - 1) / 2, 0.24472847105479764 / 2, 0.6652409557748219 / 2],
        [1 / 6, (1 / 3 - 1) / 2, 1 / 6],
    ],
}
# Logits 1000 apart: p of the true class underflows to 0 in row 0 (-log p = inf), row 1 is
# right by 1000. The loss is (1000 + 0) / 2 = 500 exactly, the gradient (p - y) / 2.
A_HUGE = [[0.0, 1000.0], [1000.0, 0.0]]
HUGE_LABELS = [0, 0]
SCE_HUGE_WANT = {"loss": 500.0, "grad_logits": [[-0.5, 0.5], [0.0, 0.0]]}
INF = float("inf")

# ---------------------------------------------------------------- the cases

ONE = "p = [0.8, 0.1, 0.1] with true class 0"
LABELED = "a batch of 3 rows with integer labels"
ONE_HOT_ROWS = "a batch of 3 rows with one-hot rows"
ZERO = "p = [[0.5, 0.5, 0], [0, 1, 0]] with labels [0, 1]"
HUGE = "logits [[0, 1000], [1000, 0]] with labels [0, 0] (p of row 0's true class is 0)"
SCE_PARTS = ("loss", "grad_logits")

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
    "softmax_cross_entropy": (
        Case("one example", (A1, 2), SCE1_WANT, "logits [1, 2, 3], true class 2", SCE_PARTS),
        Case(
            "labels",
            (A, A_LABELS),
            SCE_WANT,
            "the batch [[1, 2, 3], [0, 0, 0]], labels [0, 1]",
            SCE_PARTS,
        ),
        Case("one-hot", (A, A_ONE_HOT), SCE_WANT, "the same batch with one-hot rows", SCE_PARTS),
        Case("huge", (A_HUGE, HUGE_LABELS), SCE_HUGE_WANT, HUGE, SCE_PARTS),
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


MISTAKES["softmax_cross_entropy"] = (
    Mistake(
        "no_max_shift",
        "log sum_k e^(a_k) overflowed: e^1000 is inf in float64, so the loss and the "
        "gradient hold nan (inf - inf, 0 x inf, inf / inf). Subtract each row's maximum "
        "before exponentiating, and add it back: "
        "log sum_k e^(a_k) = max + log sum_k e^(a_k - max).",
        # what the mistake returns on HUGE: computed by softmax_cross_entropy__no_max_shift
        {"loss": NAN, "grad_logits": [[-0.5, NAN], [NAN, 0.0]]},
        on=("huge",),
    ),
    Mistake(
        "via_probabilities",
        "this is -log of the probability, and softmax's p of row 0's true class underflows to "
        "0 (e^-1000), so the loss is inf. Compute log p from the logits instead: "
        "log p_c = a_c - log sum_k e^(a_k), with the row's max subtracted inside the log-sum-exp.",
        {"loss": INF, "grad_logits": [[-0.5, 0.5], [0.0, 0.0]]},
        on=("huge",),
    ),
    Mistake(
        "summed_not_averaged",
        "this is m = 2 times too large (loss and gradient): the loss of a batch is the mean "
        "over its rows, so divide the sum, and the gradient, by m.",
        lambda want: {"loss": want["loss"] * 2, "grad_logits": want["grad_logits"] * 2},
        on=("labels", "one-hot", "huge"),
    ),
    Mistake(
        "y_minus_p",
        "the gradient's sign is flipped: this is y - p. The gradient with respect to the logits "
        "is p - y (divided by m for a batch).",
        lambda want: {"grad_logits": -want["grad_logits"]},
    ),
)

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


def check_softmax_cross_entropy(softmax_cross_entropy, parts=SCE_PARTS):
    """(loss, grad_logits) for one example, a batch with labels and one-hot rows, and logits
    1000 apart, where the loss must stay finite.

    parts: which of SCE_PARTS to judge (lesson 03 has a test cell for each, so a wrong gradient
    does not cost the loss's points). The answer must still be the pair (loss, grad_logits).
    """
    stub = "softmax_cross_entropy"
    parts = known_parts(parts, SCE_PARTS)
    for case in CASES[stub]:
        case, catalogue = judging(stub, case, parts, SCE_PARTS, MISTAKES)
        check_case(softmax_cross_entropy, case, stub=stub, catalogue=catalogue)
    said = {
        "loss": "log-sum-exp from the logits: finite loss 500 where -log p is inf",
        "grad_logits": "(p - y)/m",
    }
    passed(judged_label(stub, parts, SCE_PARTS), "; ".join(said[p] for p in parts))
