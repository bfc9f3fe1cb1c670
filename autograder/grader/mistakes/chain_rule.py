"""Lesson 01's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each function has its stub's exact signature and implements exactly one mistake. The grading
demo plants `inspect.getsource(fn)` (renamed to the stub's name) into a student notebook's
solution cell, so every body is self-contained: numpy (as `np`) and nothing else.
Nothing here is imported by the checks.
"""

import numpy as np

# ---------------------------------------------------------------- numeric_derivative


def numeric_derivative__forward_difference(f, x, h=1e-5):
    """(f(x + h) - f(x)) / h: one-sided, so its error shrinks only like h."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x + h) - f(x)) / h


def numeric_derivative__backward_difference(f, x, h=1e-5):
    """(f(x) - f(x - h)) / h: one-sided on the other side."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x) - f(x - h)) / h


def numeric_derivative__missing_two(f, x, h=1e-5):
    """(f(x + h) - f(x - h)) / h: the two points are 2h apart, but this divides by h."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x + h) - f(x - h)) / h


def numeric_derivative__wrong_sign(f, x, h=1e-5):
    """(f(x - h) - f(x + h)) / 2h: the difference taken the wrong way round."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x - h) - f(x + h)) / (2 * h)


def numeric_derivative__ignores_h(f, x, h=1e-5):
    """A step of 1e-5 written into the body, whatever h the caller passes."""
    x = np.asarray(x, dtype=np.float64)
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)


# ---------------------------------------------------------------- numeric_gradient


def numeric_gradient__forgets_restore(f, x, h=1e-5):
    """Nudges each entry up and down but leaves it at x_i - h: later entries see a moved x."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f(x))
        flat[i] = old - h
        f_minus = float(f(x))
        gflat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numeric_gradient__one_sided(f, x, h=1e-5):
    """(f(x + h e_i) - f(x)) / h for each entry: a forward difference."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    f_here = float(f(x))
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_here) / h
    return grad


def numeric_gradient__nudges_all_at_once(f, x, h=1e-5):
    """(f(x + h) - f(x - h)) / 2h with every entry moved together: one number, not a gradient."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numeric_gradient__flattened(f, x, h=1e-5):
    """The right numbers, returned as a flat vector instead of in x's shape."""
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f(x))
        flat[i] = old - h
        f_minus = float(f(x))
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numeric_gradient__missing_two(f, x, h=1e-5):
    """Central difference divided by h instead of 2h: twice the gradient."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = float(f(x))
        flat[i] = old - h
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / h
    return grad


# ---------------------------------------------------------------- d_exp_square


def d_exp_square__missing_inner(x):
    """e^(x^2): the outer derivative only; the inner factor 2x is missing."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(x**2)


def d_exp_square__exp_of_x(x):
    """2x e^x: the inner derivative is there, but the outer one is evaluated at x, not x^2."""
    x = np.asarray(x, dtype=np.float64)
    return 2 * x * np.exp(x)


def d_exp_square__inner_only(x):
    """2x: only the inner derivative; the outer e^(x^2) is missing."""
    x = np.asarray(x, dtype=np.float64)
    return 2 * x


def d_exp_square__half(x):
    """x e^(x^2): the 2 of (x^2)' = 2x dropped."""
    x = np.asarray(x, dtype=np.float64)
    return x * np.exp(x**2)


# ---------------------------------------------------------------- d_exp_exp_square


def d_exp_exp_square__missing_outer(x):
    """e^(x^2) 2x: the derivative of the inner e^(x^2) only; the factor e^(e^(x^2)) is missing."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(x**2) * 2 * x


def d_exp_exp_square__missing_middle(x):
    """e^(e^(x^2)) 2x: the middle factor e^(x^2) is missing."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(np.exp(x**2)) * 2 * x


def d_exp_exp_square__missing_inner(x):
    """e^(e^(x^2)) e^(x^2): the innermost factor 2x is missing."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return np.exp(v) * v


def d_exp_exp_square__outer_at_inner(x):
    """e^(x^2) e^(x^2) 2x: the outer derivative e^(h2) evaluated at h1 = x^2 instead of h2."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return v * v * 2 * x


# ---------------------------------------------------------------- d_inv_exp_square


def d_inv_exp_square__sign_slip(x):
    """+2x e^(-x^2): the minus of (1/v)' = -1/v^2 lost."""
    x = np.asarray(x, dtype=np.float64)
    return 2 * x * np.exp(-(x**2))


def d_inv_exp_square__missing_inner(x):
    """-e^(-x^2): -1/v^2 times v, without the inner factor 2x."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return -1 / v**2 * v


def d_inv_exp_square__forgot_square(x):
    """-1/v * v * 2x = -2x: (1/v)' taken as -1/v instead of -1/v^2."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return -1 / v * v * 2 * x


def d_inv_exp_square__exp_of_x(x):
    """-2x e^(-x): the exponent x^2 replaced by x."""
    x = np.asarray(x, dtype=np.float64)
    return -2 * x * np.exp(-x)
