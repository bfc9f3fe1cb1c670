"""Lesson 01's known mistakes, one plain function per catalog entry: `<stub>__<key>`.

Each function has its stub's exact signature and implements exactly one mistake (the
scalar engine's mistakes are classes, Value__<key>, described where they start). The grading
demo plants `inspect.getsource(fn)` (renamed to the stub's name) into a student notebook's
solution cell, so every body is self-contained: numpy (as `np`), math, and nothing else.
Nothing here is imported by the checks.
"""

import math

import numpy as np

# ---------------------------------------------------------------- numeric_derivative


def numeric_derivative__forward_difference(f, x, eps=1e-5):
    """(f(x + eps) - f(x)) / eps: one-sided, so its error shrinks only like eps."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x + eps) - f(x)) / eps


def numeric_derivative__backward_difference(f, x, eps=1e-5):
    """(f(x) - f(x - eps)) / eps: one-sided on the other side."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x) - f(x - eps)) / eps


def numeric_derivative__missing_two(f, x, eps=1e-5):
    """(f(x + eps) - f(x - eps)) / eps: the two points are 2 eps apart, but this divides by eps."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x + eps) - f(x - eps)) / eps


def numeric_derivative__wrong_sign(f, x, eps=1e-5):
    """(f(x - eps) - f(x + eps)) / 2 eps: the difference taken the wrong way round."""
    x = np.asarray(x, dtype=np.float64)
    return (f(x - eps) - f(x + eps)) / (2 * eps)


def numeric_derivative__ignores_eps(f, x, eps=1e-5):
    """A step of 1e-5 written into the body, whatever eps the caller passes."""
    x = np.asarray(x, dtype=np.float64)
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)


# ---------------------------------------------------------------- numeric_gradient


def numeric_gradient__forgets_restore(f, x, eps=1e-5):
    """Nudges each entry up and down but leaves it at x_i - eps: later entries see a moved x."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def numeric_gradient__one_sided(f, x, eps=1e-5):
    """(f(x + eps e_i) - f(x)) / eps for each entry: a forward difference."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    f_here = float(f(x))
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_here) / eps
    return grad


def numeric_gradient__nudges_all_at_once(f, x, eps=1e-5):
    """(f(x + eps) - f(x - eps)) / 2 eps, every entry moved together: one number, no gradient."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def numeric_gradient__flattened(f, x, eps=1e-5):
    """The right numbers, returned as a flat vector instead of in x's shape."""
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def numeric_gradient__missing_two(f, x, eps=1e-5):
    """Central difference divided by eps instead of 2 eps: twice the gradient."""
    grad = np.zeros_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / eps
    return grad


# ---------------------------------------------------------------- d_exp_square


def d_exp_square__missing_inner(x):
    """e^(x^2): the outer derivative only; the inner factor 2x is missing."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(x**2)


def d_exp_square__exp_of_x(x):
    """2x e^x: the inner derivative is there, but the outer one is evaluated at x, not x^2."""
    x = np.asarray(x, dtype=np.float64)
    return 2 * x * np.exp(x)


def d_exp_square__inner_only(x):
    """2x: only the inner derivative; the outer e^(x^2) is missing."""
    x = np.asarray(x, dtype=np.float64)
    return 2 * x


def d_exp_square__half(x):
    """x e^(x^2): the 2 of (x^2)' = 2x dropped."""
    x = np.asarray(x, dtype=np.float64)
    return x * np.exp(x**2)


# ---------------------------------------------------------------- d_exp_exp_square


def d_exp_exp_square__missing_outer(x):
    """e^(x^2) 2x: the derivative of the inner e^(x^2) only; the factor e^(e^(x^2)) is missing."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(x**2) * 2 * x


def d_exp_exp_square__missing_middle(x):
    """e^(e^(x^2)) 2x: the middle factor e^(x^2) is missing."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(np.exp(x**2)) * 2 * x


def d_exp_exp_square__missing_inner(x):
    """e^(e^(x^2)) e^(x^2): the innermost factor 2x is missing."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return np.exp(v) * v


def d_exp_exp_square__outer_at_inner(x):
    """e^(x^2) e^(x^2) 2x: the outer derivative e^(u2) evaluated at u1 = x^2 instead of u2."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return v * v * 2 * x


# ---------------------------------------------------------------- d_inv_exp_square


def d_inv_exp_square__sign_slip(x):
    """+2x e^(-x^2): the minus of (1/v)' = -1/v^2 lost."""
    x = np.asarray(x, dtype=np.float64)
    return 2 * x * np.exp(-(x**2))


def d_inv_exp_square__missing_inner(x):
    """-e^(-x^2): -1/v^2 times v, without the inner factor 2x."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return -1 / v**2 * v


def d_inv_exp_square__forgot_square(x):
    """-1/v * v * 2x = -2x: (1/v)' taken as -1/v instead of -1/v^2."""
    x = np.asarray(x, dtype=np.float64)
    v = np.exp(x**2)
    return -1 / v * v * 2 * x


def d_inv_exp_square__exp_of_x(x):
    """-2x e^(-x): the exponent x^2 replaced by x."""
    x = np.asarray(x, dtype=np.float64)
    return -2 * x * np.exp(-x)


# ---------------------------------------------------------------- Value (the scalar engine)
#
# Each mistaken engine is the right one (_Right, on the given parts _Given) with one method
# changed. The demo plants the three classes' source, the last renamed to Value, so the
# planted cell is self-contained (math only); every node is built with type(self), so the
# classes behave the same under either name.


class _Given:
    """The parts of lesson 01's Value the student is given: storage, relu, derived operators."""

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)

    def relu(self):
        return type(self)(max(self.data, 0.0), ((self, 1.0 if self.data > 0 else 0.0),))

    def __pow__(self, k):
        return type(self)(self.data**k, ((self, k * self.data ** (k - 1)),))

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-self.as_value(other))

    def __truediv__(self, other):
        return self * self.as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self.as_value(other) - self

    def __rtruediv__(self, other):
        return self.as_value(other) / self

    @classmethod
    def as_value(cls, x):
        return x if isinstance(x, cls) else cls(x)

    def _nodes(self):
        """Every node of the graph below self, each after all of its parents."""
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent, _ in node.parents)
        return order


class _Right(_Given):
    """The student's five methods, right."""

    def __add__(self, other):
        other = self.as_value(other)
        return type(self)(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = self.as_value(other)
        return type(self)(self.data * other.data, ((self, other.data), (other, self.data)))

    def exp(self):
        out = math.exp(self.data)
        return type(self)(out, ((self, out),))

    def log(self):
        return type(self)(math.log(self.data), ((self, 1.0 / self.data),))

    def backward(self):
        order = self._nodes()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


class Value__no_as_value(_Right):
    """+ and * read other.data without turning a plain number into a Value first."""

    def __add__(self, other):
        return type(self)(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        return type(self)(self.data * other.data, ((self, other.data), (other, self.data)))


class Value__log10(_Right):
    """log in base 10 (math.log10) instead of the natural log."""

    def log(self):
        return type(self)(math.log10(self.data), ((self, 1.0 / self.data),))


class Value__add_in_place(_Right):
    """+ adds into self and returns it: the left operand's node is changed, no new node."""

    def __add__(self, other):
        other = self.as_value(other)
        self.data += other.data
        return self


class Value__no_seed(_Right):
    """backward never sets the output's own grad to 1, so every gradient stays 0."""

    def backward(self):
        order = self._nodes()
        for node in order:
            node.grad = 0.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad += node.grad * local


class Value__assigns_grad(_Right):
    """parent.grad = ... instead of +=: a node used twice keeps only its last path."""

    def backward(self):
        order = self._nodes()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad = node.grad * local


class Value__mul_not_swapped(_Right):
    """* records each factor's own value as its local derivative instead of the other's."""

    def __mul__(self, other):
        other = self.as_value(other)
        return type(self)(self.data * other.data, ((self, self.data), (other, other.data)))


class Value__log_local_one(_Right):
    """log records the local derivative 1 instead of 1/x."""

    def log(self):
        return type(self)(math.log(self.data), ((self, 1.0),))


class Value__no_topological_order(_Right):
    """backward passes each node's grad on as soon as it is reached, breadth first from the
    output: a node reached early by a short path passes on a grad that is still missing the
    shares of its longer paths."""

    def backward(self):
        for node in self._nodes():
            node.grad = 0.0
        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            node = queue.pop(0)
            for parent, local in node.parents:
                parent.grad += node.grad * local
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)


class Value__grad_not_reset(_Right):
    """backward adds to whatever grad the nodes hold: a second backward() doubles them."""

    def backward(self):
        self.grad = 1.0
        for node in reversed(self._nodes()):
            for parent, local in node.parents:
                parent.grad += node.grad * local
