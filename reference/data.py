"""Data sets for lesson 06: the spiral (made here, seeded) and scikit-learn's 8x8 digits, and
the lesson's digits recipe (the settings its network trains with), read from the lesson."""

import ast
import json
from pathlib import Path

import numpy as np

LESSON_06 = Path(__file__).resolve().parents[1] / "lessons/06_full_network/06_full_network.ipynb"
RECIPE_CELL = "digits_recipe"  # grade_id of the locked cell that assigns DIGITS_RECIPE


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


def digits_recipe(notebook=LESSON_06):
    """The lesson's DIGITS_RECIPE dict, read from its locked cell (grade_id "digits_recipe").

    The lesson owns the recipe (students read and run it there, and the lesson cannot import
    this package); tests and benchmarks read it from the notebook, so they train exactly what
    the lesson trains. Parsed as a literal, never executed.
    Returns {"layer_sizes": [...], "init": ..., and train()'s keyword arguments}.
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    sources = [
        "".join(c["source"])
        for c in cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == RECIPE_CELL
    ]
    if len(sources) != 1:
        raise ValueError(f"{notebook} needs exactly one cell with grade_id {RECIPE_CELL!r}")
    for node in ast.parse(sources[0]).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            "DIGITS_RECIPE"
        ]:
            try:
                return ast.literal_eval(node.value)
            except ValueError as error:
                raise ValueError(
                    f"the {RECIPE_CELL!r} cell's DIGITS_RECIPE must be a literal dict of numbers, "
                    f"strings and lists, nothing computed ({error})"
                ) from None
    raise ValueError(f"the {RECIPE_CELL!r} cell of {notebook} assigns no DIGITS_RECIPE literal")
