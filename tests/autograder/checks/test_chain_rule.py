"""Do lesson 01's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import math

import numpy as np
import pytest

import reference as R
from autograder.checks import chain_rule as C
from autograder.checks.core import CheckFailure
from autograder.grader.mistakes.chain_rule import _Right as RightEngine  # builds type(self) nodes
from tests.reference.test_autograd import central

COMPOSITES = {
    "d_exp_square": (lambda x: np.exp(x**2), C.D_EXP_SQUARE_WANT),
    "d_exp_exp_square": (lambda x: np.exp(np.exp(x**2)), C.D_EXP_EXP_SQUARE_WANT),
    "d_inv_exp_square": (lambda x: 1 / np.exp(x**2), C.D_INV_EXP_SQUARE_WANT),
}


def test_stored_finite_differences_are_the_answer_keys():
    """Are the stored central differences what reference.numeric_derivative/gradient give?"""
    got = R.numeric_derivative(C.cube, np.array(C.X_DERIV), C.EPS)
    np.testing.assert_allclose(C.DERIV_WANT, got, rtol=1e-12)
    np.testing.assert_allclose(C.COS_WANT, R.numeric_derivative(np.sin, C.SIN_AT), rtol=1e-9)
    got = R.numeric_gradient(C.poly, np.array(C.X_GRAD), C.EPS)
    np.testing.assert_allclose(C.GRAD_WANT, got, rtol=1e-12)


def test_stored_finite_differences_by_hand():
    """Independent judge: central difference of x^3 is 3x^2 + eps^2; cos(0.5) is the true slope."""
    x, eps = np.array(C.X_DERIV), C.EPS
    np.testing.assert_allclose(C.DERIV_WANT, 3 * x**2 + eps**2, rtol=1e-12)
    assert C.COS_WANT == pytest.approx(np.cos(0.5), abs=1e-15)
    X = np.array(C.X_GRAD)
    hand = 3 * X**2 + eps**2 + np.array([[0.0, X[1, 0]], [X[0, 1], 0.0]])
    np.testing.assert_allclose(C.GRAD_WANT, hand, rtol=1e-12)


@pytest.mark.parametrize("stub", sorted(COMPOSITES))
def test_stored_derivatives_agree_with_answer_key_and_central_differences(stub):
    """Are the stored derivatives the answer key's, and does a central difference agree?"""
    f, want = COMPOSITES[stub]
    x = np.array(C.X_D)
    np.testing.assert_allclose(want, getattr(R, stub)(x), rtol=1e-12, atol=1e-15)
    numeric = R.numeric_derivative(f, x, 1e-6)
    np.testing.assert_allclose(want, numeric, rtol=1e-6, atol=1e-8)


def test_stored_derivatives_by_hand():
    """Independent judge: the closed forms 2x e^(x^2), 2x e^(x^2) e^(e^(x^2)), -2x e^(-x^2)."""
    x = np.array(C.X_D)
    np.testing.assert_allclose(C.D_EXP_SQUARE_WANT, 2 * x * np.exp(x**2), rtol=1e-12)
    np.testing.assert_allclose(
        C.D_EXP_EXP_SQUARE_WANT, 2 * x * np.exp(x**2 + np.exp(x**2)), rtol=1e-12
    )
    np.testing.assert_allclose(C.D_INV_EXP_SQUARE_WANT, -2 * x * np.exp(-(x**2)), rtol=1e-12)
    np.testing.assert_allclose(C.E_SQUARE, np.exp(x**2), rtol=1e-12)


def test_scalar_input_is_accepted():
    """Does a derivative written for arrays also pass when given a plain float (x = 1.0)?"""
    for stub in COMPOSITES:
        np.testing.assert_allclose(getattr(R, stub)(1.0), getattr(C, f"{stub.upper()}_WANT")[4])


# ---------------------------------------------------------------- Value


# Each backward case's graph as a function of floats (the judge's), its point and its leaves.
BACKWARD = {
    "fan-out": (lambda x: x * x + x, [3.0], ["x"]),
    "product and sum": (lambda a, b: a * b + a, [2.0, -3.0], ["a", "b"]),
    "exp then log": (lambda a, b: math.log(math.exp(a) + b), [0.5, 1.5], ["a", "b"]),
    "shared node": (
        lambda a, b, c: math.exp(a * b) * a * b + c * math.log(math.exp(a * b) + 1.0),
        [0.5, -1.0, 2.0],
        ["a", "b", "c"],
    ),
    "twice": (lambda a, b: a * b + a, [2.0, -3.0], ["a", "b"]),
}


def test_value_forward_numbers_by_hand():
    """Are the stored data what the formulas give, computed with floats?"""
    four, given = C.CASES["Value"]
    e = math.exp(0.5 * (2.0 * -3.0 + 2.0))
    assert four.want == pytest.approx({"c": -6.0, "d": -4.0, "e": e, "f": math.log(1 + e)})
    assert given.want == pytest.approx({"g": 1 / 3.75, "h": 0.5, "k": 0.25 + 1 / 1.5})


@pytest.mark.parametrize("case", C.CASES["Value_backward"], ids=lambda c: c.name)
def test_value_backward_numbers_are_central_differences(case):
    """Is every stored leaf grad the central difference of the graph written with floats, and
    the answer key's Value's?"""
    f, xs, names = BACKWARD[case.name]
    judge = dict(zip([f"{n}.grad" for n in names], central(f, xs), strict=True))
    assert case.want == pytest.approx(judge, rel=1e-8, abs=1e-9)
    assert case.args[0](R.Value) == pytest.approx(case.want, rel=1e-12)


def test_grad_not_reset_numbers_by_hand():
    """L = a b + a at a = 2, b = -3, backward() twice without resetting: the first call leaves
    a.grad = b + 1 = -2, b.grad = a = 2 and 1 in the inner node t = a b; the second adds 1 to
    t (now 2), so a.grad = -2 + 1 + b * 2 = -7 and b.grad = 2 + a * 2 = 6."""
    (mistake,) = [m for m in C.MISTAKES["Value_backward"] if m.key == "grad_not_reset"]
    assert mistake.wrong == {"a.grad": -2 + 1 + -3.0 * 2, "b.grad": 2 + 2.0 * 2}
    assert "a.grad goes from -2 to -7" in mistake.hint


def test_value_checks_name_what_is_not_a_value():
    """A name that is not a class, a method that forgot its return, and an error of its own
    each get one sentence that says what to do."""
    with pytest.raises(CheckFailure, match="Value should be a class, got int"):
        C.check_Value(3)

    class NoReturn(RightEngine):
        def exp(self):
            RightEngine.exp(self)  # the `return` is missing

    class NoReturnLog(RightEngine):
        def log(self):
            RightEngine.log(self)  # None, whose .data the graph then reads

    for engine in (NoReturn, NoReturnLog):
        with pytest.raises(CheckFailure) as info:
            C.check_Value(engine)
        assert info.value.key == "returned_none"
        assert "end with `return Value(...)`" in str(info.value)

    class Broken(RightEngine):
        def log(self):
            raise ValueError("no log today")

    with pytest.raises(CheckFailure, match=r"^Value raised ValueError: no log today for a = "):
        C.check_Value(Broken)


def test_value_backward_checks_the_leaves_not_the_output():
    """Does a backward that stops after the output's own parents fail, saying which leaf is off
    and by how much (no catalogued mistake explains it)?"""

    class OneStep(RightEngine):
        def backward(self):
            self.grad = 1.0
            for parent, local in self.parents:
                parent.grad += local

    with pytest.raises(CheckFailure) as info:
        C.check_Value_backward(OneStep)
    assert info.value.key is None
    assert "Value_backward is off for x = Value(3.0)" in str(info.value)
    assert "in x.grad: expected 7, got 1" in str(info.value)
