"""Do lesson 02's checks store true numbers and behave as only this lesson needs?

What every lesson's checks share (the answer key passes, each catalogued mistake is named,
unimplemented stubs, the catalog matching the mistaken implementations) is tested once for
all lessons in test_catalogs.py.
"""

import warnings

import numpy as np

import reference as R
from autograder.checks import softmax as C


def arr(x):
    return np.array(x, dtype=np.float64)


# Independent judges: no reference code.
def judge_softmax(z):
    """softmax as exp(z - logsumexp(z)), logsumexp by numpy's pairwise logaddexp."""
    z = arr(z)
    lse = np.logaddexp.reduce(z, axis=-1, keepdims=True)
    return np.exp(z - lse)


def central_jacobian(f, z, eps=1e-6):
    """J[i, j] = d f_i / d z_j of a 1-D z by central differences."""
    z = arr(z)
    cols = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = eps
        cols.append((f(z + step) - f(z - step)) / (2 * eps))
    return np.stack(cols, axis=-1)


# ---------------------------------------------------------------- the stored numbers


def test_stored_softmax_numbers_are_the_answer_keys_and_the_judges():
    """Are the stored probabilities reference.softmax's and exp(z - logsumexp z)?"""
    for z, want in [
        (C.Z_SMALL, C.SOFTMAX_SMALL),
        (C.Z_LARGE, C.SOFTMAX_LARGE),
        (C.Z_BATCH, C.SOFTMAX_BATCH),
        (C.Z_MIXED, C.SOFTMAX_MIXED),
    ]:
        np.testing.assert_allclose(want, R.softmax(arr(z)), rtol=1e-14, atol=1e-300)
        np.testing.assert_allclose(want, judge_softmax(z), rtol=1e-12, atol=1e-300)


def test_source_printed_softmax_numbers():
    """Is softmax([1, 2, 3]) the source's [0.0900, 0.2447, 0.6652], and is the naive one nan?"""
    np.testing.assert_allclose(C.SOFTMAX_SMALL, [0.09003057, 0.24472847, 0.66524096], atol=5e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            naive = np.exp(arr(C.Z_LARGE)) / np.exp(arr(C.Z_LARGE)).sum()
    assert np.isnan(naive).all()


def test_stored_jacobians_are_the_answer_keys_and_finite_differences():
    """Are the stored Jacobians reference.softmax_jacobian's and central differences of softmax?"""
    np.testing.assert_allclose(C.JACOBIAN_SMALL, R.softmax_jacobian(arr(C.Z_SMALL)), rtol=1e-13)
    np.testing.assert_allclose(C.JACOBIAN_BATCH, R.softmax_jacobian(arr(C.Z_BATCH)), rtol=1e-13)
    for z, want in zip(C.Z_BATCH, C.JACOBIAN_BATCH, strict=True):
        np.testing.assert_allclose(want, central_jacobian(judge_softmax, z), atol=1e-9)


def test_stored_backward_numbers_by_hand_answer_key_and_finite_differences():
    """Are the stored dL/dz the hand-computed ones, reference's, and d(g . softmax)/dz?"""
    assert C.BACKWARD_ONE == [0.23, -0.555, 0.325]
    assert C.BACKWARD_BATCH == [[0.23, -0.555, 0.325], [-0.12, 0.24, -0.12]]
    np.testing.assert_allclose(
        C.BACKWARD_ONE, R.softmax_backward(arr(C.P_ONE), arr(C.GRAD_P_ONE)), rtol=1e-12
    )
    np.testing.assert_allclose(
        C.BACKWARD_BATCH, R.softmax_backward(arr(C.P_BATCH), arr(C.GRAD_P_BATCH)), atol=1e-15
    )
    np.testing.assert_allclose(
        C.BACKWARD_SQUARE, R.softmax_backward(arr(C.P_SQUARE), arr(C.GRAD_P_SQUARE)), atol=1e-15
    )
    # Row 2 by hand: sum_i g_i p_i = 1 + 0 - 0.5 = 0.5, so p (g - 0.5) = [0.75, -0.125, -0.625].
    assert C.BACKWARD_SQUARE[2] == [0.5 * 1.5, 0.25 * -0.5, 0.25 * -2.5]
    # p = softmax(log p) since each row of p sums to 1; L(z) = g . softmax(z) has dL/dz = g J.
    rows = zip(
        C.P_BATCH + C.P_SQUARE,
        C.GRAD_P_BATCH + C.GRAD_P_SQUARE,
        C.BACKWARD_BATCH + C.BACKWARD_SQUARE,
        strict=True,
    )
    for p, g, want in rows:
        z = np.log(arr(p))
        np.testing.assert_allclose(judge_softmax(z), p, rtol=1e-12)
        numeric = arr(g) @ central_jacobian(judge_softmax, z)
        np.testing.assert_allclose(want, numeric, atol=1e-9)


def test_check_does_not_hand_out_its_own_arrays():
    """Would a stub that scribbles on its input leave the stored numbers intact?"""

    def scribbling_softmax(z):
        out = R.softmax(z)
        z[...] = 0
        return out

    C.check_softmax(scribbling_softmax)
    C.check_softmax(R.softmax)


def test_new_backward_hints_by_hand():
    """Are the stored wrong answers of the diagonal-only and no-keepdims slips the hand-worked
    ones: p_j (1 - p_j) grad_p[j] for [0.2, 0.3, 0.5], and row 0 of the square batch minus the
    column sums [-0.15, 0.2, 0.5] instead of its own -0.15?"""
    wrong = {m.key: m.wrong for m in C.MISTAKES["softmax_backward"]}
    np.testing.assert_allclose(wrong["diagonal_only"], [0.2 * 0.8, 0.3 * 0.7 * -2, 0.5 * 0.5 * 0.5])
    row0 = [0.2 * (1 + 0.15), 0.3 * (-2 - 0.2), 0.5 * (0.5 - 0.5)]
    np.testing.assert_allclose(wrong["no_keepdims"][0], row0, atol=1e-15)
