"""Does the judge accept the answer key, refuse every catalogued mistake with its own hint, and
say what differed in words a student can act on?

Here the stubs run in the test's own process through the harness's `call` (the kernel's
trip is tested in test_verify_kernel.py), which lets every mistake meet many seeds quickly.
The answer key is the judge of right; each mistake's identity comes from the catalogue.
"""

import json

import numpy as np
import pytest
from jupyter_core.utils import run_sync

import reference as R
from autograder.grader.verify import answers, harness, hints, judge, submission
from autograder.grader.verify.answers import Opaque, Outcome, Raised, TooBig
from autograder.grader.verify.cases import Case, StubSpec, function, wire
from autograder.grader.verify.compare import compare
from autograder.grader.verify.inputs import MODULES, lesson_inputs
from autograder.grader.verify.protocol import Exchange
from tests.autograder.checks.test_cross_entropy import BREAKS as SCE_BREAKS
from tests.autograder.checks.test_full_network import BREAKS as FORWARD_BREAKS
from tests.autograder.checks.test_output_layer import BREAKS as OUTPUT_LAYER_BREAKS

SEEDS = range(8)
CATALOG = [
    (module, spec, mistake.key, implementation)
    for module in MODULES
    for spec in lesson_inputs(module).STUBS
    for mistake, implementation in hints.catalogue(module, spec.name)
]


def judge_here(fn, module, spec, seed):
    """(first Problem or None, hint key or None) for fn over the stub's inputs for `seed`."""
    cases = lesson_inputs(module).cases(np.random.default_rng(seed))[spec.name]
    seen, first = [], None
    for case in cases:
        got = answers.run_here(fn, case.args, bool(spec.unchanged))
        seen.append((case, got))
        first = first or judge.problem(spec, case, got, judge.expected(spec, case))
    hint = hints.find_hint(module, spec, seen) if first else None
    return first, hint and hint.key


def test_the_catalogue_is_complete():
    """Every stub has at least three catalogued mistakes, each with its implementation."""
    assert len(CATALOG) == 128  # 110, Value 9, gradient_check 3, the two loop versions 3 each
    for module in MODULES:
        for spec in lesson_inputs(module).STUBS:
            assert len(hints.catalogue(module, spec.name)) >= 3, spec.name


@pytest.mark.parametrize("module", MODULES)
def test_the_answer_key_is_right_on_every_input(module):
    for spec in lesson_inputs(module).STUBS:
        for seed in SEEDS:
            found, _ = judge_here(harness.resolve(spec.name, vars(R)), module, spec, seed)
            assert found is None, (spec.name, seed, found)


@pytest.mark.parametrize(
    ("module", "spec", "key", "implementation"),
    CATALOG,
    ids=[f"{spec.name}-{key}" for _, spec, key, _ in CATALOG],
)
def test_every_mistake_fails_with_its_own_hint(module, spec, key, implementation):
    """On every seed, is the mistake caught, and named as itself (not as a look-alike)?"""
    for seed in SEEDS:
        found, hint = judge_here(implementation, module, spec, seed)
        assert found is not None, f"{key} passed on seed {seed}"
        assert hint == key, f"seed {seed}: {found.text} (hint {hint})"


SPEC = StubSpec("linear_backward", ("grad_a", "x", "W"), parts=("grad_x", "grad_W", "grad_b"))
WANT = (np.ones((4, 3)), np.ones((2, 3)), np.ones(2))


@pytest.mark.parametrize(
    ("got", "kind", "words"),
    [
        (WANT, None, None),
        ([np.ones((4, 3)).tolist(), np.ones((2, 3)), [1, 1]], None, None),
        ((np.ones((4, 3)), np.ones((3, 2)), np.ones(2)), "wrong_shape", "grad_W has shape (3, 2)"),
        ((np.ones((4, 3)), np.ones((2, 3))), "wrong_structure", "(grad_x, grad_W, grad_b)"),
        (None, "wrong_structure", "the result is None"),
        ((np.ones((4, 3)), np.ones((2, 3)), None), "returned_none", "grad_b is None"),
        ((np.ones((4, 3)), Opaque("str"), np.ones(2)), "not_numbers", "grad_W is a str"),
        ((np.ones((4, 3)), TooBig((10**7,), 10**7), np.ones(2)), "too_big", "10,000,000"),
        ((np.ones((4, 3)), np.ones((2, 3)), np.array([1.0, np.nan])), "not_finite", "nan at"),
        ((np.ones((4, 3)), np.ones((2, 3)), np.array([1.0, 1.5])), "wrong_values", "0.5 at"),
        ((np.ones((4, 3)), np.ones((2, 3)), [[1.0, 1.0], [1.0]]), "not_numbers", "a list"),
    ],
)
def test_compare_says_what_differed(got, kind, words):
    found = compare(got, WANT, "", SPEC)
    assert (found and found.kind) == kind
    if words:
        assert words in found.text, found.text


def test_compare_names_dict_keys_and_nested_parts():
    spec = StubSpec("forward", ("params", "X"), parts=("probs", "cache"), open_dicts=("cache",))
    want = (np.ones(2), {"h": [np.ones(3), np.ones(4)], "probs": np.ones(2)})
    extra_key = (np.ones(2), {"h": [np.ones(3), np.ones(4)], "probs": np.ones(2), "z": 1})
    assert compare(extra_key, want, "", spec) is None  # the cache may hold more
    short = (np.ones(2), {"h": [np.ones(3)], "probs": np.ones(2)})
    assert 'cache["h"] is a list of 1' in compare(short, want, "", spec).text
    wrong = (np.ones(2), {"h": [np.ones(3), np.zeros(4)], "probs": np.ones(2)})
    assert 'cache["h"][1] is off by up to 1' in compare(wrong, want, "", spec).text
    grads = StubSpec("backward", ("params",))
    found = compare({"dW1": 1.0, "dW2": 1.0}, {"dW1": 1.0, "db1": 1.0}, "", grads)
    assert found.kind == "wrong_keys" and "['dW1', 'dW2']" in found.text


def test_float64_is_required_only_where_promised():
    strict = StubSpec("relu_grad", ("a",), float64=True)
    loose = StubSpec("relu", ("a",))
    mask = np.array([True, False])
    assert compare(mask, np.array([1.0, 0.0]), "", strict).kind == "wrong_dtype"
    assert compare(np.array([1, 0]), np.array([1.0, 0.0]), "", loose) is None


CASE = Case((1.0,), "the number a = 1")
RIGHT = Outcome("returned", value=0.5)


@pytest.mark.parametrize(
    ("got", "kind", "words"),
    [
        (Outcome("missing"), "missing", "is not defined"),
        (Outcome("not_callable", detail="int"), "not_callable", "is a int, not a function"),
        (Outcome("timeout", detail=5.0), "hung", "within 5 s on the number a = 1"),
        (Outcome("died", detail=-11), "crashed", "killed by signal 11"),
        (Outcome("died", detail=3), "crashed", "exited with code 3"),
        (Outcome("garbled", detail="not JSON"), "garbled", "(not JSON)"),
        (Outcome("raised", error=Raised(("NotImplementedError",), "")), "not_implemented", None),
        (Outcome("raised", error=Raised(("KeyboardInterrupt",), "")), "hung", "interrupted"),
        (
            Outcome("raised", error=Raised(("ZeroDivisionError",), "division by zero")),
            "raised",
            "raised ZeroDivisionError: division by zero on the number a = 1",
        ),
        (
            Outcome("returned", value=0.5, warnings=("overflow encountered in exp",)),
            "warned",
            '"overflow encountered in exp"',
        ),
        (RIGHT, None, None),
    ],
)
def test_problem_names_each_way_a_call_can_go(got, kind, words):
    spec = StubSpec("sigmoid", ("a",), no_warnings=True)
    found = judge.problem(spec, CASE, got, RIGHT)
    assert (found and found.kind) == kind
    if words:
        assert words in found.text, found.text


def test_an_expected_error_must_be_the_right_one_and_say_enough():
    spec = StubSpec("activation_backward", ("grad_h", "a", "activation"))
    case = Case((1.0, 1.0, "softmax"), "activation='softmax'", must_mention=("sigmoid", "relu"))
    want = Outcome("raised", error=Raised(("ValueError", "Exception"), "unknown"))
    says = Outcome("raised", error=Raised(("ValueError",), "choose sigmoid or relu"))
    vague = Outcome("raised", error=Raised(("ValueError",), "bad name"))
    other = Outcome("raised", error=Raised(("KeyError", "LookupError"), "'softmax'"))
    assert judge.problem(spec, case, says, want) is None
    assert judge.problem(spec, case, vague, want).kind == "unclear_error"
    assert judge.problem(spec, case, other, want).kind == "wrong_error"
    assert judge.problem(spec, case, RIGHT, want).kind == "no_error"


def test_an_argument_changed_in_place_is_caught():
    spec = StubSpec("numeric_gradient", ("f", "x", "h"), unchanged=("x",))
    x = np.array([1.0, 2.0])
    case = Case((function("sin"), wire(x), 1e-4), "x of shape (2,)")
    got = Outcome("returned", value=np.cos(x), args=(None, x - 1e-4, 1e-4))
    kept = Outcome("returned", value=np.cos(x), args=(None, x.copy(), 1e-4))
    want = Outcome("returned", value=np.cos(x))
    assert judge.problem(spec, case, got, want).kind == "changed_input"
    assert judge.problem(spec, case, kept, want) is None


# ---------------------------------------------------------------- parts judged apart

BATCH = Case((), "a batch of 4")
WANT_OUTCOME = Outcome("returned", value=WANT)


@pytest.mark.parametrize(
    ("got", "wrong"),
    [
        (WANT, {}),
        ((np.ones((4, 3)), np.ones((2, 3)), np.ones((4, 2))), {"grad_b": "has shape (4, 2)"}),
        ((np.ones((4, 3)), np.ones((3, 2)), np.zeros(2)), {"grad_W": "shape", "grad_b": "off by"}),
    ],
)
def test_each_part_is_judged_on_its_own_entry(got, wrong):
    """A right part has no Problem even when another part is wrong; a wrong one names itself."""
    outcome = Outcome("returned", value=got)
    found = judge.part_problems(
        SPEC, BATCH, outcome, WANT_OUTCOME, judge.problem(SPEC, BATCH, outcome, WANT_OUTCOME)
    )
    assert [p for p, problem in found.items() if problem] == list(wrong)
    for part, words in wrong.items():
        assert found[part].text.startswith(f"is wrong on a batch of 4: {part} "), found[part]
        assert words in found[part].text


@pytest.mark.parametrize(
    "got",
    [
        Outcome("returned", value=(np.ones((4, 3)), np.ones((2, 3)))),  # two values, not three
        Outcome("returned", value=None),
        Outcome("raised", error=Raised(("ValueError",), "shapes (4,2) and (3,2)")),
        Outcome("timeout", detail=5.0),
    ],
)
def test_an_answer_that_is_not_the_tuple_fails_every_part(got):
    """Raised, hung, or not a tuple of three: no part can be judged, so none is verified, and
    each says why in the stub's own words."""
    whole = judge.problem(SPEC, BATCH, got, WANT_OUTCOME)
    found = judge.part_problems(SPEC, BATCH, got, WANT_OUTCOME, whole)
    assert list(found) == list(SPEC.parts)
    for problem in found.values():
        assert problem.kind == whole.kind
        assert problem.text == f"was not verified: linear_backward {whole.text}"


class AnswersHere:
    """Stands in for the kernel link: answers each request by calling fn in this process on
    every input, as the kernel's harness would (the wire format, the size budget, one reply
    {"answers": [...]} for the batch)."""

    def __init__(self, fn):
        self.fn = fn
        self.requests = []

    async def send(self, request):
        self.requests.append(request)
        return len(self.requests) - 1

    async def receive(self, msg_id, timeout):
        request, texts = self.requests[msg_id], []
        for wire_args in request["cases"]:
            args = [harness.from_wire(json.loads(json.dumps(a))) for a in wire_args]
            answer = harness.call(self.fn, args, False, request["max_numbers"], catch=Exception)
            texts.append(json.dumps(answer))
        return Exchange(text=json.dumps({"answers": texts}))


def test_parts_are_verified_only_on_every_input():
    """linear_backward whose grad_b is too big to read on the second input: the grader stops
    judging it there, so grad_x and grad_W, right on the one input judged, are not verified
    either; with grad_b wrong on every input instead, grad_x and grad_W are verified."""
    spec = lesson_inputs("output_layer").STUBS[-1]
    cases = lesson_inputs("output_layer").cases(np.random.default_rng(0))["linear_backward"]
    calls = []

    def too_big_second(grad_a, x, W):
        calls.append(1)
        grad_x, grad_W, grad_b = R.linear_backward(grad_a, x, W)
        return grad_x, grad_W, np.zeros(200_000) if len(calls) == 2 else grad_b

    def grad_b_doubled(grad_a, x, W):
        grad_x, grad_W, grad_b = R.linear_backward(grad_a, x, W)
        return grad_x, grad_W, 2 * grad_b

    run = run_sync(submission._verify_stub)
    stopped, _ = run(AnswersHere(too_big_second), "output_layer", spec, cases, 5.0)
    assert len(calls) >= 2 and stopped.tries == 2 and not any(v.verified for v in stopped.parts)
    assert "so the grader stopped judging it" in stopped.parts[0].sentence
    wrong, _ = run(AnswersHere(grad_b_doubled), "output_layer", spec, cases, 5.0)
    assert [v.verified for v in wrong.parts] == [True, True, False]
    assert f"right on all {len(cases)} inputs" in wrong.parts[1].sentence


# ---------------------------------------------------------------- which parts a mistake breaks

# Worked out by hand on the checks' inputs (tests/autograder/checks); the grader's own inputs
# must find the same parts wrong, or a cell would be lost or kept that the check says otherwise.
PART_GRADED = [
    # But for wrong_order, (grad_W, grad_x, grad_b): the check refuses the whole tuple by its
    # shapes, the grader judges each place, and grad_b is in its own. (The cell scores 0 either
    # way: its points need the check to pass as well.)
    (
        "output_layer",
        "linear_backward",
        {**OUTPUT_LAYER_BREAKS, "wrong_order": {"grad_x", "grad_W"}},
    ),
    ("cross_entropy", "softmax_cross_entropy", SCE_BREAKS),
    ("full_network", "forward", FORWARD_BREAKS),
]


def broken_parts(fn, module, spec, seed):
    """The parts of spec.parts that part_problems finds wrong on some input of `seed`."""
    broken = set()
    for case in lesson_inputs(module).cases(np.random.default_rng(seed))[spec.name]:
        got = answers.run_here(fn, case.args, bool(spec.unchanged))
        want = judge.expected(spec, case)
        found = judge.part_problems(spec, case, got, want, judge.problem(spec, case, got, want))
        broken |= {part for part, problem in found.items() if problem}
    return broken


@pytest.mark.parametrize(
    ("module", "stub", "key", "parts"),
    [
        (module, stub, key, parts)
        for module, stub, breaks in PART_GRADED
        for key, parts in sorted(breaks.items())
    ],
)
def test_the_grader_finds_wrong_exactly_the_parts_a_mistake_breaks(module, stub, key, parts):
    spec = next(s for s in lesson_inputs(module).STUBS if s.name == stub)
    fn = dict((m.key, impl) for m, impl in hints.catalogue(module, stub))[key]
    for seed in SEEDS:
        with np.errstate(all="ignore"):
            assert broken_parts(fn, module, spec, seed) == parts, seed
