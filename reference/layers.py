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
    require_ndim(x, "x")
    _check_layer_shapes(x, W)
    if grad_a.shape != x.shape[:-1] + (W.shape[0],):
        raise ValueError(
            f"grad_a has shape {grad_a.shape} but x has shape {x.shape} and W has shape "
            f"{W.shape}: grad_a must be {x.shape[:-1] + (W.shape[0],)}"
        )
    if x.ndim == 1:
        grad_W = np.outer(grad_a, x)
        grad_b = grad_a.copy()
    else:
        grad_W = grad_a.T @ x
        grad_b = grad_a.sum(axis=0)
    return grad_a @ W, grad_W, grad_b
