"""Do lesson 04's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import numpy as np
import pytest

import reference as R
from autograder.checks import output_layer as C
from autograder.checks.core import CheckFailure
from autograder.grader.mistakes import output_layer as M


def arr(x):
    return np.array(x, dtype=np.float64)


def test_a_wrong_number_gets_the_numbers_that_show_it():
    """An unrecognised wrong answer still gets expected, got and the largest difference."""

    def off_by_a_little(x, W, b):
        return R.linear_forward(x, W, b) + 0.01

    off_by_a_little.__name__ = "linear_forward"
    with pytest.raises(CheckFailure, match="largest difference 0.01"):
        C.check_linear_forward(off_by_a_little)


# ---------------------------------------------------------------- the stored numbers


def test_forward_literals_by_hand_and_by_the_answer_key():
    """a = x W^T + b: the stored answers equal the answer key's and the hand sums."""
    assert C.A1_WANT == pytest.approx([0.2 + 0.8 + 0.5 + 0.1, 0.7 - 0.2 - 0.15 - 0.2])
    np.testing.assert_allclose(R.linear_forward(arr(C.X1), arr(C.W), arr(C.B)), C.A1_WANT)
    np.testing.assert_allclose(R.linear_forward(arr(C.XB), arr(C.W), arr(C.B)), C.AB_WANT)
    np.testing.assert_allclose(R.linear_forward(arr(C.XS), arr(C.WS), arr(C.BS)), C.AS_WANT)


def by_loops(x, W, b):
    """a_i = sum_j W_ij x_j + b_i with plain Python loops, row by row: the forward judge."""
    rows = [x] if np.ndim(x) == 1 else x
    out = [
        [sum(w * v for w, v in zip(W[i], row, strict=True)) + b[i] for i in range(len(W))]
        for row in rows
    ]
    return out[0] if np.ndim(x) == 1 else out


@pytest.mark.parametrize(
    ("x", "W", "b", "want"),
    [(C.X1, C.W, C.B, C.A1_WANT), (C.XB, C.W, C.B, C.AB_WANT), (C.XS, C.WS, C.BS, C.AS_WANT)],
)
def test_forward_literals_against_plain_loops(x, W, b, want):
    """Do the stored pre-activations equal the sums written out with loops, no matrix product?"""
    np.testing.assert_allclose(want, by_loops(x, W, b), atol=1e-12)


def finite_difference_grads(grad_a, x, W, b):
    """dL/dx, dL/dW, dL/db of L = sum(a * grad_a) by central differences: the judge."""

    def loss_of(which):
        def f(v):
            args = {"x": arr(x), "W": arr(W), "b": arr(b)}
            args[which] = v
            return float((R.linear_forward(args["x"], args["W"], args["b"]) * arr(grad_a)).sum())

        return f

    return [R.numeric_gradient(loss_of(k), arr(v)) for k, v in (("x", x), ("W", W), ("b", b))]


@pytest.mark.parametrize(
    ("grad_a", "x", "W", "b", "want"),
    [
        (C.GA, C.XB, C.W, C.B, (C.GX_WANT, C.GW_WANT, C.GB_WANT)),
        (C.GA1, C.X1, C.W, C.B, (C.GX1_WANT, C.GW1_WANT, C.GA1)),
        (C.GS, C.XS, C.WS, C.BS, (C.GXS_WANT, C.GWS_WANT, C.GS)),
    ],
)
def test_backward_literals_against_finite_differences(grad_a, x, W, b, want):
    """The stored gradients equal the judge's and the answer key's."""
    judge = finite_difference_grads(grad_a, x, W, b)
    key = R.linear_backward(arr(grad_a), arr(x), arr(W))
    for stored, fd, ref in zip(want, judge, key, strict=True):
        if stored is not None:
            np.testing.assert_allclose(stored, fd, atol=1e-9)
            np.testing.assert_allclose(stored, ref, atol=1e-12)


def test_numbers_quoted_in_hints_are_the_stored_ones():
    """Do the numbers a hint quotes agree with the stored answers they describe?"""
    hints = {m.key: m.hint for m in C.MISTAKES["linear_backward"]}
    wrong_x = next(m.wrong for m in C.MISTAKES["linear_backward"] if m.key.startswith("grad_x"))
    wrong_x = wrong_x["grad_x"]
    assert C.GB_WANT == [0.3125, 0.0625] and "[0.3125, 0.0625]" in hints["grad_b_not_summed"]
    assert C.GXS_WANT == [3.0, 1.0] and "W^T grad_a = [3, 1]" in hints["grad_x_with_W_transposed"]
    assert wrong_x == [-3.0, -2.0] and "W grad_a = [-3, -2]" in hints["grad_x_with_W_transposed"]
    assert np.shape(C.W) == (2, 3) and "(3, 2) instead of W's (2, 3)" in hints["grad_W_transposed"]
    assert len(C.XB) == 4 and "m = 4 times too small" in hints["extra_1_over_m"]
    # the inner product of grad_a = [1, -2] and x = [3, -1], by hand
    assert (
        C.GWS_INNER == 1 * 3 + (-2) * (-1) == 5 and "(here 5)" in hints["inner_product_one_example"]
    )
    assert C.GBS_SUMMED == 1 - 2


# ---------------------------------------------------------------- one gradient at a time

# By hand, from each mistake's code: which gradients it gets wrong on the check's inputs. A
# mistake that raises on one of them (a (4, 2) @ (3, 2) product, an inner product of a (2,)
# and a (3,) vector) fails every part, since nothing comes back to judge.
BREAKS = {
    "grad_W_transposed": {"grad_W"},
    "grad_b_not_summed": {"grad_b"},
    "grad_x_with_W_transposed": set(C.GRADS),  # grad_a @ W.T raises on the batch
    "extra_1_over_m": set(C.GRADS),  # grad_x is divided by m too
    "inner_product_one_example": set(C.GRADS),  # grad_a.T @ x raises for one example
    "wrong_order": set(C.GRADS),
}


def test_every_mistake_of_linear_backward_has_its_broken_parts():
    assert set(BREAKS) == {m.key for m in C.MISTAKES["linear_backward"]}


# The (mistake, part) pairs whose failure names no catalogued mistake: the stub raises on an
# input (a matmul of mismatched shapes), and the raise is what the check reports.
NAMES_NONE = {
    ("grad_x_with_W_transposed", "grad_W"),
    ("grad_x_with_W_transposed", "grad_b"),
    ("inner_product_one_example", "grad_x"),
}


@pytest.mark.parametrize("key", sorted(BREAKS))
@pytest.mark.parametrize("part", C.GRADS)
def test_a_part_s_check_fails_only_for_a_mistake_in_that_part(key, part):
    """check_linear_backward(fn, parts=(part,)) passes when the mistake leaves `part` right,
    and otherwise fails, naming the mistake itself or, for NAMES_NONE, none (never another's)."""
    fn = getattr(M, f"linear_backward__{key}")
    if part not in BREAKS[key]:
        C.check_linear_backward(fn, parts=(part,))
        return
    with pytest.raises(CheckFailure) as failed:
        C.check_linear_backward(fn, parts=(part,))
    assert failed.value.key == (None if (key, part) in NAMES_NONE else key)


def test_a_part_s_pass_line_names_the_part(capsys):
    C.check_linear_backward(R.linear_backward, parts=("grad_W",))
    assert capsys.readouterr().out.startswith("\u2713 linear_backward's grad_W: grad_W agrees")


@pytest.mark.parametrize("parts", [("grad_w",), (), ("grad_x", "db")])
def test_unknown_parts_are_refused_with_the_names(parts):
    with pytest.raises(ValueError, match="parts must name some of grad_x, grad_W, grad_b"):
        C.check_linear_backward(R.linear_backward, parts=parts)
