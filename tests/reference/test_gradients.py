"""Does every analytic gradient in the answer key agree with central differences?

The judge is numeric_gradient on a scalar function of the input; agreement is required to a
relative error (scaled by the gradient's size) below 1e-7 in float64.
"""

import zlib

import numpy as np
import pytest

import reference as R

TOL = 1e-7
SHAPES = [(5,), (1, 4), (3, 6)]  # one example, a batch of one, a batch


def rng_for(*key):
    """A generator seeded by the test's parameters: the same inputs on every run."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def assert_grad(analytic, f, x, eps=1e-5):
    judge = R.numeric_gradient(f, x.copy(), eps=eps)
    err = R.rel_error(analytic, judge)
    assert err < TOL, f"relative error {err:.2e} against finite differences"


def upstream_loss(fn, G):
    """A scalar whose gradient with respect to fn's output is the given upstream G."""
    return lambda v: float((fn(v) * G).sum())


@pytest.mark.parametrize("shape", SHAPES)
def test_softmax_backward(shape):
    """softmax_backward(p, G) is the gradient of sum(softmax(z) * G) with respect to z."""
    rng = rng_for("softmax", shape)
    z, G = rng.normal(size=shape) * 2, rng.normal(size=shape)
    assert_grad(R.softmax_backward(R.softmax(z), G), upstream_loss(R.softmax, G), z)


@pytest.mark.parametrize("shape", [(4,), (3, 5)])
def test_softmax_jacobian(shape):
    """Row i of the Jacobian is the gradient of p_i; a batch stacks one Jacobian per row."""
    rng = rng_for("jacobian", shape)
    z = rng.normal(size=shape)
    J = R.softmax_jacobian(z)
    K = shape[-1]
    assert J.shape == shape[:-1] + (K, K)
    for i in range(K):
        judge = R.numeric_gradient(lambda v, i=i: float(R.softmax(v)[..., i].sum()), z.copy())
        # d p_i / d z_j for every row at once: rows do not interact.
        assert R.rel_error(J[..., i, :], judge) < TOL


def labels_and_probs(rng, shape):
    K = shape[-1]
    p = R.softmax(rng.normal(size=shape))
    y = rng.integers(0, K, size=shape[:-1])
    return p, (int(y) if y.ndim == 0 else y)


@pytest.mark.parametrize("shape", SHAPES)
def test_cross_entropy_grad_probs(shape):
    """-y/p (with 1/m) is the gradient of the mean cross entropy with respect to p."""
    p, y = labels_and_probs(rng_for("ce_p", shape), shape)
    # -log p curves sharply for small p: the judge's eps^2 error is ~eps^2 / (3 p^2) relative,
    # so a smaller step keeps it far below the tolerance for p ~ 0.01.
    analytic = R.cross_entropy_grad_probs(p, y)
    assert_grad(analytic, lambda v: R.cross_entropy(v, y), p, eps=1e-6)


@pytest.mark.parametrize("shape", SHAPES)
def test_cross_entropy_grad_logits(shape):
    """p - y (with 1/m) is the gradient of cross_entropy(softmax(z), y) with respect to z."""
    rng = rng_for("ce_z", shape)
    z = rng.normal(size=shape)
    _, y = labels_and_probs(rng, shape)
    analytic = R.cross_entropy_grad_logits(R.softmax(z), y)
    assert_grad(analytic, lambda v: R.cross_entropy(R.softmax(v), y), z)


@pytest.mark.parametrize("shape", SHAPES)
def test_softmax_cross_entropy_grad(shape):
    """The gradient softmax_cross_entropy returns is the central-difference gradient of the
    loss it returns, and both equal the probability route's on ordinary logits."""
    rng = rng_for("sce", shape)
    a = rng.normal(size=shape) * 3
    _, y = labels_and_probs(rng, shape)
    loss, analytic = R.softmax_cross_entropy(a, y)
    assert_grad(analytic, lambda v: R.softmax_cross_entropy(v, y)[0], a)
    assert loss == pytest.approx(R.cross_entropy(R.softmax(a), y), rel=1e-12)


def test_softmax_cross_entropy_stays_finite_where_probabilities_give_inf():
    """Logits 1000 apart: the true class's probability underflows to 0, so -log p is inf, but
    -a_c + log-sum-exp is the true loss (1000 for the row that is wrong by 1000, 0 for the one
    that is right by 1000: mean 500), and the gradient (p - y)/m is finite."""
    a = np.array([[0.0, 1000.0], [1000.0, 0.0]])
    labels = np.array([0, 0])
    with np.errstate(divide="ignore"):
        assert R.cross_entropy(R.softmax(a), labels) == np.inf
    loss, grad = R.softmax_cross_entropy(a, labels)
    assert loss == 500.0
    np.testing.assert_array_equal(grad, [[-0.5, 0.5], [0.0, 0.0]])
    # the judge at a finite step: the loss is linear there (slope exactly the gradient)
    assert_grad(grad, lambda v: R.softmax_cross_entropy(v, labels)[0], a)


@pytest.mark.parametrize("shape", SHAPES)
def test_squared_error_grad(shape):
    """2 (p - y) (with 1/m) is the gradient of the mean squared error with respect to p."""
    p, y = labels_and_probs(rng_for("se", shape), shape)
    assert_grad(R.squared_error_grad(p, y), lambda v: R.squared_error(v, y), p)


@pytest.mark.parametrize("batch", [None, 1, 4])
def test_linear_backward(batch):
    """grad_x, grad_W, grad_b are the gradients of sum(linear_forward(x, W, b) * G)."""
    rng = rng_for("linear", batch)
    n_in, n_out = 5, 3
    x = rng.normal(size=(n_in,) if batch is None else (batch, n_in))
    W, b = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
    G = rng.normal(size=x.shape[:-1] + (n_out,))
    grad_x, grad_W, grad_b = R.linear_backward(G, x, W)
    assert_grad(grad_x, lambda v: float((R.linear_forward(v, W, b) * G).sum()), x)
    assert_grad(grad_W, lambda v: float((R.linear_forward(x, v, b) * G).sum()), W)
    assert_grad(grad_b, lambda v: float((R.linear_forward(x, W, v) * G).sum()), b)


def away_from_kinks(rng, shape):
    """Inputs at least 0.01 from 0, where ReLU has its kink and finite differences lie."""
    a = rng.normal(size=shape) * 2
    return np.where(np.abs(a) < 0.01, 0.5, a)


@pytest.mark.parametrize("activation", R.ACTIVATIONS)
@pytest.mark.parametrize("shape", SHAPES)
def test_activation_backward(activation, shape):
    """grad_h * g'(a) is the gradient of sum(g(a) * grad_h) with respect to a."""
    rng = rng_for("act", activation, shape)
    a, G = away_from_kinks(rng, shape), rng.normal(size=shape)
    g = lambda v: R.activation_forward(v, activation)  # noqa: E731
    assert_grad(R.activation_backward(G, a, activation), upstream_loss(g, G), a)


@pytest.mark.parametrize(
    ("g_prime", "g"), [(R.sigmoid_grad, R.sigmoid), (R.tanh_grad, np.tanh), (R.relu_grad, R.relu)]
)
def test_activation_derivatives(g_prime, g):
    """Each g'(a) agrees with numeric_derivative of g at the same points."""
    a = away_from_kinks(rng_for("gprime", g_prime.__name__), (50,))
    np.testing.assert_allclose(g_prime(a), R.numeric_derivative(g, a), rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("activation", R.ACTIVATIONS)
@pytest.mark.parametrize("l2", [0.0, 0.1])
@pytest.mark.parametrize("batch", [None, 5])
def test_network_backward(depth, activation, l2, batch):
    """backward's gradients are those of loss(params, X, Y) for every parameter."""
    rng = rng_for("net", depth, activation, l2, batch)
    sizes = [4] + [5] * (depth - 1) + [3]
    while True:  # draw until no pre-activation sits within 1e-3 of ReLU's kink at 0
        params = R.init_params(sizes, seed=int(rng.integers(1000)), init="xavier")
        params = {k: v + rng.normal(scale=0.1, size=v.shape) for k, v in params.items()}
        X = rng.normal(size=(4,) if batch is None else (batch, 4))
        _, cache = R.forward(params, X, activation)
        if all(np.abs(a).min() > 1e-3 for a in cache["a"][:-1]):
            break
    Y = int(rng.integers(3)) if batch is None else rng.integers(0, 3, size=batch)
    grads = R.backward(params, cache, Y, activation, l2)
    assert sorted(grads) == sorted(f"d{k}" for k in params)
    for k, P in params.items():

        def f(v, k=k):
            return R.loss({**params, k: v}, X, Y, activation, l2)

        assert grads[f"d{k}"].shape == P.shape
        assert_grad(grads[f"d{k}"], f, P)


def test_gradient_check_finds_right_and_wrong_gradients():
    """Does gradient_check give about 0 for backward's gradients (checked by finite differences
    above), exactly the hand-computed relative error where one entry is moved by delta, and
    leave params as they were?"""
    rng = rng_for("gradient_check")
    params = {k: v + 0.1 for k, v in R.init_params([3, 4, 2], seed=4, init="xavier").items()}
    before = {k: v.copy() for k, v in params.items()}
    X, Y = rng.normal(size=(5, 3)), rng.integers(0, 2, size=5)
    _, cache = R.forward(params, X, "tanh")
    grads = R.backward(params, cache, Y, "tanh", 0.1)
    right = R.gradient_check(params, X, Y, grads, "tanh", 0.1)
    assert list(right) == ["W1", "b1", "W2", "b2"]
    assert max(right.values()) < 1e-8, right
    delta = 0.25
    wrong = {**grads, "dW1": grads["dW1"].copy()}
    wrong["dW1"][2, 1] += delta
    scale = max(np.abs(grads["dW1"]).max(), np.abs(wrong["dW1"]).max())
    errors = R.gradient_check(params, X, Y, wrong, "tanh", 0.1)
    assert errors["W1"] == pytest.approx(delta / scale, rel=1e-6)
    assert max(errors[k] for k in ("b1", "W2", "b2")) < 1e-8
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    with pytest.raises(ValueError, match=r"grads has no gradient for \['b2'\]"):
        R.gradient_check(params, X, Y, {k: v for k, v in grads.items() if k != "db2"})
