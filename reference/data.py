"""Data sets for lesson 06: the spiral (made here, seeded) and scikit-learn's 8x8 digits."""

import numpy as np


def spiral(n_per_class=100, num_classes=3, noise=0.2, seed=0):
    """K interleaved spiral arms in the plane, one class per arm: not linearly separable.

    Returns X of shape (n_per_class * num_classes, 2) and integer labels y of shape (same,).
    """
    if n_per_class < 1 or num_classes < 2:
        raise ValueError(
            f"need n_per_class >= 1 and num_classes >= 2, got {n_per_class}, {num_classes}"
        )
    rng = np.random.default_rng(seed)
    X = np.zeros((n_per_class * num_classes, 2))
    y = np.zeros(n_per_class * num_classes, dtype=np.int64)
    for k in range(num_classes):
        rows = slice(n_per_class * k, n_per_class * (k + 1))
        radius = np.linspace(0.0, 1.0, n_per_class)
        angle = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + rng.normal(0, noise, n_per_class)
        X[rows] = np.c_[radius * np.sin(angle), radius * np.cos(angle)]
        y[rows] = k
    return X, y


def digits(test_fraction=0.25, seed=0):
    """scikit-learn's 1,797 8x8 handwritten digits (shipped with the package, no download).

    Pixels are scaled from 0..16 to [0, 1]. The split is stratified and seeded.
    Returns X_train (m, 64), X_test (m_test, 64), y_train (m,), y_test (m_test,).
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    data = load_digits()
    X = data.data.astype(np.float64) / 16.0
    return tuple(
        train_test_split(
            X, data.target, test_size=test_fraction, random_state=seed, stratify=data.target
        )
    )


def one_hot(y, num_classes):
    """Integer labels (m,) as one-hot rows (m, num_classes)."""
    y = np.asarray(y)
    if np.any(y < 0) or np.any(y >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes})")
    return np.eye(num_classes)[y]
