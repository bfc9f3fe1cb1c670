"""Finite differences: the independent judge of every analytic gradient in the course."""

import numpy as np


def numeric_derivative(f, x, eps=1e-5):
    """Central difference (f(x + eps) - f(x - eps)) / 2 eps of a scalar function at the point x.

    Its error shrinks like eps^2 (a one-sided difference's only like eps), which is why gradient
    checks use it. x may be an array of points when f works elementwise.
    """
    x = np.asarray(x, dtype=np.float64)
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def numeric_gradient(f, x, eps=1e-5):
    """Central-difference gradient of a scalar-valued f with respect to every entry of x.

    f: a function of one array argument returning a number.
    x: float array of any shape. It is nudged in place one entry at a time and restored.
    Returns an array of x's shape whose entry i is (f(x + eps e_i) - f(x - eps e_i)) / 2 eps.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("numeric_gradient needs x as a float64 numpy array (it nudges x in place)")
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("numeric_gradient needs a contiguous x (use np.ascontiguousarray)")
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def rel_error(a, b):
    """Relative error of two gradients: max |a - b| / max(max |a|, max |b|).

    Scaled by the gradient's largest entry, not entry by entry: CS231n's elementwise
    |a - b| / (|a| + |b|) calls an entry that is 0 in truth and 1e-12 by finite differences
    100% wrong (the worked example has such a row: W2's first column is [0.5, 0.5] and the
    logits' gradients sum to 0, so dL/dW1's first row is exactly 0).
    Returns 0.0 when both are all zeros.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; they must match")
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)
