"""Do lesson 01's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import numpy as np
import pytest

import reference as R
from autograder.checks import chain_rule as C

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
