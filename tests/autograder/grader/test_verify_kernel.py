"""Does the verifier, talking to a real kernel, pass the lessons' solutions, fail every
catalogued mistake and every hard-coded answer, and put each misbehaving stub in one sentence?

Every kernel is a real python3 kernel started by the test (verify_kernel.Kernel) and stopped by
its pid. The solutions are the lessons' own solution cells; the mistakes are the catalogue's
implementations, planted under the stub's name as a student would write them; the answer key
judges inside the verifier, the catalogue names the mistake each test expects.
"""

import pytest

from autograder.grader.sample_class import mistaken_source
from autograder.grader.verify.harness import DRIVEN, owner
from autograder.grader.verify.hints import catalogue
from autograder.grader.verify.inputs import lesson_inputs
from tests.autograder.grader.verify_kernel import Kernel, load_lesson
from tests.lessons.notebook_rules import LESSON_NAMES

pytestmark = pytest.mark.slow

SEEDS = (11, 12, 13)


@pytest.fixture(scope="module")
def lesson_kernels(tmp_path_factory):
    """{lesson: (Kernel, {stub: solution source})}, each lesson loaded once, on first use."""
    kernels = {}

    def get(lesson):
        if lesson not in kernels:
            kernel = Kernel(tmp_path_factory.mktemp(lesson))
            kernels[lesson] = (kernel, load_lesson(kernel, lesson))
        return kernels[lesson]

    yield get
    for kernel, _ in kernels.values():
        kernel.stop()


@pytest.mark.parametrize("lesson", LESSON_NAMES)
def test_the_solution_verifies_on_every_seed(lesson, lesson_kernels):
    kernel, _ = lesson_kernels(lesson)
    stubs = [spec.name for spec in lesson_inputs(lesson).STUBS]
    for seed in SEEDS:
        verdicts = kernel.verify(lesson, seed)
        assert [v.stub for v in verdicts] == stubs
        for v in verdicts:
            assert v.verified and v.kind == "right" and v.tries >= 3, v
            assert f"right on all {v.tries} inputs" in v.sentence


MISTAKES = [
    (lesson, spec.name, mistake.key)
    for lesson in LESSON_NAMES
    for spec in lesson_inputs(lesson).STUBS
    for mistake, _ in catalogue(lesson.split("_", 1)[1], spec.name)
]


@pytest.mark.parametrize(
    ("lesson", "stub", "key"), MISTAKES, ids=[f"{s}-{k}" for _, s, k in MISTAKES]
)
def test_every_catalogued_mistake_fails_verification(lesson, stub, key, lesson_kernels):
    """Planted in the kernel under the stub's name, is the mistake refused, with its hint?"""
    kernel, solutions = lesson_kernels(lesson)
    _, errors = kernel.run(mistaken_source(lesson, stub, key))
    assert not errors, errors
    try:
        (verdict,) = kernel.verify(lesson, seed=sum(map(ord, key)), stubs=[stub])
    finally:
        kernel.run(solutions[owner(stub)])
    assert not verdict.verified, verdict
    assert verdict.hint == key, verdict.sentence
    hint = next(m.hint for m, _ in catalogue(lesson.split("_", 1)[1], stub) if m.key == key)
    assert verdict.sentence.startswith(stub) and verdict.sentence.endswith(hint)


# A student who hard-codes the worked examples: the stub answers the check's own inputs with
# the numbers the check wants (recorded from the solution) and anything else with the first
# of them. It fools the in-notebook check; the grader's fresh inputs must not be fooled.
HARD_CODER = """
import copy as _copy

def _key(value):
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict", tuple((k, _key(v)) for k, v in sorted(value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(_key(v) for v in value))
    if callable(value):
        return ("function", getattr(value, "__qualname__", ""))
    return ("value", repr(value))

def _recorder(fn, table):
    def spy(*args):
        result = fn(*_copy.deepcopy(args))
        table.setdefault(_key(args), _copy.deepcopy(result))
        return result
    return spy

def _hard_coded(table):
    def stub(*args):
        return _copy.deepcopy(table.get(_key(args), next(iter(table.values()))))
    return stub
"""
# Checks a hard-coded stub cannot even pass: they call the stub with arguments made afresh
# (activation_backward's unknown name must raise, which a lookup table does not do).
CHECK_NOT_FOOLED = {"activation_backward"}

# A class (lesson 01's Value) is left out: this hard-coder is a lookup table from a function's
# arguments to its results, and a class's check hands it no arguments to key on (it builds its
# graphs one operation at a time). Its own hard-coder is REPLAYER below.
STUBS = [
    (lesson, spec.name)
    for lesson in LESSON_NAMES
    for spec in lesson_inputs(lesson).STUBS
    if spec.name not in DRIVEN
]


@pytest.mark.parametrize(("lesson", "stub"), STUBS, ids=[s for _, s in STUBS])
def test_hard_coded_worked_examples_fail(lesson, stub, lesson_kernels):
    kernel, solutions = lesson_kernels(lesson)
    kernel.run(HARD_CODER)
    _, errors = kernel.run(
        f"_table = {{}}\ncheck_{stub}(_recorder({stub}, _table))\n{stub} = _hard_coded(_table)"
    )
    assert not errors, errors
    try:
        _, check_errors = kernel.run(f"check_{stub}({stub})")
        (verdict,) = kernel.verify(lesson, seed=7, stubs=[stub])
    finally:
        kernel.run(solutions[owner(stub)])
    assert bool(check_errors) == (stub in CHECK_NOT_FOOLED), check_errors
    assert not verdict.verified, verdict
    assert verdict.kind in ("wrong_values", "wrong_shape", "wrong_keys", "no_error"), verdict


# A Value that memorises: while the check runs on the right engine it records each graph's
# leaf grads (keyed by the output's data), then a class whose forward is right and whose
# backward only replays those grads (leaves in the order a depth-first walk meets them).
REPLAYER = """
def _leaves(node):
    seen, found, stack = set(), [], [node]
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            found += [v] if not v.parents else []
            stack.extend(parent for parent, _ in v.parents)
    return found

_grads = {}
_Right = Value

class _Recorder(_Right):
    def backward(self):
        _Right.backward(self)
        _grads[round(self.data, 9)] = [leaf.grad for leaf in _leaves(self)]

class _Replayer(_Right):
    def backward(self):
        for leaf, grad in zip(_leaves(self), _grads.get(round(self.data, 9), [])):
            leaf.grad = grad
        self.grad = 1.0
"""


def test_a_value_that_replays_the_checks_grads_fails(lesson_kernels):
    """The replayer fools the in-notebook check (same graphs), never the grader's graphs."""
    kernel, solutions = lesson_kernels("01_chain_rule")
    _, errors = kernel.run(
        REPLAYER + "Value = _Recorder\ncheck_Value_backward(Value)\nValue = _Replayer"
    )
    assert not errors, errors
    try:
        out, check_errors = kernel.run("check_Value_backward(Value)")
        (verdict,) = kernel.verify("01_chain_rule", seed=7, stubs=["Value_backward"])
    finally:
        kernel.run(solutions["Value"])
    assert not check_errors and "\u2713 Value_backward" in out, (out, check_errors)
    assert not verdict.verified and verdict.kind == "wrong_values", verdict


# ---------------------------------------------------------------- stubs that misbehave

ON_ONE_EXAMPLE = "on one example (x ("
BODIES = {  # what: (the stub's body, words its sentence must hold, inputs tried)
    "raised": ("raise ZeroDivisionError('oops')", ("raised ZeroDivisionError: oops",), 4),
    "hung": ("while True:\n        pass", ("did not return within 1 s", ON_ONE_EXAMPLE), 1),
    "not_numbers": ("return 'x @ W.T + b'", ("the result is a str, not numbers",), 4),
    "too_big": ("return np.zeros(10**7)", ("10,000,000 numbers (shape (10000000,))",), 1),
    "returned_none": ("pass", ("the result is None (is a `return` missing?)",), 4),
    "not_finite": ("return np.full(W.shape[0], np.nan)", ("the result has nan at index (0,)",), 4),
    "crashed": (
        "import os\n    os._exit(3)",
        ("ended its process", ON_ONE_EXAMPLE, "(it exited with code 3)"),
        1,
    ),
    "segfault": (
        "import ctypes\n    ctypes.string_at(0)",
        ("ended its process", ON_ONE_EXAMPLE, "(it was killed by signal 11)"),
        1,
    ),
    "nested": (
        "junk = []\n    for _ in range(100):\n        junk = [junk]\n    return junk",
        ("the result is a list of 1, not numbers",),
        4,
    ),
    "prints": ("print('x' * 50_000_000)\n    return x @ W.T + b", (), 4),
}


@pytest.fixture(scope="module")
def output_layer(tmp_path_factory):
    kernel = Kernel(tmp_path_factory.mktemp("misbehaving"))
    solutions = load_lesson(kernel, "04_output_layer")
    yield kernel, solutions
    kernel.stop()


@pytest.mark.parametrize("what", BODIES)
def test_a_misbehaving_stub_gets_its_sentence(what, output_layer):
    kernel, solutions = output_layer
    body, words, tries = BODIES[what]
    kernel.run(f"def linear_forward(x, W, b):\n    {body}\n")
    try:
        forward, _, backward = kernel.verify("04_output_layer", seed=3, call_timeout=1.0)
    finally:
        kernel.run(solutions["linear_forward"])
    assert backward.verified, backward  # one stub's trouble is that stub's alone
    assert forward.tries == tries, forward
    if what == "prints":  # what a stub prints is no part of its answer
        assert forward.verified, forward
        return
    assert not forward.verified, forward
    assert all(w in forward.sentence for w in words), forward.sentence
    assert forward.kind == {"segfault": "crashed", "nested": "not_numbers"}.get(what, what)


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        (
            "del linear_forward",
            "missing",
            "linear_forward is not defined when the notebook has run",
        ),
        ("linear_forward = 3", "not_callable", "linear_forward is a int, not a function"),
        (
            "def linear_forward(x, W, b):\n    raise NotImplementedError()",
            "not_implemented",
            "linear_forward is not implemented yet",
        ),
    ],
    ids=["missing", "not_callable", "not_implemented"],
)
def test_a_stub_that_is_not_there_gets_its_sentence(code, kind, words, output_layer):
    kernel, solutions = output_layer
    kernel.run(code)
    try:
        forward, _, backward = kernel.verify("04_output_layer", seed=4)
    finally:
        kernel.run(solutions["linear_forward"])
    assert (forward.verified, forward.kind, backward.verified) == (False, kind, True)
    assert words in forward.sentence


def test_verification_leaves_the_notebook_as_it_was(output_layer):
    """No name is added to the student's namespace, no history entry is made, and what a stub
    does to its module's state during the calls is undone (each call runs in a child)."""
    kernel, solutions = output_layer
    kernel.run(
        "calls = 0\n"
        "def linear_forward(x, W, b):\n"
        "    global calls\n"
        "    calls += 1\n"
        "    return x @ W.T + b\n"
        "names, entries = set(globals()), len(In)"
    )
    try:
        (verdict,) = kernel.verify("04_output_layer", seed=5, stubs=["linear_forward"])
        out, errors = kernel.run("print(calls, sorted(set(globals()) - names), len(In) - entries)")
    finally:
        kernel.run(solutions["linear_forward"])
    assert verdict.verified and not errors
    # The one new history entry and its _i names are this print cell's own.
    assert out.split(" ", 1)[0] == "0", out
    assert "serve" not in out and "NAMESPACE" not in out and "harness" not in out
    assert out.strip().endswith("1"), out


def test_a_stub_that_kills_the_kernel_loses_the_rest(tmp_path):
    """A stub that kills its kernel (its process's parent) during verification: that stub and
    every later one are unverified, saying why; the grader itself carries on."""
    kernel = Kernel(tmp_path)
    try:
        load_lesson(kernel, "04_output_layer")
        kernel.run(
            "import os, signal\n"
            "def linear_forward(x, W, b):\n"
            "    os.kill(os.getppid(), signal.SIGKILL)"
        )
        forward, _, backward = kernel.verify("04_output_layer", seed=6)
        assert not kernel.alive()
    finally:
        kernel.stop()
    assert (forward.kind, backward.kind) == ("no_answer", "not_verified")
    assert "the kernel stopped running on one of the 4 inputs" in forward.sentence
    assert "linear_backward was not verified: the kernel stopped running" in backward.sentence


def test_each_part_of_linear_backward_gets_its_own_verdict(output_layer):
    """grad_b not summed, in a real kernel: the stub is not verified, but its grad_x and grad_W
    are; grad_b's verdict names grad_b and the catalogued mistake."""
    kernel, solutions = output_layer
    kernel.run(mistaken_source("04_output_layer", "linear_backward", "grad_b_not_summed"))
    try:
        (verdict,) = kernel.verify("04_output_layer", seed=9, stubs=["linear_backward"])
    finally:
        kernel.run(solutions["linear_backward"])
    assert not verdict.verified
    parts = {v.part: v for v in verdict.parts}
    assert list(parts) == ["grad_x", "grad_W", "grad_b"]
    assert parts["grad_x"].verified and parts["grad_W"].verified
    assert not parts["grad_b"].verified and parts["grad_b"].hint == "grad_b_not_summed"
    assert parts["grad_b"].sentence.startswith("linear_backward's grad_b is wrong on")


def test_a_kernel_that_stops_answering_is_given_up(tmp_path):
    """Student code makes the grader's own code in the kernel hang and shrug off interrupts:
    after the time limit, an interrupt and a grace period, the grader gives up on the kernel."""
    kernel = Kernel(tmp_path)
    try:
        load_lesson(kernel, "04_output_layer")
        kernel.run(
            "import select, time\n"
            "def stubborn(*args):\n"
            "    while True:\n"
            "        try:\n"
            "            time.sleep(0.05)\n"
            "        except KeyboardInterrupt:\n"
            "            pass\n"
            "select.select = stubborn"
        )
        forward, _, backward = kernel.verify("04_output_layer", seed=8, call_timeout=0.5)
    finally:
        kernel.stop()
    assert (forward.kind, backward.kind) == ("no_answer", "not_verified")
    assert "stopped answering, even when interrupted" in forward.sentence


def test_the_seed_never_reaches_the_kernel(output_layer, monkeypatch):
    """The inputs travel as numbers; the seed that drew them is not in any code sent. One
    request per stub carries all its inputs."""
    from autograder.grader.verify import protocol

    kernel, _ = output_layer
    sent = []
    original = protocol.kernel_code
    monkeypatch.setattr(
        protocol, "kernel_code", lambda request: sent.append(original(request)) or sent[-1]
    )
    seed = 987_654_321_987
    verdicts = kernel.verify("04_output_layer", seed=seed)
    stubs = len(lesson_inputs("output_layer").STUBS)
    assert all(v.verified for v in verdicts) and len(sent) == len(verdicts) == stubs
    assert not any(str(seed) in code for code in sent)
