"""Does the grader read a kernel's answer strictly, and survive any answer a student can forge?

The kernel is the student's: whatever text comes back may be hostile. Every answer here is
either well formed (and must read back exactly as written) or not (and must come out as
status "garbled" with a reason, never as an exception in the grader).
"""

import json

import numpy as np
import pytest

from autograder.grader.verify import answers, harness
from autograder.grader.verify.answers import Opaque, TooBig


def returned(value_wire, **extra):
    return json.dumps({"status": "returned", "value": value_wire, "warnings": [], **extra})


def test_an_array_reads_back_exactly():
    """float64 data, its shape and dtype, NaN and infinities survive the trip unchanged."""
    data = [0.1, -2.5, float("nan"), float("inf"), -float("inf"), 1e-310]
    text = returned({"ndarray": {"dtype": "float64", "shape": [2, 3], "data": data}})
    outcome = answers.parse(text)
    assert outcome.status == "returned"
    got = outcome.value
    assert got.dtype == np.float64 and got.shape == (2, 3)
    expected = np.array(data).reshape(2, 3)
    assert np.array_equal(got, expected, equal_nan=True)


def test_every_kind_of_value_reads_back():
    """Scalars keep their dtype; containers, None, text, opaque and too-big values keep theirs."""
    value = {
        "dict": [
            ["n", {"scalar": {"dtype": "float32", "value": 0.5}}],
            ["t", {"tuple": [1, 2.5, True, None, "text"]}],
            ["o", {"opaque": "Tensor"}],
            ["b", {"too_big": {"shape": [10_000_000], "size": 10_000_000}}],
        ]
    }
    got = answers.parse(returned(value)).value
    assert got["n"].dtype == np.float32 and got["n"].shape == () and float(got["n"]) == 0.5
    assert got["t"] == (1, 2.5, True, None, "text")
    assert got["o"] == Opaque("Tensor")
    assert got["b"] == TooBig((10_000_000,), 10_000_000)


def test_the_harness_and_the_parser_agree():
    """What harness.to_wire writes for a stub's result, answers.parse reads back equal."""
    result = (np.arange(6.0).reshape(2, 3), {"W1": np.eye(2)}, [np.float64(3.5), 2], None)
    answer = harness.call(lambda: result, [], False, answers.MAX_NUMBERS)
    got = answers.parse(json.dumps(answer)).value
    assert isinstance(got, tuple) and len(got) == 4
    assert np.array_equal(got[0], result[0]) and np.array_equal(got[1]["W1"], np.eye(2))
    assert float(got[2][0]) == 3.5 and got[2][1] == 2 and got[3] is None


def test_the_harness_reports_a_huge_array_by_its_shape_only():
    """A stub returning 10^7 numbers costs a line of JSON, not 10^7 numbers."""
    answer = harness.call(lambda: np.zeros(10**7), [], False, answers.MAX_NUMBERS)
    text = json.dumps(answer)
    assert len(text) < 500
    assert answers.parse(text).value == TooBig((10**7,), 10**7)


def test_the_harness_names_what_is_not_numbers():
    """Objects, strings, object arrays and deep nesting come back as short descriptions."""

    class Weird:
        pass

    deep = []
    for _ in range(50):
        deep = [deep]
    cases = {
        "Weird": Weird(),
        "array of dtype object": np.array([Weird()], dtype=object),
        "nesting deeper than 8 levels": deep,
    }
    for what, value in cases.items():
        text = json.dumps(harness.call(lambda value=value: value, [], False, 1000))
        got = answers.parse(text).value
        while isinstance(got, list) and got:
            got = got[0]
        assert got == Opaque(what), (what, got)


FORGED = {
    "not JSON": "definitely not json",
    "not text": b"bytes",
    "a JSON list": "[1, 2, 3]",
    "no status": "{}",
    "an unknown status": '{"status": "perfect"}',
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "a nested dict bomb": '{"status": "returned", "value": '
    + '{"list": [' * 5000
    + "1"
    + "]}" * 5000
    + "}",
    "an unknown tag": returned({"pickle": "gASV..."}),
    "two tags in one": returned({"list": [], "tuple": []}),
    "data not fitting the shape": returned(
        {"ndarray": {"dtype": "float64", "shape": [3], "data": [1.0]}}
    ),
    "a huge shape": returned({"ndarray": {"dtype": "float64", "shape": [10**9], "data": []}}),
    "a negative dimension": returned({"ndarray": {"dtype": "float64", "shape": [-1], "data": []}}),
    "an object dtype": returned({"ndarray": {"dtype": "object", "shape": [1], "data": [1]}}),
    "a structured dtype": returned({"ndarray": {"dtype": "f8,i4", "shape": [1], "data": [1]}}),
    "a made-up dtype": returned({"ndarray": {"dtype": "quaternion", "shape": [1], "data": [1]}}),
    "text among the numbers": returned(
        {"ndarray": {"dtype": "float64", "shape": [2], "data": [1.0, "2"]}}
    ),
    "an int too large for int64": returned(
        {"ndarray": {"dtype": "int64", "shape": [1], "data": [10**30]}}
    ),
    "a timeout without its seconds": '{"status": "timeout"}',
    "a timeout of text": '{"status": "timeout", "seconds": "x"}',
    "a timeout of NaN seconds": '{"status": "timeout", "seconds": NaN}',
    "a 5000-digit number": '{"status": "returned", "value": ' + "9" * 5000 + "}",
    "too many numbers": returned(
        {
            "list": [{"ndarray": {"dtype": "float64", "shape": [150_000], "data": [0.0] * 150_000}}]
            * 2
        }
    ),
    "a dict with a non-text key": returned({"dict": [[1, 2]]}),
    "a list as the warnings": json.dumps({"status": "returned", "value": 1, "warnings": "x"}),
    "too many warnings": json.dumps({"status": "returned", "value": 1, "warnings": ["w"] * 50}),
    "an exception with no types": json.dumps({"status": "raised", "error": {"message": "x"}}),
    "a bogus exit code": json.dumps({"status": "died", "exit": "SIGKILL"}),
    "a missing value": json.dumps({"status": "returned", "warnings": []}),
}


@pytest.mark.parametrize("text", FORGED.values(), ids=FORGED.keys())
def test_a_forged_answer_is_garbled_not_a_crash(text):
    """Is every malformed answer read as 'garbled' with a reason, without raising?"""
    outcome = answers.parse(text)
    assert outcome.status == "garbled" and outcome.detail, outcome


def test_a_long_message_is_cut():
    """Error messages and warnings are cut to harness.MAX_TEXT characters."""
    text = json.dumps(
        {"status": "raised", "error": {"types": ["ValueError"], "message": "x" * 10**6}}
    )
    outcome = answers.parse(text)
    assert outcome.error.name == "ValueError"
    assert len(outcome.error.message) == harness.MAX_TEXT


def test_every_value_counts_against_the_budget():
    """A million short strings in nested lists cost no more than the budget allows."""
    flood = [["x" * 300] * 1000] * 1000
    text = json.dumps(harness.to_wire(flood, [1000]))
    assert len(text) < 1000 * 310
    assert "more values than the grader reads" in text
