"""Lesson 02: softmax, its Jacobian, and the backward pass that never forms the Jacobian."""

import numpy as np

from reference.validation import as_float_array, require_ndim, require_same_shape


def softmax(a):
    """Probabilities p_i = e^(a_i) / sum_j e^(a_j) over the last axis.

    a: logits, shape (K,) or (m, K). Returns p of the same shape, each row summing to 1.
    Subtracting the row's max first changes nothing mathematically (it cancels between
    numerator and denominator) but keeps every exponent <= 0, so e^a cannot overflow.
    """
    a = as_float_array(a, "a")
    require_ndim(a, "a")
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(a):
    """log softmax(a) over the last axis, computed without ever taking log of 0.

    a: shape (K,) or (m, K). Returns the same shape. Used for the network's loss, where a
    probability that underflows to 0 would turn the loss into inf.
    """
    a = as_float_array(a, "a")
    require_ndim(a, "a")
    shifted = a - a.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_jacobian(a):
    """J[i, j] = dp_i / da_j = p_i (delta_ij - p_j).

    a: shape (K,) gives J of shape (K, K); a batch (m, K) gives one Jacobian per row, (m, K, K).
    """
    p = softmax(a)
    diag = p[..., :, None] * np.eye(p.shape[-1])
    return diag - p[..., :, None] * p[..., None, :]


def softmax_backward_loop(p, grad_p):
    """softmax_backward one example at a time: each row of grad_p times that row's Jacobian.

    p, grad_p: shape (K,) or (m, K). Returns dL/da of the same shape. Row k is
    grad_p[k] @ J_k with J_k = diag(p[k]) - p[k] p[k]^T built from p alone: O(K^2) per row,
    the cost that softmax_backward's formula avoids.
    """
    p = as_float_array(p, "p")
    grad_p = as_float_array(grad_p, "grad_p")
    require_ndim(p, "p")
    require_same_shape(grad_p, "grad_p", p, "p")
    rows, upstream = np.atleast_2d(p), np.atleast_2d(grad_p)
    grad_a = np.empty_like(rows)
    for k in range(rows.shape[0]):
        J = np.diag(rows[k]) - np.outer(rows[k], rows[k])
        grad_a[k] = upstream[k] @ J
    return grad_a.reshape(p.shape)


def softmax_backward(p, grad_p):
    """Gradient with respect to the logits, given p = softmax(a) and dL/dp.

    p, grad_p: shape (K,) or (m, K). Returns dL/da of the same shape.
    The vector-Jacobian product grad_p @ J, written out: sum_i g_i p_i (delta_ij - p_j)
    = p_j (g_j - sum_i g_i p_i). O(K) per row instead of the Jacobian's O(K^2).
    """
    p = as_float_array(p, "p")
    grad_p = as_float_array(grad_p, "grad_p")
    require_ndim(p, "p")
    require_same_shape(grad_p, "grad_p", p, "p")
    return p * (grad_p - (grad_p * p).sum(axis=-1, keepdims=True))
