"""Do lesson 03's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import numpy as np
import pytest

import reference as R
from autograder.checks import cross_entropy as C
from autograder.checks.core import CheckFailure
from autograder.grader.mistakes import cross_entropy as M


def arr(x):
    return np.array(x, dtype=np.float64)


def test_a_wrong_number_gets_the_numbers_that_show_it():
    """An unrecognised wrong answer still gets expected, got and the largest difference."""

    def off_by_a_little(p, y):
        return R.cross_entropy(p, y) + 0.01

    off_by_a_little.__name__ = "cross_entropy"
    with pytest.raises(CheckFailure, match="largest difference 0.01"):
        C.check_cross_entropy(off_by_a_little)


# ---------------------------------------------------------------- the stored numbers


def test_losses_by_hand_and_by_the_answer_key():
    """The stored losses are the hand sums of -ln p of the true classes, and the key's."""
    assert C.CE1_WANT == pytest.approx(-np.log(0.8))
    assert C.CE_WANT == pytest.approx(-(np.log(0.7) + np.log(0.6) + np.log(0.5)) / 3)
    assert C.CE0_WANT == pytest.approx(-np.log(0.5) / 2)
    assert R.cross_entropy(arr(C.P1), 0) == pytest.approx(C.CE1_WANT)
    assert R.cross_entropy(arr(C.P), np.array(C.LABELS)) == pytest.approx(C.CE_WANT)
    assert R.cross_entropy(arr(C.P0), np.array(C.LABELS0)) == pytest.approx(C.CE0_WANT)


@pytest.mark.parametrize(
    ("p", "labels", "want"), [("P", "LABELS", "GP_WANT"), ("P0", "LABELS0", "GP0_WANT")]
)
def test_grad_probs_literals_against_finite_differences(p, labels, want):
    """-y/p/m equals the central-difference gradient of the loss in p, and the key's."""
    p, labels, want = arr(getattr(C, p)), np.array(getattr(C, labels)), getattr(C, want)
    judge = R.numeric_gradient(lambda v: R.cross_entropy(v, labels), p.copy(), eps=1e-7)
    np.testing.assert_allclose(want, judge, atol=1e-6)
    np.testing.assert_allclose(want, R.cross_entropy_grad_probs(p, labels), atol=1e-12)


def test_single_example_grad_logits_literal():
    """p - y for p = [0.8, 0.1, 0.1] and class 0: by hand, by the key, and by differences."""
    p = arr(C.P1)
    np.testing.assert_allclose(C.GL1_WANT, p - np.eye(3)[0])
    np.testing.assert_allclose(C.GL1_WANT, R.cross_entropy_grad_logits(p, 0))
    judge = R.numeric_gradient(lambda v: R.cross_entropy(R.softmax(v), 0), np.log(p))
    np.testing.assert_allclose(C.GL1_WANT, judge, atol=1e-9)


def test_grad_logits_literals_against_finite_differences():
    """(p - y)/m equals the central-difference gradient of CE(softmax(z)) at z = log p."""
    z = np.log(arr(C.P))  # softmax(log p) = p, as every row of P sums to 1
    labels = np.array(C.LABELS)
    judge = R.numeric_gradient(lambda v: R.cross_entropy(R.softmax(v), labels), z.copy())
    np.testing.assert_allclose(C.GL_WANT, judge, atol=1e-9)
    np.testing.assert_allclose(C.GL_WANT, R.cross_entropy_grad_logits(arr(C.P), labels))


# ---------------------------------------------------------------- softmax_cross_entropy


def test_stable_loss_literals_by_hand():
    """The stored losses are -a_c + log sum e^a worked by hand: log(e^-2 + e^-1 + 1) for one
    example, the mean of log(1 + e + e^2) and log 3 for the batch, and (1000 + 0) / 2."""
    assert C.SCE1_WANT["loss"] == pytest.approx(np.log(np.exp(-2) + np.exp(-1) + 1), rel=1e-14)
    rows = [np.log(1 + np.e + np.e**2), np.log(3)]
    assert C.SCE_WANT["loss"] == pytest.approx(np.mean(rows), rel=1e-14)
    assert C.SCE_HUGE_WANT["loss"] == 500.0


@pytest.mark.parametrize(
    ("logits", "labels", "want"),
    [
        ("A1", None, "SCE1_WANT"),
        ("A", "A_LABELS", "SCE_WANT"),
        ("A_HUGE", "HUGE_LABELS", "SCE_HUGE_WANT"),
    ],
)
def test_stable_loss_gradients_against_finite_differences(logits, labels, want):
    """The stored gradients are the central-difference gradients of the loss, and the key's."""
    a = arr(getattr(C, logits))
    y = 2 if labels is None else np.array(getattr(C, labels))
    want = getattr(C, want)
    judge = R.numeric_gradient(lambda v: R.softmax_cross_entropy(v, y)[0], a.copy())
    np.testing.assert_allclose(want["grad_logits"], judge, atol=1e-9)
    loss, grad = R.softmax_cross_entropy(a, y)
    assert loss == pytest.approx(want["loss"], rel=1e-14)
    np.testing.assert_allclose(grad, want["grad_logits"], rtol=1e-14, atol=1e-15)


def test_huge_logits_break_the_probability_route():
    """On the stored huge logits, -log softmax is inf (the demo's point) and the two mistakes
    that meet it give the stored inf and nan."""
    a, labels = arr(C.A_HUGE), np.array(C.HUGE_LABELS)
    with np.errstate(divide="ignore"):
        assert R.cross_entropy(R.softmax(a), labels) == np.inf
    catalog = {m.key: m for m in C.MISTAKES["softmax_cross_entropy"]}
    assert catalog["via_probabilities"].wrong["loss"] == np.inf
    assert np.isnan(catalog["no_max_shift"].wrong["loss"])


# ---------------------------------------------------------------- one part at a time

# By hand, from each mistake's code (autograder/grader/mistakes/cross_entropy.py): which parts
# of (loss, grad_logits) it gets wrong on the check's inputs.
BREAKS = {
    # e^1000 = inf: log_sum is inf, 0 x (-inf) = nan in the loss, inf / inf = nan in p
    "no_max_shift": set(C.SCE_PARTS),
    # -log p = inf where p underflows; the gradient p - y from the stable softmax is right
    "via_probabilities": {"loss"},
    # the sum over a batch's rows, in both the loss and the gradient (m = 2 on the batch)
    "summed_not_averaged": set(C.SCE_PARTS),
    # the loss is right, the gradient's sign is flipped
    "y_minus_p": {"grad_logits"},
}


def test_every_mistake_of_softmax_cross_entropy_has_its_broken_parts():
    assert set(BREAKS) == {m.key for m in C.MISTAKES["softmax_cross_entropy"]}


@pytest.mark.parametrize("key", sorted(BREAKS))
@pytest.mark.parametrize("part", C.SCE_PARTS)
def test_a_part_s_check_fails_only_for_a_mistake_in_that_part(key, part):
    """check_softmax_cross_entropy(fn, parts=(part,)) passes when the mistake leaves `part`
    right, and otherwise fails, naming the mistake itself."""
    fn = getattr(M, f"softmax_cross_entropy__{key}")
    with np.errstate(all="ignore"):  # the mistakes overflow and divide by 0 on purpose
        if part not in BREAKS[key]:
            C.check_softmax_cross_entropy(fn, parts=(part,))
            return
        with pytest.raises(CheckFailure) as failed:
            C.check_softmax_cross_entropy(fn, parts=(part,))
    assert failed.value.key == key


def test_a_mistake_in_one_part_is_named_on_that_part():
    """The gradient's flipped sign is named by the gradient's own check, by its key."""
    with pytest.raises(CheckFailure) as failed:
        C.check_softmax_cross_entropy(M.softmax_cross_entropy__y_minus_p, parts=("grad_logits",))
    assert failed.value.key == "y_minus_p"


def test_a_part_s_pass_line_names_the_part(capsys):
    C.check_softmax_cross_entropy(R.softmax_cross_entropy, parts=("loss",))
    out = capsys.readouterr().out
    assert out.startswith("\u2713 softmax_cross_entropy's loss: log-sum-exp")
    assert "(p - y)" not in out


@pytest.mark.parametrize("parts", [("grad",), (), ("loss", "dz")])
def test_unknown_parts_are_refused_with_the_names(parts):
    with pytest.raises(ValueError, match="parts must name some of loss, grad_logits"):
        C.check_softmax_cross_entropy(R.softmax_cross_entropy, parts=parts)
