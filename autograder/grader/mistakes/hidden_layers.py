"""Lesson 05's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each function has its stub's exact signature and implements exactly one mistake. The grading
demo plants `inspect.getsource(fn)` (renamed to the stub's name) into a student notebook's
solution cell, so every body is self-contained: numpy (as `np`) and nothing else.
Nothing here is imported by the checks.
"""

import numpy as np

# ---------------------------------------------------------------- sigmoid


def sigmoid__wrong_sign(a):
    """1 / (1 + e^a): the sign of the exponent flipped, which is sigma(-a) = 1 - sigma(a)."""
    a = np.asarray(a, dtype=np.float64)
    return 1 / (1 + np.exp(a))


def sigmoid__exp_ratio_overflow(a):
    """e^a / (1 + e^a): right on paper, but inf / inf = nan for large positive a."""
    e = np.exp(np.asarray(a, dtype=np.float64))
    return e / (1 + e)


def sigmoid__overflow_warning(a):
    """1 / (1 + e^-a): right values, but e^1000 overflows with a RuntimeWarning at a = -1000."""
    a = np.asarray(a, dtype=np.float64)
    return 1 / (1 + np.exp(-a))


# ---------------------------------------------------------------- relu


def relu__abs(a):
    """|a|: negative inputs come out positive instead of 0."""
    return np.abs(np.asarray(a, dtype=np.float64))


def relu__clips_wrong_side(a):
    """min(a, 0): keeps the negative part and zeroes the positive part."""
    return np.minimum(np.asarray(a, dtype=np.float64), 0.0)


def relu__returns_mask(a):
    """1 where a > 0: that is relu's derivative, not relu."""
    return (np.asarray(a, dtype=np.float64) > 0).astype(np.float64)


# ---------------------------------------------------------------- sigmoid_grad


def sigmoid_grad__sigma_times_one_minus_a(a):
    """sigma(a) (1 - a): the second factor uses a instead of sigma(a)."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(-np.abs(a))
    s = np.where(a >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - a)


def sigmoid_grad__at_h(a):
    """sigma'(h) with h = sigma(a): the derivative evaluated at the activation, not at a."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(-np.abs(a))
    h = np.where(a >= 0, 1 / (1 + e), e / (1 + e))
    s = 1 / (1 + np.exp(-h))  # h lies in [0, 1]: no overflow here
    return s * (1 - s)


def sigmoid_grad__a_times_one_minus_a(a):
    """a (1 - a): the h (1 - h) formula with a put in place of h."""
    a = np.asarray(a, dtype=np.float64)
    return a * (1 - a)


def sigmoid_grad__returns_sigmoid(a):
    """sigma(a): the function instead of its derivative."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad__exp_form_overflow(a):
    """e^-a / (1 + e^-a)^2: right on paper, but inf / inf = nan for large negative a."""
    e = np.exp(-np.asarray(a, dtype=np.float64))
    return e / (1 + e) ** 2


def sigmoid_grad__overflow_warning(a):
    """s (1 - s) with the naive s = 1 / (1 + e^-a): right values, but an overflow warning."""
    s = 1 / (1 + np.exp(-np.asarray(a, dtype=np.float64)))
    return s * (1 - s)


# ---------------------------------------------------------------- tanh_grad


def tanh_grad__missing_square(a):
    """1 - tanh(a): the square is missing."""
    return 1 - np.tanh(np.asarray(a, dtype=np.float64))


def tanh_grad__at_a(a):
    """1 - a^2: the 1 - h^2 formula with a put in place of h = tanh(a)."""
    a = np.asarray(a, dtype=np.float64)
    return 1 - a**2


def tanh_grad__at_h(a):
    """tanh'(h) with h = tanh(a): the derivative evaluated at the activation, not at a."""
    h = np.tanh(np.asarray(a, dtype=np.float64))
    return 1 - np.tanh(h) ** 2


def tanh_grad__forgot_one_minus(a):
    """tanh(a)^2: the "1 -" is missing."""
    return np.tanh(np.asarray(a, dtype=np.float64)) ** 2


# ---------------------------------------------------------------- relu_grad


def relu_grad__one_at_zero(a):
    """1 where a >= 0: the course takes relu'(0) = 0."""
    return (np.asarray(a, dtype=np.float64) >= 0).astype(np.float64)


def relu_grad__half_at_zero(a):
    """0.5 at a = 0: a valid subgradient, but not the course's (and PyTorch's) choice of 0."""
    a = np.asarray(a, dtype=np.float64)
    return np.where(a > 0, 1.0, np.where(a == 0, 0.5, 0.0))


def relu_grad__returns_relu(a):
    """max(a, 0): the function instead of its derivative."""
    return np.maximum(np.asarray(a, dtype=np.float64), 0.0)


def relu_grad__boolean_mask(a):
    """a > 0 as a boolean array: the right pattern, but not float64 numbers."""
    return np.asarray(a, dtype=np.float64) > 0


def relu_grad__sign(a):
    """sign(a): -1 for negative inputs, where the slope of relu is 0."""
    return np.sign(np.asarray(a, dtype=np.float64))


# ---------------------------------------------------------------- activation_backward


def activation_backward__forgot_g_prime(grad_h, a, activation):
    """Returns grad_h unchanged: the (.) g'(a) step is missing."""
    return np.asarray(grad_h, dtype=np.float64)


def activation_backward__times_g(grad_h, a, activation):
    """grad_h (.) g(a): multiplies by the activation itself instead of its derivative."""
    grad_h, a = np.asarray(grad_h, dtype=np.float64), np.asarray(a, dtype=np.float64)
    if activation == "sigmoid":
        g = 1 / (1 + np.exp(-a))
    elif activation == "tanh":
        g = np.tanh(a)
    elif activation == "relu":
        g = np.maximum(a, 0.0)
    else:
        raise ValueError(f"unknown activation {activation!r}; choose sigmoid, tanh or relu")
    return grad_h * g


def activation_backward__matrix_product(grad_h, a, activation):
    """grad_h @ g'(a): a matrix (dot) product where the elementwise product belongs."""
    grad_h, a = np.asarray(grad_h, dtype=np.float64), np.asarray(a, dtype=np.float64)
    if activation == "sigmoid":
        s = 1 / (1 + np.exp(-a))
        g_prime = s * (1 - s)
    elif activation == "tanh":
        g_prime = 1 - np.tanh(a) ** 2
    elif activation == "relu":
        g_prime = (a > 0).astype(np.float64)
    else:
        raise ValueError(f"unknown activation {activation!r}; choose sigmoid, tanh or relu")
    return grad_h @ g_prime


def activation_backward__ignores_activation(grad_h, a, activation):
    """Always uses sigmoid'(a), whatever activation names."""
    grad_h, a = np.asarray(grad_h, dtype=np.float64), np.asarray(a, dtype=np.float64)
    s = 1 / (1 + np.exp(-a))
    return grad_h * s * (1 - s)


def activation_backward__unknown_accepted(grad_h, a, activation):
    """Anything that is not sigmoid or tanh silently falls through to relu."""
    grad_h, a = np.asarray(grad_h, dtype=np.float64), np.asarray(a, dtype=np.float64)
    if activation == "sigmoid":
        s = 1 / (1 + np.exp(-a))
        return grad_h * s * (1 - s)
    if activation == "tanh":
        return grad_h * (1 - np.tanh(a) ** 2)
    return grad_h * (a > 0)


def activation_backward__unclear_unknown_error(grad_h, a, activation):
    """A dict lookup: an unknown name raises a bare KeyError that lists no valid names."""
    grad_h, a = np.asarray(grad_h, dtype=np.float64), np.asarray(a, dtype=np.float64)
    s = 1 / (1 + np.exp(-a))
    g_prime = {
        "sigmoid": lambda: s * (1 - s),
        "tanh": lambda: 1 - np.tanh(a) ** 2,
        "relu": lambda: (a > 0).astype(np.float64),
    }[activation]()
    return grad_h * g_prime
