"""One request per stub: does a batch keep each input's trouble its own, stay within its size
cap, and is a reply that is not exactly one answer per input refused, never credited?

The harness side runs here (harness.serve forks its children from the test process, as it
does from a kernel); the grader side talks to a real python3 kernel (verify_kernel.Kernel)
whose exec is replaced, as a student could, by one that tampers with the reply of a right
stub: every tampered reply must leave that stub unverified, and the untampered one (the
control) must verify it.
"""

import json
import time

import numpy as np
import pytest

from autograder.grader.verify import answers, harness, protocol
from autograder.grader.verify.cases import wire
from tests.autograder.grader.verify_kernel import Kernel, load_lesson

LESSON = "04_output_layer"


def request(cases, stub="stub", timeout=2.0):
    return json.dumps(
        {
            "stub": stub,
            "cases": [[wire(arg) for arg in args] for args in cases],
            "return_args": False,
            "max_numbers": answers.MAX_NUMBERS,
            "timeout": timeout,
        }
    )


def serve(cases, fn, **options):
    """[Outcome] for harness.serve's reply to fn on `cases`, unpacked as the grader does."""
    reply = harness.serve(request(cases, **options), {"stub": fn})
    texts, trouble = protocol.unpack(reply, len(cases))
    assert trouble is None, trouble
    return [answers.parse(text) for text in texts]


def doubled_unless(bad, what):
    """2 x, except on x == bad: hang, exit or touch the kernel's state, as `what` says."""
    state = {"calls": 0}

    def stub(x):
        state["calls"] += 1
        if x == bad and what == "hang":
            time.sleep(60)
        if x == bad and what == "exit":
            import os

            os._exit(4)
        return 2 * x + state["calls"] - 1  # a call in the kernel itself would be seen later

    return stub


# ---------------------------------------------------------------- the harness's side


def test_every_input_runs_in_a_child_of_its_own():
    """A stub that counts its calls sees a count of 1 each time: no input sees another's
    state, and the kernel's is left as it was."""
    got = serve([(1.0,), (2.0,), (3.0,)], doubled_unless(None, ""))
    assert [(o.status, o.value) for o in got] == [("returned", 2.0), ("returned", 4.0)] + [
        ("returned", 6.0)
    ]


@pytest.mark.parametrize(
    ("what", "status", "detail"), [("hang", "timeout", 0.5), ("exit", "died", 4)]
)
def test_a_hung_or_crashed_input_costs_itself_and_the_rest_is_skipped(what, status, detail):
    """Inputs before the bad one keep their answers; the bad one says what happened within
    its own time limit; the rest are skipped (the grader stops judging there)."""
    start = time.monotonic()
    got = serve([(1.0,), (2.0,), (3.0,), (4.0,)], doubled_unless(2.0, what), timeout=0.5)
    assert time.monotonic() - start < 3.0
    assert [o.status for o in got] == ["returned", status, "skipped", "skipped"]
    assert (got[0].value, got[1].detail) == (2.0, detail)


def test_a_missing_or_uncallable_stub_is_said_once():
    reply = harness.serve(request([(1.0,), (2.0,)]), {})
    assert [answers.parse(t).status for t in json.loads(reply)["answers"]] == [
        "missing",
        "skipped",
    ]
    reply = harness.serve(request([(1.0,)]), {"stub": 3})
    assert answers.parse(json.loads(reply)["answers"][0]).detail == "int"


def test_the_size_cap_holds_for_the_whole_batch(monkeypatch):
    """Each answer fits the per-child cap, but together they pass the batch's: the reply stays
    under the cap and the answers that did not fit say so."""
    monkeypatch.setattr(harness, "MAX_BATCH_CHARS", 2_000_000)
    big = np.linspace(0.1, 1.0, 60_000)  # about 1.1 MB of JSON numbers
    reply = harness.serve(request([(1.0,)] * 4), {"stub": lambda x: big * x})
    assert len(reply) <= 2_000_000
    got = [answers.parse(t) for t in protocol.unpack(reply, 4)[0]]
    assert [o.status for o in got] == ["returned", "too_long", "skipped", "skipped"]
    np.testing.assert_array_equal(got[0].value, big)


def test_a_class_stub_goes_through_the_harness_driver_on_every_input(monkeypatch):
    """A class stub is looked up by its class's name and each input goes through the
    harness's driver (DRIVEN), in its own child, batched like any stub."""
    driven = {"Twice_backward": ("Twice", lambda cls, x: [cls(x).value, cls(x + 1).value])}
    monkeypatch.setattr(harness, "DRIVEN", driven)

    class Twice:
        def __init__(self, x):
            self.value = 10 * x

    reply = harness.serve(request([(1.0,), (5.0,)], stub="Twice_backward"), {"Twice": Twice})
    got = [answers.parse(t) for t in protocol.unpack(reply, 2)[0]]
    assert [o.value for o in got] == [[10.0, 20.0], [50.0, 60.0]]
    reply = harness.serve(request([(1.0,)], stub="Twice_backward"), {"Twice_backward": Twice})
    assert answers.parse(json.loads(reply)["answers"][0]).status == "missing"


# ---------------------------------------------------------------- the grader's side


@pytest.mark.parametrize(
    ("text", "trouble"),
    [
        ('{"answers": ["a", "b", "c"]}', None),
        ('{"answers": ["a", "b"]}', "wrong_count"),
        ('{"answers": ["a", "b", "c", "d"]}', "wrong_count"),
        ('{"answers": []}', "wrong_count"),
        ('{"answers": ["a", "b", 3]}', "not_a_batch"),
        ('{"answers": ["a", "b", {"status": "returned"}]}', "not_a_batch"),
        ('{"answers": "abc"}', "not_a_batch"),
        ('{"answers": ["a", "b", "c"], "extra": 1}', "not_a_batch"),
        ('["a", "b", "c"]', "not_a_batch"),
        ('{"status": "returned", "value": 1.0}', "not_a_batch"),
        ("{'answers': ['a', 'b', 'c']}", "not_a_batch"),
        ("[" * 100_000, "not_a_batch"),
    ],
)
def test_unpack_takes_exactly_one_answer_per_input(text, trouble):
    texts, found = protocol.unpack(text, 3)
    assert found == trouble
    assert texts == (["a", "b", "c"] if trouble is None else None)


TAMPER = """
import builtins, json
real_exec = builtins.exec

def tampering_exec(source, globals=None, locals=None, *rest):
    if isinstance(globals, dict) and '"stub": "linear_forward"' in globals.get("REQUEST", ""):
        globals["TAMPER"] = tamper
        source = source.replace("publish(serve(", "publish(TAMPER(serve(").replace(
            "NAMESPACE))", "NAMESPACE)))"
        )
    return real_exec(source, globals, locals, *rest)

def reply_of(answers):
    return json.dumps({"answers": answers})

SKIPPED = json.dumps({"status": "skipped"})

builtins.exec = tampering_exec
"""
TAMPERINGS = {  # how the kernel changes the reply to a right linear_forward
    "none": "lambda r: r",
    "one_too_few": "lambda r: reply_of(json.loads(r)['answers'][:-1])",
    "one_too_many": "lambda r: reply_of(json.loads(r)['answers'] * 2)",
    "first_everywhere": "lambda r: reply_of([json.loads(r)['answers'][0]] * 4)",
    "skips_the_last": "lambda r: reply_of(json.loads(r)['answers'][:-1] + [SKIPPED])",
    "shuffled": "lambda r: reply_of(json.loads(r)['answers'][::-1])",
    "garbage": "lambda r: r[: len(r) // 2]",
    "bare_answer": "lambda r: json.loads(r)['answers'][0]",
    "extra_key": "lambda r: json.dumps({**json.loads(r), 'verified': True})",
}


@pytest.fixture(scope="module")
def tampered_kernel(tmp_path_factory):
    kernel = Kernel(tmp_path_factory.mktemp("tampered"))
    load_lesson(kernel, LESSON)
    kernel.run(TAMPER)
    yield kernel
    kernel.stop()


@pytest.mark.slow
@pytest.mark.parametrize("how", TAMPERINGS)
def test_a_tampered_reply_is_never_credit(how, tampered_kernel):
    _, errors = tampered_kernel.run(f"tamper = {TAMPERINGS[how]}")
    assert not errors, errors
    forward, *others = tampered_kernel.verify(LESSON, seed=21)
    assert all(v.verified for v in others), others  # untouched: the tampering is this stub's
    if how == "none":  # the control: the tampering code itself changes nothing
        assert forward.verified, forward
        return
    assert not forward.verified, forward
    assert forward.kind in ("no_answer", "wrong_values", "wrong_shape"), forward


def test_without_fork_an_interrupted_input_stops_the_batch(monkeypatch):
    """Where the notebook deleted os.fork, calls run in the kernel itself; the grader's
    interrupt of a hung one arrives as KeyboardInterrupt, and the rest is skipped, as after a
    timeout, instead of hanging on the next input past the grader's patience."""

    def stub(x):
        if x == 2.0:
            raise KeyboardInterrupt
        return 2 * x

    monkeypatch.delattr(harness.os, "fork")
    got = serve([(1.0,), (2.0,), (3.0,)], stub)
    assert [o.status for o in got] == ["returned", "raised", "skipped"]
    assert "KeyboardInterrupt" in got[1].error.types
