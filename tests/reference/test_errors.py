"""Does bad input get a clear error that says what was wrong, instead of a wrong number?"""

import numpy as np
import pytest

import reference as R


def test_linear_forward_names_both_shapes():
    """A weight matrix of the wrong width is reported with both shapes."""
    with pytest.raises(ValueError, match=r"x has shape \(2, 3\) but W has shape \(4, 5\)"):
        R.linear_forward(np.zeros((2, 3)), np.zeros((4, 5)), np.zeros(4))


def test_linear_forward_rejects_wrong_bias():
    """A bias that does not match W's output size names both shapes."""
    with pytest.raises(ValueError, match=r"b has shape \(3,\) but W has shape \(4, 5\)"):
        R.linear_forward(np.zeros(5), np.zeros((4, 5)), np.zeros(3))


@pytest.mark.parametrize("backward", [R.linear_backward, R.linear_backward_loop])
def test_linear_backward_names_the_shapes(backward):
    """An upstream gradient of the wrong shape names grad_a's, x's and W's shapes."""
    with pytest.raises(ValueError, match=r"grad_a has shape \(2, 3\) but x has shape \(2, 5\)"):
        backward(np.zeros((2, 3)), np.zeros((2, 5)), np.zeros((4, 5)))


@pytest.mark.parametrize("backward", [R.softmax_backward, R.softmax_backward_loop])
def test_softmax_backward_shape_mismatch(backward):
    """p and grad_p of different shapes are rejected with both shapes."""
    with pytest.raises(ValueError, match=r"grad_p has shape \(3,\) but p has shape \(4,\)"):
        backward(np.ones(4) / 4, np.zeros(3))


def test_unknown_activation_lists_the_valid_ones():
    """An unknown activation name lists sigmoid, tanh and relu."""
    with pytest.raises(
        ValueError, match="unknown activation 'softplus'; choose one of sigmoid, tanh, relu"
    ):
        R.activation_backward(np.zeros(3), np.zeros(3), "softplus")
    with pytest.raises(ValueError, match="choose one of sigmoid, tanh, relu"):
        R.forward(R.init_params([2, 2]), np.zeros(2), activation="elu")


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [0.5, 1]])
def test_labels_outside_range_are_rejected(labels):
    """Labels outside [0, K), or not whole numbers, never give a loss."""
    p = np.full((2, 3), 1 / 3)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\)|whole numbers"):
        R.cross_entropy(p, np.array(labels))


def test_targets_of_the_wrong_shape_are_rejected():
    """Targets shaped like neither one-hot rows nor labels name both shapes."""
    with pytest.raises(ValueError, match=r"y has shape \(3,\) but p has shape \(2, 3\)"):
        R.cross_entropy(np.full((2, 3), 1 / 3), np.array([1, 0, 0]))


def test_one_hot_rows_must_sum_to_one():
    """A target row that is not a distribution is rejected."""
    with pytest.raises(ValueError, match="one-hot"):
        R.cross_entropy_grad_logits(np.full(3, 1 / 3), np.array([1.0, 1.0, 0.0]))


def test_inputs_of_the_wrong_rank():
    """A 3-D batch is neither an example nor a batch."""
    with pytest.raises(ValueError, match=r"a must be 1-D or 2-D, got shape \(2, 2, 2\)"):
        R.softmax(np.zeros((2, 2, 2)))


def test_non_numeric_input():
    """Strings are not logits."""
    with pytest.raises(TypeError, match="a must be an array of numbers"):
        R.softmax(["a", "b"])


def test_params_missing_a_bias():
    """A parameter dict without b2 says which keys it has."""
    params = R.init_params([3, 4, 2])
    del params["b2"]
    with pytest.raises(ValueError, match="params must hold W1, b1, ..., WL, bL"):
        R.forward(params, np.zeros(3))


def test_sgd_step_missing_gradient():
    """A gradient dict without dW1 is named, not silently skipped."""
    params = R.init_params([3, 2])
    with pytest.raises(ValueError, match=r"grads has no gradient for \['W1'\]"):
        R.sgd_step(params, {"db1": np.zeros(2)}, 0.1)


def test_init_params_rejects_bad_sizes_and_inits():
    """One layer size, or an unknown initialisation, is refused."""
    with pytest.raises(ValueError, match="at least two positive integers"):
        R.init_params([3])
    with pytest.raises(ValueError, match="unknown init 'zeros'; choose one of he, xavier"):
        R.init_params([3, 2], init="zeros")


def test_numeric_gradient_needs_a_float_array():
    """An integer array cannot be nudged by 1e-5 in place."""
    with pytest.raises(TypeError, match="float64 numpy array"):
        R.numeric_gradient(lambda v: float(v.sum()), np.arange(3))


def test_train_needs_one_label_per_row():
    """X and Y of different lengths name both shapes."""
    with pytest.raises(ValueError, match=r"X has shape \(4, 2\) but Y has shape \(3,\)"):
        R.train(R.init_params([2, 2]), np.zeros((4, 2)), np.zeros(3, dtype=int))
