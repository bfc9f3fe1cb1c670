"""Checks for lesson 01 (the chain rule): finite differences (numeric_derivative,
numeric_gradient), three derivatives of composites built on e^(x^2) (source 003), and the
scalar engine Value (its forward values, then its backward pass).

They judge with numbers stored below (confirmed in tests/autograder/checks/test_chain_rule.py
against the answer key, central differences and hand derivation) and recognise the known
mistakes by the wrong numbers those mistakes produce (stored, or as a relation to the right
answer).

The finite-difference checks use a large step eps = 0.1 on polynomials on purpose: there the
central difference of x^3 is exactly 3x^2 + eps^2, while a one-sided difference is off by 3x eps,
so each formula leaves its own fingerprint in the numbers.
"""

import warnings

import numpy as np

from autograder.checks.cases import Case
from autograder.checks.catalogue import Mistake, failure
from autograder.checks.compare import check_case, expect, fmt
from autograder.checks.core import CheckFailure, NotImplementedYet, call_stub, passed

# ---------------------------------------------------------------- inputs and right answers

# numeric_derivative(cube, X_DERIV, EPS): central difference of x^3 is 3x^2 + eps^2.
X_DERIV = [1.0, 2.0, -1.0]
EPS = 0.1
DERIV_WANT = [3.01, 12.01, 3.01]
# numeric_derivative(np.sin, SIN_AT) with the default eps: cos(0.5) to ~1e-11.
SIN_AT = 0.5
COS_WANT = 0.8775825618903728

# numeric_gradient(poly, X_GRAD, EPS) with poly(X) = sum(X^3) + X[0, 1] X[1, 0]:
# dpoly/dX_ij = 3 X_ij^2 + eps^2 + (the other entry of the product, for (0, 1) and (1, 0)).
X_GRAD = [[1.0, 2.0], [-1.0, 0.5]]
GRAD_WANT = [[3.01, 11.01], [5.01, 0.76]]

# The three composites at these points (x = 0 gives 0; x = 2 makes e^(e^4) ~ 5e23 large).
X_D = [-1.5, -0.5, 0.0, 0.3, 1.0, 2.0]
WHAT_D = "x = [-1.5, -0.5, 0, 0.3, 1, 2]"
D_EXP_SQUARE_WANT = [
    -28.46320750907558,
    -1.2840254166877414,
    0.0,
    0.6565045702231262,
    5.43656365691809,
    218.39260013257694,
]
D_EXP_EXP_SQUARE_WANT = [
    -375625.5787465528,
    -4.636804375024635,
    0.0,
    1.9607923660468363,
    82.38711134943223,
    1.1243802291387877e26,
]
D_INV_EXP_SQUARE_WANT = [
    0.31619767368559293,
    0.778800783071405,
    0.0,
    -0.5483587111627368,
    -0.7357588823428847,
    -0.07326255555493673,
]
E_SQUARE = [  # e^(x^2) at X_D, the factor several mistakes keep or lose
    9.487735836358526,
    1.2840254166877414,
    1.0,
    1.0941742837052104,
    2.718281828459045,
    54.598150033144236,
]


def cube(x):
    """x^3, elementwise: the test function of check_numeric_derivative."""
    return x**3


def poly(X):
    """sum(X^3) + X[0, 1] X[1, 0] of a 2x2 array: the test function of check_numeric_gradient."""
    return float(np.sum(X**3) + X[0, 1] * X[1, 0])


# Value: small graphs, each a function of the class that builds it and reads its numbers.
# The right numbers are derived by hand beside each graph (tests confirm them with central
# differences); "Value" reads each node's data, "Value_backward" the leaves' grads.


def four_operations(Value):
    """a = 2, b = -3: c = a * b, d = c + a, e = (0.5 d).exp(), f = (e + 1).log()."""
    a, b = Value(2.0), Value(-3.0)
    c = a * b  # -6
    d = c + a  # -4
    e = (d * 0.5).exp()  # e^-2
    f = (e + 1.0).log()  # log(1 + e^-2)
    return {"c": c.data, "d": d.data, "e": e.data, "f": f.data}


def given_operators(Value):
    """a = 1.5, b = 0.5: g = (a - b) / (a * b + 3), h = 2 - a, k = b ** 2 + 1 / a."""
    a, b = Value(1.5), Value(0.5)
    g = (a - b) / (a * b + 3.0)  # 1 / 3.75
    h = 2.0 - a  # 0.5
    k = b**2 + 1.0 / a  # 0.25 + 2/3
    return {"g": g.data, "h": h.data, "k": k.data}


def product_and_sum(Value, times=1):
    """L = a * b + a at a = 2, b = -3: dL/da = b + 1 = -2, dL/db = a = 2."""
    a, b = Value(2.0), Value(-3.0)
    L = a * b + a
    for _ in range(times):
        L.backward()
    return {"a.grad": a.grad, "b.grad": b.grad}


def product_and_sum_twice(Value):
    """product_and_sum with L.backward() called twice: the same grads."""
    return product_and_sum(Value, times=2)


def fan_out(Value):
    """L = x * x + x at x = 3: x reaches L three times, dL/dx = x + x + 1 = 7."""
    x = Value(3.0)
    L = x * x + x
    L.backward()
    return {"x.grad": x.grad}


def exp_then_log(Value):
    """L = (a.exp() + b).log() at a = 0.5, b = 1.5: dL/da = e^a / (e^a + b), dL/db = 1/(e^a + b)."""
    a, b = Value(0.5), Value(1.5)
    L = (a.exp() + b).log()
    L.backward()
    return {"a.grad": a.grad, "b.grad": b.grad}


def shared_node(Value):
    """s = a * b, t = s.exp(), L = t * s + c * (t + 1).log() at a = 0.5, b = -1, c = 2.

    t reaches L by a short path (t * s) and a long one (through the log): a backward pass that
    passes t's grad on before the long path has delivered its share gets a, b wrong.
    dL/ds = t s + t + c t / (t + 1) (the t-paths times dt/ds = t, plus ds from t * s), then
    dL/da = b dL/ds, dL/db = a dL/ds, dL/dc = log(t + 1).
    """
    a, b, c = Value(0.5), Value(-1.0), Value(2.0)
    s = a * b
    t = s.exp()
    L = t * s + c * (t + 1.0).log()
    L.backward()
    return {"a.grad": a.grad, "b.grad": b.grad, "c.grad": c.grad}


# ---------------------------------------------------------------- the cases


def _at_six_points_and_one(want):
    """A composite's cases: the six points X_D as an array, and x = 1 as a plain float."""
    return (
        Case("six points", (X_D,), want, WHAT_D),
        Case("float", (1.0,), want[4], "x = 1.0 given as a plain float"),
    )


CASES = {
    "numeric_derivative": (
        Case(
            "cube", (cube, X_DERIV, EPS), DERIV_WANT, "f(x) = x^3 at x = [1, 2, -1] with eps = 0.1"
        ),
        Case(
            "sin",
            (np.sin, SIN_AT),
            COS_WANT,
            "f = sin at x = 0.5 with the default eps (the slope is cos(0.5))",
            rtol=1e-7,
        ),
    ),
    "numeric_gradient": (
        Case(
            "poly",
            (poly, X_GRAD, EPS),
            GRAD_WANT,
            "f(X) = sum(X^3) + X[0,1] X[1,0] at X = [[1, 2], [-1, 0.5]] with eps = 0.1",
        ),
    ),
    "d_exp_square": _at_six_points_and_one(D_EXP_SQUARE_WANT),
    "d_exp_exp_square": _at_six_points_and_one(D_EXP_EXP_SQUARE_WANT),
    "d_inv_exp_square": _at_six_points_and_one(D_INV_EXP_SQUARE_WANT),
    "Value": (
        Case(
            "four operations",
            (four_operations,),
            {"c": -6.0, "d": -4.0, "e": 0.1353352832366127, "f": 0.1269280110429726},
            "a = Value(2.0), b = Value(-3.0), c = a * b, d = c + a, e = (d * 0.5).exp(), "
            "f = (e + 1.0).log()",
            rtol=1e-9,
        ),
        Case(
            "given operators",
            (given_operators,),
            {"g": 0.26666666666666666, "h": 0.5, "k": 0.9166666666666666},
            "a = Value(1.5), b = Value(0.5), g = (a - b) / (a * b + 3.0), h = 2.0 - a, "
            "k = b ** 2 + 1.0 / a (the given operators, built on your + and *)",
            rtol=1e-9,
        ),
    ),
    "Value_backward": (
        Case(
            "fan-out",
            (fan_out,),
            {"x.grad": 7.0},
            "x = Value(3.0), L = x * x + x, L.backward() (x reaches L three times)",
            rtol=1e-9,
        ),
        Case(
            "product and sum",
            (product_and_sum,),
            {"a.grad": -2.0, "b.grad": 2.0},
            "a = Value(2.0), b = Value(-3.0), L = a * b + a, L.backward()",
            rtol=1e-9,
        ),
        Case(
            "exp then log",
            (exp_then_log,),
            {"a.grad": 0.5236161377769489, "b.grad": 0.317589241482034},
            "a = Value(0.5), b = Value(1.5), L = (a.exp() + b).log(), L.backward()",
            rtol=1e-9,
        ),
        Case(
            "shared node",
            (shared_node,),
            {
                "a.grad": -1.0583466674526076,
                "b.grad": 0.5291733337263038,
                "c.grad": 0.4740769841801067,
            },
            "a = Value(0.5), b = Value(-1.0), c = Value(2.0), s = a * b, t = s.exp(), "
            "L = t * s + c * (t + 1.0).log(), L.backward()",
            rtol=1e-9,
        ),
        Case(
            "twice",
            (product_and_sum_twice,),
            {"a.grad": -2.0, "b.grad": 2.0},
            "a = Value(2.0), b = Value(-3.0), L = a * b + a, then L.backward() called twice",
            rtol=1e-9,
        ),
    ),
}


# ---------------------------------------------------------------- the catalog

MISTAKES = {
    "numeric_derivative": (
        Mistake(
            "forward_difference",
            "this is the one-sided (f(x + eps) - f(x)) / eps, whose error shrinks only like "
            "eps: for x^3 at x = 2 with eps = 0.1 it gives 12.61 instead of 12.01 (true 12). "
            "Use the central difference (f(x + eps) - f(x - eps)) / (2 eps).",
            [3.31, 12.61, 2.71],
            on=("cube",),
        ),
        Mistake(
            "backward_difference",
            "this is the one-sided (f(x) - f(x - eps)) / eps: for x^3 at x = 2 with eps = 0.1 "
            "it gives 11.41 instead of 12.01. Step to both sides: "
            "(f(x + eps) - f(x - eps)) / (2 eps).",
            [2.71, 11.41, 3.31],
            on=("cube",),
        ),
        Mistake(
            "missing_two",
            "the points x + eps and x - eps are 2 eps apart, so divide by 2 eps, not eps: this "
            "is twice the slope (24.02 instead of 12.01 for x^3 at x = 2).",
            lambda want: 2 * want,
        ),
        Mistake(
            "wrong_sign",
            "the sign is flipped: the difference must be f(x + eps) - f(x - eps) (right minus "
            "left), so that a rising function gets a positive slope.",
            lambda want: -want,
        ),
        Mistake(
            "ignores_eps",
            "the step eps passed in is ignored (a fixed step is written into the body): with "
            "eps = 0.1 the central difference of x^3 at x = 2 is 12 + eps^2 = 12.01, not 12. Use "
            "the parameter eps.",
            [3.0, 12.0, 3.0],
            on=("cube",),
        ),
    ),
    "numeric_gradient": (
        Mistake(
            "forgets_restore",
            "x is left changed after the call: after nudging entry i to x_i + eps and x_i - eps, "
            "put the old value back before the next entry, or every later entry is measured at "
            "a moved point (and the caller's x is corrupted).",
            [[3.01, 11.01], [4.91, 0.76]],
            on=("poly",),
        ),
        Mistake(
            "one_sided",
            "this is the one-sided (f(x + eps e_i) - f(x)) / eps, whose error shrinks only "
            "like eps. Nudge entry i both ways: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).",
            [[3.31, 11.61], [4.71, 0.91]],
            on=("poly",),
        ),
        Mistake(
            "nudges_all_at_once",
            "this returns one number: all entries were moved together, which measures the "
            "slope along the all-ones direction, not the gradient. Nudge one entry at a time "
            "and store each result at that entry's index in an array of x's shape.",
            19.79,
            on=("poly",),
        ),
        Mistake(
            "flattened",
            "the numbers are right but the gradient comes back flat; it must have x's shape "
            "(here 2x2), entry [i, j] holding the slope with respect to x[i, j]. Use "
            "np.zeros_like(x) for the result.",
            lambda want: np.ravel(want),
        ),
        Mistake(
            "missing_two",
            "the points x_i + eps and x_i - eps are 2 eps apart, so divide by 2 eps, not eps: "
            "this is twice the gradient.",
            lambda want: 2 * want,
        ),
    ),
    "d_exp_square": (
        Mistake(
            "missing_inner",
            "this is e^(x^2), the outer derivative alone. The chain rule multiplies it by the "
            "inner derivative (x^2)' = 2x: at x = 1 the answer is 2e = 5.437, not e = 2.718.",
            E_SQUARE,
            on=("six points",),
        ),
        Mistake(
            "exp_of_x",
            "this is 2x e^x: the outer derivative of e^u is e^u evaluated at u = x^2, so the "
            "factor is e^(x^2), not e^x (at x = 2: 4 e^4 = 218.4, not 4 e^2 = 29.56).",
            [
                -0.6693904804452895,
                -0.6065306597126334,
                0.0,
                0.8099152845456019,
                5.43656365691809,
                29.5562243957226,
            ],
            on=("six points",),
        ),
        Mistake(
            "inner_only",
            "this is 2x, the inner derivative alone: multiply by the outer derivative "
            "e^(x^2) as well (at x = 1: 2 x e = 5.437, not 2).",
            [-3.0, -1.0, 0.0, 0.6, 2.0, 4.0],
            on=("six points",),
        ),
        Mistake(
            "half",
            "this is x e^(x^2), half the answer: (x^2)' = 2x, so the factor 2 belongs in.",
            lambda want: want / 2,
        ),
    ),
    "d_exp_exp_square": (
        Mistake(
            "missing_outer",
            "this is e^(x^2) 2x, the derivative of the inner e^(x^2) only: the path x -> x^2 "
            "-> e^(x^2) -> e^(e^(x^2)) has three factors, and the outermost, e^(e^(x^2)), is "
            "missing (at x = 1 it is e^e = 15.15).",
            [
                -28.46320750907558,
                -1.2840254166877414,
                0.0,
                0.6565045702231262,
                5.43656365691809,
                218.39260013257694,
            ],
            on=("six points",),
        ),
        Mistake(
            "missing_middle",
            "this is e^(e^(x^2)) 2x: the middle factor, the derivative of e^(x^2) with respect "
            "to x^2, which is e^(x^2), is missing (at x = 1 the answer is e^e e 2 = 82.39).",
            [
                -39590.64472548818,
                -3.611146878218102,
                0.0,
                1.792029291171961,
                30.308524482958525,
                2.059374225053823e24,
            ],
            on=("six points",),
        ),
        Mistake(
            "missing_inner",
            "this is e^(e^(x^2)) e^(x^2): the innermost factor (x^2)' = 2x is missing (at "
            "x = 0 the slope is 0, not e).",
            [
                125208.52624885095,
                4.636804375024635,
                2.718281828459045,
                3.2679872767447273,
                41.193555674716116,
                2.8109505728469693e25,
            ],
            on=("six points",),
        ),
        Mistake(
            "outer_at_inner",
            "this is e^(x^2) e^(x^2) 2x: the outer derivative e^(u2) was evaluated at "
            "u1 = x^2 instead of at u2 = e^(x^2). The first factor is e^(e^(x^2)) (at x = 1: "
            "e^e = 15.15, not e).",
            [
                -270.05139390156546,
                -1.648721270700128,
                0.0,
                0.7183304178730862,
                14.778112197861299,
                11923.831948166911,
            ],
            on=("six points",),
        ),
    ),
    "d_inv_exp_square": (
        Mistake(
            "sign_slip",
            "the sign is flipped: (1/v)' = -1/v^2, so the answer is -2x e^(-x^2), negative for "
            "x > 0 (1/e^(x^2) falls as x moves away from 0).",
            lambda want: -want,
        ),
        Mistake(
            "missing_inner",
            "this is -e^(-x^2) = -1/v^2 times v: the innermost factor (x^2)' = 2x is missing "
            "(at x = 0 the slope is 0, not -1).",
            [
                -0.10539922456186433,
                -0.7788007830714049,
                -1.0,
                -0.9139311852712282,
                -0.36787944117144233,
                -0.018315638888734182,
            ],
            on=("six points",),
        ),
        Mistake(
            "forgot_square",
            "this is -2x: the derivative of 1/v is -1/v^2, not -1/v, so after multiplying by "
            "v' = e^(x^2) 2x one factor 1/v = e^(-x^2) remains (at x = 1: -2/e = -0.7358, "
            "not -2).",
            [3.0, 1.0, 0.0, -0.6, -2.0, -4.0],
            on=("six points",),
        ),
        Mistake(
            "exp_of_x",
            "this is -2x e^(-x): the exponent is x^2, so the factor is e^(-x^2), not e^(-x) "
            "(at x = 2: -4 e^-4 = -0.07326, not -4 e^-2 = -0.5413).",
            [
                13.445067211014194,
                1.6487212707001282,
                0.0,
                -0.4444909324090307,
                -0.7357588823428847,
                -0.5413411329464508,
            ],
            on=("six points",),
        ),
    ),
    "Value": (
        Mistake(
            "no_as_value",
            "+ or * reads other.data when other is a plain number (here 1.0 or 0.5), which "
            "has no .data. Keep the method's given first line, other = self.as_value(other): "
            "it turns a number into a Value.",
        ),
        Mistake(
            "log10",
            "log is in base 10: math.log10 instead of math.log. The chain rule's (log x)' = 1/x "
            "holds for the natural log, so use math.log.",
            {"f": 0.05512413479491801},
            on=("four operations",),
        ),
        Mistake(
            "add_in_place",
            "+ changes its left operand (self.data += ...) and returns it, so c = a * b is "
            "overwritten by d = c + a. Every operation returns a new Value and leaves its "
            "inputs as they were.",
            {"c": -4.0, "d": -4.0, "e": 1.1353352832366128},
            on=("four operations",),
        ),
    ),
    "Value_backward": (
        Mistake(
            "no_seed",
            "every leaf's grad is 0: backward() must start from the output's own gradient, "
            "dL/dL = 1 (self.grad = 1.0), and pass node.grad * local back to every parent, "
            "node by node down to the leaves.",
            lambda want: {key: 0.0 * value for key, value in want.items()},
        ),
        Mistake(
            "assigns_grad",
            "a node used more than once keeps only its last path: `parent.grad = ...` "
            "replaces what the other paths gave. Add instead, `parent.grad += ...` (the sum "
            "over paths of section 6); L = x * x + x at x = 3 has dL/dx = 3 + 3 + 1 = 7.",
            {"x.grad": 3.0},
            on=("fan-out",),
        ),
        Mistake(
            "mul_not_swapped",
            "* records each factor's own value as its local derivative. For c = a * b, "
            "dc/da = b and dc/db = a: the parents are ((self, other.data), (other, self.data)).",
            {"a.grad": 3.0, "b.grad": -3.0},
            on=("product and sum",),
        ),
        Mistake(
            "log_local_one",
            "log records the local derivative 1; d(log x)/dx = 1/x, so its parent entry is "
            "(self, 1.0 / self.data).",
            {"a.grad": 1.6487212707001282, "b.grad": 1.0},
            on=("exp then log",),
        ),
        Mistake(
            "no_topological_order",
            "a node passed its grad on before every node it feeds had added its share: here t "
            "reaches L by t * s and, longer, through the log, and t's grad went on to s with "
            "only the short path in it. Visit the nodes in reverse topological order (a node "
            "only after everything computed from it), as the lesson's depth-first sort does.",
            {"a.grad": -0.3032653298563167, "b.grad": 0.15163266492815836},
            on=("shared node",),
        ),
        Mistake(
            "grad_not_reset",
            "a second backward() adds onto the grads the first call left in every node, the "
            "inner ones too, so here a.grad goes from -2 to -7 instead of staying -2. Set every "
            "node's grad to 0 before passing gradients back (then set the output's to 1).",
            {"a.grad": -7.0, "b.grad": 6.0},
            on=("twice",),
        ),
    ),
}

# ---------------------------------------------------------------- the checks


def check_numeric_derivative(numeric_derivative):
    """numeric_derivative(x^3, [1, 2, -1], eps=0.1), then (sin, 0.5) with the default eps."""
    for case in CASES["numeric_derivative"]:
        check_case(numeric_derivative, case, stub="numeric_derivative", catalogue=MISTAKES)
    passed(
        "numeric_derivative",
        f"central difference; x^3 at x = 2 with eps = 0.1 gives 12 + eps^2 = 12.01, and "
        f"sin at 0.5 gives cos(0.5) = {fmt(COS_WANT, 6)} with the default eps",
    )


def check_numeric_gradient(numeric_gradient):
    """numeric_gradient(sum(X^3) + X[0,1] X[1,0], 2x2 X, eps=0.1): values, shape, X restored."""
    stub = "numeric_gradient"
    (case,) = CASES[stub]
    f, x, eps = case.arguments()
    got = call_stub(numeric_gradient, f, x, eps, name=stub)
    if not np.array_equal(x, X_GRAD):
        evidence = f"X = [[1, 2], [-1, 0.5]] came back as {fmt(x)}"
        raise failure(MISTAKES, stub, "forgets_restore", evidence)
    expect(got, case, stub=stub, catalogue=MISTAKES)
    passed(stub, "one entry at a time, both sides, x's shape, x restored")


def _check_derivative(fn, stub, detail):
    for case in CASES[stub]:
        check_case(fn, case, stub=stub, catalogue=MISTAKES)
    passed(stub, detail)


def check_d_exp_square(d_exp_square):
    """d/dx e^(x^2) at six points (array) and at the float 1.0."""
    _check_derivative(d_exp_square, "d_exp_square", "e^(x^2) 2x; at x = 1 that is 2e = 5.437")


def check_d_exp_exp_square(d_exp_exp_square):
    """d/dx e^(e^(x^2)) at six points (array) and at the float 1.0."""
    _check_derivative(
        d_exp_exp_square,
        "d_exp_exp_square",
        "e^(e^(x^2)) e^(x^2) 2x, three factors; at x = 1 that is 82.39",
    )


def check_d_inv_exp_square(d_inv_exp_square):
    """d/dx 1/e^(x^2) at six points (array) and at the float 1.0."""
    _check_derivative(
        d_inv_exp_square,
        "d_inv_exp_square",
        "-1/v^2 e^(x^2) 2x = -2x e^(-x^2); at x = 1 that is -2/e = -0.7358",
    )


def _graph_numbers(Value, case, stub):
    """The numbers case's graph reads when built with the student's Value, or the verdict why
    there are none (a method not written yet, a plain number it cannot take, an error)."""
    if not callable(Value):
        raise CheckFailure(
            f"Value should be a class, got {type(Value).__name__}: run the cell that defines "
            "`class Value`."
        )
    (build,) = case.args
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return build(Value)
    except NotImplementedError:
        raise NotImplementedYet(
            f"{stub} is not implemented yet: replace each `raise NotImplementedError()` line "
            "in +, *, exp, log and backward with your code, run that cell, then run this check "
            "again.",
            key="not_implemented",
        ) from None
    except CheckFailure:
        raise
    except AttributeError as err:
        if "'float' object has no attribute 'data'" in str(err):
            raise failure(MISTAKES, "Value", "no_as_value", f"for {case.what}") from None
        raise _raised(stub, case, err) from None
    except Exception as err:
        raise _raised(stub, case, err) from None


def _raised(stub, case, err):
    # A method without `return` gives None, which the next operation trips on: as an operand
    # (TypeError) or when its .data is read (AttributeError).
    if isinstance(err, TypeError | AttributeError) and "NoneType" in str(err):
        return CheckFailure(
            f"{stub}: an operation gave None for {case.what} ({err}): does each of +, *, exp "
            "and log end with `return Value(...)`?",
            key="returned_none",
        )
    return CheckFailure(
        f"{stub} raised {type(err).__name__}: {err} for {case.what}. Build this graph by hand "
        "in a cell to find the line."
    )


def _check_graphs(Value, stub):
    for case in CASES[stub]:
        expect(_graph_numbers(Value, case, stub), case, stub=stub, catalogue=MISTAKES)


def check_Value(Value):
    """The data of +, *, exp and log, and of the given operators built on them."""
    _check_graphs(Value, "Value")
    passed("Value", "+, *, exp and log compute their data, with Values and plain numbers")


def check_Value_backward(Value):
    """Leaf grads after backward(): fan-out, products, exp and log, a shared node, twice."""
    _check_graphs(Value, "Value_backward")
    passed(
        "Value_backward",
        "every leaf's grad is right, paths summed (L = x * x + x gives 7), in topological "
        "order, and a second backward() gives the same grads",
    )
