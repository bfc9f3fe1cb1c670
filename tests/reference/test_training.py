"""Does training with the answer key learn the course's data sets?"""

import numpy as np

import reference as R
from reference.data import digits, one_hot, spiral


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


def test_digits_reach_97_percent():
    """The 64-64-10 ReLU network reaches at least 97% test accuracy on the 8x8 digits."""
    X_train, X_test, y_train, y_test = digits(seed=0)
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.min() >= 0.0 and X_train.max() <= 1.0
    params = R.init_params([64, 64, 10], seed=0, init="he")
    params, _ = R.train(
        params,
        X_train,
        y_train,
        activation="relu",
        lr=0.1,
        epochs=30,
        batch_size=32,
        l2=1e-4,
        seed=0,
    )
    accuracy = (R.predict(params, X_test, "relu") == y_test).mean()
    assert accuracy >= 0.97, f"test accuracy {accuracy:.2%}"
