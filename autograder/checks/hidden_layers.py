"""Checks for lesson 05 (hidden layers): the activations, their derivatives g'(a), and the
elementwise backward step dL/da = dL/dh (.) g'(a).

They judge with numbers stored below (computed once by the answer key and confirmed in
tests/autograder/checks/test_hidden_layers.py against the answer key, finite differences and
the sources' worked example), with properties (shape, float dtype, no warnings), and they
recognise the known mistakes by the wrong numbers those mistakes produce (stored, or as a
relation to the right answer).

The sources' worked example (003): a1 = W1 x = [2.9, 1.4, 2.1, 2.3], h1 = sigmoid(a1) =
[0.9478, 0.8022, 0.8909, 0.9089], sigma'(a1) = h1 (1 - h1) = [0.04943, 0.1587, 0.09719,
0.08282]; the source prints h13 (1 - h13) = 0.0979, which is 0.89 x 0.11 from its rounded h13.

Decision on relu_grad: a boolean array (a > 0) has the right pattern but is rejected. The
course computes in float64 everywhere, and booleans break ordinary arithmetic later
(-mask raises a TypeError in numpy, and mask.sum() counts instead of adds).
"""

import warnings

import numpy as np

from autograder.checks.cases import Case
from autograder.checks.catalogue import Mistake, failure
from autograder.checks.compare import check_case, fmt
from autograder.checks.core import passed
from autograder.checks.warning_free import warning_free

NAN = float("nan")

# ---------------------------------------------------------------- inputs and right answers

A_SIGMOID = [-1000.0, -2.0, 0.0, 0.5, 3.0, 1000.0]
SIGMOID_WANT = [
    0.0,
    0.11920292202211755,
    0.5,
    0.6224593312018546,
    0.9525741268224334,
    1.0,
]

A_RELU = [[-2.0, -0.5, 0.0], [0.5, 1.5, 3.0]]
RELU_WANT = [[0.0, 0.0, 0.0], [0.5, 1.5, 3.0]]

# Row 0 is the worked example's a1; row 1 probes both tails and the middle.
A_SIGMOID_GRAD = [[2.9, 1.4, 2.1, 2.3], [-1000.0, -1.0, 0.0, 1000.0]]
SIGMOID_GRAD_WANT = [
    [0.049433568936643184, 0.15868489749561468, 0.09719470480062539, 0.08281956699074118],
    [0.0, 0.19661193324148185, 0.25, 0.0],
]

A_TANH_GRAD = [[-2.0, -0.5, 0.0, 0.5], [1.0, 2.1, 20.0, -400.0]]
TANH_GRAD_WANT = [
    [0.07065082485316443, 0.7864477329659274, 1.0, 0.7864477329659274],
    [0.41997434161402614, 0.058223038723196674, 0.0, 0.0],
]

A_RELU_GRAD = [[-2.0, -0.5, 0.0, 0.5], [3.0, 0.0, -1e-9, 1e-9]]
RELU_GRAD_WANT = [[0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0]]

# activation_backward, case 1: the worked example's hidden layer with cross entropy:
# grad_h1 = W2^T (p - y), rounded to 6 decimals, and a1 = W1 x.
GRAD_H1 = [0.0, -0.137798, 0.022966, -0.206698]
A1 = [2.9, 1.4, 2.1, 2.3]
BACKWARD_SIGMOID_WANT = [0.0, -0.02186646150510071, 0.002232173590451163, -0.01711863885785222]
# case 2: a batch of 2 rows through tanh (a = 0 where tanh' = 1 and sigmoid' = 1/4).
GRAD_H_TANH = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]
A_TANH = [[-1.0, 0.0, 0.5], [2.0, -0.3, 1.2]]
BACKWARD_TANH_WANT = [
    [0.20998717080701307, -1.0, 1.5728954659318548],
    [0.10597623727974664, 0.2287842404566573, -0.2287649971555568],
]
# case 3: a batch of 2 rows through relu, with an a = 0 entry.
GRAD_H_RELU = [[1.0, -2.0, 3.0], [0.5, 0.5, -4.0]]
A_RELU_CASE = [[-1.0, 0.0, 2.0], [0.3, -0.2, 5.0]]
BACKWARD_RELU_WANT = [[0.0, 0.0, 3.0], [0.5, 0.0, -4.0]]
UNKNOWN_ACTIVATION = "softplus"

# ---------------------------------------------------------------- the cases

CASES = {
    "sigmoid": (Case("a", (A_SIGMOID,), SIGMOID_WANT, "a = [-1000, -2, 0, 0.5, 3, 1000]"),),
    "relu": (Case("a", (A_RELU,), RELU_WANT, "a = [[-2, -0.5, 0], [0.5, 1.5, 3]]"),),
    "sigmoid_grad": (
        Case(
            "a",
            (A_SIGMOID_GRAD,),
            SIGMOID_GRAD_WANT,
            "a = [[2.9, 1.4, 2.1, 2.3], [-1000, -1, 0, 1000]]",
        ),
    ),
    "tanh_grad": (
        Case("a", (A_TANH_GRAD,), TANH_GRAD_WANT, "a = [[-2, -0.5, 0, 0.5], [1, 2.1, 20, -400]]"),
    ),
    "relu_grad": (
        Case("a", (A_RELU_GRAD,), RELU_GRAD_WANT, "a = [[-2, -0.5, 0, 0.5], [3, 0, -1e-9, 1e-9]]"),
    ),
    "activation_backward": (
        Case(
            "sigmoid",
            (GRAD_H1, A1, "sigmoid"),
            BACKWARD_SIGMOID_WANT,
            "the worked example's grad_h1 = [0, -0.1378, 0.02297, -0.2067] and "
            "a1 = [2.9, 1.4, 2.1, 2.3], sigmoid",
        ),
        Case(
            "tanh",
            (GRAD_H_TANH, A_TANH, "tanh"),
            BACKWARD_TANH_WANT,
            "grad_h = [[0.5, -1, 2], [1.5, 0.25, -0.75]], a = [[-1, 0, 0.5], [2, -0.3, 1.2]], tanh",
        ),
        Case(
            "relu",
            (GRAD_H_RELU, A_RELU_CASE, "relu"),
            BACKWARD_RELU_WANT,
            "grad_h = [[1, -2, 3], [0.5, 0.5, -4]], a = [[-1, 0, 2], [0.3, -0.2, 5]], relu",
        ),
    ),
}

# ---------------------------------------------------------------- the catalog

MISTAKES = {
    "sigmoid": (
        Mistake(
            "wrong_sign",
            "this is 1/(1 + e^(+a)) = sigma(-a) = 1 - sigma(a): the exponent needs a minus "
            "sign. sigma(3) should be 0.9526, not 0.0474.",
            lambda want: 1 - want,
        ),
        Mistake(
            "exp_ratio_overflow",
            "e^a / (1 + e^a) is right on paper, but e^1000 overflows to inf and inf/inf is "
            "nan; sigma(1000) should be 1. Never exponentiate a large positive number: for "
            "a >= 0 use 1/(1 + e^-a) and for a < 0 use e^a/(1 + e^a), e.g. with np.where "
            "on e = exp(-|a|).",
            [0.0, 0.11920292202211755, 0.5, 0.6224593312018546, 0.9525741268224334, NAN],
        ),
        Mistake(
            "overflow_warning",
            "the numbers are right, but computing sigmoid(-1000) makes numpy warn "
            "'overflow encountered in exp' (e^1000 is inf), and nbgrader scores any "
            "warning as a failure. Never exponentiate a large positive number: for a >= 0 "
            "use 1/(1 + e^-a) and for a < 0 use e^a/(1 + e^a), e.g. with e = exp(-|a|).",
            None,
        ),
    ),
    "relu": (
        Mistake(
            "abs",
            "this is |a|: relu(-2) is 0, not 2. relu keeps positive entries and sets "
            "negative ones to 0.",
            [[2.0, 0.5, 0.0], [0.5, 1.5, 3.0]],
        ),
        Mistake(
            "clips_wrong_side",
            "this keeps the negative part (min(a, 0)): relu(3) is 3 and relu(-2) is 0, not "
            "the other way round. Take the elementwise maximum with 0.",
            [[-2.0, -0.5, 0.0], [0.0, 0.0, 0.0]],
        ),
        Mistake(
            "returns_mask",
            "this returns 1 where a > 0, which is relu's derivative; relu(1.5) is 1.5, not 1. "
            "Return the values themselves where a > 0.",
            [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]],
        ),
    ),
    "sigmoid_grad": (
        Mistake(
            "sigma_times_one_minus_a",
            "sigma'(a) = sigma(a) (1 - sigma(a)): both factors use sigma(a), not a. At "
            "a = 2.1 that is 0.8909 x 0.1091 = 0.0972, while sigma(a)(1 - a) gives -0.980.",
            [
                [-1.8009082301510064, -0.3208735554234326, -0.9799934966848258, -1.181540150680687],
                [0.0, 0.5378828427399902, 0.5, -999.0],
            ],
        ),
        Mistake(
            "at_h",
            "this evaluates the derivative at h = sigma(a) instead of at a, i.e. "
            "sigma(sigma(a))(1 - sigma(sigma(a))). Compute s = sigma(a) once and return "
            "s (1 - s): at a = 2.1 that is 0.0972, not 0.2063.",
            [
                [0.2012995109622804, 0.21373205711312807, 0.20628700803381098, 0.2047287929520608],
                [0.25, 0.24553334917258515, 0.2350037122015945, 0.19661193324148185],
            ],
        ),
        Mistake(
            "a_times_one_minus_a",
            "this is a (1 - a): the formula h (1 - h) holds for h = sigma(a), and the stub is "
            "given a. Apply sigma first: at a = 2.1, sigma = 0.8909 and sigma' = 0.0972, not "
            "2.1 x (1 - 2.1) = -2.31.",
            [[-5.51, -0.56, -2.31, -2.99], [-1001000.0, -2.0, 0.0, -999000.0]],
        ),
        Mistake(
            "returns_sigmoid",
            "this returns sigma(a), the function, not its slope: at a = 0 sigma is 0.5 but "
            "sigma' is 0.25. Multiply sigma(a) by (1 - sigma(a)).",
            [
                [0.9478464369215823, 0.8021838885585817, 0.8909031788043871, 0.9088770389851438],
                [0.0, 0.2689414213699951, 0.5, 1.0],
            ],
        ),
        Mistake(
            "exp_form_overflow",
            "e^-a / (1 + e^-a)^2 is right on paper, but at a = -1000 it is inf/inf = nan; "
            "sigma'(-1000) should be 0. Compute a stable s = sigma(a) (no positive exponent) "
            "and return s (1 - s).",
            [
                [
                    0.049433568936643246,
                    0.15868489749561465,
                    0.0971947048006254,
                    0.08281956699074115,
                ],
                [NAN, 0.19661193324148185, 0.25, 0.0],
            ],
        ),
        Mistake(
            "overflow_warning",
            "the numbers are right, but at a = -1000 numpy warns 'overflow encountered in "
            "exp' (e^1000 is inf), and nbgrader scores any warning as a failure. Use a "
            "sigmoid with no positive exponent (your stable sigmoid above) for s, then s (1 - s).",
            None,
        ),
    ),
    "tanh_grad": (
        Mistake(
            "missing_square",
            "this is 1 - tanh(a): the square is missing. tanh'(a) = 1 - tanh(a)^2, so at "
            "a = 1 it is 1 - 0.7616^2 = 0.4200, not 0.2384.",
            [
                [1.964027580075817, 1.4621171572600098, 1.0, 0.5378828427399902],
                [0.23840584404423515, 0.02954806338654603, 0.0, 2.0],
            ],
        ),
        Mistake(
            "at_a",
            "this is 1 - a^2: the formula 1 - h^2 holds for h = tanh(a), and the stub is given "
            "a. Apply tanh first: at a = 2.1, tanh' = 0.0582, not 1 - 4.41 = -3.41.",
            [[-3.0, 0.75, 1.0, 0.75], [0.0, -3.41, -399.0, -159999.0]],
        ),
        Mistake(
            "at_h",
            "this evaluates the derivative at h = tanh(a) instead of at a, i.e. "
            "1 - tanh(tanh(a))^2. Use tanh(a) once: at a = 1 that is 0.4200, not 0.5878.",
            [
                [0.44338254169537683, 0.8135416951711528, 1.0, 0.8135416951711528],
                [0.5878167500318319, 0.4391445667071193, 0.41997434161402614, 0.4199743416140261],
            ],
        ),
        Mistake(
            "forgot_one_minus",
            "this is tanh(a)^2: the '1 -' is missing. At a = 0 the slope of tanh is 1, not 0.",
            lambda want: 1 - want,
        ),
    ),
    "relu_grad": (
        Mistake(
            "one_at_zero",
            "this gives 1 at a = 0. relu has no derivative at 0, and the course (like "
            "PyTorch) takes 0 there: use a strict a > 0.",
            [[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 1.0]],
        ),
        Mistake(
            "half_at_zero",
            "this gives 0.5 at a = 0. Any value in [0, 1] is a subgradient, but the course "
            "(like PyTorch) takes 0 there so that every check agrees: use a strict a > 0.",
            [[0.0, 0.0, 0.5, 1.0], [1.0, 0.5, 0.0, 1.0]],
        ),
        Mistake(
            "returns_relu",
            "this returns relu(a), the function, not its slope: relu'(3) is 1, not 3. Return "
            "1 where a > 0 and 0 elsewhere.",
            [[0.0, 0.0, 0.0, 0.5], [3.0, 0.0, 0.0, 1e-9]],
        ),
        Mistake(
            "boolean_mask",
            "the pattern is right, but the array holds booleans (True/False), not float64 "
            "numbers. The course computes in float64, and booleans break later arithmetic "
            "(-mask raises a TypeError). Convert the mask to float64.",
            None,
        ),
        Mistake(
            "sign",
            "this is sign(a): -1 for negative a, but relu is flat there, so its slope is 0. "
            "Return 1 where a > 0 and 0 elsewhere.",
            [[-1.0, -1.0, 0.0, 1.0], [1.0, 0.0, -1.0, 1.0]],
        ),
    ),
    "activation_backward": (
        Mistake(
            "forgot_g_prime",
            "this returns grad_h unchanged: the step (.) g'(a) is missing. dL/da_j = "
            "dL/dh_j g'(a_j); at a = 1.4 sigmoid' = 0.1587, so -0.1378 becomes -0.02187.",
            GRAD_H1,
            on=("sigmoid",),
        ),
        Mistake(
            "times_g",
            "this multiplies by g(a), the activation, instead of its derivative g'(a): at "
            "a = 1.4 the factor is sigmoid'(1.4) = 0.1587, not sigmoid(1.4) = 0.8022.",
            [0.0, -0.11053933547559544, 0.020460482404421554, -0.18786306620415125],
            on=("sigmoid",),
        ),
        Mistake(
            "matrix_product",
            "this is a matrix (dot) product, which sums over the units and returns one "
            "number. The Jacobian of an elementwise g is diagonal, so multiplying by it is "
            "the elementwise product grad_h * g'(a), of grad_h's shape.",
            lambda want: np.sum(want),
            on=("sigmoid",),
        ),
        Mistake(
            "ignores_activation",
            "this ignores the activation argument and uses sigmoid' for tanh: at a = 0 "
            "tanh' is 1 but sigmoid' is 0.25. Choose g' by the name in activation.",
            [
                [0.09830596662074093, -0.25, 0.470007424403189],
                [0.15749037810525993, 0.061114577922686465, -0.13342083048510434],
            ],
            on=("tanh",),
        ),
        Mistake(
            "unknown_accepted",
            f"activation={UNKNOWN_ACTIVATION!r} returned a result instead of an error: an "
            "unknown name silently computes something. Raise a ValueError that lists the "
            "valid names sigmoid, tanh and relu.",
            None,
        ),
        Mistake(
            "unclear_unknown_error",
            f"activation={UNKNOWN_ACTIVATION!r} should raise a ValueError whose message lists "
            "the valid names sigmoid, tanh and relu, so that a typo explains itself.",
            None,
        ),
    ),
}

# ---------------------------------------------------------------- the checks


def check_sigmoid(sigmoid):
    """sigmoid(a) on a = [-1000, -2, 0, 0.5, 3, 1000]: right, finite, and warning-free."""
    (case,) = CASES["sigmoid"]
    check_case(sigmoid, case, stub="sigmoid", catalogue=MISTAKES)
    warning_free(sigmoid, case, stub="sigmoid", catalogue=MISTAKES, key="overflow_warning")
    passed("sigmoid", "right values, 0 at a = -1000 and 1 at a = 1000 with no overflow warning")


def check_relu(relu):
    """relu(a) on a 2x3 batch with negative, zero and positive entries."""
    (case,) = CASES["relu"]
    check_case(relu, case, stub="relu", catalogue=MISTAKES)
    warning_free(relu, case, stub="relu")
    passed("relu", "max(a, 0) elementwise, shape kept")


def check_sigmoid_grad(sigmoid_grad):
    """sigmoid_grad(a) at the worked example's a1 = [2.9, 1.4, 2.1, 2.3] and at the tails."""
    stub = "sigmoid_grad"
    (case,) = CASES[stub]
    got = check_case(sigmoid_grad, case, stub=stub, catalogue=MISTAKES)
    warning_free(sigmoid_grad, case, stub=stub, catalogue=MISTAKES, key="overflow_warning")
    passed(
        stub, f"sigma'(a1) = {fmt(np.asarray(got)[0])} (h13 (1 - h13) = 0.0972), 0 in both tails"
    )


def check_tanh_grad(tanh_grad):
    """tanh_grad(a) on a 2x4 batch from -400 to 20, including a = 0 where the slope is 1."""
    (case,) = CASES["tanh_grad"]
    check_case(tanh_grad, case, stub="tanh_grad", catalogue=MISTAKES)
    warning_free(tanh_grad, case, stub="tanh_grad")
    passed("tanh_grad", "1 - tanh(a)^2: 1 at a = 0, 0.4200 at a = 1, 0 far out")


def check_relu_grad(relu_grad):
    """relu_grad(a) on a 2x4 batch with a = 0 (slope 0 by the course's choice) and a = +-1e-9."""
    (case,) = CASES["relu_grad"]
    got = check_case(relu_grad, case, stub="relu_grad", catalogue=MISTAKES)
    if np.asarray(got).dtype == np.bool_:
        raise failure(MISTAKES, "relu_grad", "boolean_mask", f"for {case.what}: got dtype bool")
    warning_free(relu_grad, case, stub="relu_grad")
    passed("relu_grad", "1 where a > 0, 0 elsewhere (0 at a = 0), as float64")


def _check_unknown_activation(activation_backward):
    """activation_backward with an unknown activation name must raise a ValueError that lists
    the valid names."""
    stub = "activation_backward"
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            activation_backward(np.array(GRAD_H1), np.array(A1), UNKNOWN_ACTIVATION)
    except ValueError as err:
        text = str(err)
        if all(name in text for name in ("sigmoid", "tanh", "relu")):
            return
        raise failure(MISTAKES, stub, "unclear_unknown_error", f"your message: {text!r}") from None
    except Exception as err:
        evidence = f"it raised {type(err).__name__}: {err}"
        raise failure(MISTAKES, stub, "unclear_unknown_error", evidence) from None
    raise failure(MISTAKES, stub, "unknown_accepted")


def check_activation_backward(activation_backward):
    """activation_backward on the worked example (sigmoid), a tanh batch, a relu batch, and an
    unknown activation name (which must raise a ValueError listing the valid names)."""
    stub = "activation_backward"
    for case in CASES[stub]:
        check_case(activation_backward, case, stub=stub, catalogue=MISTAKES)
        warning_free(activation_backward, case, stub=stub)
    _check_unknown_activation(activation_backward)
    passed(stub, "grad_h * g'(a) for sigmoid, tanh and relu; a clear error for an unknown name")
