"""Lesson 01's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each function has its stub's exact signature and implements exactly one mistake. The grading
demo plants `inspect.getsource(fn)` (renamed to the stub's name) into a student notebook's
solution cell, so every body is self-contained: numpy (as `np`) and nothing else.
Nothing here is imported by the checks.
"""

import numpy as np

# ---------------------------------------------------------------- numeric_derivative


def numeric_derivative__forward_difference(f, x, eps=1e-5):
    """(f(x + eps) - f(x)) / eps: one-sided, so its error shrinks only like eps."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x + eps) - f(x)) / eps


def numeric_derivative__backward_difference(f, x, eps=1e-5):
    """(f(x) - f(x - eps)) / eps: one-sided on the other side."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x) - f(x - eps)) / eps


def numeric_derivative__missing_two(f, x, eps=1e-5):
    """(f(x + eps) - f(x - eps)) / eps: the two points are 2 eps apart, but this divides by eps."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x + eps) - f(x - eps)) / eps


def numeric_derivative__wrong_sign(f, x, eps=1e-5):
    """(f(x - eps) - f(x + eps)) / 2 eps: the difference taken the wrong way round."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x - eps) - f(x + eps)) / (2 * eps)


def numeric_derivative__ignores_eps(f, x, eps=1e-5):
    """A step of 1e-5 written into the body, whatever eps the caller passes."""
    x = np.asarray(x, dtype=np.float64)
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)


# ---------------------------------------------------------------- numeric_gradient


def numeric_gradient__forgets_restore(f, x, eps=1e-5):
    """Nudges each entry up and down but leaves it at x_i - eps: later entries see a moved x."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def numeric_gradient__one_sided(f, x, eps=1e-5):
    """(f(x + eps e_i) - f(x)) / eps for each entry: a forward difference."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    f_here = float(f(x))
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_here) / eps
    return grad


def numeric_gradient__nudges_all_at_once(f, x, eps=1e-5):
    """(f(x + eps) - f(x - eps)) / 2 eps, every entry moved together: one number, no gradient."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def numeric_gradient__flattened(f, x, eps=1e-5):
    """The right numbers, returned as a flat vector instead of in x's shape."""
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def numeric_gradient__missing_two(f, x, eps=1e-5):
    """Central difference divided by eps instead of 2 eps: twice the gradient."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / eps
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
    """e^(x^2) e^(x^2) 2x: the outer derivative e^(u2) evaluated at u1 = x^2 instead of u2."""
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
