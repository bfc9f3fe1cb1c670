"""Lesson 04: the affine layer a = h W^T + b and its backward pass."""

import numpy as np

from reference.validation import as_float_array, require_ndim


def _check_layer_shapes(x, W, b=None):
    require_ndim(W, "W", allowed=(2,))
    if x.shape[-1] != W.shape[1]:
        raise ValueError(
            f"x has shape {x.shape} but W has shape {W.shape}: W is (out, in), so x's last "
            f"axis must have length in = {W.shape[1]}"
        )
    if b is not None and b.shape != (W.shape[0],):
        raise ValueError(
            f"b has shape {b.shape} but W has shape {W.shape}: b must be ({W.shape[0]},)"
        )


def linear_forward(x, W, b):
    """Pre-activation a = x W^T + b.

    x: shape (n_in,) or a batch (m, n_in); W: (n_out, n_in); b: (n_out,).
    Returns a: shape (n_out,) or (m, n_out).
    """
    x, W, b = as_float_array(x, "x"), as_float_array(W, "W"), as_float_array(b, "b")
    require_ndim(x, "x")
    _check_layer_shapes(x, W, b)
    return x @ W.T + b


def _check_backward_shapes(grad_a, x, W):
    require_ndim(x, "x")
    _check_layer_shapes(x, W)
    if grad_a.shape != x.shape[:-1] + (W.shape[0],):
        raise ValueError(
            f"grad_a has shape {grad_a.shape} but x has shape {x.shape} and W has shape "
            f"{W.shape}: grad_a must be {x.shape[:-1] + (W.shape[0],)}"
        )


def linear_backward_loop(grad_a, x, W):
    """linear_backward entry by entry: the scalar chain rule, with for loops over the examples
    k, the outputs i and the inputs j.

    grad_a: (n_out,) or (m, n_out); x: (n_in,) or (m, n_in); W: (n_out, n_in).
    Returns (grad_x, grad_W, grad_b) with the shapes of x, W and b. W_ij and b_i are shared by
    every example, so their entries collect one term per example (+=); x[k, j] belongs to one.
    """
    grad_a, x, W = as_float_array(grad_a, "grad_a"), as_float_array(x, "x"), as_float_array(W, "W")
    _check_backward_shapes(grad_a, x, W)
    rows_a, rows_x = np.atleast_2d(grad_a), np.atleast_2d(x)
    m, (n_out, n_in) = rows_x.shape[0], W.shape
    grad_x, grad_W, grad_b = np.zeros((m, n_in)), np.zeros((n_out, n_in)), np.zeros(n_out)
    for k in range(m):
        for i in range(n_out):
            grad_b[i] += rows_a[k, i]
            for j in range(n_in):
                grad_W[i, j] += rows_a[k, i] * rows_x[k, j]
                grad_x[k, j] += rows_a[k, i] * W[i, j]
    return grad_x.reshape(x.shape), grad_W, grad_b


def linear_backward(grad_a, x, W):
    """Gradients of the loss through a = x W^T + b.

    grad_a: dL/da, shape (n_out,) or (m, n_out), already carrying any 1/m of a batch loss.
    x: the layer's input, shape (n_in,) or (m, n_in); W: (n_out, n_in).
    Returns (grad_x, grad_W, grad_b):
      grad_x = grad_a W, shape of x (per example, W^T grad_a: the gradient handed down);
      grad_W = sum over examples of grad_a x^T, shape (n_out, n_in);
      grad_b = sum over examples of grad_a, shape (n_out,).
    Summing over the batch is right because W and b are shared by every example.
    """
    grad_a, x, W = as_float_array(grad_a, "grad_a"), as_float_array(x, "x"), as_float_array(W, "W")
    _check_backward_shapes(grad_a, x, W)
    if x.ndim == 1:
        grad_W = np.outer(grad_a, x)
        grad_b = grad_a.copy()
    else:
        grad_W = grad_a.T @ x
        grad_b = grad_a.sum(axis=0)
    return grad_a @ W, grad_W, grad_b
