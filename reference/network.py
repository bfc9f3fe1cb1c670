"""Lesson 06: the vectorised network of any depth, its backward pass, and training.

Layers l = 1..L. Parameters: params["W{l}"] of shape (n_l, n_{l-1}) and params["b{l}"] of
shape (n_l,). Hidden layers: a_l = h_{l-1} W_l^T + b_l, h_l = g(a_l), with h_0 = X. Output
layer: a_L = h_{L-1} W_L^T + b_L (the logits), probs = softmax(a_L). Loss: mean cross entropy
plus (l2 / 2) sum_l ||W_l||^2 (biases are not regularised).
"""

import numpy as np

from reference.activations import _check_activation, activation_backward, activation_forward
from reference.gradcheck import numeric_gradient, rel_error
from reference.layers import linear_backward, linear_forward
from reference.losses import cross_entropy_grad_logits
from reference.softmax import log_softmax, softmax
from reference.validation import as_float_array, as_one_hot, require_ndim

INITS = ("he", "xavier")
SCHEDULES = ("constant", "cosine")


def init_params(layer_sizes, seed=0, init="he"):
    """Random weights and zero biases for a network with the given layer widths.

    layer_sizes: [n_0, n_1, ..., n_L] (input width first, number of classes last), L >= 1.
    init: "he" draws W_l ~ N(0, 2 / n_{l-1}) (keeps ReLU activations' scale through depth);
          "xavier" draws W_l ~ N(0, 2 / (n_{l-1} + n_l)) (the same for sigmoid and tanh).
    Returns {"W1": (n_1, n_0), "b1": (n_1,), ..., "WL": (n_L, n_{L-1}), "bL": (n_L,)}.
    """
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(int(n) != n or n < 1 for n in sizes):
        raise ValueError(f"layer_sizes must be at least two positive integers, got {sizes}")
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=False), start=1):
        var = 2.0 / n_in if init == "he" else 2.0 / (n_in + n_out)
        params[f"W{l}"] = rng.normal(0.0, np.sqrt(var), size=(n_out, n_in))
        params[f"b{l}"] = np.zeros(n_out)
    return params


def num_layers(params):
    """L, the number of weight matrices, checking that W1..WL and b1..bL are all present."""
    L = sum(1 for k in params if k.startswith("W"))
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if L == 0 or set(params) != expected:
        raise ValueError(f"params must hold W1, b1, ..., WL, bL; got keys {sorted(params)}")
    return L


def forward(params, X, activation="sigmoid"):
    """The forward pass.

    X: one example (n_0,) or a batch (m, n_0).
    Returns (probs, cache): probs of shape (n_L,) or (m, n_L), and
      cache = {"h": [h_0 = X, h_1, ..., h_{L-1}], "a": [a_1, ..., a_L], "probs": probs},
    the layer inputs and pre-activations backward needs.
    """
    _check_activation(activation)
    X = as_float_array(X, "X")
    require_ndim(X, "X")
    L = num_layers(params)
    h, hs, pre = X, [], []
    for l in range(1, L + 1):
        hs.append(h)
        a = linear_forward(h, params[f"W{l}"], params[f"b{l}"])
        pre.append(a)
        if l < L:
            h = activation_forward(a, activation)
    probs = softmax(pre[-1])
    return probs, {"h": hs, "a": pre, "probs": probs}


def backward(params, cache, Y, activation="sigmoid", l2=0.0):
    """Gradients of loss(params, X, Y, activation, l2) with respect to every parameter.

    cache: from forward(params, X, activation). Y: one-hot of probs' shape or integer labels.
    Returns {"dW1": shape of W1, "db1": shape of b1, ..., "dWL", "dbL"}.
    Order (the sources' dz3, dW3, dh2, dz2, ...): the logits' gradient p - y (with 1/m), then
    per layer from the top: grad_W, grad_b and the gradient handed down, h's gradient times g'(a).
    """
    _check_activation(activation)
    L = num_layers(params)
    grad_a = cross_entropy_grad_logits(cache["probs"], Y)
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        grad_h, grad_W, grad_b = linear_backward(grad_a, cache["h"][l - 1], W)
        grads[f"dW{l}"] = grad_W + l2 * W
        grads[f"db{l}"] = grad_b
        if l > 1:
            grad_a = activation_backward(grad_h, cache["a"][l - 2], activation)
    return dict(sorted(grads.items(), key=lambda kv: (int(kv[0][2:]), kv[0][1])))


def loss(params, X, Y, activation="sigmoid", l2=0.0):
    """Mean cross entropy of the network's predictions plus (l2 / 2) sum_l ||W_l||^2.

    Computed from the logits with log_softmax, so it stays finite even where a probability
    underflows to 0.
    """
    _, cache = forward(params, X, activation)
    logits = cache["a"][-1]
    Y = as_one_hot(Y, logits)
    m = logits.shape[0] if logits.ndim == 2 else 1
    data = -float((Y * log_softmax(logits)).sum()) / m
    reg = 0.5 * l2 * sum(float((params[k] ** 2).sum()) for k in params if k.startswith("W"))
    return data + reg


def gradient_check(params, X, Y, grads, activation="sigmoid", l2=0.0):
    """How far `grads` is from the central-difference gradient of loss, parameter by parameter.

    params, X, Y, activation, l2: as for loss. grads: {"dW1": shape of W1, "db1": ..., ...},
    the gradients under test (what a backward pass returned).
    Returns {"W1": rel_error(grads["dW1"], numeric dL/dW1), "b1": ..., ...} in params' order:
    about 1e-9 or less where grads is right, 1e-2 or more where it is wrong.
    Each parameter array is nudged in place one entry at a time (so that loss, which reads
    params, sees the nudge) and restored.
    """
    missing = [k for k in params if f"d{k}" not in grads]
    if missing:
        raise ValueError(f"grads has no gradient for {missing}; expected keys d<name> for each")
    errors = {}
    for name, P in params.items():
        numeric = numeric_gradient(lambda _: loss(params, X, Y, activation, l2), P)
        errors[name] = rel_error(grads[f"d{name}"], numeric)
    return errors


def sgd_step(params, grads, lr):
    """One step of gradient descent: a new dict with P - lr * dP for every parameter P.

    params is left unchanged, so a caller can keep the old parameters.
    """
    missing = [k for k in params if f"d{k}" not in grads]
    if missing:
        raise ValueError(f"grads has no gradient for {missing}; expected keys d<name> for each")
    for k, P in params.items():
        if np.shape(grads[f"d{k}"]) != np.shape(P):
            raise ValueError(
                f"d{k} has shape {np.shape(grads[f'd{k}'])} but {k} has shape {np.shape(P)}"
            )
    return {k: P - lr * grads[f"d{k}"] for k, P in params.items()}


def predict(params, X, activation="sigmoid"):
    """Class labels argmax_k probs[k]: shape () for one example, (m,) for a batch."""
    probs, _ = forward(params, X, activation)
    return probs.argmax(axis=-1)


def step_size(lr, epoch, epochs, schedule="constant"):
    """The learning rate used during epoch `epoch` (1..epochs) of a run of `epochs` epochs.

    "constant": lr throughout. "cosine": lr * (1 + cos(pi (epoch - 1) / epochs)) / 2, which
    starts at lr and falls smoothly towards 0, so that the last epochs take small steps and
    the parameters settle instead of jumping between minibatches' opinions.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose one of {', '.join(SCHEDULES)}")
    if schedule == "constant":
        return lr
    return lr * 0.5 * (1.0 + np.cos(np.pi * (epoch - 1) / epochs))


def train(
    params,
    X,
    Y,
    *,
    activation="sigmoid",
    lr=0.1,
    schedule="constant",
    epochs=10,
    batch_size=32,
    l2=0.0,
    seed=0,
    callback=None,
):
    """Mini-batch gradient descent.

    X: (m, n_0); Y: integer labels (m,) or one-hot (m, n_L). Each epoch shuffles the rows
    (seeded, so a run is repeatable) and takes one sgd_step per batch of batch_size rows, with
    the step size step_size(lr, epoch, epochs, schedule).
    callback(epoch, params, loss), if given, is called after every epoch (a progress bar).
    Returns (params, history): the trained parameters and the loss on all of X before
    training and after each epoch (epochs + 1 numbers).
    """
    X = as_float_array(X, "X")
    require_ndim(X, "X", allowed=(2,))
    Y = np.asarray(Y)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(f"X has shape {X.shape} but Y has shape {Y.shape}: one label per row of X")
    if batch_size < 1 or epochs < 0:
        raise ValueError(f"batch_size must be >= 1 and epochs >= 0, got {batch_size}, {epochs}")
    step_size(lr, 1, max(epochs, 1), schedule)  # an unknown schedule fails before any work
    rng = np.random.default_rng(seed)
    history = [loss(params, X, Y, activation, l2)]
    for epoch in range(1, epochs + 1):
        eta = step_size(lr, epoch, epochs, schedule)
        order = rng.permutation(X.shape[0])
        for start in range(0, X.shape[0], batch_size):
            rows = order[start : start + batch_size]
            _, cache = forward(params, X[rows], activation)
            grads = backward(params, cache, Y[rows], activation, l2)
            params = sgd_step(params, grads, eta)
        history.append(loss(params, X, Y, activation, l2))
        if callback is not None:
            callback(epoch, params, history[-1])
    return params, history
