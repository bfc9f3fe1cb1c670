"""Lesson 03's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each has its stub's exact signature and implements exactly one mistake; the bodies are
self-contained (numpy as `np` only) because the grading demo plants their source into a
student notebook. Nothing here is imported by the checks.
"""

import numpy as np


def cross_entropy__summed_not_averaged(p, y):
    """-sum y log p over the whole batch, not divided by m."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    return float(-np.log(p[y > 0]).dot(y[y > 0]))


def cross_entropy__missing_minus(p, y):
    """mean of sum y log p: the minus sign forgotten."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    m = p.shape[0] if p.ndim == 2 else 1
    return float(np.log(p[y > 0]).dot(y[y > 0]) / m)


def cross_entropy__log_of_zero(p, y):
    """-sum y log p over every entry: 0 * log 0 = nan where a wrong class has p = 0."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    m = p.shape[0] if p.ndim == 2 else 1
    return float(-(y * np.log(p)).sum() / m)


def cross_entropy__labels_not_converted(p, y):
    """-sum y log p / m with y used as given: integer labels multiply like one-hot rows."""
    p = np.asarray(p, dtype=np.float64)
    m = p.shape[0] if p.ndim == 2 else 1
    return float(-(np.asarray(y) * np.log(p)).sum() / m)


def cross_entropy_grad_probs__missing_minus(p, y):
    """y / p / m: the sign of -log's derivative forgotten."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    m = p.shape[0] if p.ndim == 2 else 1
    return np.divide(y, p, out=np.zeros_like(p), where=y > 0) / m


def cross_entropy_grad_probs__missing_1_over_m(p, y):
    """-y / p: right for one example, m times too large for a batch."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    return np.divide(-y, p, out=np.zeros_like(p), where=y > 0)


def cross_entropy_grad_probs__without_y(p, y):
    """-1 / p / m for every class, as if every class were the true one."""
    p = np.asarray(p, dtype=np.float64)
    m = p.shape[0] if p.ndim == 2 else 1
    return -1 / p / m


def cross_entropy_grad_probs__zero_division(p, y):
    """-y / p / m everywhere: 0 / 0 = nan where a wrong class has p = 0."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    m = p.shape[0] if p.ndim == 2 else 1
    return -y / p / m


def cross_entropy_grad_probs__labels_not_converted(p, y):
    """-y / p / m with y used as given: integer labels broadcast across the columns."""
    p = np.asarray(p, dtype=np.float64)
    m = p.shape[0] if p.ndim == 2 else 1
    return -np.asarray(y) / p / m


def cross_entropy_grad_logits__y_minus_p(p, y):
    """(y - p) / m: the sign flipped."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    m = p.shape[0] if p.ndim == 2 else 1
    return (y - p) / m


def cross_entropy_grad_logits__missing_1_over_m(p, y):
    """p - y: right for one example, m times too large for a batch."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    return p - y


def cross_entropy_grad_logits__grad_probs_instead(p, y):
    """-y / p / m: the gradient with respect to p handed back as the one for the logits."""
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != p.shape:
        y = np.eye(p.shape[-1])[y]
    m = p.shape[0] if p.ndim == 2 else 1
    return np.divide(-y, p, out=np.zeros_like(p), where=y > 0) / m


def cross_entropy_grad_logits__labels_not_converted(p, y):
    """(p - y) / m with y used as given: integer labels broadcast across the columns."""
    p = np.asarray(p, dtype=np.float64)
    m = p.shape[0] if p.ndim == 2 else 1
    return (p - np.asarray(y)) / m


def softmax_cross_entropy__no_max_shift(logits, y):
    """log sum e^a without subtracting the max: e^1000 = inf, so the loss is inf, p is nan."""
    a = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != a.shape:
        y = np.eye(a.shape[-1])[y]
    m = a.shape[0] if a.ndim == 2 else 1
    e = np.exp(a)
    log_sum = np.log(e.sum(axis=-1, keepdims=True))
    loss = float(-(y * (a - log_sum)).sum() / m)
    return loss, (e / e.sum(axis=-1, keepdims=True) - y) / m


def softmax_cross_entropy__via_probabilities(logits, y):
    """The stable softmax, then -log p of the true class: inf where p underflows to 0."""
    a = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != a.shape:
        y = np.eye(a.shape[-1])[y]
    m = a.shape[0] if a.ndim == 2 else 1
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    loss = float(-np.log(p[y > 0]).dot(y[y > 0]) / m)
    return loss, (p - y) / m


def softmax_cross_entropy__summed_not_averaged(logits, y):
    """Log-sum-exp done right, but the loss and the gradient summed over the rows, not averaged."""
    a = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != a.shape:
        y = np.eye(a.shape[-1])[y]
    shifted = a - a.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return float(-(y * log_p).sum()), np.exp(log_p) - y


def softmax_cross_entropy__y_minus_p(logits, y):
    """The right loss, but the gradient (y - p) / m: its sign flipped."""
    a = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    if y.shape != a.shape:
        y = np.eye(a.shape[-1])[y]
    m = a.shape[0] if a.ndim == 2 else 1
    shifted = a - a.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return float(-(y * log_p).sum() / m), (y - np.exp(log_p)) / m
