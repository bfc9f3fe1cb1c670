"""Do lesson 06's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import numpy as np
import pytest

import reference as R
from autograder.checks import full_network as C
from autograder.checks.core import CheckFailure
from autograder.grader.mistakes import full_network as M


def arrays(d):
    return {k: np.array(v, dtype=np.float64) for k, v in d.items()}


def tiny():
    params = arrays(C.TINY_PARAMS)
    return params, np.array(C.TINY_X), np.array(C.TINY_Y)


def worked():
    return arrays(C.WORKED_PARAMS), np.array(C.WORKED_X), np.array(C.WORKED_Y)


def test_stored_forward_numbers_are_the_answer_keys():
    """Are the stored probs and cache what reference.forward computes (sigmoid and ReLU)?"""
    params, X, _ = tiny()
    probs, cache = R.forward(params, X, "sigmoid")
    np.testing.assert_allclose(C._PROBS, probs, rtol=1e-10)
    for got, want in zip(C._H, cache["h"][1:], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10)
    for got, want in zip(C._A, cache["a"], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    probs, cache = R.forward(params, X, "relu")
    np.testing.assert_allclose(C._PROBS_RELU, probs, rtol=1e-10)
    for got, want in zip(C._H_RELU, cache["h"][1:], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    for got, want in zip(C._A_RELU, cache["a"], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_stored_forward_numbers_by_hand():
    """Independent judge: the tiny network's first pre-activation and probs, by plain loops."""
    params, X, _ = tiny()
    a1 = [
        [sum(w * x for w, x in zip(row, xi, strict=True)) for row in C.TINY_PARAMS["W1"]]
        for xi in C.TINY_X
    ]
    a1 = np.array(a1) + params["b1"]
    np.testing.assert_allclose(C._A[0], a1, atol=1e-12)
    # probs rows sum to 1 and are the softmax of the stored logits
    a3 = np.array(C._A[2])
    e = np.exp(a3)
    np.testing.assert_allclose(C._PROBS, e / e.sum(axis=1, keepdims=True), rtol=1e-10)


def test_worked_example_numbers():
    """Are the worked example's probs ~ [0.7703, 0.2297] and h1 the source's (003)?"""
    params, x, y = worked()
    probs, cache = R.forward(params, x, "sigmoid")
    np.testing.assert_allclose(C._WE_PROBS, probs, rtol=1e-10)
    np.testing.assert_allclose(C._WE_PROBS, [0.7703, 0.2297], atol=5e-5)
    np.testing.assert_allclose(C._WE_A[0], [2.9, 1.4, 2.1, 2.3], atol=1e-12)
    np.testing.assert_allclose(C._WE_H1, [0.9478, 0.8022, 0.8909, 0.9089], atol=5e-5)
    assert -np.log(C._WE_PROBS[0]) == pytest.approx(0.26093, abs=5e-6)


def loss_of(params, X, Y, activation, l2, name):
    def f(P):
        return R.loss({**params, name: P}, X, Y, activation, l2)

    return f


@pytest.mark.parametrize(
    ("stored", "which", "activation", "l2"),
    [
        ("_GRADS", "tiny", "sigmoid", C.TINY_L2),
        ("_GRADS_RELU", "tiny", "relu", 0.0),
        ("_WE_GRADS", "worked", "sigmoid", 0.0),
    ],
)
def test_stored_gradients_agree_with_answer_key_and_finite_differences(
    stored, which, activation, l2
):
    """Are the stored gradients reference.backward's, and does a central difference agree?"""
    params, X, Y = tiny() if which == "tiny" else worked()
    want = getattr(C, stored)
    probs, cache = R.forward(params, X, activation)
    grads = R.backward(params, cache, Y, activation, l2)
    assert set(grads) == set(want)
    for k, v in grads.items():
        np.testing.assert_allclose(want[k], v, rtol=1e-9, atol=1e-12)
        numeric = R.numeric_gradient(
            loss_of(params, X, Y, activation, l2, k[1:]), params[k[1:]].copy()
        )
        np.testing.assert_allclose(want[k], numeric, rtol=1e-6, atol=1e-9)


def test_sgd_numbers_by_hand():
    """Independent judge: W1 = [[1, 2], [3, 4]] - 0.5 * [[0.2, -0.4], [0.6, 0]] and so on."""
    assert C._SGD_NEW["W1"] == [[0.9, 2.2], [2.7, 4.0]]
    assert C._SGD_NEW["b1"] == [0.0, 0.0]
    new = R.sgd_step(arrays(C.SGD_PARAMS), arrays(C.SGD_GRADS), C.SGD_LR)
    for k in new:
        np.testing.assert_allclose(C._SGD_NEW[k], new[k], rtol=1e-12)


def test_check_does_not_hand_out_its_own_arrays():
    """Would a stub that scribbles on its inputs leave the stored numbers intact?"""

    def scribbling_forward(params, X, activation="sigmoid"):
        for v in params.values():
            v[...] = 0
        return R.forward(params, X, activation)

    with pytest.raises(CheckFailure):
        C.check_forward(scribbling_forward)
    C.check_forward(R.forward)


def test_stored_gradient_check_errors_by_hand():
    """Are gradient_check's stored relative errors max|a - b| / max(max|a|, max|b|) between the
    stored wrong gradients and the stored right ones (which the test above confirms by finite
    differences), and for forgets_l2 between the right ones and the right ones without l2 W?"""
    right = arrays(C._GRADS)
    params = arrays(C.TINY_PARAMS)

    def by_hand(a, b):
        return np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max())

    for name, stored in C._GC_NO_G_PRIME.items():
        wrong = np.array(C._GRADS_NO_G_PRIME[f"d{name}"])
        assert stored == pytest.approx(by_hand(wrong, right[f"d{name}"]), rel=1e-9, abs=1e-12)
    for name, stored in C._GC_FORGETS_L2.items():
        without_l2 = right[f"d{name}"] - (C.TINY_L2 * params[name] if name[0] == "W" else 0.0)
        assert stored == pytest.approx(by_hand(right[f"d{name}"], without_l2), rel=1e-9, abs=1e-12)


# ---------------------------------------------------------------- probs and cache apart

# By hand, from each mistake's code (autograder/grader/mistakes/full_network.py): which parts
# of (probs, cache) it gets wrong on the check's inputs. The cache holds probs as well, so a
# wrong probs is a wrong cache too.
BREAKS = {
    # softmax(g(a_L)): probs wrong, and cache["probs"] holds them
    "activation_on_logits": set(C.FORWARD_RETURNS),
    # every a lacks its b: probs, cache["a"], cache["h"] from layer 2 on
    "no_bias": set(C.FORWARD_RETURNS),
    # the right probs; cache["h"] lacks h0 = X
    "cache_misses_input": {"cache"},
    # the right probs; cache["a"] holds g(a) and probs
    "cache_a_holds_h": {"cache"},
}


def test_every_mistake_of_forward_has_its_broken_parts():
    assert set(BREAKS) == {m.key for m in C.MISTAKES["forward"]}


# The (mistake, part) pairs whose failure names no catalogued mistake: the catalogue stores
# these mistakes' numbers for probs only, so the cache's check says where it is off instead.
NAMES_NONE = {("activation_on_logits", "cache"), ("no_bias", "cache")}


@pytest.mark.parametrize("key", sorted(BREAKS))
@pytest.mark.parametrize("part", C.FORWARD_RETURNS)
def test_a_part_s_check_fails_only_for_a_mistake_in_that_part(key, part):
    """check_forward(fn, parts=(part,)) passes when the mistake leaves `part` right, and
    otherwise fails, naming the mistake itself or, for NAMES_NONE, none (never another's)."""
    fn = getattr(M, f"forward__{key}")
    if part not in BREAKS[key]:
        C.check_forward(fn, parts=(part,))
        return
    with pytest.raises(CheckFailure) as failed:
        C.check_forward(fn, parts=(part,))
    assert failed.value.key == (None if (key, part) in NAMES_NONE else key)


@pytest.mark.parametrize("key", ["cache_misses_input", "cache_a_holds_h"])
def test_a_cache_mistake_is_named_on_the_cache(key):
    with pytest.raises(CheckFailure) as failed:
        C.check_forward(getattr(M, f"forward__{key}"), parts=("cache",))
    assert failed.value.key == key


def test_a_part_s_pass_line_names_the_part(capsys):
    C.check_forward(R.forward, parts=("cache",))
    out = capsys.readouterr().out
    assert out.startswith("\u2713 forward's cache: cache[\"h\"] holds each layer's input")
    assert "probs [" not in out


@pytest.mark.parametrize("parts", [("prob",), (), ("probs", "grads")])
def test_unknown_parts_are_refused_with_the_names(parts):
    with pytest.raises(ValueError, match="parts must name some of probs, cache"):
        C.check_forward(R.forward, parts=parts)
