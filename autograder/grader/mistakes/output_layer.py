"""Lesson 04's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each has its stub's exact signature and implements exactly one mistake; the bodies are
self-contained (numpy as `np` only) because the grading demo plants their source into a
student notebook. Nothing here is imported by the checks.
"""

import numpy as np


def linear_forward__x_times_W(x, W, b):
    """x @ W + b: W read as (in, out), as two of the sources store it."""
    return np.asarray(x, dtype=np.float64) @ np.asarray(W, dtype=np.float64) + b


def linear_forward__no_bias(x, W, b):
    """x @ W.T: the bias forgotten."""
    return np.asarray(x, dtype=np.float64) @ np.asarray(W, dtype=np.float64).T


def linear_forward__batch_transposed(x, W, b):
    """W @ x^T + b as a column: right for one example, (n_out, m) for a batch."""
    x = np.asarray(x, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    if x.ndim == 1:
        return W @ x + b
    return W @ x.T + np.asarray(b)[:, None]


def linear_backward__grad_W_transposed(grad_a, x, W):
    """grad_W = x^T grad_a: the shape of W^T."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if grad_a.ndim == 1:
        return grad_a @ W, np.outer(x, grad_a), grad_a
    return grad_a @ W, x.T @ grad_a, grad_a.sum(axis=0)


def linear_backward__grad_b_not_summed(grad_a, x, W):
    """grad_b = grad_a: one row per example instead of the sum over the batch."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    grad_W = np.outer(grad_a, x) if grad_a.ndim == 1 else grad_a.T @ x
    return grad_a @ W, grad_W, grad_a


def linear_backward__grad_x_with_W_transposed(grad_a, x, W):
    """grad_x = grad_a @ W.T: per example W grad_a instead of W^T grad_a."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    grad_W = np.outer(grad_a, x) if grad_a.ndim == 1 else grad_a.T @ x
    grad_b = grad_a if grad_a.ndim == 1 else grad_a.sum(axis=0)
    return grad_a @ W.T, grad_W, grad_b


def linear_backward__extra_1_over_m(grad_a, x, W):
    """grad_W and grad_b divided by m, though grad_a already carries the 1/m."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if grad_a.ndim == 1:
        return grad_a @ W, np.outer(grad_a, x), grad_a
    m = x.shape[0]
    return grad_a @ W / m, grad_a.T @ x / m, grad_a.sum(axis=0) / m


def linear_backward__inner_product_one_example(grad_a, x, W):
    """The batch formulas on one example: grad_a.T @ x is an inner product for 1-D arrays."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    return grad_a @ W, grad_a.T @ x, grad_a.sum(axis=0)


def linear_backward__wrong_order(grad_a, x, W):
    """(grad_W, grad_x, grad_b): the right gradients in the wrong order."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    if grad_a.ndim == 1:
        return np.outer(grad_a, x), grad_a @ W, grad_a
    return grad_a.T @ x, grad_a @ W, grad_a.sum(axis=0)


# ---------------------------------------------------------------- linear_backward_loop


def linear_backward_loop__overwrites_sums(grad_a, x, W):
    """Every `+=` written as `=`: each entry keeps only the last term of its sum."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    rows_a, rows_x = np.atleast_2d(grad_a), np.atleast_2d(x)
    m, (n_out, n_in) = rows_x.shape[0], W.shape
    grad_x, grad_W, grad_b = np.zeros((m, n_in)), np.zeros((n_out, n_in)), np.zeros(n_out)
    for k in range(m):
        for i in range(n_out):
            grad_b[i] = rows_a[k, i]
            for j in range(n_in):
                grad_W[i, j] = rows_a[k, i] * rows_x[k, j]
                grad_x[k, j] = rows_a[k, i] * W[i, j]
    return grad_x.reshape(x.shape), grad_W, grad_b


def linear_backward_loop__last_example_only(grad_a, x, W):
    """grad_W and grad_b assigned afresh for each example: only the batch's last one is left."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    rows_a, rows_x = np.atleast_2d(grad_a), np.atleast_2d(x)
    m, (n_out, n_in) = rows_x.shape[0], W.shape
    grad_x = np.zeros((m, n_in))
    for k in range(m):
        grad_W, grad_b = np.zeros((n_out, n_in)), np.zeros(n_out)
        for i in range(n_out):
            grad_b[i] += rows_a[k, i]
            for j in range(n_in):
                grad_W[i, j] += rows_a[k, i] * rows_x[k, j]
                grad_x[k, j] += rows_a[k, i] * W[i, j]
    return grad_x.reshape(x.shape), grad_W, grad_b


def linear_backward_loop__extra_1_over_m(grad_a, x, W):
    """The loops right, then every gradient divided by m, though grad_a carries the 1/m."""
    grad_a, x = np.asarray(grad_a, dtype=np.float64), np.asarray(x, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    rows_a, rows_x = np.atleast_2d(grad_a), np.atleast_2d(x)
    m, (n_out, n_in) = rows_x.shape[0], W.shape
    grad_x, grad_W, grad_b = np.zeros((m, n_in)), np.zeros((n_out, n_in)), np.zeros(n_out)
    for k in range(m):
        for i in range(n_out):
            grad_b[i] += rows_a[k, i]
            for j in range(n_in):
                grad_W[i, j] += rows_a[k, i] * rows_x[k, j]
                grad_x[k, j] += rows_a[k, i] * W[i, j]
    return (grad_x / m).reshape(x.shape), grad_W / m, grad_b / m
