"""Do lesson 01's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import inspect

import numpy as np
import pytest

import reference as R
from autograder.checks import chain_rule as C
from autograder.grader.mistakes import chain_rule as M

CATALOG = [(stub, m.key) for stub, entries in C.MISTAKES.items() for m in entries]
COMPOSITES = {
    "d_exp_square": (lambda x: np.exp(x**2), C.D_EXP_SQUARE_WANT),
    "d_exp_exp_square": (lambda x: np.exp(np.exp(x**2)), C.D_EXP_EXP_SQUARE_WANT),
    "d_inv_exp_square": (lambda x: 1 / np.exp(x**2), C.D_INV_EXP_SQUARE_WANT),
}


def test_mistaken_implementations_keep_the_stub_signatures():
    """Can each mistaken function be planted in place of its stub (same parameters)?"""
    for stub, key in CATALOG:
        got = inspect.signature(getattr(M, f"{stub}__{key}"))
        assert got == inspect.signature(getattr(R, stub)), f"{stub}__{key}"


def test_stored_finite_differences_are_the_answer_keys():
    """Are the stored central differences what reference.numeric_derivative/gradient give?"""
    got = R.numeric_derivative(C.cube, np.array(C.X_DERIV), C.H)
    np.testing.assert_allclose(C.DERIV_WANT, got, rtol=1e-12)
    np.testing.assert_allclose(C.COS_WANT, R.numeric_derivative(np.sin, C.SIN_AT), rtol=1e-9)
    got = R.numeric_gradient(C.poly, np.array(C.X_GRAD), C.H)
    np.testing.assert_allclose(C.GRAD_WANT, got, rtol=1e-12)


def test_stored_finite_differences_by_hand():
    """Independent judge: central difference of x^3 is 3x^2 + h^2; cos(0.5) is the true slope."""
    x, h = np.array(C.X_DERIV), C.H
    np.testing.assert_allclose(C.DERIV_WANT, 3 * x**2 + h**2, rtol=1e-12)
    assert C.COS_WANT == pytest.approx(np.cos(0.5), abs=1e-15)
    X = np.array(C.X_GRAD)
    hand = 3 * X**2 + h**2 + np.array([[0.0, X[1, 0]], [X[0, 1], 0.0]])
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


def test_stored_mistake_numbers_are_the_mistaken_implementations():
    """Does every stored wrong literal (and relation) equal its mistaken implementation's output?"""
    for stub, key in CATALOG:
        m = next(e for e in C.MISTAKES[stub] if e.key == key)
        fn = getattr(M, f"{stub}__{key}")
        if stub == "numeric_derivative":
            got, want = fn(C.cube, np.array(C.X_DERIV), C.H), C.DERIV_WANT
        elif stub == "numeric_gradient":
            got, want = fn(C.poly, np.array(C.X_GRAD), C.H), C.GRAD_WANT
        else:
            got, want = fn(np.array(C.X_D)), getattr(C, f"{stub.upper()}_WANT")
        wrong = m.wrong(np.array(want)) if callable(m.wrong) else m.wrong
        np.testing.assert_allclose(wrong, got, rtol=1e-7, atol=1e-12, err_msg=f"{stub}__{key}")


def test_scalar_input_is_accepted():
    """Does a derivative written for arrays also pass when given a plain float (x = 1.0)?"""
    for stub in COMPOSITES:
        np.testing.assert_allclose(getattr(R, stub)(1.0), getattr(C, f"{stub.upper()}_WANT")[4])
