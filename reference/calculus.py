"""Lesson 01: derivatives of composite functions by the chain rule.

Each function is the derivative of a composite, written as the product of the local
derivatives along its one path (outermost first, the order backpropagation visits them).
x may be a number or an array; the result has x's shape.
"""

import numpy as np


def d_exp_square(x):
    """d/dx e^(x^2): with u = x^2, (e^u)' * u' = e^(x^2) * 2x."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(x**2) * 2 * x


def d_exp_exp_square(x):
    """d/dx e^(e^(x^2)): with u = x^2, v = e^u, (e^v)' * (e^u)' * u' = e^v * e^u * 2x."""
    x = np.asarray(x, dtype=np.float64)
    u = x**2
    v = np.exp(u)
    return np.exp(v) * v * 2 * x


def d_inv_exp_square(x):
    """d/dx 1/e^(x^2): with v = e^(x^2), (1/v)' * v' = -1/v^2 * e^(x^2) * 2x = -2x e^(-x^2)."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return -1 / v**2 * v * 2 * x
