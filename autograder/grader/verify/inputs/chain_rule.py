"""Lesson 01's stubs: finite differences, three chain-rule derivatives and the scalar engine
Value, on fresh inputs.

The steps eps vary per call, some far from the default 1e-5, so a step written into the body
shows; the cubic's third derivative is a constant 6, so its central difference is off by
exactly eps^2 and a wrong eps cannot hide in rounding.

Value is a class: harness.run_graph builds a random graph with it (the same driver runs the
answer key's Value here) and reads every node's data ("Value") or, after backward(), every
node's grad ("Value_backward"). Every graph has a node used twice at different depths (a
fan-out that only a topological order gets right), a plain number on each side of an
operator, exp and log in ranges where they stay finite, and one graph runs backward() twice.
"""

import numpy as np

from autograder.grader.verify.cases import Case, StubSpec, function, shape, wire

STUBS = (
    StubSpec("numeric_derivative", ("f", "x", "eps"), rtol=1e-7, atol=1e-9),
    StubSpec("numeric_gradient", ("f", "x", "eps"), rtol=1e-6, atol=1e-8, unchanged=("x",)),
    StubSpec("d_exp_square", ("x",), rtol=1e-10, atol=1e-12),
    StubSpec("d_exp_exp_square", ("x",), rtol=1e-10, atol=1e-12),
    StubSpec("d_inv_exp_square", ("x",), rtol=1e-10, atol=1e-12),
    StubSpec("Value", ("program",), rtol=1e-9, atol=1e-12),
    StubSpec("Value_backward", ("program",), rtol=1e-8, atol=1e-10),
)
GRADE_CELLS = {f"test_{spec.name}": (spec.name,) for spec in STUBS}


def _step(rng, low, high):
    return float(10 ** rng.uniform(np.log10(low), np.log10(high)))


def _derivative_cases(rng):
    cases = []
    x0, eps = float(rng.uniform(-2, 2)), _step(rng, 1e-3, 1e-2)
    cases.append(
        Case((function("sin"), x0, eps), f"f = sin at the number x = {x0:.4g}, eps = {eps:.2g}")
    )
    x, eps = rng.uniform(-2, 2, size=int(rng.integers(3, 7))), _step(rng, 1e-3, 1e-2)
    cases.append(
        Case((function("exp"), wire(x), eps), f"f = exp at x of shape {shape(x)}, eps = {eps:.2g}")
    )
    x, eps = rng.uniform(-2, 2, size=tuple(rng.integers(2, 5, size=2))), _step(rng, 5e-3, 2e-2)
    cases.append(
        Case(
            (function("cubic"), wire(x), eps),
            f"f(t) = t^3 - 2t at x of shape {shape(x)}, eps = {eps:.2g}",
        )
    )
    x = rng.uniform(-2, 2, size=int(rng.integers(3, 7)))
    cases.append(
        Case((function("sin"), wire(x), 1e-5), f"f = sin at x of shape {shape(x)}, eps = 1e-5")
    )
    x0 = float(rng.uniform(-1, 1))
    cases.append(Case((function("exp"), x0), f"f = exp at the number x = {x0:.4g}, eps left out"))
    return cases


def _gradient_cases(rng):
    n, k = (int(v) for v in rng.integers(2, 6, size=2))
    cases = []
    for x_shape in [(n,), (2, 3), (k, 1), (1, k)]:
        A, x, eps = rng.normal(size=x_shape), rng.normal(size=x_shape), _step(rng, 1e-4, 1e-3)
        cases.append(
            Case(
                (function("weighted_sin_norm", A), wire(x), eps),
                f"f(X) = sum(sin(X) * A) + |X|^3 at x of shape {shape(x)}, eps = {eps:.2g}",
            )
        )
    return cases


def _calculus_cases(rng, reach):
    x0 = float(rng.uniform(-reach, reach))
    cases = [Case((x0,), f"the number x = {x0:.4g}")]
    for x_shape in [(int(rng.integers(3, 8)),), tuple(int(v) for v in rng.integers(2, 5, size=2))]:
        x = rng.uniform(-reach, reach, size=x_shape)
        cases.append(Case((wire(x),), f"x of shape {shape(x)} in [-{reach}, {reach}]"))
    return cases


def _graph(rng, number_first):
    """(leaves, ops, their text) of one random graph for harness.run_graph.

    s = a product, sum or difference of two leaves (|s| <= 3), t = exp(s), u = t and s
    combined (s used at two depths), log(t + k) with k > 0 a plain number (k + t when
    number_first: the reflected operator), that times the
    third leaf, one more operator (relu only where its input is positive, so that no path is
    cut off), and the output combines it with u (u reused at the very end).
    """
    leaves = [float(rng.choice([-1.0, 1.0]) * rng.uniform(0.3, 1.5)) for _ in range(3)]
    values, ops, lines = list(leaves), [], [f"v{i} = {x:.4g}" for i, x in enumerate(leaves)]

    def node(op, *operands):
        x = [values[o] if type(o) is int else o for o in operands]
        values.append(_apply(op, x))
        ops.append([op, *operands])
        lines.append(f"v{len(values) - 1} = {_text(op, operands)}")
        return len(values) - 1

    i, j, k = (int(n) for n in rng.permutation(3))
    s = node(str(rng.choice(["mul", "add", "sub"])), i, j)
    t = node("exp", s)
    u = node(str(rng.choice(["add", "mul"])), t, s)
    shift = float(rng.uniform(0.5, 2.0))
    shifted = node("add", shift, t) if number_first else node("add", t, shift)
    r = node("mul", node("log", shifted), k)
    choices = ["pow", "div", "neg", "sub"] + (["relu"] if values[r] > 0.1 else [])
    extra = str(rng.choice(choices))
    if extra == "pow":
        r = node("pow", r, 2.0)
    elif extra == "div":
        r = node("div", r, shifted)
    elif extra == "sub":
        r = node("sub", float(rng.uniform(-2.0, 2.0)), r)
    else:
        r = node(extra, r)
    node(str(rng.choice(["add", "mul"])), r, u)
    return leaves, ops, ", ".join(lines)


def _apply(op, x):
    if op == "add":
        return x[0] + x[1]
    if op == "mul":
        return x[0] * x[1]
    if op == "sub":
        return x[0] - x[1]
    if op == "div":
        return x[0] / x[1]
    if op == "pow":
        return x[0] ** x[1]
    if op == "exp":
        return float(np.exp(x[0]))
    if op == "log":
        return float(np.log(x[0]))
    if op == "neg":
        return -x[0]
    return max(x[0], 0.0)  # relu


SIGNS = {"add": "+", "mul": "*", "sub": "-", "div": "/", "pow": "**"}


def _text(op, operands):
    """'v3 * v1', '1.5 - v7', 'v3.exp()': one op as the student would write it."""
    names = [f"v{o}" if type(o) is int else f"{o:.4g}" for o in operands]
    if op in SIGNS:
        return f"{names[0]} {SIGNS[op]} {names[1]}"
    if op == "neg":
        return f"-{names[0]}"
    return f"{names[0]}.{op}()"


def _value_cases(rng, read, count, twice=False):
    cases = []
    for n in range(count):
        leaves, ops, text = _graph(rng, number_first=n % 2 == 1)
        times = 0 if read == "data" else (2 if twice and n == count - 1 else 1)
        program = {"leaves": leaves, "ops": ops, "read": read, "backward": times}
        last = f"v{len(leaves) + len(ops) - 1}"
        then = {0: "", 1: f"; then {last}.backward()", 2: f"; then {last}.backward() twice"}
        cases.append(Case((wire(program),), f"the graph {text}{then[times]}"))
    return cases


def cases(rng):
    """{stub: [Case]} for one submission, drawn from rng."""
    return {
        "numeric_derivative": _derivative_cases(rng),
        "numeric_gradient": _gradient_cases(rng),
        "d_exp_square": _calculus_cases(rng, 2.0),
        "d_exp_exp_square": _calculus_cases(rng, 1.8),
        "d_inv_exp_square": _calculus_cases(rng, 3.0),
        "Value": _value_cases(rng, "data", 3),
        "Value_backward": _value_cases(rng, "grad", 4, twice=True),
    }
