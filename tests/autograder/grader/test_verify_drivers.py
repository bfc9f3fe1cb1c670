"""Does the harness's driver for a class stub (lesson 01's Value) build the grader's graphs as
written, read them right, and find the class where a student defines it?

The judge is independent of Value and of the driver: each program is evaluated here with
floats, and every node's gradient is a central difference of the output with that node's value
nudged. serve() is called in this process with a namespace of its own (the kernel's trip is
tested in test_verify_kernel.py).
"""

import json
import math

import numpy as np
import pytest

import reference as R
from autograder.grader.verify import answers, harness, protocol
from autograder.grader.verify.inputs import lesson_inputs

FLOAT_OPS = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "sub": lambda a, b: a - b,
    "div": lambda a, b: a / b,
    "pow": lambda a, k: a**k,
    "neg": lambda a: -a,
    "exp": math.exp,
    "log": math.log,
    "relu": lambda a: max(a, 0.0),
}


def evaluate(program, nudged=None, eps=0.0):
    """Every node's value, with floats; node `nudged` moved by eps before anything uses it."""
    values = []
    for i, x in enumerate(program["leaves"]):
        values.append(x + (eps if i == nudged else 0.0))
    for op, *operands in program["ops"]:
        value = FLOAT_OPS[op](*(values[o] if type(o) is int else o for o in operands))
        values.append(value + (eps if len(values) == nudged else 0.0))
    return values


def programs(stub, seeds=range(6)):
    for seed in seeds:
        for case in lesson_inputs("chain_rule").cases(np.random.default_rng(seed))[stub]:
            yield case, answers.decode(case.args[0])


def test_forward_reads_every_nodes_value():
    for case, program in programs("Value"):
        got = harness.run_graph(R.Value, program)
        want = {f"v{i}.data": v for i, v in enumerate(evaluate(program))}
        assert got == pytest.approx(want, rel=1e-12), case.label


def test_backward_reads_every_nodes_gradient():
    """dL/dv for every node v, leaves and intermediates, by central differences; the same
    after a second backward()."""
    eps = 1e-6
    for case, program in programs("Value_backward"):
        got = harness.run_graph(R.Value, program)
        count = len(program["leaves"]) + len(program["ops"])
        for k in range(count):
            up = evaluate(program, k, eps)[-1]
            down = evaluate(program, k, -eps)[-1]
            slope = (up - down) / (2 * eps)
            assert got[f"v{k}.grad"] == pytest.approx(slope, rel=1e-6, abs=1e-7), (k, case.label)


def test_a_relu_gate_routes_by_the_sign():
    program = {"leaves": [1.5, -0.5], "ops": [["relu", 0], ["relu", 1], ["add", 2, 3]]}
    got = harness.run_graph(R.Value, {**program, "read": "grad", "backward": 1})
    assert [got[f"v{i}.grad"] for i in range(5)] == [1.0, 0.0, 1.0, 1.0, 1.0]


def request(stub):
    return json.dumps(
        {"stub": stub, "cases": [[]], "return_args": False, "max_numbers": 10, "timeout": 5}
    )


def first_answer(reply):
    """The one answer's text of a reply to a one-input request, unpacked as the grader does."""
    texts, trouble = protocol.unpack(reply, 1)
    assert trouble is None, trouble
    return texts[0]


@pytest.mark.parametrize(
    ("namespace", "status"),
    [({}, "missing"), ({"Value_backward": R.Value}, "missing"), ({"Value": 3}, "not_callable")],
)
def test_the_class_is_found_under_its_own_name_only(namespace, status):
    """A class stub is looked up by its class's name ("Value"), never by the stub's."""
    answer = first_answer(harness.serve(request("Value_backward"), namespace))
    assert json.loads(answer)["status"] == status


def test_the_driver_is_the_harness_own():
    """A notebook that defines run_graph (or DRIVEN) does not change what the grader calls:
    the driver comes from the harness's module, the class from the notebook."""
    program = {"leaves": [2.0], "ops": [["mul", 0, 0]], "read": "grad", "backward": 1}
    namespace = {"Value": R.Value, "run_graph": lambda *a: {"v0.grad": 99.0}, "DRIVEN": {}}
    text = harness.serve(
        json.dumps(
            {
                "stub": "Value_backward",
                "cases": [[harness.to_wire(program, [1000])]],
                "return_args": False,
                "max_numbers": 100,
                "timeout": 5,
            }
        ),
        namespace,
    )
    outcome = answers.parse(first_answer(text))
    assert outcome.status == "returned" and outcome.value == {"v0.grad": 4.0, "v1.grad": 1.0}
