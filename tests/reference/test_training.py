"""Does training with the answer key learn the course's data sets?"""

import json

import numpy as np
import pytest

import reference as R
from reference.data import digits, digits_recipe, one_hot, spiral


def test_spiral_shapes_and_classes():
    """K arms of n points each, labels 0..K-1, the same data for the same seed."""
    X, y = spiral(n_per_class=50, num_classes=4, seed=3)
    assert X.shape == (200, 2) and y.shape == (200,)
    np.testing.assert_array_equal(np.bincount(y), [50] * 4)
    np.testing.assert_array_equal(spiral(50, 4, seed=3)[0], X)
    assert np.abs(X).max() <= 1.0 + 1e-12


def test_training_on_the_spiral_lowers_the_loss_and_separates_it():
    """A 2-64-3 ReLU network fits the spiral, which no linear classifier can."""
    X, y = spiral(n_per_class=100, num_classes=3, seed=0)
    params = R.init_params([2, 64, 3], seed=0, init="he")
    params, history = R.train(
        params, X, y, activation="relu", lr=0.5, epochs=150, batch_size=32, seed=0
    )
    assert len(history) == 151
    assert history[-1] < 0.3 * history[0]
    assert (R.predict(params, X, "relu") == y).mean() > 0.9


def test_train_reports_each_epoch():
    """The callback sees every epoch with the loss that lands in the history."""
    X, y = spiral(n_per_class=10, num_classes=2, seed=1)
    seen = []
    _, history = R.train(
        R.init_params([2, 3, 2]),
        X,
        one_hot(y, 2),
        epochs=3,
        callback=lambda e, p, l: seen.append((e, l)),
    )
    assert seen == [(1, history[1]), (2, history[2]), (3, history[3])]


def test_cosine_schedule_by_hand():
    """Does the cosine schedule start at lr, pass lr / 2 half way, and end near 0, while the
    constant one stays at lr? (cos 0 = 1, cos pi/2 = 0, cos(pi 9/10) = -0.951.)"""
    assert R.step_size(0.4, 1, 10, "cosine") == 0.4
    assert R.step_size(0.4, 6, 10, "cosine") == pytest.approx(0.2)
    assert R.step_size(0.4, 10, 10, "cosine") == pytest.approx(0.4 * (1 - 0.9510565163) / 2)
    assert [R.step_size(0.4, e, 10) for e in (1, 5, 10)] == [0.4, 0.4, 0.4]
    with pytest.raises(ValueError, match="unknown schedule 'step'"):
        R.train(R.init_params([2, 2]), np.zeros((4, 2)), np.zeros(4, dtype=int), schedule="step")


def test_digits_recipe_is_read_from_the_lesson():
    """Is the recipe the lesson's own cell, with every setting train() and init_params need?"""
    recipe = digits_recipe()
    assert recipe["layer_sizes"][0] == 64 and recipe["layer_sizes"][-1] == 10
    assert set(recipe) == {"layer_sizes", "init", "activation", "lr", "schedule", "epochs",
                           "batch_size", "l2"}  # fmt: skip


@pytest.mark.parametrize("seed", range(5))
def test_digits_recipe_reaches_97_percent_for_every_seed(seed):
    """Does the lesson's recipe pass 97% test accuracy for each of 5 seeds (initialisation and
    shuffling), and not by luck: is every one of its last 5 epochs above 97% too?"""
    X_train, X_test, y_train, y_test = digits(seed=0)
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.min() >= 0.0 and X_train.max() <= 1.0
    recipe = digits_recipe()
    accuracy = []

    def record(epoch, params, epoch_loss):
        accuracy.append((R.predict(params, X_test, recipe["activation"]) == y_test).mean())

    settings = {k: v for k, v in recipe.items() if k not in ("layer_sizes", "init")}
    params = R.init_params(recipe["layer_sizes"], seed=seed, init=recipe["init"])
    R.train(params, X_train, y_train, seed=seed, callback=record, **settings)
    assert accuracy[-1] >= 0.97, f"seed {seed}: test accuracy {accuracy[-1]:.2%}"
    assert min(accuracy[-5:]) >= 0.97, f"seed {seed}: last 5 epochs {accuracy[-5:]}"


def test_digits_recipe_names_a_missing_or_computed_recipe(tmp_path):
    """Is a notebook without the recipe cell, or with a recipe that is not a literal, refused
    with the cell's grade_id named (never executed)?"""

    def notebook(source):
        meta = {"nbgrader": {"grade_id": "digits_recipe"}} if source is not None else {}
        cell = {"cell_type": "code", "metadata": meta, "source": source or "x = 1"}
        path = tmp_path / "lesson.ipynb"
        path.write_text(json.dumps({"cells": [cell]}))
        return path

    with pytest.raises(ValueError, match="exactly one cell with grade_id 'digits_recipe'"):
        digits_recipe(notebook(None))
    with pytest.raises(ValueError, match="assigns no DIGITS_RECIPE literal"):
        digits_recipe(notebook("RECIPE = {'lr': 0.5}"))
    with pytest.raises(ValueError, match="must be a literal dict"):
        digits_recipe(notebook("DIGITS_RECIPE = dict(lr=__import__('os').getpid())"))
