"""Input checks shared by the answer key: bad input gets a sentence, never a wrong number."""

import numpy as np


def as_float_array(x, name):
    """x as a float64 array; a clear error for anything that is not numeric."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}") from err
    return arr


def require_ndim(arr, name, allowed=(1, 2)):
    """Raise unless arr is a single example (1-D) or a batch (2-D), as the notation fixes."""
    if arr.ndim not in allowed:
        kinds = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(f"{name} must be {kinds}, got shape {arr.shape}")


def require_same_shape(a, a_name, b, b_name):
    """Raise, naming both shapes, unless a and b have the same shape."""
    if a.shape != b.shape:
        raise ValueError(
            f"{a_name} has shape {a.shape} but {b_name} has shape {b.shape}; they must match"
        )


def as_one_hot(y, p):
    """The targets y as an array shaped like the probabilities p.

    y: one-hot (or any target distribution) of p's shape, or integer class labels:
       a single int for a 1-D p of shape (K,), an int array of shape (m,) for p of shape (m, K).
    Returns float64 of shape p.shape. Labels outside [0, K) and rows that do not sum to 1 are
    rejected, because both silently give a wrong loss.
    """
    K = p.shape[-1]
    y_arr = np.asarray(y)
    if y_arr.shape == p.shape:
        y_arr = as_float_array(y_arr, "y")
        if np.any(y_arr < 0) or not np.allclose(y_arr.sum(axis=-1), 1.0):
            raise ValueError(
                "y must be one-hot (or a probability distribution) along the last axis: "
                "entries >= 0 and each row summing to 1"
            )
        return y_arr
    if y_arr.shape != p.shape[:-1]:
        raise ValueError(
            f"y has shape {y_arr.shape} but p has shape {p.shape}; y must be one-hot of shape "
            f"{p.shape} or integer labels of shape {p.shape[:-1]}"
        )
    if not np.issubdtype(y_arr.dtype, np.integer):
        if np.issubdtype(y_arr.dtype, np.floating) and np.all(y_arr == np.round(y_arr)):
            y_arr = y_arr.astype(np.int64)
        else:
            raise ValueError(f"integer labels must be whole numbers, got dtype {y_arr.dtype}")
    if np.any(y_arr < 0) or np.any(y_arr >= K):
        bad = y_arr[(y_arr < 0) | (y_arr >= K)].ravel()[:5].tolist()
        raise ValueError(f"labels must lie in [0, {K}) for {K} classes, got {bad}")
    return np.eye(K)[y_arr]
