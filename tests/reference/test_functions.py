"""Properties of the answer key's functions, each against a hand derivation."""

import warnings

import numpy as np
import pytest

import reference as R


def test_chain_rule_derivatives_by_hand():
    """At x = 1: (e^(x^2))' = 2e, (e^(e^(x^2)))' = 2e * e^e, (1/e^(x^2))' = -2/e."""
    e = np.e
    assert R.d_exp_square(1.0) == pytest.approx(2 * e)
    assert R.d_exp_exp_square(1.0) == pytest.approx(2 * e * e**e)
    assert R.d_inv_exp_square(1.0) == pytest.approx(-2 / e)


@pytest.mark.parametrize(
    ("derivative", "f"),
    [
        (R.d_exp_square, lambda x: np.exp(x**2)),
        (R.d_exp_exp_square, lambda x: np.exp(np.exp(x**2))),
        (R.d_inv_exp_square, lambda x: 1 / np.exp(x**2)),
    ],
)
def test_chain_rule_derivatives_against_central_differences(derivative, f):
    """Each derivative matches numeric_derivative on a grid of points, arrays included."""
    x = np.linspace(-1.2, 1.2, 13)
    np.testing.assert_allclose(derivative(x), R.numeric_derivative(f, x), rtol=1e-7, atol=1e-8)


def test_central_difference_error_shrinks_like_h_squared():
    """Halving h quarters the central difference's error (sin at 1, where sin''' != 0)."""
    err = [abs(R.numeric_derivative(np.sin, 1.0, h) - np.cos(1.0)) for h in (1e-2, 5e-3)]
    assert err[0] / err[1] == pytest.approx(4.0, rel=1e-3)


def test_numeric_gradient_of_a_quadratic_and_x_restored():
    """The gradient of sum(x^2) is 2x, and x is left exactly as it was."""
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    np.testing.assert_allclose(R.numeric_gradient(lambda v: float((v**2).sum()), x), 2 * before)
    np.testing.assert_array_equal(x, before)


def test_softmax_rows_and_shift_invariance():
    """Rows sum to 1, each row is normalised on its own, and adding a constant changes nothing."""
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    p = R.softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [1 / 3] * 3)
    np.testing.assert_allclose(R.softmax(z + 100.0), p)


def test_softmax_jacobian_by_hand():
    """For z = [0, 0]: p = [1/2, 1/2], J = [[1/4, -1/4], [-1/4, 1/4]]; rows sum to 0."""
    np.testing.assert_allclose(R.softmax_jacobian([0.0, 0.0]), [[0.25, -0.25], [-0.25, 0.25]])
    J = R.softmax_jacobian(np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 0.0]]))
    np.testing.assert_allclose(J.sum(axis=-1), 0.0, atol=1e-15)
    np.testing.assert_allclose(J, np.swapaxes(J, -1, -2))


def test_softmax_backward_equals_vector_times_jacobian():
    """The O(K) backward equals G @ J with the full Jacobian, row by row."""
    rng = np.random.default_rng(0)
    z, G = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    J = R.softmax_jacobian(z)
    np.testing.assert_allclose(R.softmax_backward(R.softmax(z), G), np.einsum("mi,mij->mj", G, J))


def test_cross_entropy_is_finite_when_a_wrong_class_has_zero_probability():
    """p = [1, 0] with label 0 gives loss 0, gradient [-1, 0], and no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            assert R.cross_entropy([1.0, 0.0], 0) == 0.0
            np.testing.assert_array_equal(R.cross_entropy_grad_probs([1.0, 0.0], 0), [-1.0, 0.0])


def test_cross_entropy_batch_is_the_mean():
    """The batch loss is the mean of the rows' losses, and labels equal one-hot rows."""
    p = np.array([[0.8, 0.1, 0.1], [0.2, 0.5, 0.3]])
    assert R.cross_entropy(p, [0, 1]) == pytest.approx((-np.log(0.8) - np.log(0.5)) / 2)
    assert R.cross_entropy(p, np.eye(3)[[0, 1]]) == pytest.approx(R.cross_entropy(p, [0, 1]))
    np.testing.assert_allclose(R.cross_entropy_grad_logits(p, [0, 1]), (p - np.eye(3)[[0, 1]]) / 2)


def test_squared_error_by_hand():
    """p = [0.75, 0.25], y = [1, 0]: L = 0.0625 + 0.0625 = 0.125, dL/dp = [-0.5, 0.5]."""
    assert R.squared_error([0.75, 0.25], 0) == pytest.approx(0.125)
    np.testing.assert_allclose(R.squared_error_grad([0.75, 0.25], 0), [-0.5, 0.5])


def test_linear_layer_by_hand():
    """a = W x + b with W (2, 3); the batch form stacks rows; grad_W is the outer product."""
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    b = np.array([0.5, -0.5])
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(R.linear_forward(x, W, b), [-1.5, 3.5])
    np.testing.assert_allclose(R.linear_forward(np.stack([x, x]), W, b), [[-1.5, 3.5]] * 2)
    grad_x, grad_W, grad_b = R.linear_backward(np.array([1.0, -1.0]), x, W)
    np.testing.assert_allclose(grad_x, [-1.0, -1.0, -1.0])
    np.testing.assert_allclose(grad_W, [[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]])
    np.testing.assert_allclose(grad_b, [1.0, -1.0])


def test_activation_values_by_hand():
    """sigmoid(0) = 1/2, sigma'(0) = 1/4, tanh'(0) = 1, relu'(0) = 0 (the course's choice)."""
    assert R.sigmoid(0.0) == 0.5
    assert R.sigmoid_grad(0.0) == 0.25
    assert R.tanh_grad(0.0) == 1.0
    np.testing.assert_array_equal(R.relu_grad([-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(R.relu([-1.0, 0.0, 2.0]), [0.0, 0.0, 2.0])


def test_sigmoid_is_stable_for_large_inputs():
    """sigmoid(+-1000) is exactly 1 and 0, without an overflow warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            # e^-1000 underflowing to 0 is the right answer; overflow would be the bug.
            np.testing.assert_array_equal(R.sigmoid([-1000.0, 1000.0]), [0.0, 1.0])


def test_init_params_shapes_and_scale():
    """Weights are (out, in), biases zero, and He's variance is 2 / fan-in."""
    params = R.init_params([400, 300, 10], seed=1, init="he")
    assert params["W1"].shape == (300, 400) and params["W2"].shape == (10, 300)
    assert not params["b1"].any() and params["b2"].shape == (10,)
    assert params["W1"].var() == pytest.approx(2 / 400, rel=0.02)
    xavier = R.init_params([400, 300, 10], seed=1, init="xavier")
    assert xavier["W1"].var() == pytest.approx(2 / 700, rel=0.02)
    np.testing.assert_array_equal(
        R.init_params([3, 2], seed=5)["W1"], R.init_params([3, 2], seed=5)["W1"]
    )


def test_sgd_step_returns_new_params():
    """sgd_step computes P - lr dP and leaves the old parameters untouched."""
    params = {"W1": np.ones((2, 2)), "b1": np.zeros(2)}
    grads = {"dW1": np.full((2, 2), 2.0), "db1": np.array([1.0, -1.0])}
    new = R.sgd_step(params, grads, 0.5)
    np.testing.assert_array_equal(new["W1"], np.zeros((2, 2)))
    np.testing.assert_array_equal(new["b1"], [-0.5, 0.5])
    np.testing.assert_array_equal(params["W1"], np.ones((2, 2)))


def test_l2_term_and_unregularised_biases():
    """loss adds l2/2 * sum ||W||^2; backward adds l2 * W to dW and nothing to db."""
    params = R.init_params([3, 4, 2], seed=2)
    X, Y = np.ones((2, 3)), np.array([0, 1])
    sq = sum(float((params[k] ** 2).sum()) for k in ("W1", "W2"))
    assert R.loss(params, X, Y, l2=0.3) == pytest.approx(R.loss(params, X, Y) + 0.15 * sq)
    _, cache = R.forward(params, X)
    plain, reg = R.backward(params, cache, Y), R.backward(params, cache, Y, l2=0.3)
    np.testing.assert_allclose(reg["dW1"] - plain["dW1"], 0.3 * params["W1"])
    np.testing.assert_array_equal(reg["db1"], plain["db1"])


def test_loss_stays_finite_when_a_probability_underflows():
    """Logits 800 apart make softmax's smaller probability exactly 0; the loss is still 800."""
    params = {"W1": np.array([[400.0], [-400.0]]), "b1": np.zeros(2)}
    assert R.forward(params, np.array([1.0]))[0][1] == 0.0
    assert R.loss(params, np.array([1.0]), 1) == pytest.approx(800.0)
