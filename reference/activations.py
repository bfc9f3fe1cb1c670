"""Lesson 05: elementwise activations, their derivatives g'(a), and the (.) g' backward step.

Every derivative takes the pre-activation a (not h = g(a)): the lessons' notation is
h = g(a), and dL/da = dL/dh (.) g'(a). Shapes: any; results have the shape of a.
"""

import numpy as np

from reference.validation import as_float_array, require_same_shape

ACTIVATIONS = ("sigmoid", "tanh", "relu")


def sigmoid(a):
    """1 / (1 + e^-a), written so that no exponent is positive (no overflow for large |a|)."""
    a = as_float_array(a, "a")
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def relu(a):
    """max(a, 0)."""
    return np.maximum(as_float_array(a, "a"), 0.0)


def sigmoid_grad(a):
    """sigma'(a) = sigma(a) (1 - sigma(a))."""
    s = sigmoid(a)
    return s * (1 - s)


def tanh_grad(a):
    """tanh'(a) = 1 - tanh(a)^2."""
    return 1 - np.tanh(as_float_array(a, "a")) ** 2


def relu_grad(a):
    """relu'(a) = 1 where a > 0, else 0; at a = 0 the course takes 0 (a subgradient)."""
    return (as_float_array(a, "a") > 0).astype(np.float64)


def _check_activation(activation):
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )


def activation_forward(a, activation):
    """h = g(a) for g named by activation, one of "sigmoid", "tanh", "relu"."""
    _check_activation(activation)
    if activation == "sigmoid":
        return sigmoid(a)
    if activation == "tanh":
        return np.tanh(as_float_array(a, "a"))
    return relu(a)


def activation_backward(grad_h, a, activation):
    """dL/da = dL/dh (.) g'(a).

    grad_h: dL/dh, any shape; a: the pre-activation, same shape.
    The Jacobian of an elementwise g is diagonal, diag(g'(a)), so multiplying by it is an
    elementwise product.
    """
    _check_activation(activation)
    grad_h, a = as_float_array(grad_h, "grad_h"), as_float_array(a, "a")
    require_same_shape(grad_h, "grad_h", a, "a")
    g_prime = {"sigmoid": sigmoid_grad, "tanh": tanh_grad, "relu": relu_grad}[activation]
    return grad_h * g_prime(a)
