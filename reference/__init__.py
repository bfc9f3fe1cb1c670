"""The answer key: every function the lessons ask students to write, in plain numpy.

Notation (used by every lesson, check and test; its owner is lessons/00_notation.ipynb):

* one example is a 1-D vector, shape (n,); a batch holds one example per row, shape (m, n);
* a weight matrix has shape (out, in), so a layer computes a = h @ W.T + b;
* a loss on a batch is the mean over its rows, so every batch gradient carries the 1/m;
* everything is float64.

Lessons never import this package: students do not have it. Hidden tests, the grading demo
and CI grade against it.
"""

from reference.activations import (
    ACTIVATIONS,
    activation_backward,
    activation_forward,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh_grad,
)
from reference.autograd import Value
from reference.calculus import d_exp_exp_square, d_exp_square, d_inv_exp_square
from reference.gradcheck import numeric_derivative, numeric_gradient, rel_error
from reference.layers import linear_backward, linear_forward
from reference.losses import (
    cross_entropy,
    cross_entropy_grad_logits,
    cross_entropy_grad_probs,
    softmax_cross_entropy,
    squared_error,
    squared_error_grad,
)
from reference.network import (
    backward,
    forward,
    gradient_check,
    init_params,
    loss,
    predict,
    sgd_step,
    step_size,
    train,
)
from reference.softmax import log_softmax, softmax, softmax_backward, softmax_jacobian

__all__ = [
    "ACTIVATIONS",
    "Value",
    "activation_backward",
    "activation_forward",
    "backward",
    "cross_entropy",
    "cross_entropy_grad_logits",
    "cross_entropy_grad_probs",
    "d_exp_exp_square",
    "d_exp_square",
    "d_inv_exp_square",
    "forward",
    "gradient_check",
    "init_params",
    "linear_backward",
    "linear_forward",
    "log_softmax",
    "loss",
    "numeric_derivative",
    "numeric_gradient",
    "predict",
    "rel_error",
    "relu",
    "relu_grad",
    "sgd_step",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_backward",
    "softmax_cross_entropy",
    "softmax_jacobian",
    "squared_error",
    "squared_error_grad",
    "step_size",
    "tanh_grad",
    "train",
]
