"""Lesson 03: cross entropy, squared error, and their gradients.

p: probabilities, shape (K,) for one example or (m, K) for a batch.
y: targets, one-hot of p's shape or integer labels (an int, or shape (m,)).
A batch loss is the mean over its m rows, so every batch gradient carries a factor 1/m.
"""

import numpy as np

from reference.softmax import log_softmax
from reference.validation import as_float_array, as_one_hot, require_ndim


def _probs_and_targets(p, y):
    p = as_float_array(p, "p")
    require_ndim(p, "p")
    return p, as_one_hot(y, p)


def _batch_size(p):
    return p.shape[0] if p.ndim == 2 else 1


def cross_entropy(p, y):
    """L = -sum_k y_k log p_k, averaged over the rows of a batch. Returns a float.

    Only the terms with y_k > 0 are evaluated, so a wrong class with probability exactly 0
    contributes 0 (the limit of 0 log 0), with no warning. A correct class with probability 0
    gives inf: the loss really is infinite there.
    """
    p, y = _probs_and_targets(p, y)
    terms = np.zeros_like(p)
    mask = y > 0
    with np.errstate(divide="ignore"):
        terms[mask] = -y[mask] * np.log(p[mask])
    return float(terms.sum() / _batch_size(p))


def cross_entropy_grad_probs(p, y):
    """dL/dp = -y / p (times 1/m for a batch); shape of p. 0 wherever y is 0."""
    p, y = _probs_and_targets(p, y)
    grad = np.zeros_like(p)
    np.divide(-y, p, out=grad, where=y > 0)
    return grad / _batch_size(p)


def cross_entropy_grad_logits(p, y):
    """dL/da for p = softmax(a): the softmax Jacobian collapses -y/p to p - y (1/m for a batch)."""
    p, y = _probs_and_targets(p, y)
    return (p - y) / _batch_size(p)


def softmax_cross_entropy(logits, y):
    """Mean cross entropy of softmax(logits) against y, and its gradient, from the logits.

    logits: a, shape (K,) or (m, K). y: one-hot of a's shape, or integer labels.
    Returns (loss, grad_logits): a float, and dL/da = (softmax(a) - y) / m of a's shape.
    log p_c = a_c - log sum_k e^(a_k) is computed with the row's max subtracted (log-sum-exp),
    so the loss stays finite where p_c underflows to 0 and -log p_c would be inf.
    """
    a = as_float_array(logits, "logits")
    require_ndim(a, "logits")
    y = as_one_hot(y, a)
    log_p = log_softmax(a)
    m = _batch_size(a)
    loss = float(-(y * log_p).sum() / m)  # log_p is finite, so 0 * log_p is 0, never nan
    return loss, (np.exp(log_p) - y) / m


def squared_error(p, y):
    """L = sum_k (y_k - p_k)^2, averaged over the rows of a batch (no 1/2, as in the sources)."""
    p, y = _probs_and_targets(p, y)
    return float(((y - p) ** 2).sum() / _batch_size(p))


def squared_error_grad(p, y):
    """dL/dp = 2 (p - y) (times 1/m for a batch); shape of p."""
    p, y = _probs_and_targets(p, y)
    return 2 * (p - y) / _batch_size(p)
