"""Lesson 02: softmax, its Jacobian, and the backward pass that never forms the Jacobian."""

import numpy as np

from reference.validation import as_float_array, require_ndim, require_same_shape


def softmax(z):
    """Probabilities p_i = e^(z_i) / sum_j e^(z_j) over the last axis.

    z: logits, shape (K,) or (m, K). Returns p of the same shape, each row summing to 1.
    Subtracting the row's max first changes nothing mathematically (it cancels between
    numerator and denominator) but keeps every exponent <= 0, so e^z cannot overflow.
    """
    z = as_float_array(z, "z")
    require_ndim(z, "z")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    """log softmax(z) over the last axis, computed without ever taking log of 0.

    z: shape (K,) or (m, K). Returns the same shape. Used for the network's loss, where a
    probability that underflows to 0 would turn the loss into inf.
    """
    z = as_float_array(z, "z")
    require_ndim(z, "z")
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_jacobian(z):
    """J[i, j] = dp_i / dz_j = p_i (delta_ij - p_j).

    z: shape (K,) gives J of shape (K, K); a batch (m, K) gives one Jacobian per row, (m, K, K).
    """
    p = softmax(z)
    diag = p[..., :, None] * np.eye(p.shape[-1])
    return diag - p[..., :, None] * p[..., None, :]


def softmax_backward(p, grad_p):
    """Gradient with respect to the logits, given p = softmax(z) and dL/dp.

    p, grad_p: shape (K,) or (m, K). Returns dL/dz of the same shape.
    The vector-Jacobian product grad_p @ J, written out: sum_i g_i p_i (delta_ij - p_j)
    = p_j (g_j - sum_i g_i p_i). O(K) per row instead of the Jacobian's O(K^2).
    """
    p = as_float_array(p, "p")
    grad_p = as_float_array(grad_p, "grad_p")
    require_ndim(p, "p")
    require_same_shape(grad_p, "grad_p", p, "p")
    return p * (grad_p - (grad_p * p).sum(axis=-1, keepdims=True))
