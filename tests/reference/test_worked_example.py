"""The sources' worked example (003): a 4-4-2 network, x = [2, 5, 3, 3], y = [1, 0].

The expected numbers below were worked out by hand from the source's W1, W2 and x (and
recomputed at full precision); finite differences judge every gradient.
"""

import numpy as np
import pytest

import reference as R

W1 = np.array(
    [
        [0.1, 0.3, 0.8, -0.4],
        [-0.3, -0.2, 0.5, 0.5],
        [-0.3, 0.0, 0.5, 0.4],
        [0.2, 0.5, -0.9, 0.7],
    ]
)
W2 = np.array([[0.5, 0.8, 0.2, 0.4], [0.5, 0.2, 0.3, -0.5]])
x = np.array([2.0, 5.0, 3.0, 3.0])
y = np.array([1.0, 0.0])
PARAMS = {"W1": W1, "b1": np.zeros(4), "W2": W2, "b2": np.zeros(2)}


def squared_error_of(params):
    probs, _ = R.forward(params, x, "sigmoid")
    return R.squared_error(probs, y)


def test_forward_pass_matches_the_hand_calculation():
    """Does the forward pass give the source's a1, h1, a2 and y-hat?"""
    probs, cache = R.forward(PARAMS, x, "sigmoid")
    a1, a2 = cache["a"]
    h1 = cache["h"][1]
    # a1 = W1 x by hand: 0.2 + 1.5 + 2.4 - 1.2 = 2.9, and so on.
    np.testing.assert_allclose(a1, [2.9, 1.4, 2.1, 2.3], atol=1e-12)
    np.testing.assert_allclose(h1, [0.9478, 0.8022, 0.8909, 0.9089], atol=5e-5)
    np.testing.assert_allclose(a2, [1.6574, 0.4472], atol=5e-5)
    np.testing.assert_allclose(probs, [0.7703, 0.2297], atol=5e-5)


def test_losses_at_full_precision():
    """Squared error is 0.1055, not the source's 0.1058; cross entropy is 0.2609."""
    probs, _ = R.forward(PARAMS, x, "sigmoid")
    assert R.squared_error(probs, y) == pytest.approx(0.10549, abs=5e-6)
    # The source's 0.1058 is what the rounded 0.77 and 0.23 give: 0.23^2 + 0.23^2.
    assert 0.23**2 + 0.23**2 == pytest.approx(0.1058)
    assert R.cross_entropy(probs, y) == pytest.approx(0.26093, abs=5e-6)
    assert R.cross_entropy(probs, 0) == pytest.approx(-np.log(probs[0]))


def one_path_w212(probs, h1):
    """The source's hand calculation: dL/dyhat1 * dyhat1/da21 * da21/dw212, one path only."""
    return -2 * (y[0] - probs[0]) * probs[0] * (1 - probs[0]) * h1[1]


def one_path_w131(probs, h1):
    """The source's w131: each output's own softmax entry, missing the cross terms."""
    sig = h1[2] * (1 - h1[2])
    path1 = -2 * (y[0] - probs[0]) * probs[0] * (1 - probs[0]) * W2[0, 2] * sig * x[0]
    path2 = -2 * (y[1] - probs[1]) * probs[1] * (1 - probs[1]) * W2[1, 2] * sig * x[0]
    return path1 + path2


def full_gradient(name, index):
    """The true dL/dW by central differences on the squared error (the judge)."""

    def f(W):
        return squared_error_of({**PARAMS, name: W})

    return R.numeric_gradient(f, PARAMS[name].copy())[index]


def test_source_one_path_numbers():
    """Does the one-path calculation reproduce the source's -0.065 and 0.001595?"""
    probs, cache = R.forward(PARAMS, x, "sigmoid")
    h1 = cache["h"][1]
    assert one_path_w212(probs, h1) == pytest.approx(-0.065188, abs=1e-6)
    # The source rounds its factors (0.46, 0.1771, 0.0979) and prints 0.001595;
    # at full precision the same one-path sum is 0.0015797.
    assert (-0.46 * 0.1771 * 0.2 * 0.0979 * 2) + (0.46 * 0.1771 * 0.3 * 0.0979 * 2) == (
        pytest.approx(0.001595, abs=1e-6)
    )
    assert one_path_w131(probs, h1) == pytest.approx(0.0015797, abs=1e-7)
    # The source's h13 (1 - h13) = 0.0979 is a slip: h13 = 0.8909 gives 0.0972.
    assert h1[2] * (1 - h1[2]) == pytest.approx(0.09719, abs=1e-5)


@pytest.mark.parametrize(
    ("name", "index", "one_path"), [("W2", (0, 1), one_path_w212), ("W1", (2, 0), one_path_w131)]
)
def test_true_gradient_is_twice_the_one_path_number(name, index, one_path):
    """Does the missed path through the other softmax output account for exactly half?"""
    probs, cache = R.forward(PARAMS, x, "sigmoid")
    judge = full_gradient(name, index)
    assert judge == pytest.approx(2 * one_path(probs, cache["h"][1]), rel=1e-7)


def test_backprop_of_the_squared_error_agrees_with_finite_differences():
    """Chaining squared_error_grad, softmax_backward and the layers gives the judge's dL/dW."""
    probs, cache = R.forward(PARAMS, x, "sigmoid")
    grad_a2 = R.softmax_backward(probs, R.squared_error_grad(probs, y))
    grad_h1, grad_W2, _ = R.linear_backward(grad_a2, cache["h"][1], W2)
    grad_a1 = R.activation_backward(grad_h1, cache["a"][0], "sigmoid")
    _, grad_W1, _ = R.linear_backward(grad_a1, x, W1)
    assert grad_W2[0, 1] == pytest.approx(-0.130377, abs=1e-6)
    assert grad_W1[2, 0] == pytest.approx(0.0031594, abs=1e-7)
    for name, grad in (("W1", grad_W1), ("W2", grad_W2)):
        judge = R.numeric_gradient(
            lambda W, name=name: squared_error_of({**PARAMS, name: W}), PARAMS[name].copy()
        )
        assert R.rel_error(grad, judge) < 1e-7
