"""Does every lesson's check pass the answer key, name each catalogued mistake, and say plainly
when a stub is not implemented yet or returns None?

The generic half of every lesson's check tests, run over all six lessons; what only one lesson
needs (its stored numbers and their judges) stays in that lesson's test_<lesson>.py.
"""

import importlib
import inspect
import types

import numpy as np
import pytest

import reference as R
from autograder.checks.core import CheckFailure

LESSONS = (
    "chain_rule",
    "softmax",
    "cross_entropy",
    "output_layer",
    "hidden_layers",
    "full_network",
)
CHECK_MODULES = {m: importlib.import_module(f"autograder.checks.{m}") for m in LESSONS}
MISTAKE_MODULES = {m: importlib.import_module(f"autograder.grader.mistakes.{m}") for m in LESSONS}
# Lessons whose verdicts keep long arrays on one line; cross_entropy's and output_layer's quote
# 2-D arrays as numpy prints them, over several lines (their tests never asked for one line).
ONE_LINE_VERDICTS = {"chain_rule", "softmax", "hidden_layers", "full_network"}


def checked_stubs(module):
    """The stubs a lesson's check module has a check_<stub> for, in source order."""
    C = CHECK_MODULES[module]
    return [
        name.removeprefix("check_")
        for name, fn in sorted(
            inspect.getmembers(C, inspect.isfunction), key=lambda f: f[1].__code__.co_firstlineno
        )
        if name.startswith("check_") and fn.__module__ == C.__name__
    ]


STUBS = [(module, stub) for module in LESSONS for stub in checked_stubs(module)]
CATALOG = [
    (module, stub, m.key)
    for module in LESSONS
    for stub, entries in CHECK_MODULES[module].MISTAKES.items()
    for m in entries
]


def check(module, stub):
    return getattr(CHECK_MODULES[module], f"check_{stub}")


def planted(fn, stub):
    """A copy of fn named like the stub, as a student's function would be (fn itself, shared
    by other tests, keeps its name)."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, stub, fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    return copy


@pytest.mark.parametrize(("module", "stub"), STUBS, ids=[f"{m}-{s}" for m, s in STUBS])
def test_answer_key_passes_with_one_line(module, stub, capsys):
    """Does the reference implementation pass, printing exactly one line and nothing to stderr?"""
    check(module, stub)(getattr(R, stub))
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.count("\n") == 1 and out.out.startswith("\u2713 " + stub), out.out


@pytest.mark.parametrize(
    ("module", "stub", "key"), CATALOG, ids=[f"{m}-{s}-{k}" for m, s, k in CATALOG]
)
def test_each_mistake_is_recognised(module, stub, key):
    """Does the check, run on the mistaken implementation, name exactly that mistake, with its
    hint (in one line where the lesson promises it)?"""
    wrong = planted(getattr(MISTAKE_MODULES[module], f"{stub}__{key}"), stub)
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(wrong)
    assert info.value.key == key, str(info.value)
    message = str(info.value)
    if module in ONE_LINE_VERDICTS:
        assert "\n" not in message
    hint = next(m.hint for m in CHECK_MODULES[module].MISTAKES[stub] if m.key == key)
    assert hint in message


@pytest.mark.parametrize(("module", "stub"), STUBS, ids=[f"{m}-{s}" for m, s in STUBS])
def test_unimplemented_stub_is_named(module, stub):
    """Does a stub that still raises NotImplementedError get not_implemented and its name?"""

    def still_a_stub(*args):
        raise NotImplementedError()

    still_a_stub.__name__ = stub
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(still_a_stub)
    assert info.value.key == "not_implemented"
    assert f"{stub} is not implemented yet" in str(info.value)


@pytest.mark.parametrize("module", LESSONS)
def test_catalog_and_mistaken_implementations_match(module):
    """Has every checked stub >= 3 entries with distinct keys, and every entry a mistaken
    implementation (defined in the mistakes module itself) and vice versa?"""
    C, M = CHECK_MODULES[module], MISTAKE_MODULES[module]
    stubs = checked_stubs(module)
    assert set(C.MISTAKES) == set(stubs)
    for stub in stubs:
        keys = [m.key for m in C.MISTAKES[stub]]
        assert len(keys) >= 3, stub
        assert len(set(keys)) == len(keys), stub
    functions = inspect.getmembers(M, inspect.isfunction)
    assert all(fn.__module__ == M.__name__ for _, fn in functions)
    implemented = {name for name, _ in functions if "__" in name}
    assert implemented == {f"{s}__{k}" for m, s, k in CATALOG if m == module}


@pytest.mark.parametrize(("module", "stub"), STUBS, ids=[f"{m}-{s}" for m, s in STUBS])
def test_stub_returning_none_is_asked_for_its_return(module, stub):
    """Does a stub that computes the answer but forgets `return` get returned_none, one
    sentence naming it?"""
    answer_key = getattr(R, stub)

    def forgot_return(*args):
        answer_key(*args)

    forgot_return.__name__ = stub
    with pytest.raises(CheckFailure) as info:
        check(module, stub)(forgot_return)
    assert info.value.key == "returned_none", str(info.value)
    assert str(info.value) == (
        f"{stub} returned None: did you forget the `return` statement at the end?"
    )


def test_in_place_stub_returning_none_is_asked_for_its_return():
    """Does a relu that clips its argument in place and returns nothing get returned_none too
    (call_stub leaves such a None to the check, and expect_close names it)?"""

    def relu(a):
        np.maximum(a, 0.0, out=a)

    with pytest.raises(CheckFailure) as info:
        CHECK_MODULES["hidden_layers"].check_relu(relu)
    assert info.value.key == "returned_none", str(info.value)
    assert str(info.value) == (
        "relu returned None: did you forget the `return` statement at the end?"
    )
