"""Does lesson 06, run top to bottom, show what its text says: the answer key's digits result,
a network the scalar engine agrees with, and each "what can go wrong" check doing its job?

The numbers are read from the executed source notebook's outputs (the session's one run of it)
and judged here: the digits result against the answer key trained with the same recipe (read
from the lesson), the rest against what each check is there to show.
"""

import re

import numpy as np
import pytest

import reference as R
from reference.data import digits, digits_recipe

pytestmark = pytest.mark.slow
LESSON = "06_full_network"


@pytest.fixture(scope="module")
def printed(executed_sources):
    """{grade_id: the text the cell printed} of the executed lesson."""
    nb, _ = executed_sources(LESSON)
    return {
        cell.metadata["nbgrader"]["grade_id"]: "".join(
            o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream"
        )
        for cell in nb.cells
        if "nbgrader" in cell.metadata
    }


def test_digits_run_is_the_answer_keys(printed):
    """Does the lesson's own training loop reach, with seed 0, the test accuracy the answer key
    reaches with the same recipe (so the 5-seed test of tests/reference vouches for it)?"""
    recipe = digits_recipe()
    X_train, X_test, y_train, y_test = digits(seed=0)
    settings = {k: v for k, v in recipe.items() if k not in ("layer_sizes", "init")}
    params = R.init_params(recipe["layer_sizes"], seed=0, init=recipe["init"])
    params, _ = R.train(params, X_train, y_train, seed=0, **settings)
    accuracy = (R.predict(params, X_test, recipe["activation"]) == y_test).mean()
    assert f"test accuracy {accuracy:.2%}" in printed["digits_training"]
    assert accuracy >= 0.97


def test_scalar_engine_agrees_with_backward(printed):
    """Does the Value engine's gradient agree exactly with backward for every parameter?"""
    lines = re.findall(
        r"d(\w+)\s+largest \|engine - backward\| = (\S+)\s+(\w+)", printed["engine_check"]
    )
    assert [name for name, _, _ in lines] == ["W1", "b1", "W2", "b2"]
    assert all(float(diff) < 1e-12 and verdict == "exact" for _, diff, verdict in lines), lines


def test_gradient_check_demo_calls_every_right_gradient_ok(printed):
    """Does the demo's gradient check find the solution's backward right everywhere?"""
    verdicts = re.findall(r"relative error (\S+)\s+(ok|WRONG)", printed["gradient_check_demo"])
    assert len(verdicts) == 4 + 8 and all(v == "ok" and float(e) < 1e-8 for e, v in verdicts)


def test_first_loss_is_about_ln_k_and_far_above_with_large_weights(printed):
    """He: within 0.5 of ln 10; std 0.01: ln 10 to 3 decimals; std 1.0: more than 10 times it."""
    losses = [float(v) for v in re.findall(r"  .+?\s+(\d+\.\d+)\n", printed["drill_initial_loss"])]
    he, small, large = losses
    assert abs(he - np.log(10)) < 0.5 and abs(small - np.log(10)) < 1e-3 and large > 10 * np.log(10)


def test_five_examples_are_overfitted(printed):
    """Does the loss on five examples fall below 0.01 within 200 steps?"""
    losses = [float(v) for v in re.findall(r"loss (\d+\.\d+)", printed["drill_overfit"])]
    assert losses[0] > 1.0 and losses[-1] < 0.01


def test_sweep_shows_slow_good_and_diverging_rates_and_nan(printed):
    """Does a small rate barely move, 0.5 fall far, large rates start by jumping up, and the
    probability-based loss turn nan only at the large rates?"""
    rows = re.findall(
        r"lr = (\S+)\s+loss after 1 step\s+(\S+), after 60\s+(\S+); (.*)", printed["drill_lr_sweep"]
    )
    by_lr = {float(lr): (float(first), float(last), rest) for lr, first, last, rest in rows}
    assert by_lr[0.01][1] > 1.5 and by_lr[0.5][1] < 0.5
    assert all(by_lr[lr][0] > 2 * np.log(10) for lr in (3.0, 30.0, 300.0))
    assert "nan" in by_lr[300.0][2] and "finite" in by_lr[0.5][2]
    assert "100% of the probabilities are nan" in printed["drill_lr_sweep"]


def test_dead_relus_counted(printed):
    """Few dead units at He and lr 0.5; most of them after lr 3 and with biases at -1."""
    counts = [
        int(n) for n in re.findall(r"(\d+) of 128 hidden units dead", printed["drill_dead_relus"])
    ]
    he, bias, good, large, larger = counts
    assert he <= 5 and good <= 5 and bias > 30 and large > 64 and larger > 64


def test_gradient_norms_even_vanishing_and_growing(printed):
    """ReLU/He within a factor 2 across layers; sigmoid/Xavier growing towards the top; tanh with
    std 3 shrinking towards the top."""
    rows = {
        label: [float(v) for v in values.split()]
        for label, values in re.findall(
            r"(\S+, [^|]+?)\s+\|\|dW_l\|\|, l = 1..5: (.*)", printed["drill_grad_norms"]
        )
    }
    relu, sigmoid, tanh = rows["relu, He"], rows["sigmoid, Xavier"], rows["tanh, std 3"]
    assert max(relu) < 2 * min(relu)
    assert np.all(np.diff(sigmoid) > 0) and sigmoid[-1] > 50 * sigmoid[0]
    assert np.all(np.diff(tanh) < 0)


def test_curves_find_the_schedule_steadier(printed):
    """Is the cosine run's validation accuracy over its last 10 epochs at least as steady as the
    constant rate's?"""
    spans = re.findall(r"last 10 epochs' accuracy (\S+)% to (\S+)%", printed["drill_curves"])
    (c_low, c_high), (s_low, s_high) = [(float(a), float(b)) for a, b in spans]
    assert s_high - s_low <= c_high - c_low
