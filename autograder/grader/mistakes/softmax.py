"""Lesson 02's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each function has its stub's exact signature and implements exactly one mistake. The grading
demo plants `inspect.getsource(fn)` (renamed to the stub's name) into a student notebook's
solution cell, so every body is self-contained: numpy (as `np`) and nothing else (the Jacobian
and backward mistakes compute their own stable softmax rather than call the student's).
Nothing here is imported by the checks.
"""

import numpy as np

# ---------------------------------------------------------------- softmax


def softmax__no_max_subtraction(a):
    """e^a / sum e^a as written on paper: e^1000 overflows to inf, and inf / inf is nan."""
    e = np.exp(np.asarray(a, dtype=np.float64))
    return e / e.sum(axis=-1, keepdims=True)


def softmax__subtract_min(a):
    """Shifts by the row's minimum: every exponent is >= 0, so large gaps still overflow."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax__global_max(a):
    """Shifts a batch by its largest entry overall: a row far below it underflows to 0 / 0."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax__wrong_axis(a):
    """Max and sum over axis 0: right for one example, column-wise for a batch."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax__whole_batch(a):
    """Normalises over every entry of the batch at once: the whole batch sums to 1."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max())
    return e / e.sum()


# ---------------------------------------------------------------- softmax_jacobian


def softmax_jacobian__sign_slip(a):
    """p p^T - diag(p): the two terms subtracted the wrong way round."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return p[..., :, None] * p[..., None, :] - p[..., :, None] * np.eye(p.shape[-1])


def softmax_jacobian__diagonal_only(a):
    """diag(p (1 - p)): the i = j case only; the off-diagonal -p_i p_j are missing."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return (p * (1 - p))[..., :, None] * np.eye(p.shape[-1])


def softmax_jacobian__no_diagonal_term(a):
    """-p p^T: the Kronecker delta term diag(p) is missing."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return -p[..., :, None] * p[..., None, :]


def softmax_jacobian__diag_p_only(a):
    """diag(p): the -p p^T term is missing."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    return p[..., :, None] * np.eye(p.shape[-1])


def softmax_jacobian__flattened_batch(a):
    """np.diag and np.outer on the raveled batch: one (mK, mK) matrix, not m of shape (K, K)."""
    a = np.asarray(a, dtype=np.float64)
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    p = (e / e.sum(axis=-1, keepdims=True)).ravel()
    return np.diag(p) - np.outer(p, p)


# ---------------------------------------------------------------- softmax_backward


def softmax_backward__forgot_subtraction(p, grad_p):
    """p * grad_p: only the diag(p) half of the Jacobian; - sum_i grad_p[i] p_i is missing."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return p * grad_p


def softmax_backward__grad_unchanged(p, grad_p):
    """Returns grad_p as it came: the softmax is treated as if it were the identity."""
    return np.asarray(grad_p, dtype=np.float64)


def softmax_backward__sign_slip(p, grad_p):
    """p (sum_i grad_p[i] p_i - grad_p): the bracket subtracted the wrong way round."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return p * ((grad_p * p).sum(axis=-1, keepdims=True) - grad_p)


def softmax_backward__unweighted_sum(p, grad_p):
    """p (grad_p - sum_i grad_p[i]): the sum of grad_p is not weighted by p."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return p * (grad_p - grad_p.sum(axis=-1, keepdims=True))


def softmax_backward__wrong_axis(p, grad_p):
    """Sums grad_p[i] p_i over axis 0: right for one example, down the columns for a batch."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return p * (grad_p - (grad_p * p).sum(axis=0, keepdims=True))


def softmax_backward__whole_batch_sum(p, grad_p):
    """Sums grad_p[i] p_i over every entry of the batch instead of over each row."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return p * (grad_p - (grad_p * p).sum())


def softmax_backward__diagonal_only(p, grad_p):
    """grad_p times the Jacobian's diagonal p (1 - p): the off-diagonal -p_i p_j are left out."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return grad_p * p * (1 - p)


def softmax_backward__no_keepdims(p, grad_p):
    """The row sum without keepdims: shape (m,) lines up with the columns of an (m, K) batch."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    return p * (grad_p - (grad_p * p).sum(axis=-1))


def softmax_backward__extra_1_over_m(p, grad_p):
    """Divides by the batch size, though grad_p already carries the mean loss's 1/m."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    m = p.shape[0] if p.ndim == 2 else 1
    return p * (grad_p - (grad_p * p).sum(axis=-1, keepdims=True)) / m


# ---------------------------------------------------------------- softmax_backward_loop


def softmax_backward_loop__same_jacobian_every_row(p, grad_p):
    """The Jacobian built once, from the first example, and used for every row of the batch."""
    p, grad_p = np.atleast_2d(np.asarray(p, dtype=np.float64)), np.asarray(grad_p, dtype=np.float64)
    J = np.diag(p[0]) - np.outer(p[0], p[0])
    rows = np.atleast_2d(grad_p)
    grad_a = np.empty_like(rows)
    for k in range(rows.shape[0]):
        grad_a[k] = rows[k] @ J
    return grad_a.reshape(grad_p.shape)


def softmax_backward_loop__diagonal_only(p, grad_p):
    """Each row times the Jacobian's diagonal p (1 - p) alone, as a diagonal matrix."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    rows, upstream = np.atleast_2d(p), np.atleast_2d(grad_p)
    grad_a = np.empty_like(rows)
    for k in range(rows.shape[0]):
        grad_a[k] = upstream[k] @ np.diag(rows[k] * (1 - rows[k]))
    return grad_a.reshape(p.shape)


def softmax_backward_loop__no_diagonal_term(p, grad_p):
    """Each row times -p p^T alone: the diag(p) term of the Jacobian is missing."""
    p, grad_p = np.asarray(p, dtype=np.float64), np.asarray(grad_p, dtype=np.float64)
    rows, upstream = np.atleast_2d(p), np.atleast_2d(grad_p)
    grad_a = np.empty_like(rows)
    for k in range(rows.shape[0]):
        grad_a[k] = upstream[k] @ -np.outer(rows[k], rows[k])
    return grad_a.reshape(p.shape)
