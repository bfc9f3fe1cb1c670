"""Do lesson 05's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import numpy as np
import pytest

import reference as R
from autograder.checks import hidden_layers as C
from autograder.checks.core import CheckFailure
from autograder.grader.mistakes import hidden_layers as M

# The arguments of activation_backward's three stored cases.
ACTIVATION_CASES = {
    "sigmoid": (C.GRAD_H1, C.A1, "sigmoid"),
    "tanh": (C.GRAD_H_TANH, C.A_TANH, "tanh"),
    "relu": (C.GRAD_H_RELU, C.A_RELU_CASE, "relu"),
}

W1 = np.array(
    [
        [0.1, 0.3, 0.8, -0.4],
        [-0.3, -0.2, 0.5, 0.5],
        [-0.3, 0.0, 0.5, 0.4],
        [0.2, 0.5, -0.9, 0.7],
    ]
)
W2 = np.array([[0.5, 0.8, 0.2, 0.4], [0.5, 0.2, 0.3, -0.5]])
X = np.array([2.0, 5.0, 3.0, 3.0])
Y = np.array([1.0, 0.0])


def arr(x):
    return np.array(x, dtype=np.float64)


# Independent judges: no reference code, the functions written out another way.
def judge_sigmoid(a):
    """1 / (1 + e^-a) as exp(-log(1 + e^-a)), with numpy's stable logaddexp."""
    return np.exp(-np.logaddexp(0.0, -arr(a)))


JUDGE_G = {
    "sigmoid": judge_sigmoid,
    "tanh": lambda a: np.tanh(arr(a)),
    "relu": lambda a: np.where(arr(a) > 0, arr(a), 0.0),
}


def central_difference(g, a, eps=1e-6):
    """dg/da elementwise by central differences (g elementwise, so one pass suffices)."""
    a = arr(a)
    return (g(a + eps) - g(a - eps)) / (2 * eps)


# ---------------------------------------------------------------- the checks themselves


def test_boolean_relu_grad_is_rejected_but_equal_in_value():
    """Is a boolean mask refused although its values equal the right answer (the decision)?"""
    mask = M.relu_grad__boolean_mask(arr(C.A_RELU_GRAD))
    np.testing.assert_array_equal(mask.astype(np.float64), C.RELU_GRAD_WANT)
    with pytest.raises(CheckFailure) as info:
        C.check_relu_grad(M.relu_grad__boolean_mask)
    assert info.value.key == "boolean_mask"


def test_unknown_activation_error_must_name_the_valid_ones():
    """Is a ValueError whose message lists no valid names still refused?"""

    def vague(grad_h, a, activation):
        if activation not in ("sigmoid", "tanh", "relu"):
            raise ValueError("bad activation")
        return R.activation_backward(grad_h, a, activation)

    with pytest.raises(CheckFailure) as info:
        C.check_activation_backward(vague)
    assert info.value.key == "unclear_unknown_error"


def test_sigmoid_warning_is_caught_even_when_warnings_are_ignored():
    """Does the overflow check still fire when the student's session silences numpy?"""
    with np.errstate(all="ignore"):
        with pytest.raises(CheckFailure) as info:
            C.check_sigmoid(M.sigmoid__overflow_warning)
    assert info.value.key == "overflow_warning"


# ---------------------------------------------------------------- stored numbers


STORED_RIGHT = [
    ("sigmoid", (C.A_SIGMOID,), C.SIGMOID_WANT),
    ("relu", (C.A_RELU,), C.RELU_WANT),
    ("sigmoid_grad", (C.A_SIGMOID_GRAD,), C.SIGMOID_GRAD_WANT),
    ("tanh_grad", (C.A_TANH_GRAD,), C.TANH_GRAD_WANT),
    ("relu_grad", (C.A_RELU_GRAD,), C.RELU_GRAD_WANT),
    ("activation_backward", ACTIVATION_CASES["sigmoid"], C.BACKWARD_SIGMOID_WANT),
    ("activation_backward", ACTIVATION_CASES["tanh"], C.BACKWARD_TANH_WANT),
    ("activation_backward", ACTIVATION_CASES["relu"], C.BACKWARD_RELU_WANT),
]


@pytest.mark.parametrize(("stub", "args", "want"), STORED_RIGHT)
def test_stored_answers_are_the_answer_keys(stub, args, want):
    """Are the stored right answers what the reference computes on the stored inputs?"""
    args = tuple(arr(x) if not isinstance(x, str) else x for x in args)
    np.testing.assert_allclose(getattr(R, stub)(*args), want, rtol=1e-12, atol=1e-15)


def test_stored_activations_agree_with_an_independent_judge():
    """Do sigmoid and relu's stored values agree with logaddexp and a plain where?"""
    np.testing.assert_allclose(C.SIGMOID_WANT, judge_sigmoid(C.A_SIGMOID), rtol=1e-12)
    np.testing.assert_allclose(C.RELU_WANT, JUDGE_G["relu"](C.A_RELU), rtol=0, atol=0)


@pytest.mark.parametrize(
    ("activation", "a", "want"),
    [
        ("sigmoid", C.A_SIGMOID_GRAD, C.SIGMOID_GRAD_WANT),
        ("tanh", C.A_TANH_GRAD, C.TANH_GRAD_WANT),
        ("relu", C.A_RELU_GRAD, C.RELU_GRAD_WANT),
    ],
)
def test_stored_derivatives_agree_with_finite_differences(activation, a, want):
    """Does every stored g'(a) match a central difference of g (ReLU at 0: the course's 0)?"""
    a, want = arr(a), arr(want)
    judge = central_difference(JUDGE_G[activation], a)
    smooth = np.abs(a) > 1e-5  # relu has a kink at 0; sigmoid and tanh are smooth anyway
    if activation != "relu":
        smooth[:] = True
    np.testing.assert_allclose(want[smooth], judge[smooth], rtol=1e-6, atol=1e-9)
    # At the kink, by hand: the course takes relu'(0) = 0; +-1e-9 lie on either side.
    if activation == "relu":
        np.testing.assert_array_equal(want[~smooth], (a[~smooth] > 0).astype(float))


@pytest.mark.parametrize("activation", sorted(ACTIVATION_CASES))
def test_stored_backward_steps_agree_with_finite_differences(activation):
    """Is dL/da for L(a) = sum(grad_h * g(a)) the stored backward step (judge: differences)?"""
    grad_h, a, _ = ACTIVATION_CASES[activation]
    grad_h, a = arr(grad_h), arr(a)
    want = arr(
        {
            "sigmoid": C.BACKWARD_SIGMOID_WANT,
            "tanh": C.BACKWARD_TANH_WANT,
            "relu": C.BACKWARD_RELU_WANT,
        }[activation]
    )
    judge = np.zeros_like(a)
    eps = 1e-6
    for i in np.ndindex(a.shape):
        bump = np.zeros_like(a)
        bump[i] = eps
        up = np.sum(grad_h * JUDGE_G[activation](a + bump))
        down = np.sum(grad_h * JUDGE_G[activation](a - bump))
        judge[i] = (up - down) / (2 * eps)
    kink = (a == 0) if activation == "relu" else np.zeros(a.shape, dtype=bool)
    np.testing.assert_allclose(want[~kink], judge[~kink], rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(want[kink], 0.0)


# ---------------------------------------------------------------- the worked example (003)


def test_check_inputs_come_from_the_worked_example():
    """Are A1 = W1 x and GRAD_H1 = W2^T (p - y) of the sources' network (to 6 decimals)?"""
    a1 = W1 @ X
    np.testing.assert_allclose(C.A1, a1, atol=1e-12)
    np.testing.assert_allclose(C.A_SIGMOID_GRAD[0], a1, atol=1e-12)
    a2 = W2 @ judge_sigmoid(a1)
    p = np.exp(a2 - a2.max()) / np.exp(a2 - a2.max()).sum()
    np.testing.assert_allclose(C.GRAD_H1, (p - Y) @ W2, atol=5e-7)


def test_worked_sigmoid_slope_and_the_sources_rounding():
    """Is h13 (1 - h13) 0.0972, the source's 0.0979 being 0.89 x 0.11 from the rounded h13?"""
    h1 = judge_sigmoid(W1 @ X)
    np.testing.assert_allclose(h1, [0.9478, 0.8022, 0.8909, 0.9089], atol=5e-5)
    np.testing.assert_allclose(C.SIGMOID_GRAD_WANT[0], h1 * (1 - h1), rtol=1e-12)
    assert round(C.SIGMOID_GRAD_WANT[0][2], 4) == 0.0972
    assert 0.89 * (1 - 0.89) == pytest.approx(0.0979)
