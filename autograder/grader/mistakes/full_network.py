"""Lesson 06's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each function has its stub's exact signature and implements exactly one mistake. The grading
demo plants `inspect.getsource(fn)` (renamed to the stub's name) into a student notebook's
solution cell, so a function body may use only numpy (as `np`) and the names the lesson
notebook defines in its read-only "building blocks" cell before the stubs:

    softmax(z), activate(a, activation), activate_grad(a, activation), targets_like(Y, probs),
    loss(params, X, Y, activation, l2) (its own forward pass, not the student's),
    numeric_gradient(f, x, eps), rel_error(a, b)

The same names are defined at the bottom of this module (the same meanings) so that the
tests can call these functions directly. Nothing here is imported by the checks.
"""

import numpy as np

# ---------------------------------------------------------------- forward


def forward__activation_on_logits(params, X, activation="sigmoid"):
    """Applies g to the output layer's logits too, then softmax."""
    L = len(params) // 2
    h, hs, pre = np.asarray(X, dtype=np.float64), [], []
    for l in range(1, L + 1):
        hs.append(h)
        a = h @ params[f"W{l}"].T + params[f"b{l}"]
        pre.append(a)
        h = activate(a, activation)
    probs = softmax(h)
    return probs, {"h": hs, "a": pre, "probs": probs}


def forward__no_bias(params, X, activation="sigmoid"):
    """Forgets + b in every layer."""
    L = len(params) // 2
    h, hs, pre = np.asarray(X, dtype=np.float64), [], []
    for l in range(1, L + 1):
        hs.append(h)
        a = h @ params[f"W{l}"].T
        pre.append(a)
        if l < L:
            h = activate(a, activation)
    probs = softmax(pre[-1])
    return probs, {"h": hs, "a": pre, "probs": probs}


def forward__cache_misses_input(params, X, activation="sigmoid"):
    """Stores each layer's output h_l instead of its input: cache["h"] lacks h0 = X."""
    L = len(params) // 2
    h, hs, pre = np.asarray(X, dtype=np.float64), [], []
    for l in range(1, L + 1):
        a = h @ params[f"W{l}"].T + params[f"b{l}"]
        pre.append(a)
        if l < L:
            h = activate(a, activation)
            hs.append(h)
    probs = softmax(pre[-1])
    return probs, {"h": hs, "a": pre, "probs": probs}


def forward__cache_a_holds_h(params, X, activation="sigmoid"):
    """Stores the activations g(a) (and probs for the last layer) under "a"."""
    L = len(params) // 2
    h, hs, post = np.asarray(X, dtype=np.float64), [], []
    for l in range(1, L + 1):
        hs.append(h)
        a = h @ params[f"W{l}"].T + params[f"b{l}"]
        if l < L:
            h = activate(a, activation)
            post.append(h)
        else:
            post.append(softmax(a))
    probs = softmax(a)
    return probs, {"h": hs, "a": post, "probs": probs}


# ---------------------------------------------------------------- backward


def backward__no_g_prime(params, cache, Y, activation="sigmoid", l2=0.0):
    """Hands grad_h down as if it were grad_a: forgets the (.) g'(a) of the hidden layers."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        ga, h = np.atleast_2d(grad_a), np.atleast_2d(cache["h"][l - 1])
        grads[f"dW{l}"] = ga.T @ h + l2 * W
        grads[f"db{l}"] = ga.sum(axis=0)
        grad_a = grad_a @ W
    return grads


def backward__g_prime_of_h(params, cache, Y, activation="sigmoid", l2=0.0):
    """Multiplies by g'(h) (the derivative at the activation) instead of g'(a)."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        h = cache["h"][l - 1]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(h)
        grads[f"dW{l}"] = ga.T @ hh + l2 * W
        grads[f"db{l}"] = ga.sum(axis=0)
        grad_a = (grad_a @ W) * activate_grad(h, activation)
    return grads


def backward__a_as_input(params, cache, Y, activation="sigmoid", l2=0.0):
    """Uses the previous layer's pre-activation a_{l-1} as layer l's input instead of h_{l-1}."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        inp = cache["a"][l - 2] if l > 1 else cache["h"][0]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(inp)
        grads[f"dW{l}"] = ga.T @ hh + l2 * W
        grads[f"db{l}"] = ga.sum(axis=0)
        if l > 1:
            grad_a = (grad_a @ W) * activate_grad(cache["a"][l - 2], activation)
    return grads


def backward__no_1_over_m(params, cache, Y, activation="sigmoid", l2=0.0):
    """Starts from p - y without the 1/m: the gradient of the summed, not the mean, loss."""
    L = len(params) // 2
    probs = cache["probs"]
    grad_a = probs - targets_like(Y, probs)
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(cache["h"][l - 1])
        grads[f"dW{l}"] = ga.T @ hh + l2 * W
        grads[f"db{l}"] = ga.sum(axis=0)
        if l > 1:
            grad_a = (grad_a @ W) * activate_grad(cache["a"][l - 2], activation)
    return grads


def backward__regularises_biases(params, cache, Y, activation="sigmoid", l2=0.0):
    """Adds l2 * b to the biases' gradients too (the loss's L2 term has only the weights)."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(cache["h"][l - 1])
        grads[f"dW{l}"] = ga.T @ hh + l2 * W
        grads[f"db{l}"] = ga.sum(axis=0) + l2 * params[f"b{l}"]
        if l > 1:
            grad_a = (grad_a @ W) * activate_grad(cache["a"][l - 2], activation)
    return grads


def backward__forgets_l2(params, cache, Y, activation="sigmoid", l2=0.0):
    """Ignores l2: the gradient of the cross entropy alone."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(cache["h"][l - 1])
        grads[f"dW{l}"] = ga.T @ hh
        grads[f"db{l}"] = ga.sum(axis=0)
        if l > 1:
            grad_a = (grad_a @ W) * activate_grad(cache["a"][l - 2], activation)
    return grads


def backward__l2_halved(params, cache, Y, activation="sigmoid", l2=0.0):
    """Adds (l2 / 2) W: the 1/2 of the loss's L2 term kept, the 2 from W^2 forgotten."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(cache["h"][l - 1])
        grads[f"dW{l}"] = ga.T @ hh + l2 / 2 * W
        grads[f"db{l}"] = ga.sum(axis=0)
        if l > 1:
            grad_a = (grad_a @ W) * activate_grad(cache["a"][l - 2], activation)
    return grads


def backward__transposed_grad_W(params, cache, Y, activation="sigmoid", l2=0.0):
    """Computes h^T grad_a, shape (in, out): the transpose of W's shape (out, in)."""
    L = len(params) // 2
    probs = cache["probs"]
    m = probs.shape[0] if probs.ndim == 2 else 1
    grad_a = (probs - targets_like(Y, probs)) / m
    grads = {}
    for l in range(L, 0, -1):
        W = params[f"W{l}"]
        ga, hh = np.atleast_2d(grad_a), np.atleast_2d(cache["h"][l - 1])
        grads[f"dW{l}"] = hh.T @ ga + l2 * W.T
        grads[f"db{l}"] = ga.sum(axis=0)
        if l > 1:
            grad_a = (grad_a @ W) * activate_grad(cache["a"][l - 2], activation)
    return grads


# ---------------------------------------------------------------- sgd_step


def sgd_step__ascent(params, grads, lr):
    """Adds the gradient: a step uphill, the loss grows."""
    return {k: P + lr * grads[f"d{k}"] for k, P in params.items()}


def sgd_step__modifies_in_place(params, grads, lr):
    """Updates the caller's arrays in place and returns nothing."""
    for k in params:
        params[k] -= lr * grads[f"d{k}"]


def sgd_step__pairs_by_position(params, grads, lr):
    """Pairs parameters with gradients by position, trusting both dicts to share one order."""
    return {k: P - lr * g for (k, P), g in zip(params.items(), grads.values(), strict=True)}


def sgd_step__returns_grad_keys(params, grads, lr):
    """Names the new parameters after the gradients (dW1, db1, ...) instead of W1, b1, ..."""
    return {k: params[k[1:]] - lr * g for k, g in grads.items()}


# ---------------------------------------------------------------- gradient_check


def gradient_check__nudges_a_copy(params, X, Y, grads, activation="sigmoid", l2=0.0):
    """Hands numeric_gradient a copy of each parameter: the loss never sees a nudge."""
    errors = {}
    for name, P in params.items():
        judge = numeric_gradient(lambda _: loss(params, X, Y, activation, l2), P.copy())
        errors[name] = rel_error(grads[f"d{name}"], judge)
    return errors


def gradient_check__forgets_l2(params, X, Y, grads, activation="sigmoid", l2=0.0):
    """Judges with the loss without its L2 term."""
    errors = {}
    for name, P in params.items():
        judge = numeric_gradient(lambda _: loss(params, X, Y, activation), P)
        errors[name] = rel_error(grads[f"d{name}"], judge)
    return errors


def gradient_check__keys_with_d(params, X, Y, grads, activation="sigmoid", l2=0.0):
    """Keys the errors like the gradients, dW1, db1, ..."""
    errors = {}
    for name, P in params.items():
        judge = numeric_gradient(lambda _: loss(params, X, Y, activation, l2), P)
        errors[f"d{name}"] = rel_error(grads[f"d{name}"], judge)
    return errors


# ------------------------------------------- the notebook's building blocks, for the tests


def softmax(z):
    """As the lesson's building-blocks cell: stable softmax over the last axis."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def activate(a, activation):
    """As the lesson's building-blocks cell: h = g(a), its sigmoid written the same way (so
    that the loss, and the rounding of gradient_check's right answers, are the notebook's)."""
    if activation == "sigmoid":
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1 / (1 + e), e / (1 + e))
    if activation == "tanh":
        return np.tanh(a)
    return np.maximum(a, 0.0)


def activate_grad(a, activation):
    """As the lesson's building-blocks cell: g'(a)."""
    if activation == "sigmoid":
        s = 1 / (1 + np.exp(-a))
        return s * (1 - s)
    if activation == "tanh":
        return 1 - np.tanh(a) ** 2
    return (a > 0).astype(np.float64)


def targets_like(Y, probs):
    """As the lesson's building-blocks cell: one-hot float targets of probs' shape."""
    Y = np.asarray(Y)
    if Y.shape == probs.shape:
        return Y.astype(np.float64)
    return np.eye(probs.shape[-1])[Y]


def numeric_gradient(f, x, eps=1e-5):
    """As the lesson's building-blocks cell: central differences, x nudged in place."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f(x)
        x[i] = old - eps
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b):
    """As the lesson's building-blocks cell: max |a - b| / max(max |a|, max |b|)."""
    scale = max(np.abs(a).max(), np.abs(b).max())
    return 0.0 if scale == 0 else float(np.abs(a - b).max() / scale)


def loss(params, X, Y, activation="sigmoid", l2=0.0):
    """As the lesson's building-blocks cell, which computes the logits itself (not through the
    student's forward): mean cross entropy of the logits + (l2 / 2) sum ||W||^2."""
    h = np.asarray(X, dtype=np.float64)
    L = len(params) // 2
    for l in range(1, L + 1):
        z = h @ params[f"W{l}"].T + params[f"b{l}"]
        h = activate(z, activation) if l < L else z
    shifted = z - z.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    m = z.shape[0] if z.ndim == 2 else 1
    data = -np.sum(targets_like(Y, z) * log_probs) / m
    return data + 0.5 * l2 * sum(np.sum(P**2) for k, P in params.items() if k.startswith("W"))
